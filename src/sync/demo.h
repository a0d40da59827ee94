// `coursesync demo`: fills a site with realistic, deterministic demo data, enough to exercise
// reset and delete on every table they touch.
//
// One run adds, in one transaction:
//   - a 3-level category tree (faculties / departments / programmes, its size scaled with the
//     number of courses, about 20 per programme; created through CategoryTree, so paths, contexts
//     and sortorders are Moodle's; later runs reuse the same names instead of duplicating them);
//   - `courses` courses spread over the programmes, each with its context, sections 0..sections,
//     format options (hiddensections, coursedisplay), the three default enrol instances (manual
//     enabled, guest disabled, self), two groups in one grouping, calendar events, log rows, a
//     note, a comment, a blog entry associated with the course, role overrides and a local role
//     assignment, a gradebook (course category, course total, one item per graded activity,
//     grades), completion criteria and data, and (when `activities`) one instance of each
//     activity module (forum, assign, quiz, glossary, data, choice, lesson, scorm, survey, chat)
//     in section 1 with its course module and module context, and user data for the students;
//   - `users` users (auth manual, user contexts), `users_per_course` of them enrolled in each
//     course (manual enrolment): one editing teacher, one non-editing teacher, the rest students.
//     A course's users come from a window of the run's users that moves along the courses, like
//     a cohort taking its programme's courses.
//
// Naming: courses are `DEMO-<seed>-<n>` (shortname and idnumber), users `demo<seed>_<n>`. A run on
// a site that already holds demo data adds more: numbering continues past every shortname,
// idnumber and username already taken, so runs never collide. Courses enrol only users created by
// the same run.
//
// Deterministic: no clock and no system randomness. Every value derives from the options and the
// course's or user's number (ids and category placement aside, what the site already holds does
// not matter); timestamps derive from a base date set by the seed, courses being created one
// after the other over the two years before it. Two fresh sites given the same options end up
// with identical rows, ids included.
//
// Ids are assigned by the run (one past the largest id in use and past SQLite's AUTOINCREMENT
// counter or PostgreSQL's sequence, which are moved past the new rows at the end), so rows that
// point at each other (sections and their module sequence, discussions and their first post,
// contexts and their paths) are written once each, many rows per INSERT. The run therefore
// expects to be the only writer of the site: on SQLite it holds the write lock for the whole run.
// On SQLite it also enlarges the connection's page cache for the run (64 MiB + 16 KiB per course,
// at most 2 GiB; restored afterwards) so that a large run does not re-read what it just wrote.
#pragma once

#include <cstdint>

#include "store/db.h"

namespace cs::sync {

struct DemoOptions {
  int64_t courses = 100;
  int64_t users = 200;
  uint64_t seed = 1;
  // Users enrolled in each course (at most `users`). 0 = automatic: min(users, 50, max(3, 100000 /
  // courses)), so that large runs stay fast: 50 per course up to 2,000 courses, 10 for 10,000,
  // and 3 (an editing teacher, a teacher and a student) from 33,334 courses on.
  int64_t users_per_course = 0;
  int sections = 10;       // sections 1..sections (section 0 always exists)
  bool activities = true;  // activity modules and their user data
};

struct DemoStats {
  int64_t categories = 0;  // categories created by this run (existing ones are reused)
  int64_t courses = 0;
  int64_t users = 0;
  int64_t enrolments = 0;  // user_enrolments rows
  int64_t rows = 0;        // every row inserted, all tables together
};

// Runs the whole demo in one transaction (joined when the caller already holds one; rolled back
// on any error). Throws std::invalid_argument on bad options (negative counts, more than 52
// sections) or when the site lacks the student/teacher/editingteacher roles, store::DbError on a
// database failure (a site without its system context included: run `coursesync init` first).
// Activity modules missing from {modules} are skipped.
DemoStats RunDemo(store::Db& db, const DemoOptions& o);

// The number of users enrolled per course for these options (resolves users_per_course = 0).
int64_t DemoUsersPerCourse(const DemoOptions& o);

}  // namespace cs::sync
