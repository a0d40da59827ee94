// `coursesync demo`: fills a site with realistic, deterministic demo data, enough to exercise
// reset and delete on every table they touch.
//
// One run adds, in one transaction:
//   - a 3-level category tree (faculties / departments / programmes, its size scaled with the
//     number of courses; created through CategoryTree, so paths, contexts and sortorders are
//     Moodle's; the same names are reused, not duplicated, by later runs);
//   - `courses` courses spread over the programmes, each with its context, sections 0..sections,
//     format options, the three default enrol instances (manual enabled, guest and self), two
//     groups in one grouping, calendar events, log rows, notes, comments, a blog entry associated
//     with the course, role overrides and local role assignments, a gradebook (course category,
//     course total item, one item per graded activity, grades), completion data, and (when
//     `activities`) one instance of each activity module (forum and an announcements forum,
//     assign, quiz, glossary, data, choice, lesson, scorm, survey, chat) with its course module,
//     module context, and user data for the enrolled users;
//   - `users` users (auth manual, user contexts) of whom `users_per_course` are enrolled in each
//     course (manual enrolment): one editing teacher, one non-editing teacher, the rest students.
//
// Naming: courses are `DEMO-<seed>-<n>` (shortname and idnumber), users `demo<seed>_<n>`. A run on
// a site that already holds demo data adds more: numbering continues past every shortname,
// idnumber and username already taken, so runs never collide, and the new courses and users are
// the same whatever else the site holds (each course's and user's content is a function of the
// seed and its number only). Courses enrol only users created by the same run.
//
// Deterministic: no clock and no system randomness; every timestamp derives from the seed. Two
// fresh sites given the same options end up with identical rows (ids included).
//
// Ids are assigned by the run (one past the largest id in use, and past SQLite's AUTOINCREMENT
// counter), which lets rows that point at each other (sections and their module sequence,
// discussions and their first post, contexts and their paths) be written in one INSERT each,
// batched many rows per statement. The run therefore expects to be the only writer of the site:
// on SQLite it holds the write lock (BEGIN IMMEDIATE) for the whole run.
#pragma once

#include <cstdint>

#include "store/db.h"

namespace cs::sync {

struct DemoOptions {
  int64_t courses = 100;
  int64_t users = 200;
  uint64_t seed = 1;
  // Users enrolled in each course. 0 = automatic: min(users, 50), lowered for large runs so that
  // the run stays around 2.5 million enrolments at most (min(users, 50, max(3, 2500000 /
  // courses))): 50 per course up to 50,000 courses, 25 for 100,000 courses.
  int64_t users_per_course = 0;
  int sections = 10;        // sections 1..sections (section 0 always exists)
  bool activities = true;   // activity modules and their user data
};

struct DemoStats {
  int64_t categories = 0;  // categories created by this run (existing ones are reused)
  int64_t courses = 0;
  int64_t users = 0;
  int64_t enrolments = 0;  // user_enrolments rows
  int64_t rows = 0;        // every row inserted, all tables together
};

// Runs the whole demo in one transaction (rolled back on any error). Throws store::DbError on a
// database failure and std::invalid_argument on bad options or a site that is not initialised
// (missing roles or the system context).
DemoStats RunDemo(store::Db& db, const DemoOptions& o);

// The number of users enrolled per course for these options (resolves users_per_course = 0).
int64_t DemoUsersPerCourse(const DemoOptions& o);

}  // namespace cs::sync
