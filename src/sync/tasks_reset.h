// The course reset file (to be merged into tasks.h).
#pragma once

#include <string>
#include <vector>

#include "store/db.h"
#include "sync/file_area.h"
#include "sync/report.h"
#include "sync/task_run.h"

namespace cs::sync {

// `reset [FILE]` (tool_sync.md §3 with its Recommendations): one course per line, found by the
// configured identifier (courses_fileresetidentifier, or --identifier), and the areas to reset.
//
// Header: the identifier column plus any of the reset columns; names are trimmed and
// case-insensitive. Unknown or duplicate columns, a missing identifier column, a value outside a
// column's vocabulary (every line is checked before anything is applied), an unknown role or
// module name: the file is rejected (exit 2) and nothing changes. An absent column, or an empty
// cell, means "do not reset that".
//
//   events logs notes comments completion blog_associations   yes/1/true/all | no/0/false/none
//   grades            all | items | grades | none
//   local_roles       all | roles | overrides | none
//   groups            all | groups | members | none
//   groupings         all | groupings (or groups) | members | none
//   roles             all | none | role shortnames separated by spaces (holders are unenrolled)
//   modules           all | none | module names | all -name ... | -name ... (module defaults)
//   <module option>   yes/no, overrides `modules` (forum_all, assign_submissions, quiz_attempts,
//                     glossary_all, data, choice, lesson, scorm, survey_answers, chat, ...; see
//                     ResetModules())
//   startdate         YYYY-MM-DD[ hh:mm[:ss]] or a Unix timestamp: the new course start; dates
//                     relative to it move by the same amount (as Moodle's reset_start_date)
//
// What each area deletes, for the course only (Moodle's reset_course_userdata order):
//   events             event (courseid)
//   notes              post (module 'notes')
//   blog_associations  blog_association in the course context and below
//   completion         course_modules_completion (+ course_modules_viewed), course_completions,
//                      course_completion_crit_compl
//   logs               logstore_standard_log (courseid); Moodle >= 2.7 resets no log
//   local_roles        overrides: role_capabilities in the course context and below;
//                      roles: role_assignments in the activity and block contexts
//   roles              per role: holders enrolled through an enabled instance that allows it
//                      (manual, self, ...; cohort/meta only when suspended) lose that role if
//                      they have another (manual assignment), else are unenrolled: their
//                      user_enrolments, the instance's role assignments and group memberships,
//                      and when it was their last enrolment every role in the course and below,
//                      group memberships, grades (copied to grade_grades_history, as Moodle's
//                      grade_user_unenrol) and user_lastaccess
//   groups             members: groups_members; groups: groups with their members, grouping
//                      links and group events
//   groupings          members: groupings_groups; groupings: groupings and their links (the
//                      course's defaultgroupingid and activities' groupingid become 0)
//   modules / options  see ResetModules() (reset_module_*.cc), run only for modules the course
//                      has an instance of
//   grades             grades: every grade_grades row of the course (copied to the history
//                      first, as Moodle does); items: that, plus manual and category items and
//                      every category but the course's (copied to grade_items_history); the
//                      course total and activity items stay, moved under the course category
//   comments           course page comments (commentarea 'page_comments') in the course
//                      context and below
//   startdate          course.startdate; with shift = new - old (the old one not 0): enddate
//                      (+shift when shift > 0, as Moodle), every course event, expected
//                      completion dates, date completion criteria, date availability conditions
//                      of activities and sections, each module's date columns and overrides
//
// Each course is reset fully or not at all (a savepoint per course; the file is first applied
// without them and replayed with them only if a course fails). A line is `reset` with, in
// details, the rows removed per area ("areas") and per table ("tables"); an unknown course or
// the site course is `failed` and goes to the tryback file. --simulate reports the same counts
// and changes nothing.
RunReport RunReset(store::Db& db, const FileArea& area, const TaskOptions& options);

// The reset-file generator's default row (tool_sync.md §4.2 Recommendation): the header, with
// the identifier column first, and the values of the columns after the identifier.
std::vector<std::string> DefaultResetHeader(const std::string& identifier);
std::vector<std::string> DefaultResetValues();

}  // namespace cs::sync
