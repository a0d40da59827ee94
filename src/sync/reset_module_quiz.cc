// Quiz reset options (mod/quiz/lib.php quiz_reset_userdata).
#include "sync/reset_modules.h"

namespace cs::sync {

ResetModule QuizResetModule() {
  using namespace reset_sql;
  const std::string quizzes = Instances("quiz");
  const std::string usages =
      "SELECT qa.uniqueid FROM {quiz_attempts} qa JOIN {quiz} q ON q.id = qa.quiz WHERE q.course "
      "= :course";
  ResetModule m;
  m.name = "quiz";

  ResetOption attempts;
  attempts.column = "quiz_attempts";
  attempts.default_on = true;
  attempts.help =
      "attempts (with their question usages), best grades and the quizzes' gradebook grades";
  attempts.steps = {
      // question_engine::delete_questions_usage_by_activities(), children first.
      Delete("question_attempt_step_data",
             "attemptstepid IN (SELECT s.id FROM {question_attempt_steps} s JOIN "
             "{question_attempts} a ON a.id = s.questionattemptid WHERE a.questionusageid IN (" +
                 usages + "))",
             {"question_attempt_steps", "question_attempts", "quiz_attempts", "quiz"}),
      Delete("question_attempt_steps",
             "questionattemptid IN (SELECT a.id FROM {question_attempts} a WHERE "
             "a.questionusageid IN (" +
                 usages + "))",
             {"question_attempts", "quiz_attempts", "quiz"}),
      Delete("question_attempts", "questionusageid IN (" + usages + ")", {"quiz_attempts", "quiz"}),
      Delete("question_usages", "id IN (" + usages + ")", {"quiz_attempts", "quiz"}),
      Delete("quiz_attempts", "quiz IN (" + quizzes + ")", {"quiz"}),
      Delete("quiz_grades", "quiz IN (" + quizzes + ")", {"quiz"}),
  };
  for (auto& s : ModuleGradebookGrades("quiz")) attempts.steps.push_back(s);
  m.options.push_back(attempts);

  ResetOption users;
  users.column = "quiz_user_overrides";
  users.default_on = true;
  users.help = "user overrides";
  users.steps = {
      Delete("quiz_overrides", "quiz IN (" + quizzes + ") AND userid IS NOT NULL", {"quiz"})};
  m.options.push_back(users);

  ResetOption groups;
  groups.column = "quiz_group_overrides";
  groups.default_on = true;
  groups.help = "group overrides";
  groups.steps = {
      Delete("quiz_overrides", "quiz IN (" + quizzes + ") AND groupid IS NOT NULL", {"quiz"})};
  m.options.push_back(groups);

  m.date_fields = {"timeopen", "timeclose"};
  for (const char* f : {"timeopen", "timeclose"}) {
    std::string c = f;
    m.date_steps.push_back({{"quiz_overrides", "quiz"},
                            "UPDATE {quiz_overrides} SET " + c + " = " + c +
                                " + :shift WHERE quiz IN (" + quizzes + ") AND " + c + " <> 0"});
  }
  return m;
}

}  // namespace cs::sync
