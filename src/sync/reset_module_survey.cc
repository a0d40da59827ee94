// Survey reset options (mod/survey/lib.php survey_reset_userdata).
#include "sync/reset_modules.h"

namespace cs::sync {

ResetModule SurveyResetModule() {
  using namespace reset_sql;
  const std::string surveys = Instances("survey");
  ResetModule m;
  m.name = "survey";

  ResetOption answers;
  answers.column = "survey_answers";
  answers.default_on = true;
  answers.help = "every answer and analysis note";
  answers.steps = {Delete("survey_answers", "survey IN (" + surveys + ")", {"survey"}),
                   Delete("survey_analysis", "survey IN (" + surveys + ")", {"survey"})};
  m.options.push_back(answers);

  ResetOption analysis;
  analysis.column = "survey_analysis";
  analysis.default_on = true;
  analysis.help = "analysis notes";
  analysis.steps = {Delete("survey_analysis", "survey IN (" + surveys + ")", {"survey"})};
  m.options.push_back(analysis);
  return m;
}

}  // namespace cs::sync
