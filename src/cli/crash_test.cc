// Crash safety of a run (issue 6): a creation run killed with SIGKILL halfway through a
// 100,000-line file leaves no half-created course and the input in place, and the next run
// reaches exactly the state of an uninterrupted run. Two concurrent runs: the second exits 3.
// CS_CRASH_COURSES=N (at least 1,000) changes the file's size (scripts/test.sh's ASan pass:
// 20,000).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "store/db.h"
#include "sync/test_support.h"

namespace cs::cli {
namespace {

using cs::testing::MakeTempDir;
using cs::testing::RunCoursesync;
namespace fs = std::filesystem;

void WriteBigFile(const fs::path& p, int n) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p);
  f << "shortname;fullname;category;numsections\n";
  for (int i = 0; i < n; ++i) {
    f << "K" << i << ";Course " << i << ";F" << i % 7 << "/D" << i % 11 << "/P" << i % 13 << ";3\n";
  }
}

// Starts `coursesync --progress create` on the configured file; returns the pid and a pipe
// from which its progress lines can be read.
pid_t Start(const std::string& data, int* progress_fd) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 2);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    close(fds[0]);
    execl(cs::testing::CoursesyncBinary().c_str(), "coursesync", "--data", data.c_str(),
          "--progress", "create", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  *progress_fd = fds[0];
  return pid;
}

// Reads progress until at least `lines` records are reported (or the child ends).
void WaitForProgress(int fd, long lines) {
  std::string buf;
  char c;
  while (read(fd, &c, 1) == 1) {
    if (c == '\r' || c == '\n') {
      size_t colon = buf.find(": ");
      if (colon != std::string::npos && std::atol(buf.c_str() + colon + 2) >= lines) return;
      buf.clear();
    } else {
      buf += c;
    }
  }
}

std::string Listing(const std::string& data) {
  auto c = RunCoursesync("--data " + data + " --format json courses");
  auto k = RunCoursesync("--data " + data + " --format json categories");
  return c.out + k.out;
}

TEST(CrashTest, KilledRunLeavesNothingHalfDoneAndTheRerunCompletesIt) {
  // The embedded store's crash safety; PostgreSQL's is pg_crash_test.cc (a killed session).
  if (std::getenv("CS_TEST_PG_URL")) GTEST_SKIP() << "SQLite file crash test";
  int n = cs::testing::EnvInt("CS_CRASH_COURSES", 100000);
  if (n < 1000) n = 100000;  // too few lines to kill the run halfway through
  fs::path dir = MakeTempDir("cs-crash");
  std::string killed = (dir / "killed").string(), clean = (dir / "clean").string();
  ASSERT_EQ(RunCoursesync("--data " + killed + " init").exit_code, 0);
  ASSERT_EQ(RunCoursesync("--data " + clean + " init").exit_code, 0);
  WriteBigFile(fs::path(killed) / "files" / "uploadcourses.csv", n);
  WriteBigFile(fs::path(clean) / "files" / "uploadcourses.csv", n);

  int fd = -1;
  pid_t pid = Start(killed, &fd);
  ASSERT_GT(pid, 0);
  WaitForProgress(fd, n / 2);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  close(fd);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it could be killed";

  {
    auto db = store::Open("sqlite:" + killed + "/coursesync.db");
    EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM {course}"), 1);  // only the site course
    EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM {course_sections} WHERE course <> 1"), 0);
    EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM {context} WHERE contextlevel=50"), 1);
    EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM {course_categories}"), 1);
    auto check = db->Prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check->Step());
    EXPECT_EQ(check->Text(0), "ok");
  }
  EXPECT_TRUE(fs::exists(fs::path(killed) / "files" / "uploadcourses.csv"));
  EXPECT_TRUE(fs::is_empty(fs::path(killed) / "files" / "archives"));

  // The next run (the lock was released by the kernel) and an uninterrupted run agree.
  auto rerun = RunCoursesync("--data " + killed + " --quiet create");
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  auto uninterrupted = RunCoursesync("--data " + clean + " --quiet create");
  EXPECT_EQ(uninterrupted.exit_code, 0) << uninterrupted.err;
  // The killed run is in the history as interrupted, the re-run as completed.
  auto history = nlohmann::json::parse(
      RunCoursesync("--data " + killed + " --format json history --task create").out);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0]["status"], "completed");
  EXPECT_EQ(history[1]["status"], "interrupted");
  std::string a = Listing(killed), b = Listing(clean);
  EXPECT_GT(a.size(), 1000u);
  EXPECT_TRUE(a == b) << "the re-run state differs from an uninterrupted run";
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST(CrashTest, TwoConcurrentRunsOfOneTask) {
  fs::path dir = MakeTempDir("cs-conc");
  std::string data = (dir / "data").string();
  ASSERT_EQ(RunCoursesync("--data " + data + " init").exit_code, 0);
  WriteBigFile(fs::path(data) / "files" / "uploadcourses.csv", 50000);
  int fd = -1;
  pid_t pid = Start(data, &fd);
  WaitForProgress(fd, 2000);
  auto second = RunCoursesync("--data " + data + " create");
  EXPECT_EQ(second.exit_code, 3) << second.err;
  EXPECT_NE(second.err.find("another create run is in progress"), std::string::npos);
  // Another task is not blocked by the create lock.
  auto check = RunCoursesync("--data " + data + " check /dev/null");
  EXPECT_NE(check.exit_code, 3);
  std::string rest;
  char c;
  while (read(fd, &c, 1) == 1) rest += c;
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace cs::cli
