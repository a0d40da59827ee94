// The integrity check: a fresh site and a demo site are sound, and each kind of corruption it
// knows is reported (each one made inside a transaction that is rolled back afterwards).
#include "sync/integrity.h"

#include <gtest/gtest.h>

#include <functional>

#include "sync/demo.h"
#include "sync/test_support.h"

namespace cs::sync {
namespace {

using cs::testing::TempSite;

class IntegrityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    site_ = new TempSite();
    DemoOptions o;
    o.courses = 12;
    o.users = 20;
    o.seed = 3;
    o.sections = 3;
    RunDemo(*site_->db, o);
  }
  static void TearDownTestSuite() {
    delete site_;
    site_ = nullptr;
  }
  store::Db& db() { return *site_->db; }
  int64_t Int(const std::string& sql) { return db().QueryInt(sql).value_or(-1); }
  std::string Str(const std::string& sql) {
    auto st = db().Prepare(sql);
    return st->Step() ? st->Text(0) : "";
  }
  // A demo course and its context.
  int64_t Course() { return Int("SELECT MIN(id) FROM {course} WHERE id <> 1"); }
  int64_t CourseContext(int64_t course) {
    return Int("SELECT id FROM {context} WHERE contextlevel = 50 AND instanceid = " +
               std::to_string(course));
  }

  // Runs `corrupt` in a transaction, checks, rolls back; returns what the check found.
  std::vector<IntegrityProblem> With(const std::function<void()>& corrupt) {
    db().Begin();
    std::vector<IntegrityProblem> found;
    try {
      corrupt();
      found = CheckIntegrity(db());
    } catch (...) {
      db().Rollback();
      throw;
    }
    db().Rollback();
    return found;
  }
  void Exec(const std::string& sql) { db().Execute(sql); }

  static TempSite* site_;
};

TempSite* IntegrityTest::site_ = nullptr;

// True when `problems` holds one of `check` whose message contains `text`.
::testing::AssertionResult Has(const std::vector<IntegrityProblem>& problems,
                               const std::string& check, const std::string& text = "") {
  for (const auto& p : problems) {
    if (p.check == check && p.message.find(text) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure()
         << "no '" << check << "' problem mentioning '" << text << "' in:\n"
         << IntegrityText(problems);
}

TEST_F(IntegrityTest, FreshAndDemoSitesAreSound) {
  TempSite fresh;
  EXPECT_EQ(IntegrityText(CheckIntegrity(*fresh.db)), "");
  EXPECT_EQ(IntegrityText(CheckIntegrity(db())), "");
  // The demo site has something in every table the references cover that matter most.
  for (const char* t : {"user_enrolments", "role_assignments", "groups_members", "course_modules",
                        "forum_posts", "grade_grades", "course_format_options"}) {
    EXPECT_GT(site_->Count(t), 0) << t;
  }
}

TEST_F(IntegrityTest, CourseWithoutContextOrSection0) {
  int64_t c = Course();
  auto p =
      With([&] { Exec("DELETE FROM {context} WHERE id = " + std::to_string(CourseContext(c))); });
  EXPECT_TRUE(Has(p, "course_context", "(id " + std::to_string(c) + ")"));
  // Its module contexts lost their parent.
  EXPECT_TRUE(Has(p, "context_path", "no parent context"));
  // Rows attached to the course context now point at nothing.
  EXPECT_TRUE(Has(p, "reference", "role_assignments row(s) whose contextid names no context"));

  p = With([&] {
    Exec("DELETE FROM {course_sections} WHERE section = 0 AND course = " + std::to_string(c));
  });
  EXPECT_TRUE(Has(p, "section0", "1 course(s) without section 0 (id " + std::to_string(c) + ")"));
  // Only that.
  EXPECT_EQ(p.size(), 1u) << IntegrityText(p);
}

TEST_F(IntegrityTest, ContextPathAndDepth) {
  int64_t ctx = CourseContext(Course());
  auto p = With([&] {
    Exec("UPDATE {context} SET path = '/1/999/" + std::to_string(ctx) +
         "' WHERE id = " + std::to_string(ctx));
  });
  EXPECT_TRUE(Has(p, "context_path", std::to_string(ctx) + " path /1/999/"));
  p = With(
      [&] { Exec("UPDATE {context} SET depth = depth + 1 WHERE id = " + std::to_string(ctx)); });
  EXPECT_TRUE(Has(p, "context_path", "(id " + std::to_string(ctx)));
  // A course context under the wrong category's context.
  p = With([&] {
    std::string c = std::to_string(Course());
    Exec(
        "UPDATE {course} SET category = (SELECT MIN(id) FROM {course_categories} WHERE id <> "
        "(SELECT category FROM {course} WHERE id = " +
        c + ")) WHERE id = " + c);
    Exec(
        "UPDATE {course_categories} SET coursecount = (SELECT COUNT(*) FROM {course} WHERE "
        "category = {course_categories}.id)");
  });
  EXPECT_EQ(p.size(), 1u) << IntegrityText(p);
  EXPECT_TRUE(Has(p, "context_path", "(id " + std::to_string(ctx)));
  // The system context.
  p = With([&] { Exec("UPDATE {context} SET depth = 2 WHERE contextlevel = 10"); });
  EXPECT_TRUE(Has(p, "system_context"));
}

TEST_F(IntegrityTest, OrphanContexts) {
  int64_t sys = Int("SELECT id FROM {context} WHERE contextlevel = 10");
  auto p = With([&] {
    int64_t id = Int("SELECT MAX(id) + 1 FROM {context}");
    Exec("INSERT INTO {context} (id, contextlevel, instanceid, path, depth) VALUES (" +
         std::to_string(id) + ", 50, 987654, '/" + std::to_string(sys) + "/" + std::to_string(id) +
         "', 2)");
  });
  EXPECT_TRUE(Has(p, "orphan_context", "level 50 instance 987654"));
  EXPECT_EQ(p.size(), 1u) << IntegrityText(p);
  // A module context whose course module is gone (its row deleted alone).
  p = With([&] {
    Exec("DELETE FROM {course_modules} WHERE id = (SELECT MIN(id) FROM {course_modules})");
  });
  EXPECT_TRUE(Has(p, "orphan_context", "level 70"));
  // A deleted course: its context, sections, enrolments... are orphans.
  int64_t c = Course();
  p = With([&] { Exec("DELETE FROM {course} WHERE id = " + std::to_string(c)); });
  EXPECT_TRUE(Has(p, "orphan_context", "level 50 instance " + std::to_string(c)));
  for (const char* t : {"course_sections", "enrol", "groups", "groupings", "course_format_options",
                        "course_modules", "forum", "grade_items", "event"}) {
    EXPECT_TRUE(Has(p, "reference", std::string(t) + " row(s) whose ")) << t;
  }
  EXPECT_TRUE(Has(p, "category_coursecount"));
}

TEST_F(IntegrityTest, Categories) {
  int64_t leaf = Int("SELECT MAX(id) FROM {course_categories}");
  std::string id = std::to_string(leaf);
  auto p =
      With([&] { Exec("UPDATE {course_categories} SET path = '/5' || path WHERE id = " + id); });
  EXPECT_TRUE(Has(p, "category_path", "(id " + id + " path /5/"));
  p = With([&] { Exec("UPDATE {course_categories} SET depth = 9 WHERE id = " + id); });
  EXPECT_TRUE(Has(p, "category_path", "(id " + id));
  p = With([&] { Exec("UPDATE {course_categories} SET coursecount = 77 WHERE id = " + id); });
  EXPECT_TRUE(Has(p, "category_coursecount", "(id " + id + " 77 instead of"));
  p = With([&] { Exec("DELETE FROM {context} WHERE contextlevel = 40 AND instanceid = " + id); });
  EXPECT_TRUE(Has(p, "category_context", "(id " + id + ")"));
  p = With([&] { Exec("UPDATE {course_categories} SET parent = 424242 WHERE id = " + id); });
  EXPECT_TRUE(Has(p, "category_parent", "parent 424242"));
  p = With([&] {
    Exec("UPDATE {course} SET category = 424242 WHERE id = " + std::to_string(Course()));
  });
  EXPECT_TRUE(Has(p, "course_category", "category 424242"));
}

TEST_F(IntegrityTest, RowsPointingAtMissingRows) {
  struct Case {
    const char* sql;
    const char* expect;
  };
  const Case cases[] = {
      {"UPDATE {user_enrolments} SET enrolid = 888888 WHERE id = (SELECT MIN(id) FROM "
       "{user_enrolments})",
       "user_enrolments row(s) whose enrolid names no enrol row"},
      {"DELETE FROM {enrol} WHERE id = (SELECT MIN(enrolid) FROM {user_enrolments})",
       "user_enrolments row(s) whose enrolid"},
      {"UPDATE {role_assignments} SET contextid = 888888 WHERE id = (SELECT MAX(id) FROM "
       "{role_assignments})",
       "role_assignments row(s) whose contextid names no context row"},
      {"DELETE FROM {groups} WHERE id = (SELECT MIN(groupid) FROM {groups_members})",
       "groups_members row(s) whose groupid names no groups row"},
      {"UPDATE {course_format_options} SET courseid = 888888 WHERE id = (SELECT MIN(id) FROM "
       "{course_format_options})",
       "course_format_options row(s) whose courseid names no course row"},
      {"DELETE FROM {course_sections} WHERE id = (SELECT MIN(section) FROM {course_modules})",
       "course_modules row(s) whose section names no course_sections row"},
      {"DELETE FROM {forum_discussions} WHERE id = (SELECT MIN(discussion) FROM {forum_posts})",
       "forum_posts row(s) whose discussion"},
      {"DELETE FROM {grade_items} WHERE id = (SELECT MIN(itemid) FROM {grade_grades})",
       "grade_grades row(s) whose itemid"},
      {"INSERT INTO {enrol} (enrol, courseid, customint1) VALUES ('meta', (SELECT MAX(id) FROM "
       "{course}), 777777)",
       "enrol row(s) whose customint1 names no course row"},
  };
  for (const auto& c : cases) {
    auto p = With([&] { Exec(c.sql); });
    EXPECT_TRUE(Has(p, "reference", c.expect)) << c.sql;
  }
}

}  // namespace
}  // namespace cs::sync
