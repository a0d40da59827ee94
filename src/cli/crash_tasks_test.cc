// Crash safety of every writing task (issue 9): create, delete, reset, metas and cleancats
// --apply are each killed with SIGKILL several times at random moments of their run. After
// every kill the database passes SQLite's integrity check and the site's (sync/integrity.h);
// after the kills, running the task to its end gives exactly the database of an uninterrupted
// run on a copy of the same site (time stamps of the runs masked).
//
// The delays are random but seeded: the seed is printed, and CS_CRASH_SEED=N replays a run.
// CS_CRASH_KILLS=N changes the number of kills per task (default 6).
//
// SQLite only: on PostgreSQL a killed client's transaction is rolled back by the server (see
// pg_crash_test.cc), but sequences are not transactional, so ids after a killed run differ from
// an uninterrupted run's and the two databases cannot be compared row for row.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>

#include "cli/process_test_support.h"
#include "store/db.h"

namespace cs::cli {
namespace {

using cs::testing::DumpSqlite;
using cs::testing::MakeTempDir;
using cs::testing::RunChild;
using cs::testing::SiteProblems;
using cs::testing::StartCoursesync;
using cs::testing::WaitChild;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

uint64_t Seed() {
  if (const char* s = std::getenv("CS_CRASH_SEED"); s && *s) return std::strtoull(s, nullptr, 10);
  return std::random_device{}();
}

int Kills() { return cs::testing::EnvInt("CS_CRASH_KILLS", 6); }

void Must(const std::vector<std::string>& args) {
  auto [code, out] = RunChild(args);
  ASSERT_EQ(code, 0) << "coursesync";
}

std::vector<std::string> Shortnames(const std::string& data) {
  auto db = store::Open("sqlite:" + data + "/coursesync.db");
  auto st = db->Prepare("SELECT shortname FROM {course} WHERE id <> 1 ORDER BY id");
  std::vector<std::string> out;
  while (st->Step()) out.push_back(st->Text(0));
  return out;
}

void WriteLines(const fs::path& p, const std::string& header, int n,
                const std::function<std::string(int)>& line) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p);
  f << header << "\n";
  for (int i = 0; i < n; ++i) f << line(i) << "\n";
}

// A demo site: categories, courses with activities, users, enrolments, groups, grades...
void DemoSite(const std::string& data, int courses) {
  Must({"--data", data, "init"});
  Must({"--data", data, "demo", "--courses", std::to_string(courses), "--users", "10", "--seed",
        "5"});
}

// History rows of runs that started and never said how they ended: 'running' ones, and with
// `interrupted` those the next run marked so.
int64_t Running(const std::string& data, bool interrupted = false) {
  return store::Open("sqlite:" + data + "/coursesync.db")
      ->QueryInt(std::string("SELECT COUNT(*) FROM {tool_sync_runs} WHERE status = 'running'") +
                 (interrupted ? " OR status = 'interrupted'" : ""))
      .value_or(0);
}

struct Scenario {
  std::string name;
  std::function<void(const std::string& data)> setup;  // builds the site and its input
  std::vector<std::string> command;                    // after --data DIR
  std::string input;  // relative to the data folder; "" = the task has no input file
};

// The test itself: `scenario` on a reference copy run once, and on a copy killed again and
// again, then run to its end.
void KillAndCompare(const Scenario& s) {
  if (std::getenv("CS_TEST_PG_URL")) GTEST_SKIP() << "SQLite crash test (see the file comment)";
  const uint64_t seed = Seed();
  std::cout << "[ seed     ] " << s.name << ": CS_CRASH_SEED=" << seed << std::endl;
  SCOPED_TRACE("CS_CRASH_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);

  fs::path dir = MakeTempDir("cs-crashtasks");
  const std::string base = (dir / "base").string(), ref = (dir / "ref").string(),
                    killed = (dir / "killed").string();
  s.setup(base);
  if (::testing::Test::HasFatalFailure()) return;
  fs::copy(base, ref, fs::copy_options::recursive);
  fs::copy(base, killed, fs::copy_options::recursive);
  ASSERT_EQ(SiteProblems(base + "/coursesync.db"), "") << "the starting site is not sound";
  const int64_t t0 = std::time(nullptr);

  auto with_data = [&](const std::string& data) {
    std::vector<std::string> args{"--data", data};
    args.insert(args.end(), s.command.begin(), s.command.end());
    return args;
  };

  // The uninterrupted run, timed: the kills fall within its duration.
  auto start = Clock::now();
  auto [ref_code, ref_out] = RunChild(with_data(ref));
  const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  ASSERT_TRUE(ref_code == 0 || ref_code == 1) << ref_out;
  ASSERT_EQ(SiteProblems(ref + "/coursesync.db"), "");

  // Kills at random moments within the first 70% of the uninterrupted run's duration. A run
  // that ends before its kill (later runs are often faster than the first, and the machine's
  // load varies) finished the work: the series then starts again from a fresh copy of the
  // starting site, with delays below that run's duration, until the wanted number of kills.
  const int wanted = Kills();
  int kills = 0, in_run = 0, restarts = 0, attempts = 0;
  int64_t max_delay = duration.count() * 7 / 10;
  auto restart = [&] {
    ++restarts;
    fs::remove_all(killed);
    fs::copy(base, killed, fs::copy_options::recursive);
  };
  // A short run (clean empty categories under ASan) is mostly start-up, so kills may all land
  // before its work: the series goes on, within the same bound, until one lands inside it.
  while ((kills < wanted || in_run == 0) && attempts++ < 6 * wanted) {
    if (!s.input.empty() && !fs::exists(fs::path(killed) / s.input)) restart();  // all done
    int64_t us = std::uniform_int_distribution<int64_t>(0, max_delay)(rng);
    int64_t unfinished = Running(killed, true);
    auto t = Clock::now();
    pid_t pid = StartCoursesync(with_data(killed));
    ASSERT_GT(pid, 0);
    usleep(static_cast<useconds_t>(us));
    kill(pid, SIGKILL);
    int code = WaitChild(pid);
    auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t);
    SCOPED_TRACE("attempt " + std::to_string(attempts) + ", kill after " +
                 std::to_string(us / 1000) + " ms");
    ASSERT_EQ(SiteProblems(killed + "/coursesync.db"), "");
    if (code != -SIGKILL) {
      ASSERT_TRUE(code == 0 || code == 1) << "exit status " << code;
      max_delay = std::min(max_delay, elapsed.count() * 7 / 10);
      restart();
      continue;
    }
    ++kills;
    // A run killed between its start and its end leaves its history row 'running' (the next run
    // marks it interrupted): such a kill fell inside the run's work, not in its start-up.
    in_run += Running(killed, true) > unfinished;
  }
  std::cout << "[ kills    ] " << s.name << ": " << kills << " run(s) killed, " << in_run
            << " of them during their work, " << restarts
            << " series restarted; the uninterrupted run took " << duration.count() / 1000 << " ms"
            << std::endl;
  EXPECT_GE(kills, wanted);
  EXPECT_GT(in_run, 0) << "no run was killed during its work";

  // The run to the end: the same database as the uninterrupted run.
  if (s.input.empty() || fs::exists(fs::path(killed) / s.input)) {
    auto [code, out] = RunChild(with_data(killed));
    EXPECT_TRUE(code == 0 || code == 1) << out;
  }
  EXPECT_EQ(SiteProblems(killed + "/coursesync.db"), "");
  EXPECT_EQ(Running(killed), 0) << "a killed run is still 'running' in the history";
  const int64_t t1 = std::time(nullptr) + 1;
  std::string a = DumpSqlite(killed + "/coursesync.db", t0, t1);
  std::string b = DumpSqlite(ref + "/coursesync.db", t0, t1);
  EXPECT_GT(b.size(), 10000u);
  if (a != b) {
    // The first difference, rather than two dumps of megabytes.
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    size_t from = a.rfind("\n== ", i);
    std::string table =
        from == std::string::npos ? "" : a.substr(from + 1, a.find('\n', from + 1) - from - 1);
    size_t line = a.rfind('\n', i);
    line = line == std::string::npos ? 0 : line + 1;
    ADD_FAILURE() << "the database after kills and a re-run differs from an uninterrupted run's, "
                  << "first in " << table << ":\n  killed:    " << a.substr(line, 300)
                  << "\n  reference: " << b.substr(line, 300);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST(CrashTasksTest, Create) {
  KillAndCompare({"create",
                  [](const std::string& data) {
                    Must({"--data", data, "init"});
                    WriteLines(fs::path(data) / "files" / "uploadcourses.csv",
                               "shortname;fullname;category;numsections;summary", 30000, [](int i) {
                                 return "K" + std::to_string(i) + ";Course " + std::to_string(i) +
                                        ";F" + std::to_string(i % 7) + "/D" +
                                        std::to_string(i % 11) + "/P" + std::to_string(i % 13) +
                                        ";" + std::to_string(i % 5) + ";About " + std::to_string(i);
                               });
                  },
                  {"--quiet", "create"},
                  "files/uploadcourses.csv"});
}

TEST(CrashTasksTest, Delete) {
  KillAndCompare({"delete",
                  [](const std::string& data) {
                    DemoSite(data, 1000);
                    // Two courses out of three, by shortname.
                    auto names = Shortnames(data);
                    WriteLines(fs::path(data) / "files" / "deletecourses.csv", "shortname",
                               static_cast<int>(names.size()),
                               [&](int i) { return i % 3 ? names[i] : "NOT-" + names[i]; });
                  },
                  {"--quiet", "delete", "--force"},
                  "files/deletecourses.csv"});
}

TEST(CrashTasksTest, Reset) {
  KillAndCompare({"reset",
                  [](const std::string& data) {
                    DemoSite(data, 1000);
                    Must({"--data", data, "make-reset-file"});
                  },
                  {"--quiet", "reset"},
                  "files/resetcourses.csv"});
}

TEST(CrashTasksTest, Metas) {
  KillAndCompare({"metas",
                  [](const std::string& data) {
                    DemoSite(data, 1000);
                    // Course 2k+1 receives the participants of course 2k, and a chain of
                    // courses shares the first course's.
                    auto names = Shortnames(data);
                    int n = static_cast<int>(names.size());
                    WriteLines(fs::path(data) / "files" / "metacourses.csv", "master;meta;cmd",
                               n - 1, [&](int i) {
                                 return i % 2 ? names[0] + ";" + names[i + 1] + ";add"
                                              : names[i] + ";" + names[i + 1] + ";add";
                               });
                  },
                  {"--quiet", "metas"},
                  "files/metacourses.csv"});
}

TEST(CrashTasksTest, Cleancats) {
  KillAndCompare(
      {"cleancats",
       [](const std::string& data) {
         // 3,000 categories emptied by deleting their courses, next to kept ones.
         Must({"--data", data, "init"});
         fs::path files = fs::path(data) / "files";
         WriteLines(files / "uploadcourses.csv", "shortname;fullname;category", 3000, [](int i) {
           return "E" + std::to_string(i) + ";Empty " + std::to_string(i) + ";T" +
                  std::to_string(i % 4) + "/S" + std::to_string(i % 60) + "/L" + std::to_string(i);
         });
         Must({"--data", data, "--quiet", "create"});
         WriteLines(files / "deletecourses.csv", "shortname", 3000, [](int i) {
           return i % 100 ? "E" + std::to_string(i) : "NOT-E" + std::to_string(i);
         });
         auto [code, out] = RunChild({"--data", data, "--quiet", "delete", "--force"});
         ASSERT_EQ(code, 1) << out;  // the NOT- lines are missing
       },
       {"--quiet", "cleancats", "--apply"},
       ""});
}

}  // namespace
}  // namespace cs::cli
