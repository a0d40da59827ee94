// `coursesync integrity`: exit 0 and "no problem found" on a sound site; exit 1 with each
// problem listed (text and JSON) on a damaged one.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sync/test_support.h"

namespace cs::cli {
namespace {

using cs::testing::RunCoursesync;
using cs::testing::TempSite;

TEST(IntegrityCommandTest, CleanThenDamagedSite) {
  TempSite site;
  const std::string args = "--data " + site.dir.string() + " " + site.DbArg();
  site.WriteFile("uploadcourses.csv", "shortname;fullname;category\nI1;One;A/B\nI2;Two;A/C\n");
  ASSERT_EQ(RunCoursesync(args + " --quiet create").exit_code, 0);

  auto clean = RunCoursesync(args + " integrity");
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_EQ(clean.out, "no problem found\n");

  int64_t course = *site.db->QueryInt("SELECT id FROM {course} WHERE shortname = 'I2'");
  site.db->Execute("DELETE FROM {course_sections} WHERE section = 0 AND course = ?", course);
  site.db->Execute("UPDATE {course_categories} SET coursecount = 5 WHERE name = 'C'");
  auto damaged = RunCoursesync(args + " integrity");
  EXPECT_EQ(damaged.exit_code, 1);
  EXPECT_NE(damaged.out.find("section0: 1 course(s) without section 0 (id " +
                             std::to_string(course) + ")"),
            std::string::npos)
      << damaged.out;
  EXPECT_NE(damaged.out.find("category_coursecount: "), std::string::npos) << damaged.out;
  EXPECT_NE(damaged.out.find("2 problem(s)"), std::string::npos) << damaged.out;

  auto json = RunCoursesync(args + " --format json integrity");
  EXPECT_EQ(json.exit_code, 1);
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["ok"], false);
  ASSERT_EQ(j["problems"].size(), 2u);
  EXPECT_EQ(j["problems"][0]["check"], "category_coursecount");
  EXPECT_EQ(j["problems"][1]["check"], "section0");
}

}  // namespace
}  // namespace cs::cli
