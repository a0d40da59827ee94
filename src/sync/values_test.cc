// Cell value parsing and category paths.
#include "sync/values.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>

#include "sync/categories.h"
#include "sync/test_support.h"

namespace cs::sync {
namespace {

TEST(ValuesTest, Dates) {
  EXPECT_EQ(ParseDate("1600000000"), 1600000000);
  EXPECT_TRUE(ParseDate("2026-09-01").has_value());
  EXPECT_EQ(*ParseDate("2026-09-01 08:30") - *ParseDate("2026-09-01"), 8 * 3600 + 30 * 60);
  EXPECT_EQ(*ParseDate("2026-09-01 08:30:15") - *ParseDate("2026-09-01 08:30"), 15);
  EXPECT_EQ(ParseDate("2026-09-01T08:30"), ParseDate("2026-09-01 08:30"));
  for (const char* bad : {"", "2026-13-01", "2026-02-30", "01/09/2026", "tomorrow", "2026-9-1",
                          "2026-09-01 25:00", "12345678901234", "-5", "1969-12-31"}) {
    EXPECT_FALSE(ParseDate(bad).has_value()) << bad;
  }
}

// ParseDate keeps recent results per thread: a date seen again, after hundreds of others that
// share its cache slots, is still what mktime() says, and so is a day that does not exist.
TEST(ValuesTest, DatesSeenAgainGiveTheSameAnswer) {
  auto direct = [](int y, int m, int d, int hh, int mm) {
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_isdst = -1;
    return static_cast<int64_t>(std::mktime(&tm));
  };
  char buf[32];
  for (int round = 0; round < 3; ++round) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= 28; d += 3) {
        for (int hh : {0, 2, 3, 23}) {
          std::snprintf(buf, sizeof buf, "2026-%02d-%02d %02d:30", m, d, hh);
          EXPECT_EQ(ParseDate(buf), direct(2026, m, d, hh, 30)) << buf;
        }
      }
      EXPECT_FALSE(ParseDate("2025-02-30").has_value());
      EXPECT_FALSE(ParseDate("2026-04-31").has_value());
    }
  }
}

TEST(ValuesTest, IntegersBooleansTrim) {
  EXPECT_EQ(ParseInt("42"), 42);
  EXPECT_EQ(ParseInt("-3"), -3);
  EXPECT_EQ(ParseInt("007"), 7);
  for (const char* bad : {"", "-", "4.0", " 4", "4x", "1234567890123456789"}) {
    EXPECT_FALSE(ParseInt(bad).has_value()) << bad;
  }
  EXPECT_EQ(ParseBool("Yes"), true);
  EXPECT_EQ(ParseBool("0"), false);
  EXPECT_FALSE(ParseBool("2").has_value());
  EXPECT_EQ(Trim("  a b \t"), "a b");
  EXPECT_EQ(Utf8Length("Études"), 6u);
}

// Issue 9 (bad-input corpus): identifiers with leading zeros are text; long values are cut in
// messages.
TEST(ValuesTest, ParseIdAndExcerpt) {
  EXPECT_EQ(ParseId("7"), 7);
  EXPECT_EQ(ParseId("1234567890"), 1234567890);
  for (const char* bad : {"", "0", "007", "-7", "+7", " 7", "7a", "1e3", "1234567890123456789"}) {
    EXPECT_FALSE(ParseId(bad).has_value()) << bad;
  }
  EXPECT_EQ(Excerpt("short"), "short");
  EXPECT_EQ(Excerpt(std::string(80, 'x')), std::string(80, 'x'));
  EXPECT_EQ(Excerpt(std::string(5000, 'x')), std::string(80, 'x') + "... (5000 characters)");
  std::string e;
  for (int i = 0; i < 10; ++i) e += "\xC3\xA9";
  EXPECT_EQ(Excerpt(e, 3), "\xC3\xA9\xC3\xA9\xC3\xA9... (10 characters)");
}

TEST(CategoryPathTest, SplitTrimEscape) {
  using V = std::vector<std::string>;
  EXPECT_EQ(CategoryTree::SplitPath("A/B/C"), (V{"A", "B", "C"}));
  EXPECT_EQ(CategoryTree::SplitPath(" A / B "), (V{"A", "B"}));
  EXPECT_EQ(CategoryTree::SplitPath("/A/B/"), (V{"A", "B"}));
  EXPECT_EQ(CategoryTree::SplitPath("Music\\/Dance/Year 1"), (V{"Music/Dance", "Year 1"}));
  EXPECT_EQ(CategoryTree::SplitPath("C:\\Temp"), (V{"C:\\Temp"}));
  for (const char* bad : {"", "/", "A//B", "A/ /B", "   "}) {
    EXPECT_THROW(CategoryTree::SplitPath(bad), std::invalid_argument) << bad;
  }
  EXPECT_THROW(CategoryTree::SplitPath(std::string(256, 'x')), std::invalid_argument);
  EXPECT_EQ(CategoryTree::EscapeName("a/b"), "a\\/b");
}

// Issue 9 (bad-input corpus): a path of 200 levels made 200 categories whose context paths
// overflowed Moodle's VARCHAR(255) (an error ending the whole run on PostgreSQL). At most
// kMaxCategoryDepth levels; the message gives the count, not the path.
TEST(CategoryPathTest, DepthIsLimited) {
  std::string path = "L1";
  for (int i = 2; i <= kMaxCategoryDepth; ++i) path += "/L" + std::to_string(i);
  EXPECT_EQ(CategoryTree::SplitPath(path).size(), static_cast<size_t>(kMaxCategoryDepth));
  for (int i = kMaxCategoryDepth + 1; i <= 200; ++i) path += "/L" + std::to_string(i);
  try {
    CategoryTree::SplitPath(path);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "category path of 200 levels: at most 20 are allowed (Moodle's context paths hold "
              "255 characters)");
  }
  // An empty part far into a long path: the message quotes its start only.
  try {
    CategoryTree::SplitPath(std::string(5000, 'x') + "//y");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_LT(std::string(e.what()).size(), 200u);
  }
}

TEST(CategoryTreeTest, PathOfRoundTripsThroughSplitPath) {
  cs::testing::TempSite site;
  CategoryTree tree(*site.db);
  site.db->Begin();
  int created = 0;
  const Category& c = tree.EnsurePath({"Arts", "Music/Dance", "Year 1"}, true, &created);
  site.db->Commit();
  EXPECT_EQ(created, 3);
  std::string path = tree.PathOf(c.id);
  EXPECT_EQ(path, "Arts/Music\\/Dance/Year 1");
  EXPECT_EQ(tree.FindPath(CategoryTree::SplitPath(path)), &c);
  EXPECT_EQ(c.depth, 3);
  EXPECT_EQ(c.context.depth, 4);
}

TEST(CategoryTreeTest, FixCourseSortorderRepairsABrokenTree) {
  cs::testing::TempSite site;
  CategoryTree tree(*site.db);
  site.db->Begin();
  int n = 0;
  const Category& b = tree.EnsurePath({"A", "B"}, true, &n);
  int64_t bid = b.id;
  site.db->Commit();
  // Break it: wrong depth, path, sortorder and coursecount.
  site.db->Execute(
      "UPDATE {course_categories} SET depth=7, path='/x', sortorder=0, coursecount=9 "
      "WHERE id=?",
      bid);
  FixCourseSortorder(*site.db);
  auto st = site.db->Prepare(
      "SELECT c.depth, c.path, c.sortorder, c.coursecount, p.path FROM {course_categories} c "
      "JOIN {course_categories} p ON p.id=c.parent WHERE c.id=?");
  ASSERT_TRUE(st->Run(bid));
  EXPECT_EQ(st->Int(0), 2);
  EXPECT_EQ(st->Text(1), st->Text(4) + "/" + std::to_string(bid));
  EXPECT_EQ(st->Int(2) % 10000, 0);
  EXPECT_GT(st->Int(2), 0);
  EXPECT_EQ(st->Int(3), 0);
}

}  // namespace
}  // namespace cs::sync
