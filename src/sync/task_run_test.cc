// Tests of the run machinery (issue 6): file area resolution, drop folder, archive/cleanup,
// tryback, report, history, simulate leaving the file area alone.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "sync/errors.h"
#include "sync/lock.h"
#include "sync/settings.h"
#include "sync/tasks.h"
#include "sync/test_support.h"

namespace cs::sync {
namespace {

using cs::testing::TempSite;
namespace fs = std::filesystem;

class TaskRunTest : public ::testing::Test {
 protected:
  TempSite site;
  void Set(const std::string& k, const std::string& v) { Settings(*site.db).Set(k, v); }
  int Files(const fs::path& dir) {
    int n = 0;
    for (auto& e : fs::directory_iterator(dir)) n += e.is_regular_file();
    return n;
  }
};

TEST_F(TaskRunTest, WildcardPicksTheOldestMatchAndCandidateListsTheFirstExisting) {
  auto a = site.WriteFile("in/b_export.csv", "x");
  auto b = site.WriteFile("in/a_export.csv", "x");
  fs::last_write_time(a, fs::file_time_type::clock::now() - std::chrono::hours(2));
  fs::last_write_time(b, fs::file_time_type::clock::now() - std::chrono::hours(1));
  EXPECT_EQ(site.area->ResolveLocation("in/*_export.csv"), a);
  EXPECT_EQ(site.area->ResolveLocation("nothere.csv, in/a_export.csv"), b);
  EXPECT_FALSE(site.area->ResolveLocation("in/*.txt").has_value());
}

TEST_F(TaskRunTest, UserFileNamesNeverLeaveTheFileArea) {
  EXPECT_THROW(site.area->SafePath("../../x"), Rejected);
  EXPECT_THROW(site.area->SafePath("/etc/passwd"), Rejected);
  EXPECT_THROW(site.area->SafePath("a/../../b"), Rejected);
  fs::create_directory_symlink("/tmp", site.area->files_dir() / "link");
  EXPECT_THROW(site.area->SafePath("link/x.csv"), Rejected);
  EXPECT_EQ(site.area->SafePath("sub/ok.csv"), site.area->files_dir() / "sub" / "ok.csv");
  EXPECT_THROW(Settings(*site.db).Set("courses_filedeletelocation", "../x.csv"), Rejected);
}

TEST_F(TaskRunTest, DropFolderIsCapturedUnlessLocked) {
  fs::create_directories(site.area->drop_dir());
  std::ofstream(site.area->drop_dir() / "uploadcourses.csv") << "shortname;fullname\nD1;Dropped\n";
  std::ofstream(site.area->drop_dir() / "lock.txt") << "writing";
  EXPECT_THROW(RunCreate(*site.db, *site.area, TaskOptions{}), Rejected);  // not captured yet
  EXPECT_TRUE(fs::exists(site.area->drop_dir() / "uploadcourses.csv"));
  fs::remove(site.area->drop_dir() / "lock.txt");
  auto r = RunCreate(*site.db, *site.area, TaskOptions{});
  EXPECT_EQ(r.Count(Status::kCreated), 1);
  EXPECT_FALSE(fs::exists(site.area->drop_dir() / "uploadcourses.csv"));
  EXPECT_NE(r.notes[0].find("captured uploadcourses.csv"), std::string::npos);
}

TEST_F(TaskRunTest, ArchiveCleanupOrLeaveInPlace) {
  Set("filearchive", "0");
  Set("filecleanup", "1");
  site.WriteFile("uploadcourses.csv", "shortname;fullname\nA1;One\n");
  RunCreate(*site.db, *site.area, TaskOptions{});
  EXPECT_FALSE(fs::exists(site.area->files_dir() / "uploadcourses.csv"));
  EXPECT_EQ(Files(site.area->archives_dir()), 0);
  Set("filecleanup", "0");
  site.WriteFile("uploadcourses.csv", "shortname;fullname\nA2;Two\n");
  RunCreate(*site.db, *site.area, TaskOptions{});
  EXPECT_TRUE(fs::exists(site.area->files_dir() / "uploadcourses.csv"));
  Set("storereport", "0");
  Set("filefailed", "0");
  auto r = RunCreate(*site.db, *site.area, TaskOptions{});  // A2 skipped now
  EXPECT_FALSE(r.report_path.has_value());
}

TEST_F(TaskRunTest, RejectedOrFailedRunsLeaveTheInputInPlace) {
  site.WriteFile("uploadcourses.csv", "shortname;fullname;bogus\nA1;One;x\n");
  std::string before = site.Dump();
  EXPECT_THROW(RunCreate(*site.db, *site.area, TaskOptions{}), Rejected);
  EXPECT_TRUE(fs::exists(site.area->files_dir() / "uploadcourses.csv"));
  EXPECT_EQ(Files(site.area->archives_dir()), 0);
  EXPECT_EQ(site.Dump(), before);
  EXPECT_EQ(site.Count("tool_sync_runs", "status='failed' AND exitcode=2"), 1);
}

TEST_F(TaskRunTest, SimulateLeavesTheFileAreaAlone) {
  site.WriteFile("uploadcourses.csv", "shortname;fullname\nA1;One\nA2;\n");
  TaskOptions o;
  o.simulate = true;
  auto r = RunCreate(*site.db, *site.area, o);
  EXPECT_EQ(r.Count(Status::kCreated), 1);
  EXPECT_EQ(r.Count(Status::kFailed), 1);
  EXPECT_TRUE(fs::exists(site.area->files_dir() / "uploadcourses.csv"));
  EXPECT_EQ(Files(site.area->archives_dir()), 0);
  EXPECT_EQ(Files(site.area->failed_dir()), 0);
  EXPECT_EQ(Files(site.area->reports_dir()), 0);
  EXPECT_EQ(site.Count("tool_sync_runs"), 0);
  // The simulate setting does the same.
  Set("simulate", "1");
  auto r2 = RunCreate(*site.db, *site.area, TaskOptions{});
  EXPECT_TRUE(r2.simulate);
  EXPECT_EQ(site.Count("course"), 1);
}

TEST_F(TaskRunTest, TrybackKeepsTheInputEncodingAndSeparator) {
  TaskOptions o;
  o.encoding = "ISO-8859-1";
  o.separator = ",";
  auto p = site.WriteFile("latin.csv", "shortname,fullname,visible\nL1,\xC9t\xE9,2\n");
  o.file = p.string();
  auto r = RunCreate(*site.db, *site.area, o);
  ASSERT_TRUE(r.tryback_path.has_value());
  std::ifstream f(site.dir / *r.tryback_path, std::ios::binary);
  std::string tb((std::istreambuf_iterator<char>(f)), {});
  EXPECT_EQ(tb, "shortname,fullname,visible\nL1,\xC9t\xE9,2\n");
  EXPECT_NE(r.tryback_path->find("latin_tryback_"), std::string::npos);
}

TEST_F(TaskRunTest, SecondConcurrentRunOfATaskIsRefused) {
  TaskLock held(site.area->locks_dir(), "create");
  site.WriteFile("uploadcourses.csv", "shortname;fullname\nA1;One\n");
  EXPECT_THROW(RunCreate(*site.db, *site.area, TaskOptions{}), LockBusy);
  // Another task is not blocked.
  EXPECT_THROW(
      {
        TaskOptions o;
        o.file = (site.area->files_dir() / "none.csv").string();
        RunDelete(*site.db, *site.area, o);
      },
      Rejected);
}

TEST_F(TaskRunTest, HistoryRecordsEveryCommittedRun) {
  site.WriteFile("uploadcourses.csv", "shortname;fullname\nA1;One\nB;\n");
  TaskOptions o;
  o.started_by = "test";
  RunCreate(*site.db, *site.area, o);
  auto st = site.db->Prepare(
      "SELECT task, filename, startedby, status, exitcode, totals, report, tryback, timeend >= "
      "timestart FROM {tool_sync_runs}");
  ASSERT_TRUE(st->Step());
  EXPECT_EQ(st->Text(0), "create");
  EXPECT_EQ(st->Text(1), "uploadcourses.csv");
  EXPECT_EQ(st->Text(2), "test");
  EXPECT_EQ(st->Text(3), "completed");
  EXPECT_EQ(st->Int(4), 1);
  EXPECT_EQ(st->Text(5), R"({"created":1,"failed":1,"read":2})");
  EXPECT_FALSE(st->IsNull(6));
  EXPECT_FALSE(st->IsNull(7));
  EXPECT_EQ(st->Int(8), 1);
}

}  // namespace
}  // namespace cs::sync
