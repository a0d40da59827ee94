// Choice reset options (mod/choice/lib.php choice_reset_userdata).
#include "sync/reset_modules.h"

namespace cs::sync {

ResetModule ChoiceResetModule() {
  using namespace reset_sql;
  ResetModule m;
  m.name = "choice";
  ResetOption answers;
  answers.column = "choice";
  answers.default_on = true;
  answers.help = "every response";
  answers.steps = {
      Delete("choice_answers", "choiceid IN (" + Instances("choice") + ")", {"choice"})};
  m.options.push_back(answers);
  m.date_fields = {"timeopen", "timeclose"};
  return m;
}

}  // namespace cs::sync
