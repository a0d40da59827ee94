// Lesson reset options (mod/lesson/lib.php lesson_reset_userdata).
#include "sync/reset_modules.h"

namespace cs::sync {

ResetModule LessonResetModule() {
  using namespace reset_sql;
  const std::string lessons = Instances("lesson");
  ResetModule m;
  m.name = "lesson";

  ResetOption all;
  all.column = "lesson";
  all.default_on = true;
  all.help = "attempts, grades, timers, branches and the lessons' gradebook grades";
  all.steps = {
      Delete("lesson_timer", "lessonid IN (" + lessons + ")", {"lesson"}),
      Delete("lesson_grades", "lessonid IN (" + lessons + ")", {"lesson"}),
      Delete("lesson_attempts", "lessonid IN (" + lessons + ")", {"lesson"}),
      Delete("lesson_branch", "lessonid IN (" + lessons + ")", {"lesson"}),
  };
  for (auto& s : ModuleGradebookGrades("lesson")) all.steps.push_back(s);
  m.options.push_back(all);

  ResetOption users;
  users.column = "lesson_user_overrides";
  users.default_on = true;
  users.help = "user overrides";
  users.steps = {Delete("lesson_overrides", "lessonid IN (" + lessons + ") AND userid IS NOT NULL",
                        {"lesson"})};
  m.options.push_back(users);

  ResetOption groups;
  groups.column = "lesson_group_overrides";
  groups.default_on = true;
  groups.help = "group overrides";
  groups.steps = {Delete("lesson_overrides",
                         "lessonid IN (" + lessons + ") AND groupid IS NOT NULL", {"lesson"})};
  m.options.push_back(groups);

  m.date_fields = {"available", "deadline"};
  for (const char* f : {"available", "deadline"}) {
    std::string c = f;
    m.date_steps.push_back({{"lesson_overrides", "lesson"},
                            "UPDATE {lesson_overrides} SET " + c + " = " + c +
                                " + :shift WHERE lessonid IN (" + lessons + ") AND " + c +
                                " <> 0"});
  }
  return m;
}

}  // namespace cs::sync
