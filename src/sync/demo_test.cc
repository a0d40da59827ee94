// Tests of `coursesync demo` (RunDemo): Moodle's invariants on what it writes, coverage of every
// table reset and delete work on, determinism, and repeated runs.
#include "sync/demo.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/db.h"
#include "store/schema.h"
#include "sync/contexts.h"
#include "sync/test_support.h"

namespace cs::sync {
namespace {

namespace fs = std::filesystem;
using cs::testing::TempSite;

// 120 courses make a full 3-level tree (2 faculties x 2 departments x ~2 programmes).
DemoOptions MediumRun() {
  DemoOptions o;
  o.courses = 120;
  o.users = 60;
  o.seed = 42;
  o.users_per_course = 12;
  o.sections = 5;
  return o;
}

DemoOptions SmallRun(uint64_t seed) {
  DemoOptions o;
  o.courses = 12;
  o.users = 20;
  o.seed = seed;
  o.users_per_course = 6;
  o.sections = 3;
  return o;
}

int64_t TotalRows(store::Db& db) {
  int64_t total = 0;
  for (const auto& t : store::Tables()) {
    total += db.QueryInt("SELECT COUNT(*) FROM {" + t.name + "}").value_or(0);
  }
  return total;
}

std::map<std::string, int64_t> RoleIds(store::Db& db) {
  std::map<std::string, int64_t> roles;
  auto st = db.Prepare("SELECT shortname, id FROM {role}");
  while (st->Step()) roles[st->Text(0)] = st->Int(1);
  return roles;
}

// Every category: path, depth, context (level 40 under the parent's), sortorders 10000 apart in
// depth-first order, coursecount right; every course in its category's sortorder block.
void ExpectCategoryInvariants(store::Db& db) {
  struct Cat {
    int64_t id, parent, sortorder, coursecount, depth;
    std::string path;
    int64_t ctx_id = 0, ctx_depth = 0;
    std::string ctx_path;
  };
  std::map<int64_t, Cat> cats;
  auto st = db.Prepare(
      "SELECT c.id, c.parent, c.sortorder, c.coursecount, c.depth, c.path, x.id, x.path, "
      "x.depth FROM {course_categories} c "
      "LEFT JOIN {context} x ON x.contextlevel = 40 AND x.instanceid = c.id");
  while (st->Step()) {
    ASSERT_FALSE(st->IsNull(6)) << "category " << st->Int(0) << " has no context";
    Cat c{st->Int(0),  st->Int(1), st->Int(2), st->Int(3), st->Int(4),
          st->Text(5), st->Int(6), st->Int(8), st->Text(7)};
    cats.emplace(c.id, c);
  }
  std::map<int64_t, int64_t> counts;
  auto cs = db.Prepare("SELECT category, COUNT(*) FROM {course} WHERE id <> 1 GROUP BY category");
  while (cs->Step()) counts[cs->Int(0)] = cs->Int(1);

  const std::string sys =
      "/" + std::to_string(*db.QueryInt("SELECT id FROM {context} WHERE contextlevel = 10"));
  std::map<int64_t, std::vector<const Cat*>> children;
  for (const auto& [id, c] : cats) {
    const std::string own = "/" + std::to_string(id);
    const std::string own_ctx = "/" + std::to_string(c.ctx_id);
    if (c.parent == 0) {
      EXPECT_EQ(c.path, own);
      EXPECT_EQ(c.depth, 1);
      EXPECT_EQ(c.ctx_path, sys + own_ctx);
      EXPECT_EQ(c.ctx_depth, 2);
    } else {
      ASSERT_TRUE(cats.count(c.parent)) << "category " << id;
      const Cat& p = cats.at(c.parent);
      EXPECT_EQ(c.path, p.path + own) << "category " << id;
      EXPECT_EQ(c.depth, p.depth + 1) << "category " << id;
      EXPECT_EQ(c.ctx_path, p.ctx_path + own_ctx) << "category " << id;
      EXPECT_EQ(c.ctx_depth, p.ctx_depth + 1) << "category " << id;
    }
    EXPECT_EQ(c.sortorder % 10000, 0) << "category " << id;
    EXPECT_EQ(c.coursecount, counts[id]) << "category " << id;
    children[c.parent].push_back(&c);
  }
  // Depth first, siblings by sortorder: the k-th category visited has sortorder 10000 * k.
  int64_t k = 0;
  std::function<void(int64_t)> walk = [&](int64_t parent) {
    auto list = children[parent];
    std::sort(list.begin(), list.end(),
              [](const Cat* a, const Cat* b) { return a->sortorder < b->sortorder; });
    for (const Cat* c : list) {
      EXPECT_EQ(c->sortorder, 10000 * ++k) << "category " << c->id;
      walk(c->id);
    }
  };
  walk(0);
  EXPECT_EQ(k, static_cast<int64_t>(cats.size()));

  // Courses: category.sortorder + 1 ... + coursecount.
  std::map<int64_t, std::set<int64_t>> sortorders;
  auto cr = db.Prepare("SELECT id, category, sortorder FROM {course} WHERE id <> 1");
  while (cr->Step()) {
    ASSERT_TRUE(cats.count(cr->Int(1))) << "course " << cr->Int(0);
    sortorders[cr->Int(1)].insert(cr->Int(2));
  }
  for (const auto& [cat, set] : sortorders) {
    const int64_t base = cats.at(cat).sortorder;
    ASSERT_FALSE(set.empty());
    EXPECT_EQ(*set.begin(), base + 1) << "category " << cat;
    EXPECT_EQ(*set.rbegin(), base + static_cast<int64_t>(set.size())) << "category " << cat;
    EXPECT_EQ(set.size(), static_cast<size_t>(counts[cat])) << "duplicate sortorders in " << cat;
  }
}

// One medium demo run shared by the read-only tests.
class DemoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    site_ = new TempSite();
    rows_before_ = TotalRows(*site_->db);
    stats_ = RunDemo(*site_->db, MediumRun());
  }
  static void TearDownTestSuite() {
    delete site_;
    site_ = nullptr;
  }
  store::Db& db() { return *site_->db; }
  int64_t Count(const std::string& table, const std::string& where = "1=1") {
    return site_->Count(table, where);
  }
  // COUNT(*) over a FROM clause written with {table} names.
  int64_t CountFrom(const std::string& from, const std::string& where) {
    return db().QueryInt("SELECT COUNT(*) FROM " + from + " WHERE " + where).value_or(-1);
  }

  static TempSite* site_;
  static DemoStats stats_;
  static int64_t rows_before_;
};
TempSite* DemoTest::site_ = nullptr;
DemoStats DemoTest::stats_;
int64_t DemoTest::rows_before_ = 0;

TEST_F(DemoTest, StatsMatchTheDatabase) {
  const DemoOptions o = MediumRun();
  EXPECT_EQ(stats_.courses, 120);
  EXPECT_EQ(Count("course", "shortname LIKE 'DEMO-42-%'"), 120);
  EXPECT_EQ(stats_.users, 60);
  EXPECT_EQ(Count("user", "username LIKE 'demo42!_%' ESCAPE '!'"), 60);
  EXPECT_EQ(stats_.enrolments, 120 * o.users_per_course);
  EXPECT_EQ(Count("user_enrolments"), stats_.enrolments);
  EXPECT_GT(stats_.categories, 0);
  EXPECT_EQ(stats_.categories, Count("course_categories") - 1);
  // Nothing is deleted, so every row the run reports is in the database.
  EXPECT_EQ(TotalRows(db()) - rows_before_, stats_.rows);
}

TEST_F(DemoTest, CategoryTreeKeepsMoodleInvariants) {
  ExpectCategoryInvariants(db());
  // Three levels, courses only in the programmes (depth 3).
  EXPECT_EQ(db().QueryInt("SELECT MAX(depth) FROM {course_categories}"), 3);
  EXPECT_EQ(CountFrom("{course} c JOIN {course_categories} cc ON cc.id = c.category",
                      "c.id <> 1 AND cc.depth <> 3"),
            0);
  EXPECT_GE(Count("course_categories", "depth = 1 AND id <> 1"), 2);
}

TEST_F(DemoTest, EveryCourseHasContextSectionsFormatOptionsAndEnrolInstances) {
  const int sections = MediumRun().sections;
  auto st = db().Prepare(
      "SELECT c.id, x.id, x.path, x.depth, cx.path, cx.depth FROM {course} c "
      "LEFT JOIN {context} x ON x.contextlevel = 50 AND x.instanceid = c.id "
      "LEFT JOIN {context} cx ON cx.contextlevel = 40 AND cx.instanceid = c.category "
      "WHERE c.id <> 1");
  int64_t n = 0;
  while (st->Step()) {
    ++n;
    const int64_t id = st->Int(0);
    ASSERT_FALSE(st->IsNull(1)) << "course " << id << " has no context";
    EXPECT_EQ(st->Text(2), st->Text(4) + "/" + std::to_string(st->Int(1))) << "course " << id;
    EXPECT_EQ(st->Int(3), st->Int(5) + 1) << "course " << id;
    const std::string c = "course = " + std::to_string(id);
    EXPECT_EQ(Count("course_sections", c + " AND section = 0"), 1) << "course " << id;
    EXPECT_EQ(Count("course_sections", c), sections + 1) << "course " << id;
    EXPECT_EQ(Count("course_format_options", "courseid = " + std::to_string(id) +
                                                 " AND format = 'topics' AND sectionid = 0"),
              2);
  }
  EXPECT_EQ(n, 120);
  // manual (enabled), guest (disabled), self: sortorder 0, 1, 2 in every course.
  EXPECT_EQ(Count("enrol", "enrol = 'manual' AND status = 0 AND sortorder = 0"), 120);
  EXPECT_EQ(Count("enrol", "enrol = 'guest' AND status = 1 AND sortorder = 1"), 120);
  EXPECT_EQ(Count("enrol", "enrol = 'self' AND sortorder = 2"), 120);
  EXPECT_EQ(Count("enrol"), 360);
}

TEST_F(DemoTest, ActivitiesHaveModuleContextsAndLiveInSectionOne) {
  const char* const kModules[] = {"forum",  "assign", "quiz",  "glossary", "data",
                                  "choice", "lesson", "scorm", "survey",   "chat"};
  for (const char* m : kModules) {
    EXPECT_EQ(Count(m), 120) << m;
    EXPECT_EQ(CountFrom("{course_modules} cm JOIN {modules} md ON md.id = cm.module",
                        std::string("md.name = '") + m + "'"),
              120)
        << m;
  }
  // Each course module: a level-70 context under its course's context, in section 1, listed in
  // that section's sequence; its instance exists in its module's table.
  auto st = db().Prepare(
      "SELECT cm.id, cm.course, cm.instance, md.name, x.path, x.depth, cx.path, cx.depth, "
      "s.section, s.sequence, s.course FROM {course_modules} cm "
      "JOIN {modules} md ON md.id = cm.module "
      "LEFT JOIN {context} x ON x.contextlevel = 70 AND x.instanceid = cm.id "
      "LEFT JOIN {context} cx ON cx.contextlevel = 50 AND cx.instanceid = cm.course "
      "LEFT JOIN {course_sections} s ON s.id = cm.section");
  int64_t n = 0;
  while (st->Step()) {
    ++n;
    const int64_t cm = st->Int(0);
    ASSERT_FALSE(st->IsNull(4)) << "course module " << cm << " has no context";
    EXPECT_EQ(st->Text(4).rfind(st->Text(6) + "/", 0), 0u) << "course module " << cm;
    EXPECT_EQ(st->Int(5), st->Int(7) + 1) << "course module " << cm;
    EXPECT_EQ(st->Int(8), 1) << "course module " << cm;
    EXPECT_EQ(st->Int(10), st->Int(1)) << "course module " << cm;
    const std::string seq = "," + st->Text(9) + ",";
    EXPECT_NE(seq.find("," + std::to_string(cm) + ","), std::string::npos) << "cm " << cm;
    EXPECT_EQ(Count(st->Text(3), "id = " + std::to_string(st->Int(2)) +
                                     " AND course = " + std::to_string(st->Int(1))),
              1)
        << "course module " << cm;
  }
  EXPECT_EQ(n, 1200);
}

TEST_F(DemoTest, EveryTableResetAndDeleteWorkOnHasRows) {
  for (const char* t : {"course",
                        "course_sections",
                        "course_format_options",
                        "context",
                        "enrol",
                        "user_enrolments",
                        "role_assignments",
                        "role_capabilities",
                        "user",
                        "user_lastaccess",
                        "groups",
                        "groupings",
                        "groups_members",
                        "groupings_groups",
                        "event",
                        "logstore_standard_log",
                        "post",
                        "blog_association",
                        "comments",
                        "grade_categories",
                        "grade_items",
                        "grade_grades",
                        "course_completions",
                        "course_completion_criteria",
                        "course_completion_aggr_methd",
                        "course_completion_crit_compl",
                        "course_modules",
                        "course_modules_completion",
                        "forum",
                        "forum_discussions",
                        "forum_posts",
                        "forum_subscriptions",
                        "forum_digests",
                        "forum_track_prefs",
                        "forum_read",
                        "assign",
                        "assign_submission",
                        "assign_grades",
                        "assign_user_flags",
                        "quiz",
                        "quiz_attempts",
                        "quiz_grades",
                        "glossary",
                        "glossary_entries",
                        "data",
                        "data_fields",
                        "data_records",
                        "data_content",
                        "choice",
                        "choice_options",
                        "choice_answers",
                        "lesson",
                        "lesson_attempts",
                        "lesson_grades",
                        "lesson_timer",
                        "scorm",
                        "scorm_scoes",
                        "scorm_attempt",
                        "scorm_scoes_value",
                        "survey",
                        "survey_answers",
                        "survey_analysis",
                        "chat",
                        "chat_messages"}) {
    EXPECT_GT(Count(t), 0) << t;
  }
  EXPECT_EQ(Count("post", "module = 'notes' AND courseid > 1"), 120);
  EXPECT_EQ(Count("post", "module = 'blog'"), 120);
  EXPECT_EQ(Count("event", "eventtype IN ('course', 'group')"), 120);
  EXPECT_EQ(Count("groups"), 240);
  EXPECT_EQ(Count("groupings"), 120);
  // The course's own discussion forum: a discussion per 'firstpost', posts hanging off it.
  EXPECT_EQ(CountFrom("{forum_discussions} d",
                      "NOT EXISTS (SELECT 1 FROM {forum_posts} p WHERE "
                      "p.id = d.firstpost AND p.discussion = d.id AND "
                      "p.parent = 0)"),
            0);
  // Gradebook: one course category ('/id/' path) and one course item per course, one item per
  // graded activity, a grade for every student in every item (the essay once graded), agreeing
  // with the activities' own grades.
  EXPECT_EQ(Count("grade_categories", "path = '/' || id || '/' AND depth = 1"), 120);
  EXPECT_EQ(Count("grade_items", "itemtype = 'course'"), 120);
  EXPECT_EQ(Count("grade_items", "itemtype = 'mod'"), 480);
  const int64_t students = CountFrom("{role_assignments} ra JOIN {role} r ON r.id = ra.roleid",
                                     "r.shortname = 'student'");
  EXPECT_GT(Count("assign_grades"), 0);
  EXPECT_LT(Count("assign_grades"), students);
  EXPECT_EQ(Count("grade_grades"), students * 4 + Count("assign_grades"));
  EXPECT_EQ(CountFrom("{assign_grades} ag JOIN {grade_items} gi ON gi.itemmodule = 'assign' AND "
                      "gi.iteminstance = ag.assignment JOIN {grade_grades} gg ON gg.itemid = "
                      "gi.id AND gg.userid = ag.userid",
                      "gg.finalgrade = ag.grade"),
            Count("assign_grades"));
  EXPECT_EQ(CountFrom("{quiz_grades} qg JOIN {grade_items} gi ON gi.itemmodule = 'quiz' AND "
                      "gi.iteminstance = qg.quiz JOIN {grade_grades} gg ON gg.itemid = gi.id AND "
                      "gg.userid = qg.userid",
                      "gg.finalgrade = qg.grade"),
            students);
}

TEST_F(DemoTest, EnrolmentsAreManualWithCourseRoles) {
  auto roles = RoleIds(db());
  const int64_t per_course = MediumRun().users_per_course;
  // Course-context assignments: one editing teacher, one teacher, the rest students.
  const std::string course_ctx = "contextid IN (SELECT id FROM {context} WHERE contextlevel = 50)";
  EXPECT_EQ(Count("role_assignments", course_ctx), 120 * per_course);
  EXPECT_EQ(Count("role_assignments",
                  course_ctx + " AND roleid = " + std::to_string(roles["editingteacher"])),
            120);
  EXPECT_EQ(
      Count("role_assignments", course_ctx + " AND roleid = " + std::to_string(roles["teacher"])),
      120);
  EXPECT_EQ(
      Count("role_assignments", course_ctx + " AND roleid = " + std::to_string(roles["student"])),
      120 * (per_course - 2));
  // Any other assignment is a local one in a module context, with a course role.
  EXPECT_EQ(Count("role_assignments", "roleid NOT IN (" + std::to_string(roles["editingteacher"]) +
                                          ", " + std::to_string(roles["teacher"]) + ", " +
                                          std::to_string(roles["student"]) + ")"),
            0);
  EXPECT_EQ(Count("role_assignments", "component <> '' OR itemid <> 0"), 0);
  // Every enrolment is in the course's manual instance and has its role assignment.
  EXPECT_EQ(
      CountFrom("{user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid", "e.enrol <> 'manual'"),
      0);
  EXPECT_EQ(CountFrom("{user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid",
                      "NOT EXISTS (SELECT 1 FROM {role_assignments} ra JOIN {context} x ON "
                      "x.id = ra.contextid WHERE x.contextlevel = 50 AND x.instanceid = e.courseid "
                      "AND ra.userid = ue.userid)"),
            0);
  // Group members are enrolled students of the group's course.
  EXPECT_EQ(CountFrom("{groups_members} gm JOIN {groups} g ON g.id = gm.groupid",
                      "NOT EXISTS (SELECT 1 FROM {user_enrolments} ue JOIN {enrol} e ON e.id = "
                      "ue.enrolid WHERE e.courseid = g.courseid AND ue.userid = gm.userid)"),
            0);
  // Users: manual, confirmed, local host, each with a user context under the system context.
  EXPECT_EQ(Count("user",
                  "username LIKE 'demo%' AND (auth <> 'manual' OR confirmed <> 1 OR "
                  "mnethostid <> 1)"),
            0);
  EXPECT_EQ(CountFrom("{user} u",
                      "NOT EXISTS (SELECT 1 FROM {context} x WHERE x.contextlevel = 30 "
                      "AND x.instanceid = u.id AND x.path = '/1/' || x.id AND x.depth = 2)"),
            0);
}

TEST(DemoRunTest, SameSeedGivesTheSameDatabase) {
  // Two sites seeded alike: InitSite stamps the clock, so on SQLite the second site is a copy of
  // the first one's file (on PostgreSQL both are copies of the same template database).
  TempSite a, b;
  if (!a.postgres()) {
    a.db.reset();
    b.db.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      fs::remove(b.db_path() + suffix);
      if (fs::exists(a.db_path() + suffix)) {
        fs::copy_file(a.db_path() + suffix, b.db_path() + suffix);
      }
    }
    a.db = store::Open(a.db_url);
    b.db = store::Open(b.db_url);
  }
  ASSERT_EQ(a.Dump(), b.Dump());

  DemoStats sa = RunDemo(*a.db, SmallRun(5));
  DemoStats sb = RunDemo(*b.db, SmallRun(5));
  EXPECT_EQ(sa.rows, sb.rows);
  EXPECT_EQ(a.Dump(), b.Dump());

  // A different seed gives different content.
  TempSite c;
  RunDemo(*c.db, SmallRun(6));
  EXPECT_NE(a.Dump(), c.Dump());
}

TEST(DemoRunTest, RunsAddUpWithoutCollisions) {
  TempSite site;
  DemoStats first = RunDemo(*site.db, SmallRun(3));
  DemoStats second = RunDemo(*site.db, SmallRun(3));
  DemoStats other = RunDemo(*site.db, SmallRun(4));
  EXPECT_GT(first.categories, 0);
  EXPECT_EQ(second.categories, 0);  // the tree is reused
  EXPECT_EQ(other.categories, 0);
  EXPECT_EQ(site.Count("course", "id <> 1"), 36);
  EXPECT_EQ(site.Count("course", "shortname LIKE 'DEMO-3-%'"), 24);
  EXPECT_EQ(site.Count("user", "username LIKE 'demo3!_%' ESCAPE '!'"), 40);
  EXPECT_EQ(*site.db->QueryInt("SELECT COUNT(DISTINCT shortname) FROM {course}"),
            site.Count("course"));
  EXPECT_EQ(*site.db->QueryInt("SELECT COUNT(DISTINCT idnumber) FROM {course} WHERE id <> 1"),
            site.Count("course", "id <> 1"));
  EXPECT_EQ(*site.db->QueryInt("SELECT COUNT(DISTINCT username) FROM {user}"), site.Count("user"));
  // Courses enrol users of their own run: DEMO-3-1..12 users demo3_1..20, DEMO-3-13..24 users
  // demo3_21..40.
  EXPECT_EQ(*site.db->QueryInt(
                "SELECT COUNT(*) FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid "
                "JOIN {course} c ON c.id = e.courseid JOIN {user} u ON u.id = ue.userid "
                "WHERE c.shortname LIKE 'DEMO-3-%' AND (CAST(substr(c.shortname, 8) AS INTEGER) "
                "<= 12) <> (CAST(substr(u.username, 7) AS INTEGER) <= 20)"),
            0);
  ExpectCategoryInvariants(*site.db);
  // Collisions with courses and users made by someone else are skipped too.
  site.db->Execute(
      "UPDATE {course} SET shortname = 'DEMO-9-2' WHERE id = (SELECT MAX(id) FROM "
      "{course})");
  site.db->Execute(
      "UPDATE {course} SET idnumber = 'DEMO-9-3' WHERE id = (SELECT MIN(id) FROM "
      "{course} WHERE id > 1)");
  site.db->Execute("UPDATE {user} SET username = 'demo9_1' WHERE id = 3");
  RunDemo(*site.db, SmallRun(9));
  EXPECT_EQ(site.Count("course", "shortname = 'DEMO-9-1'"), 1);
  EXPECT_EQ(site.Count("course", "shortname IN ('DEMO-9-2', 'DEMO-9-3')"), 1);
  EXPECT_EQ(site.Count("course", "shortname = 'DEMO-9-13'"), 1);
  EXPECT_EQ(site.Count("course", "shortname = 'DEMO-9-14'"), 1);
  EXPECT_EQ(site.Count("user", "username = 'demo9_1'"), 1);
  EXPECT_EQ(site.Count("user", "username = 'demo9_21'"), 1);
  ExpectCategoryInvariants(*site.db);
}

TEST(DemoRunTest, IdsFollowTheSequencesAndAreNeverReused) {
  TempSite site;
  RunDemo(*site.db, SmallRun(1));
  const int64_t last_course = *site.db->QueryInt("SELECT MAX(id) FROM {course}");
  const int64_t last_context = *site.db->QueryInt("SELECT MAX(id) FROM {context}");
  // The sequences are past the demo's rows: a plain insert gets a fresh id.
  EXPECT_GT(*site.db->QueryInt("INSERT INTO {course} (category, fullname, shortname, idnumber) "
                               "VALUES (1, 'Plain', 'PLAIN', '') RETURNING id"),
            last_course);
  EXPECT_GT(*site.db->QueryInt("INSERT INTO {context} (contextlevel, instanceid, path, depth) "
                               "VALUES (50, 999999, NULL, 0) RETURNING id"),
            last_context);
  // Deleted ids are not handed out again.
  const int64_t plain = *site.db->QueryInt("SELECT MAX(id) FROM {course}");
  site.db->Execute("DELETE FROM {course} WHERE id = ?", plain);
  site.db->Execute("DELETE FROM {context} WHERE instanceid = 999999");
  RunDemo(*site.db, SmallRun(1));
  EXPECT_GT(*site.db->QueryInt("SELECT MIN(id) FROM {course} WHERE shortname LIKE 'DEMO-1-%' "
                               "AND id > ?",
                               last_course),
            plain);
  EXPECT_EQ(site.Count("course", "id > " + std::to_string(last_course) +
                                     " AND id <= " + std::to_string(plain)),
            0);
}

TEST(DemoRunTest, FailureRollsEverythingBack) {
  TempSite site;
  site.db->Exec("DROP TABLE {chat_messages}");
  const std::string before = site.Dump();
  EXPECT_THROW(RunDemo(*site.db, SmallRun(1)), store::DbError);
  EXPECT_EQ(site.Dump(), before);
  EXPECT_FALSE(site.db->InTransaction());
}

TEST(DemoRunTest, WithoutActivitiesOrUsers) {
  TempSite site;
  DemoOptions o = SmallRun(2);
  o.activities = false;
  o.users = 0;
  o.sections = 0;
  DemoStats s = RunDemo(*site.db, o);
  EXPECT_EQ(s.courses, 12);
  EXPECT_EQ(s.enrolments, 0);
  EXPECT_EQ(site.Count("course_modules"), 0);
  EXPECT_EQ(site.Count("course_sections", "course <> 1"), 12);
  EXPECT_EQ(site.Count("grade_items", "itemtype = 'manual'"), 12);
  EXPECT_EQ(site.Count("grade_grades"), 0);
  ExpectCategoryInvariants(*site.db);
}

TEST(DemoRunTest, UsersPerCourse) {
  DemoOptions o;
  o.courses = 100;
  o.users = 200;
  EXPECT_EQ(DemoUsersPerCourse(o), 50);
  o.users = 20;
  EXPECT_EQ(DemoUsersPerCourse(o), 20);
  o.users = 1000;
  o.courses = 100000;
  EXPECT_EQ(DemoUsersPerCourse(o), 3);
  o.users_per_course = 7;
  EXPECT_EQ(DemoUsersPerCourse(o), 7);
  o.users = 5;
  EXPECT_EQ(DemoUsersPerCourse(o), 5);
  o.users = 0;
  EXPECT_EQ(DemoUsersPerCourse(o), 0);
}

TEST(DemoRunTest, RejectsBadOptionsAndUninitialisedSites) {
  TempSite site;
  DemoOptions o = SmallRun(1);
  o.courses = -1;
  EXPECT_THROW(RunDemo(*site.db, o), std::invalid_argument);
  site.db->Exec("DELETE FROM {role} WHERE shortname = 'student'");
  EXPECT_THROW(RunDemo(*site.db, SmallRun(1)), std::invalid_argument);
  EXPECT_EQ(site.Count("course"), 1);
}

}  // namespace
}  // namespace cs::sync
