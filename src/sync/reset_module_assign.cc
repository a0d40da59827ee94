// Assignment reset options (mod/assign/locallib.php assign::reset_userdata).
#include "sync/reset_modules.h"

namespace cs::sync {

ResetModule AssignResetModule() {
  using namespace reset_sql;
  const std::string assigns = Instances("assign");
  ResetModule m;
  m.name = "assign";

  ResetOption subs;
  subs.column = "assign_submissions";
  subs.default_on = true;
  subs.help =
      "submissions (with the submission and feedback plugins' data) and user flags; the "
      "assignment grades too when the gradebook grades are reset";
  subs.steps = {
      // Each submission/feedback plugin's delete_instance().
      Delete("assignsubmission_onlinetext", "assignment IN (" + assigns + ")", {"assign"}),
      Delete("assignsubmission_file", "assignment IN (" + assigns + ")", {"assign"}),
      Delete("assignfeedback_comments", "assignment IN (" + assigns + ")", {"assign"}),
      Delete("assignfeedback_file", "assignment IN (" + assigns + ")", {"assign"}),
      Delete("assign_submission", "assignment IN (" + assigns + ")", {"assign"}),
      Delete("assign_user_flags", "assignment IN (" + assigns + ")", {"assign"}),
      Delete("assign_grades", "assignment IN (" + assigns + ")", {"assign"},
             ResetWhen::kGradebookGradesReset),
      // Blind marking: identities are hidden again.
      {{"assign"},
       "UPDATE {assign} SET revealidentities = 0 WHERE course = :course AND blindmarking <> 0 AND "
       "revealidentities <> 0"},
  };
  m.options.push_back(subs);

  ResetOption users;
  users.column = "assign_user_overrides";
  users.default_on = true;
  users.help = "user overrides";
  users.steps = {Delete("assign_overrides", "assignid IN (" + assigns + ") AND userid IS NOT NULL",
                        {"assign"})};
  m.options.push_back(users);

  ResetOption groups;
  groups.column = "assign_group_overrides";
  groups.default_on = true;
  groups.help = "group overrides";
  groups.steps = {Delete("assign_overrides",
                         "assignid IN (" + assigns + ") AND groupid IS NOT NULL", {"assign"})};
  m.options.push_back(groups);

  m.date_fields = {"allowsubmissionsfromdate", "duedate", "cutoffdate", "gradingduedate"};
  for (const char* f : {"allowsubmissionsfromdate", "duedate", "cutoffdate"}) {
    std::string c = f;
    m.date_steps.push_back({{"assign_overrides", "assign"},
                            "UPDATE {assign_overrides} SET " + c + " = " + c +
                                " + :shift WHERE assignid IN (" + assigns + ") AND " + c +
                                " <> 0"});
  }
  return m;
}

}  // namespace cs::sync
