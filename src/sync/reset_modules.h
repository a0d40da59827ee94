// Course reset building blocks (tool_sync.md §3, moodle_core.md §2.4): what each reset option
// deletes, declared as data, and the engine that applies a set of options to one course.
//
// An option is a list of SQL steps. Each step names the table it writes (plus any other table it
// needs; a step whose tables are missing from the database is skipped) and is written once,
// Moodle style, with named parameters that the engine binds per course:
//
//   :course  the course id          :ctxid  the course context id
//   :shift   the start-date shift   :now    the run's timestamp (grade history rows)
//   @children  a subquery: the ids of every context below the course context (activities,
//              blocks), found through the indexed `context.path` as a range (PostgreSQL:
//              the byte-wise ~>=~ / ~<~ operators, served by the path index's pattern ops).
//
// A DELETE step's rows are counted (rows removed); INSERT and UPDATE steps are not.
//
// The same steps also run for a batch of courses (CourseResetter::ResetBatch): `x = :course` and
// `x = :ctxid` become `x IN (SELECT ... FROM <temp table of the batch>)`, and each DELETE is
// preceded by a count per course (the step's condition as a correlated subquery). So a step's
// :course and :ctxid must follow '=' (checked when the step is compiled) and @ids is for the
// unenrolment only; an UPDATE whose SET reads :course runs per course.
//
// Activity modules form a registry: one file per module (reset_module_<name>.cc) declares the
// module's options (the CSV column, whether the module's defaults include it, the steps) and the
// date columns a start-date change moves. Adding a module is one small file plus one line in
// ResetModules(). Like Moodle, the engine only runs a module's options when the course has an
// instance of it (a row in the module's table with course = the course).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/db.h"

namespace cs::sync {

// When a step runs, relative to the gradebook choice of the same line. Moodle's module resets
// test `reset_gradebook_grades`: e.g. assign deletes assign_grades only when the gradebook grades
// are reset too, and quiz clears its gradebook grades itself only when they are not.
enum class ResetWhen { kAlways, kGradebookGradesReset, kGradebookGradesKept };

struct ResetStep {
  std::vector<std::string> tables;  // tables[0] is written; all must exist, else skipped
  std::string sql;
  ResetWhen when = ResetWhen::kAlways;
};

struct ResetOption {
  std::string column;       // CSV column (module options) or core key ("grades_items")
  bool default_on = false;  // part of the module's defaults (`modules` column)
  std::string help;         // what it deletes, one line
  std::vector<ResetStep> steps;
  std::string area;  // report key; empty = column
  const std::string& area_name() const { return area.empty() ? column : area; }
};

struct ResetModule {
  std::string name;  // modules.name, also the module's main table (course column)
  std::vector<ResetOption> options;
  // Columns of the main table that a start-date change moves (Moodle's shift_course_mod_dates:
  // `field = field + shift` where field <> 0).
  std::vector<std::string> date_fields;
  // Other date shifts (e.g. overrides), UPDATE steps using :shift.
  std::vector<ResetStep> date_steps;
};

// Every registered module, in reset order.
const std::vector<ResetModule>& ResetModules();
const ResetModule* FindResetModule(std::string_view name);
// The module option declaring `column` (e.g. "forum_all"), with its module; nullptr if none.
const ResetOption* FindModuleOption(std::string_view column, const ResetModule** module = nullptr);

// The core (non-module) options, keyed by column: events, logs, notes, comments, completion,
// blog_associations, grades_items, grades_grades, local_roles_roles, local_roles_overrides,
// groups_members, groups_groups, groupings_members, groupings_groupings. (Unenrolment by role and
// the start date are handled by the engine itself.)
const std::vector<ResetOption>& CoreResetOptions();
const ResetOption* FindCoreOption(std::string_view key);

// One file per module.
ResetModule ForumResetModule();
ResetModule AssignResetModule();
ResetModule QuizResetModule();
ResetModule GlossaryResetModule();
ResetModule DataResetModule();
ResetModule ChoiceResetModule();
ResetModule LessonResetModule();
ResetModule ScormResetModule();
ResetModule SurveyResetModule();
ResetModule ChatResetModule();

// Helpers for the module files.
namespace reset_sql {
// "SELECT id FROM {mod} WHERE course = :course"
std::string Instances(const std::string& mod);
// The module contexts of the course's instances of `mod`.
std::string ModuleContexts(const std::string& mod);
// "DELETE FROM {table} WHERE <where>" on `table` (extra tables it reads in `needs`).
ResetStep Delete(const std::string& table, const std::string& where,
                 std::vector<std::string> needs = {}, ResetWhen when = ResetWhen::kAlways);
// Moodle's <mod>_reset_gradebook (grade_update 'reset'): the grades of the module's grade items
// in the course, each first copied to grade_grades_history (action delete, source 'reset') as
// Moodle's grade_grade::delete() does. Runs only when the gradebook grades are kept.
std::vector<ResetStep> ModuleGradebookGrades(const std::string& mod);
// Ratings of the module's instances (rating_manager::delete_ratings): component, ratingarea.
ResetStep Ratings(const std::string& mod, const std::string& component, const std::string& area);
// Tags of the module's instances (core_tag_tag::delete_instances(component, null, ctx)).
ResetStep Tags(const std::string& mod, const std::string& component);
// Comments of `commentarea` on items returned by `items_sql`, in the module's contexts.
ResetStep Comments(const std::string& mod, const std::string& commentarea,
                   const std::string& items_sql, std::vector<std::string> needs);
// grade_grades_history copy + delete of the grade_grades matching `where` (on grade_grades),
// source as Moodle names it ('reset', 'coursedelete', 'userdelete').
std::vector<ResetStep> GradeGradesDelete(const std::string& where, const std::string& source,
                                         ResetWhen when = ResetWhen::kAlways);
}  // namespace reset_sql

// ---------------------------------------------------------------------------------------------
// The engine.

// What to reset in one course.
struct ResetRequest {
  std::set<std::string> core;            // CoreResetOptions() keys
  std::vector<int64_t> unenrol_roleids;  // roles whose holders are unenrolled, in order
  std::set<std::string> module_options;  // module option columns
  std::optional<int64_t> startdate;      // new course start date
  bool empty() const {
    return core.empty() && unenrol_roleids.empty() && module_options.empty() && !startdate;
  }
  // Moodle's `reset_gradebook_grades` flag (grades = all or grades).
  bool gradebook_grades() const { return core.count("grades_grades") > 0; }
  bool operator==(const ResetRequest&) const = default;
};

struct ResetResult {
  std::vector<std::pair<std::string, int64_t>> areas;  // requested areas in run order, rows removed
  std::map<std::string, int64_t> tables;               // rows removed per table (no prefix)
  std::vector<std::string> modules;                    // modules of the course that were reset
  int64_t unenrolled = 0;                              // users unenrolled (roles)
  int64_t roles_unassigned = 0;                        // users who only lost one role (roles)
  bool date_moved = false;
  int64_t old_startdate = 0, new_startdate = 0, timeshift = 0;
  int64_t rows_shifted = 0;  // rows whose dates moved
  int64_t removed() const;   // sum of areas
};

// Applies reset requests to courses. Statements are prepared on first use and reused for every
// course; the caller holds the transaction (and any savepoint).
class CourseResetter {
 public:
  // `now` stamps the grade history rows written before grades are deleted.
  explicit CourseResetter(store::Db& db, int64_t now);
  ~CourseResetter();
  CourseResetter(const CourseResetter&) = delete;
  CourseResetter& operator=(const CourseResetter&) = delete;

  // Resets one course. Throws std::invalid_argument for the site course, store::DbError on a
  // database failure (the caller rolls the course back).
  ResetResult Reset(int64_t courseid, const ResetRequest& request);

  // Resets several courses with the same request, each step one set-based statement for the
  // whole batch (plus one that counts its rows per course): the same rows, counts and results
  // as Reset() on each course in turn, in the order of `courseids`. The ids must be distinct,
  // none the site course, and the request without a start date (std::invalid_argument). Uses
  // temporary tables of the connection (cs_reset_*, dropped with the resetter). On a database
  // failure (store::DbError) the caller rolls the whole batch back.
  std::vector<ResetResult> ResetBatch(const std::vector<int64_t>& courseids,
                                      const ResetRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cs::sync
