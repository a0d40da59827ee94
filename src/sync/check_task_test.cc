// Tests of the course existence check file (`coursesync check`).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sync/categories.h"
#include "sync/contexts.h"
#include "sync/errors.h"
#include "sync/settings.h"
#include "sync/tasks_more.h"
#include "sync/test_support.h"

namespace cs::sync {
namespace {

using cs::testing::TempSite;

class CheckTaskTest : public ::testing::Test {
 protected:
  TempSite site;

  int64_t Course(const std::string& shortname, const std::string& idnumber, int64_t category) {
    int64_t id = *site.db->QueryInt(
        "INSERT INTO {course} (category, fullname, shortname, idnumber) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        category, "Course " + shortname, shortname, idnumber);
    Contexts contexts(*site.db);
    contexts.Create(kContextCourse, id, *contexts.Find(kContextCoursecat, category));
    return id;
  }
  // C1 (idnumber ID1) in Sciences/Physics, C2 (ID2) in category 1.
  void Site() {
    CategoryTree tree(*site.db);
    physics_ = tree.EnsurePath({"Sciences", "Physics"}, true, nullptr).id;
    c1_ = Course("C1", "ID1", physics_);
    c2_ = Course("C2", "ID2", 1);
    FixCourseSortorder(*site.db);
  }
  RunReport Run(const std::string& content, TaskOptions o = {}) {
    auto p = site.WriteFile("courses.csv", content);
    if (o.file.empty()) o.file = p.string();
    return RunCheck(*site.db, *site.area, o);
  }
  std::string ReadFile(const std::string& rel) {
    std::ifstream f(site.dir / rel, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  int64_t physics_ = 0, c1_ = 0, c2_ = 0;
};

TEST_F(CheckTaskTest, EachLineIsFoundWithItsCourseOrMissing) {
  Site();
  auto r = Run("C1\nNOPE\nC2\n");
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[0].status, Status::kFound);
  EXPECT_EQ(r.lines[0].id, c1_);
  EXPECT_EQ(r.lines[0].Details(), nlohmann::json({{"id", c1_},
                                                  {"shortname", "C1"},
                                                  {"fullname", "Course C1"},
                                                  {"idnumber", "ID1"},
                                                  {"categorypath", "Sciences/Physics"}}));
  EXPECT_EQ(r.lines[0].message, "Course C1 [Sciences/Physics]");
  EXPECT_EQ(r.lines[1].status, Status::kMissing);
  EXPECT_EQ(r.lines[1].line, 2);
  EXPECT_EQ(r.lines[1].identifier, "NOPE");
  EXPECT_FALSE(r.lines[1].id.has_value());
  EXPECT_EQ(r.lines[1].message, "no course with shortname 'NOPE'");
  EXPECT_EQ(r.lines[2].Details()["categorypath"], "Category 1");
  EXPECT_EQ(r.Count(Status::kFound), 2);
  EXPECT_EQ(r.Count(Status::kMissing), 1);
  // Missing is a normal answer for check.
  EXPECT_EQ(r.ExitCode(), 0);
  EXPECT_EQ(r.summary,
            nlohmann::json(
                {{"found", 2}, {"missing", 1}, {"missing_list", nlohmann::json::array({"NOPE"})}}));
  bool noted = false;
  for (const auto& n : r.notes) noted = noted || n == "missing (1): NOPE";
  EXPECT_TRUE(noted) << r.ToText();
}

TEST_F(CheckTaskTest, DescriptionIsEchoed) {
  Site();
  auto r = Run("C1;the physics one\nNOPE;  asked by Ann  \n");
  EXPECT_EQ(r.lines[0].Details()["description"], "the physics one");
  EXPECT_NE(r.lines[0].message.find("the physics one"), std::string::npos);
  EXPECT_EQ(r.lines[1].Details(), nlohmann::json({{"description", "asked by Ann"}}));
  EXPECT_NE(r.lines[1].message.find("asked by Ann"), std::string::npos);
  EXPECT_NE(r.ToText().find("asked by Ann"), std::string::npos);
}

TEST_F(CheckTaskTest, HeaderAndIdentifiers) {
  Site();
  auto r = Run("shortname;description\nC1;x\n");
  EXPECT_EQ(r.read, 1);
  EXPECT_EQ(r.lines[0].line, 2);
  EXPECT_EQ(r.lines[0].status, Status::kFound);
  Settings(*site.db).Set("courses_existfileidentifier", "idnumber");
  auto r2 = Run("ID2\nC2\n");
  EXPECT_EQ(r2.lines[0].status, Status::kFound);
  EXPECT_EQ(r2.lines[0].id, c2_);
  EXPECT_EQ(r2.lines[1].status, Status::kMissing);
  TaskOptions o;
  o.identifier = "id";
  auto r3 = Run(std::to_string(c1_) + "\nabc\n1\n", o);
  EXPECT_EQ(r3.lines[0].status, Status::kFound);
  EXPECT_EQ(r3.lines[1].status, Status::kMissing);
  // The site course exists; check says so (its category path is empty).
  EXPECT_EQ(r3.lines[2].status, Status::kFound);
  EXPECT_EQ(r3.lines[2].Details()["categorypath"], "");
}

// Issue 9 (bad-input corpus): a header with another separator rejects the file (exit 2) instead
// of reporting every line missing.
TEST_F(CheckTaskTest, HeaderWithAnotherSeparatorRejectsTheFile) {
  Site();
  EXPECT_THROW(Run("shortname:description\nC1:x\n"), Rejected);
  TaskOptions colon;
  colon.separator = ":";
  EXPECT_EQ(Run("shortname:description\nC1:x\n", colon).Count(Status::kFound), 1);
}

// Issue 9 (bad-input corpus): "0<id>" is not course <id>, and "007" is not the course "7".
TEST_F(CheckTaskTest, LeadingZerosAreText) {
  Site();
  Course("7", "7", 1);
  TaskOptions by_id;
  by_id.identifier = "id";
  auto r = Run("0" + std::to_string(c1_) + "\n" + std::to_string(c1_) + "\n", by_id);
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].status, Status::kMissing);
  EXPECT_NE(r.lines[0].message.find("is not a course id"), std::string::npos);
  EXPECT_EQ(r.lines[1].status, Status::kFound);
  auto r2 = Run("007\n7\n");
  EXPECT_EQ(r2.lines[0].status, Status::kMissing);
  EXPECT_EQ(r2.lines[1].status, Status::kFound);
}

TEST_F(CheckTaskTest, NeverWritesToTheSite) {
  Site();
  std::string before = site.Dump();
  auto r = Run("C1\nNOPE\n");
  EXPECT_EQ(site.Dump(), before);
  EXPECT_FALSE(r.simulate);
  // A report is stored, the missing line goes to the tryback, the input is not archived.
  ASSERT_TRUE(r.report_path.has_value());
  EXPECT_TRUE(std::filesystem::exists(site.dir / *r.report_path));
  ASSERT_TRUE(r.tryback_path.has_value());
  EXPECT_EQ(ReadFile(*r.tryback_path), "NOPE\n");
  EXPECT_TRUE(std::filesystem::exists(site.area->files_dir() / "courses.csv"));
}

TEST_F(CheckTaskTest, SimulateGivesTheSameReportAndWritesNoFile) {
  Site();
  TaskOptions o;
  o.simulate = true;
  auto sim = Run("C1\nNOPE\n", o);
  auto real = Run("C1\nNOPE\n");
  EXPECT_TRUE(sim.simulate);
  EXPECT_FALSE(sim.report_path.has_value());
  EXPECT_FALSE(sim.tryback_path.has_value());
  ASSERT_EQ(sim.lines.size(), real.lines.size());
  for (size_t i = 0; i < sim.lines.size(); ++i) {
    EXPECT_EQ(sim.lines[i].status, real.lines[i].status);
    EXPECT_EQ(sim.lines[i].message, real.lines[i].message);
    EXPECT_EQ(sim.lines[i].Details(), real.lines[i].Details());
  }
  EXPECT_EQ(sim.summary, real.summary);
}

TEST_F(CheckTaskTest, AmbiguousAndEmptyIdentifiersFail) {
  Site();
  site.db->Execute("UPDATE {course} SET idnumber='SAME' WHERE id IN (?, ?)", c1_, c2_);
  TaskOptions o;
  o.identifier = "idnumber";
  auto r = Run("SAME\n;nothing\n", o);
  EXPECT_EQ(r.lines[0].status, Status::kFailed);
  EXPECT_NE(r.lines[0].message.find("ambiguous"), std::string::npos);
  EXPECT_EQ(r.lines[1].status, Status::kFailed);
  EXPECT_EQ(r.lines[1].message, "empty identifier — nothing");
  EXPECT_EQ(r.ExitCode(), 1);
  EXPECT_EQ(r.summary["failed"], 2);
}

TEST_F(CheckTaskTest, PrintsTheContractJson) {
  Site();
  auto r = Run("C1\nNOPE\n");
  nlohmann::json j = r.ToJson();
  EXPECT_EQ(j["task"], "check");
  EXPECT_EQ(j["file"], "courses.csv");
  EXPECT_EQ(j["totals"], nlohmann::json({{"read", 2}, {"found", 1}, {"missing", 1}}));
  EXPECT_EQ(j["lines"][0]["status"], "found");
  EXPECT_EQ(j["lines"][0]["details"]["shortname"], "C1");
  EXPECT_EQ(j["lines"][1]["status"], "missing");
  EXPECT_TRUE(j["lines"][1]["id"].is_null());
  EXPECT_EQ(j["summary"]["missing_list"], nlohmann::json::array({"NOPE"}));
  EXPECT_TRUE(j["report"].is_string());
  EXPECT_TRUE(j["tryback"].is_string());
}

TEST_F(CheckTaskTest, LongMissingListIsCutInTheNoteOnly) {
  Site();
  std::string content;
  for (int i = 0; i < 60; ++i) content += "X" + std::to_string(i) + "\n";
  auto r = Run(content);
  EXPECT_EQ(r.summary["missing"], 60);
  EXPECT_EQ(r.summary["missing_list"].size(), 60u);
  bool cut = false;
  for (const auto& n : r.notes) cut = cut || n.find("and 10 more") != std::string::npos;
  EXPECT_TRUE(cut) << r.ToText();
}

}  // namespace
}  // namespace cs::sync
