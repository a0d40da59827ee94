// Tests of the utilities (issue 6): generators read back by their commands, empty categories,
// retention, `all`.
#include "sync/utilities.h"

#include <gtest/gtest.h>

#include <fstream>

#include "sync/errors.h"
#include "sync/settings.h"
#include "sync/tasks.h"
#include "sync/test_support.h"

namespace cs::sync {
namespace {

using cs::testing::TempSite;
namespace fs = std::filesystem;

class UtilitiesTest : public ::testing::Test {
 protected:
  TempSite site;
  void SetUp() override {
    auto p = site.WriteFile("seed.csv",
                            "shortname;fullname;idnumber;category\n"
                            "H1;History 1;IDH1;Arts/History\n"
                            "H2;History 2;;Arts/History/Modern\n"
                            "M1;Maths 1;IDM1;Sciences/Maths\n"
                            "M2;Maths 2;IDM2;Sciences/Maths\n"
                            "P1;Physics 1;IDP1;Sciences/Physics\n"
                            "X1;Other 1;IDX1;Other\n"
                            "X2;Other 2;IDX2;Other\n"
                            "X3;Other 3;IDX3;Other\n"
                            "X4;Other 4;IDX4;Other\n"
                            "X5;Other 5;IDX5;Other\n");
    TaskOptions o;
    o.file = p.string();
    ASSERT_EQ(RunCreate(*site.db, *site.area, o).Count(Status::kCreated), 10);
    Settings(*site.db).Set("courses_deletethreshold", "100");
  }
  int64_t Int(const std::string& sql) { return site.db->QueryInt(sql).value_or(-1); }
  std::string Read(const std::string& rel) {
    std::ifstream f(site.dir / rel, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), {});
  }
  int64_t Cat(const std::string& name) {
    return Int("SELECT id FROM {course_categories} WHERE name='" + name + "'");
  }
};

TEST_F(UtilitiesTest, DeleteFileFromACategoryIsReadBackByDelete) {
  CourseFilter f;
  f.category = Cat("Arts");
  auto g = MakeDeleteFile(*site.db, *site.area, f, std::string("idnumber"), std::nullopt);
  EXPECT_EQ(g.path, "files/deletecourses.csv");
  EXPECT_EQ(g.written, 1);
  ASSERT_EQ(g.skipped.size(), 1u);  // H2 has no idnumber: reported, not a blank line
  EXPECT_NE(g.skipped[0].find("H2"), std::string::npos);
  EXPECT_EQ(Read(g.path), "IDH1\n");
  // By shortname (the configured identifier), with subcategories.
  auto g2 = MakeDeleteFile(*site.db, *site.area, f, std::nullopt, std::nullopt);
  EXPECT_EQ(Read(g2.path), "H1\nH2\n");  // category tree order
  auto r = RunDelete(*site.db, *site.area, TaskOptions{});
  EXPECT_EQ(r.Count(Status::kDeleted), 2);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {course} WHERE shortname IN ('H1','H2')"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {course} WHERE id <> 1"), 8);
}

TEST_F(UtilitiesTest, SelectionByMatchAndIdsNeverIncludesTheSiteCourse) {
  CourseFilter f;
  f.match = "M*";
  auto g =
      MakeDeleteFile(*site.db, *site.area, f, std::string("id"), (site.dir / "out.txt").string());
  EXPECT_EQ(g.written, 2);
  CourseFilter ids;
  ids.ids = {1, Int("SELECT id FROM {course} WHERE shortname='P1'")};
  auto g2 = MakeDeleteFile(*site.db, *site.area, ids, std::nullopt, std::nullopt);
  EXPECT_EQ(Read(g2.path), "P1\n");
  CourseFilter none;
  none.match = "ZZZ*";
  EXPECT_THROW(MakeDeleteFile(*site.db, *site.area, none, std::nullopt, std::nullopt), Rejected);
}

TEST_F(UtilitiesTest, ResetFileIsAcceptedByResetAsItIs) {
  for (const std::string sep : {";", "tab"}) {
    Settings(*site.db).Set("csvseparator", sep);
    CourseFilter f;
    f.category = Cat("Sciences");
    auto g = MakeResetFile(*site.db, *site.area, f, std::nullopt, std::nullopt);
    EXPECT_EQ(g.path, "files/resetcourses.csv");
    EXPECT_EQ(g.written, 3);
    std::string content = Read(g.path);
    EXPECT_EQ(content.substr(0, 10), "shortname" + std::string(sep == "tab" ? "\t" : ";"));
    auto r = RunReset(*site.db, *site.area, TaskOptions{});
    EXPECT_EQ(r.Count(Status::kReset), 3) << r.ToText();
    EXPECT_EQ(r.ExitCode(), 0);
  }
  // With idnumber as the identifier, the identifier column holds idnumbers.
  Settings(*site.db).Set("courses_fileresetidentifier", "idnumber");
  CourseFilter f;
  f.match = "M*";
  auto g = MakeResetFile(*site.db, *site.area, f, std::nullopt, std::nullopt);
  EXPECT_EQ(Read(g.path).substr(0, 9), "idnumber\t");
  auto r = RunReset(*site.db, *site.area, TaskOptions{});
  EXPECT_EQ(r.Count(Status::kReset), 2) << r.ToText();
}

TEST_F(UtilitiesTest, EmptyCategoriesBottomUpAndNeverTheDefaultOrOneWithCourses) {
  // Empty branch E/F/G, and an empty leaf under Sciences.
  auto p = site.WriteFile("c.csv",
                          "shortname;fullname;category\nT1;Temp;E/F/G\nT2;Temp2;Sciences/Empty\n");
  TaskOptions o;
  o.file = p.string();
  RunCreate(*site.db, *site.area, o);
  site.db->Execute("DELETE FROM {course} WHERE shortname IN ('T1','T2')");  // leave them empty
  site.db->Execute("UPDATE {course_categories} SET coursecount=0");
  auto list = CleanEmptyCategories(*site.db, *site.area, false);
  std::vector<std::string> paths;
  for (const auto& e : list) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"Sciences/Empty", "E/F/G", "E/F", "E"}));
  // Category 1 (the default) is empty but never listed.
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {course} WHERE category=1"), 0);
  std::string before = site.Dump();
  EXPECT_EQ(site.Dump(), before);  // the preview changed nothing
  auto only = CleanEmptyCategories(*site.db, *site.area, false, Cat("Sciences"));
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].path, "Sciences/Empty");
  int64_t g = Cat("G");
  auto done = CleanEmptyCategories(*site.db, *site.area, true);
  EXPECT_EQ(done.size(), 4u);
  EXPECT_EQ(Cat("E"), -1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {context} WHERE contextlevel=40 AND instanceid=" +
                std::to_string(g)),
            0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {course_categories}"), 8);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {course_categories} c WHERE coursecount <> (SELECT COUNT(*) "
                "FROM {course} WHERE category=c.id)"),
            0);
  EXPECT_TRUE(CleanEmptyCategories(*site.db, *site.area, false).empty());
  EXPECT_EQ(site.Count("tool_sync_runs", "task='cleancats' AND status='completed'"), 1);
}

TEST_F(UtilitiesTest, RetentionRemovesOnlyOldStoredFiles) {
  auto old = site.area->archives_dir() / "old.csv";
  auto fresh = site.area->reports_dir() / "fresh.txt";
  auto input = site.area->files_dir() / "uploadcourses.csv";
  for (const auto& p : {old, fresh, input}) std::ofstream(p) << "x";
  auto past = fs::file_time_type::clock::now() - std::chrono::hours(24 * 100);
  fs::last_write_time(old, past);
  fs::last_write_time(input, past);
  Settings(*site.db).Set("fileareacleanupdelay", "0");
  EXPECT_TRUE(CleanupFiles(*site.db, *site.area).empty());
  Settings(*site.db).Set("fileareacleanupdelay", "90");
  auto removed = CleanupFiles(*site.db, *site.area);
  EXPECT_EQ(removed, std::vector<std::string>{"files/archives/old.csv"});
  EXPECT_TRUE(fs::exists(fresh));
  EXPECT_TRUE(fs::exists(input));  // inputs are never removed by retention
}

TEST_F(UtilitiesTest, AllRunsTheTasksInOrderAndARejectedFileDoesNotStopTheOthers) {
  site.WriteFile("resetcourses.csv", "shortname;events\nM1;yes\n");
  site.WriteFile("courses.csv", "M1\nNOPE\n");
  site.WriteFile("deletecourses.csv", "X1\n");
  site.WriteFile("uploadcourses.csv", "shortname;fullname;bogus\nN1;New;x\n");  // rejected
  site.WriteFile("metacourses.csv", "master;meta\nM1;M2\n");
  auto res = RunAll(*site.db, *site.area, TaskOptions{});
  std::vector<std::string> order;
  for (const auto& r : res.reports) order.push_back(r.task);
  EXPECT_EQ(order, (std::vector<std::string>{"reset", "check", "delete", "metas"}));
  ASSERT_EQ(res.problems.size(), 1u);
  EXPECT_EQ(std::get<0>(res.problems[0]), "create");
  EXPECT_EQ(res.exit_code, 2);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {course} WHERE shortname='X1'"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {enrol} WHERE enrol='meta'"), 1);
  EXPECT_TRUE(fs::exists(site.area->files_dir() / "uploadcourses.csv"));  // left for a retry
  EXPECT_EQ(res.ToJson()["runs"].size(), 4u);
}

}  // namespace
}  // namespace cs::sync
