// Deleting a course the way Moodle's delete_course()/remove_course_contents() do (moodle_core.md
// §2.3): the course row and every row that belongs to it, so that no orphan is left.
//
// What goes, in dependency order (children before the rows their subqueries read):
//   - activity data, through the activity tables' `course` column: forum (posts, discussions,
//     subscriptions, digests, read marks, tracking prefs), assign (submissions, grades, user flags,
//     mappings, overrides), quiz (attempts, grades, overrides), glossary (entries, categories,
//     entry-categories), data (content, records, fields), choice (answers, options), lesson
//     (attempts, grades, timers, branches, overrides), scorm (values, attempts, scoes), survey
//     (answers, analysis), chat (messages, current messages, users), then the instances;
//   - gradebook: grades, grade history (also of items deleted earlier), items, item history,
//     categories; completion: criteria completions, criteria, aggregation methods, course
//     completions, activity completions;
//   - meta links pointing at the course from other courses (enrol='meta', customint1 = course),
//     with their user enrolments, role assignments and group memberships (component
//     'enrol_meta'); completion criteria of other courses that depend on this one;
//   - enrolment instances with their user enrolments; groups, groupings and memberships;
//   - everything attached to the course context or a context below it (module and block
//     contexts, found by path): role assignments, overrides (role_capabilities), role names,
//     files, tags, comments, blog associations, grade letters, block instances, logs;
//   - events, notes (post module 'notes'), logs, last-access rows, format options, course
//     modules, sections, the contexts themselves, and the course row.
//
// Each child row is reached through the row that owns it (a database content row through its
// record, a SCORM value through its attempt, an entry-category link through its entry, a
// grouping-group link through its grouping), so rows are found by indexed columns only.
//
// Delete(): one course. Every statement is prepared once, in the constructor, and reused for each
// course; context ids come from the course context's `path` subtree. Groups of statements (one
// per activity type, gradebook, completion, groups, enrolment) run only when one probe query says
// the course has rows there.
// DeleteMany(): a set of courses, one statement per table for the whole set; on SQLite a table
// losing most of its rows is emptied at once and its survivors put back (see Options).
// The caller holds the transaction and runs FixCourseSortorder() once after a batch.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <vector>

#include "store/db.h"

namespace cs::sync {

// What one deletion (or a batch, summed) removed, for reports.
struct DeleteCounts {
  int64_t courses = 0;     // course rows (0 when the id did not exist)
  int64_t sections = 0;    // course_sections
  int64_t modules = 0;     // course_modules (activities)
  int64_t enrolments = 0;  // user_enrolments of the course's own enrolment instances
  int64_t groups = 0;      // groups

  DeleteCounts& operator+=(const DeleteCounts& o);
  // "4 sections, 3 activities, 20 enrolments, 2 groups"
  std::string Describe() const;
  nlohmann::json ToJson() const;
};

class CourseDeleter {
 public:
  struct Options {
    // DeleteMany() on SQLite: a table where at least this many rows go, and fewer survive than
    // go (at most rebuild_max_keep), is rebuilt instead of deleted from row by row. 0 = never.
    int64_t rebuild_min_rows = 20000;
    int64_t rebuild_max_keep = 1000000;
  };

  // Prepares every statement. Tables missing from the database (an older schema) are skipped.
  // A deleter is used inside one transaction, which the caller holds.
  explicit CourseDeleter(store::Db& db) : CourseDeleter(db, Options{}) {}
  CourseDeleter(store::Db& db, Options options);
  ~CourseDeleter();
  CourseDeleter(const CourseDeleter&) = delete;
  CourseDeleter& operator=(const CourseDeleter&) = delete;

  // Deletes course `course_id` and everything scoped to it. Throws std::invalid_argument for the
  // site course (id 1), which can never be deleted. An id with no course row deletes nothing but
  // the rows that still refer to it, and returns courses = 0.
  DeleteCounts Delete(int64_t course_id);

  // Deletes several courses with the same result as Delete() on each, set-based: one statement
  // per table for the whole set, the ids held in a temporary table. The counts are aligned with
  // `ids` (a repeated id counts once, at its first place). Much faster than Delete() per course
  // for large batches, and on SQLite a table losing most of its rows (a whole site emptied) is
  // rebuilt rather than deleted from row by row (see Options). Throws std::invalid_argument when
  // `ids` holds the site course, before deleting anything.
  std::vector<DeleteCounts> DeleteMany(const std::vector<int64_t>& ids);

  // The sum over every Delete() and DeleteMany() of this object.
  const DeleteCounts& totals() const { return totals_; }

 private:
  struct Step;
  store::Db& db_;
  Options options_;
  std::vector<Step> steps_;
  std::vector<bool> counts_present_;
  std::unique_ptr<store::Stmt> context_, probe_, delete_context_by_id_;
  int probe_params_ = 0;
  // Courses other rows point at from outside: meta links (enrol.customint1) and course-completion
  // criteria (course_completion_criteria.courseinstance). Neither column is indexed, so both are
  // read once here; only the courses in these sets run the corresponding statements.
  std::unordered_set<int64_t> meta_children_;
  std::unordered_set<int64_t> criteria_courses_;
  DeleteCounts totals_;
};

}  // namespace cs::sync
