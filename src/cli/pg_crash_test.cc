// A creation run whose PostgreSQL server process is killed half way (pg_terminate_backend, as a
// server crash or a network cut looks to the client): exit status 1 with the reason, the database
// as it was before the run, the input file in place, and a re-run completes the work. Skipped
// unless CS_TEST_PG_URL names a server (scripts/pg-test-server.sh).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "store/pg_db.h"
#include "sync/test_support.h"

namespace cs::cli {
namespace {

using cs::testing::MakeTempDir;
using cs::testing::PgTestDatabase;
using cs::testing::RunCoursesync;
using cs::testing::TestPgUrl;
namespace fs = std::filesystem;

TEST(PgCrashTest, ServerProcessKilledMidRunLeavesTheDatabaseAsBeforeAndExits1) {
  if (!TestPgUrl()) GTEST_SKIP() << "CS_TEST_PG_URL is not set";
  PgTestDatabase pg;
  fs::path dir = MakeTempDir("cs-pgcrash");
  const std::string data = (dir / "data").string();
  const std::string args = "--data " + data + " --db '" + pg.url() + "'";
  ASSERT_EQ(RunCoursesync(args + " init").exit_code, 0);
  auto listing = [&] {
    return RunCoursesync(args + " --format json courses").out +
           RunCoursesync(args + " --format json categories").out;
  };
  const std::string before = listing();
  const fs::path input = fs::path(data) / "files" / "uploadcourses.csv";
  {
    std::ofstream f(input);
    f << "shortname;fullname;category\n";
    for (int i = 0; i < 20000; ++i) f << "K" << i << ";Course " << i << ";F" << i % 7 << "/D\n";
  }

  // The run, its progress on a pipe.
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 2);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    close(fds[0]);
    execl(cs::testing::CoursesyncBinary().c_str(), "coursesync", "--data", data.c_str(), "--db",
          pg.url().c_str(), "--progress", "create", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  // Once 2,000 records are done, kill every server process of the run's database but ours.
  std::string err, line;
  char c;
  bool killed = false;
  while (read(fds[0], &c, 1) == 1) {
    err += c;
    if (c != '\r' && c != '\n') {
      line += c;
      continue;
    }
    size_t colon = line.find(": ");
    if (!killed && colon != std::string::npos && std::atol(line.c_str() + colon + 2) >= 2000) {
      auto admin = store::Open(TestPgUrl());
      killed = admin
                   ->QueryInt(
                       "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM "
                       "pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()) k",
                       pg.name())
                   .value_or(0) > 0;
    }
    line.clear();
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(killed) << "the run ended before it could be killed: " << err;
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << err;
  EXPECT_NE(err.find("connection to the server lost"), std::string::npos) << err;
  EXPECT_NE(err.find(pg.name()), std::string::npos) << err;
  EXPECT_EQ(err.find(store::ParsePgUrl(TestPgUrl()).password), std::string::npos) << err;
  EXPECT_TRUE(fs::exists(input));
  EXPECT_EQ(listing(), before);

  // The next run does the whole file.
  auto rerun = RunCoursesync(args + " --quiet create");
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  auto db = store::Open(pg.url());
  EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM {course}"), 20001);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace cs::cli
