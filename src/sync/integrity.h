// The site's structural integrity check (issue 9): what must hold after any run, complete,
// failed or killed. Used by the crash and failure-mode tests and by `coursesync integrity`.
//
// What it checks:
//   - the system context: one, path "/<id>", depth 1;
//   - courses: the category exists (the site course: category 0), the course context exists,
//     section 0 exists;
//   - contexts: path = the parent context's path + "/<id>", depth = the parent's depth + 1, where
//     the parent follows from the instance (a category's context under its parent category's or
//     the system context, a course's under its category's, a module's under its course's, a
//     block's under its parent context, a user's under the system context); no orphan context
//     (a context whose course, category, course module, user or block no longer exists);
//   - categories: the parent exists, path = parent's path + "/<id>", depth, its context exists,
//     coursecount = the number of courses in it;
//   - rows that belong to a course or to another row point at one that exists: sections, course
//     modules, format options, enrolment instances (and meta links' linked course), user
//     enrolments, groups, groupings and their members, role assignments and every other row
//     attached to a context, gradebook, completion, events, logs, notes, activity instances and
//     their data.
// Tables missing from the database are skipped. Reads only; runs in a few hundred milliseconds
// on a site of a few thousand courses.
#pragma once

#include <string>
#include <vector>

#include "store/db.h"

namespace cs::sync {

struct IntegrityProblem {
  // Which check failed: "system_context", "course_category", "course_context", "section0",
  // "context_path", "orphan_context", "category_parent", "category_path", "category_context",
  // "category_coursecount", or "reference" (a row pointing at a missing row).
  std::string check;
  // What is wrong, with the count and a few example ids, e.g.
  // "2 course(s) without section 0 (course id 12, 14)".
  std::string message;
};

// Every problem found; empty when the site is sound.
std::vector<IntegrityProblem> CheckIntegrity(store::Db& db);

// One problem per line: "check: message".
std::string IntegrityText(const std::vector<IntegrityProblem>& problems);

}  // namespace cs::sync
