// Failure modes of the environment (issue 9): a full disk under the database or under the file
// area (report, tryback file, archive), a read-only data folder, and a database locked by another
// process. Each run fails with a message naming the file or database, the exit status of the
// contract, and loses nothing: the database as before (dump compare), the input in place, no
// stray file in the file area; once the fault is gone, the same command completes.
//
// A full disk is simulated with RLIMIT_FSIZE in the child (a write past the limit fails with
// EFBIG; SIGXFSZ ignored), which needs no privilege; when a tmpfs can be mounted (root in a
// container with CAP_SYS_ADMIN), one more test fills a real file system (ENOSPC). The read-only
// folder is a read-only bind mount (root) or chmod 0555 (anyone else; root ignores modes).
//
// SQLite only: these are faults of the data folder's file system and of the embedded database
// (the PostgreSQL server's side is pg_crash_test.cc).
#include <gtest/gtest.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli/process_test_support.h"
#include "store/db.h"

namespace cs::cli {
namespace {

using cs::testing::DumpSqlite;
using cs::testing::FilesUnder;
using cs::testing::MakeTempDir;
using cs::testing::RunChild;
using cs::testing::SiteProblems;
namespace fs = std::filesystem;

constexpr rlim_t kMiB = 1024 * 1024;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class FailureModesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("CS_TEST_PG_URL")) GTEST_SKIP() << "SQLite and file system faults";
    dir_ = MakeTempDir("cs-faults");
    data_ = (dir_ / "data").string();
    db_ = data_ + "/coursesync.db";
    ASSERT_EQ(Run({"init"}).first, 0);
    // 20 courses to delete from.
    std::ofstream f(Files() / "uploadcourses.csv");
    f << "shortname;fullname;category\n";
    for (int i = 1; i <= 20; ++i)
      f << "DEL-" << i << ";Course " << i << ";Dept/Year " << i % 3 << "\n";
    f.close();
    ASSERT_EQ(Run({"create"}).first, 0);
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  fs::path Files() const { return fs::path(data_) / "files"; }
  std::pair<int, std::string> Run(std::vector<std::string> args, cs::testing::ChildOptions o = {}) {
    args.insert(args.begin(), {"--data", data_});
    return RunChild(args, o);
  }
  void Config(const std::string& key, const std::string& value) {
    ASSERT_EQ(Run({"config", "set", key, value}).first, 0);
  }
  // A deletion file: DEL-1, then `padding` identifiers of about 260 bytes that name no course
  // (each one a `missing` line in the report and the tryback file), about 1.6 MB in all.
  void WriteDeleteFile(const fs::path& p, int padding = 6000) {
    std::ofstream f(p);
    f << "shortname\nDEL-1\n";
    for (int i = 0; i < padding; ++i) f << "NOPE-" << i << "-" << std::string(250, 'x') << "\n";
  }
  int64_t Courses() {
    return store::Open("sqlite:" + db_)->QueryInt("SELECT COUNT(*) FROM {course}").value_or(-1);
  }

  // What must hold after a failed run: the database and the file area as `before`, the site
  // sound.
  struct State {
    std::string dump;
    std::vector<std::string> files;
  };
  State Now() { return {DumpSqlite(db_), FilesUnder(Files())}; }
  void ExpectUnchanged(const State& before) {
    State after = Now();
    EXPECT_TRUE(after.dump == before.dump) << "the database changed";
    EXPECT_EQ(after.files, before.files) << "the file area changed";
    EXPECT_EQ(SiteProblems(db_), "");
  }

  fs::path dir_;
  std::string data_, db_;
};

TEST_F(FailureModesTest, DatabaseCannotGrow) {
  {
    std::ofstream f(Files() / "uploadcourses.csv");
    f << "shortname;fullname;category\n";
    for (int i = 0; i < 3000; ++i) f << "N" << i << ";New " << i << ";A/B" << i % 10 << "\n";
  }
  Config("storereport", "0");  // else the report, written before the commit, fails first
  State before = Now();
  // The run's changes (several MB in the write-ahead log) cannot be written past 256 KiB.
  auto [code, out] = Run({"create"}, {.file_size_limit = 256 * 1024});
  EXPECT_EQ(code, 1) << out;
  EXPECT_TRUE(Contains(out, "SQLite " + db_ + ": ")) << out;
  EXPECT_TRUE(Contains(out, "full") || Contains(out, "too large") || Contains(out, "I/O")) << out;
  ExpectUnchanged(before);
  EXPECT_TRUE(fs::exists(Files() / "uploadcourses.csv"));

  auto [again, again_out] = Run({"create"});
  EXPECT_EQ(again, 0) << again_out;
  EXPECT_EQ(Courses(), 3021);
}

TEST_F(FailureModesTest, DatabaseOnAFullFileSystem) {
  fs::path mnt = dir_ / "tiny";
  fs::create_directories(mnt);
  std::string mount = "mount -t tmpfs -o size=64m tmpfs " + mnt.string() + " 2>/dev/null";
  if (std::system(mount.c_str()) != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN); "
                    "DatabaseCannotGrow covers a database that cannot grow";
  }
  struct Unmount {
    fs::path p;
    ~Unmount() { [[maybe_unused]] int r = std::system(("umount -l " + p.string()).c_str()); }
  } unmount{mnt};
  const std::string db = (mnt / "site.db").string();
  ASSERT_EQ(Run({"--db", "sqlite:" + db, "init"}).first, 0);
  {
    std::ofstream f(Files() / "uploadcourses.csv");
    f << "shortname;fullname;category\n";
    for (int i = 0; i < 5000; ++i) f << "N" << i << ";New " << i << ";A/B" << i % 10 << "\n";
  }
  // Fill the file system but for 256 KiB.
  {
    struct statvfs s {};
    ASSERT_EQ(statvfs(mnt.c_str(), &s), 0);
    int64_t free_bytes = static_cast<int64_t>(s.f_bavail) * static_cast<int64_t>(s.f_frsize);
    std::ofstream filler(mnt / "filler", std::ios::binary);
    filler << std::string(static_cast<size_t>(std::max<int64_t>(0, free_bytes - 256 * 1024)), 'f');
  }
  const std::string before = DumpSqlite(db);
  const auto files_before = FilesUnder(Files());
  auto [code, out] = Run({"--db", "sqlite:" + db, "create"});
  EXPECT_EQ(code, 1) << out;
  EXPECT_TRUE(Contains(out, "SQLite " + db + ": database or disk is full")) << out;
  EXPECT_TRUE(DumpSqlite(db) == before) << "the database changed";
  EXPECT_EQ(FilesUnder(Files()), files_before);
  EXPECT_EQ(SiteProblems(db), "");

  fs::remove(mnt / "filler");
  auto [again, again_out] = Run({"--db", "sqlite:" + db, "create"});
  EXPECT_EQ(again, 0) << again_out;
}

TEST_F(FailureModesTest, ReportCannotBeWritten) {
  Config("filefailed", "0");
  WriteDeleteFile(Files() / "deletecourses.csv");
  State before = Now();
  auto [code, out] = Run({"delete"}, {.file_size_limit = kMiB});
  EXPECT_EQ(code, 1) << out;
  EXPECT_TRUE(Contains(out, "cannot write report file " + data_ + "/files/reports/")) << out;
  EXPECT_TRUE(Contains(out, "File too large")) << out;
  ExpectUnchanged(before);
  EXPECT_EQ(Courses(), 21);  // DEL-1 is still there

  auto [again, again_out] = Run({"delete"});
  EXPECT_EQ(again, 1) << again_out;  // the missing lines
  EXPECT_EQ(Courses(), 20);
  EXPECT_FALSE(fs::exists(Files() / "deletecourses.csv"));
}

TEST_F(FailureModesTest, TrybackCannotBeWritten) {
  Config("storereport", "0");
  WriteDeleteFile(Files() / "deletecourses.csv");
  State before = Now();
  auto [code, out] = Run({"delete"}, {.file_size_limit = kMiB});
  EXPECT_EQ(code, 1) << out;
  EXPECT_TRUE(Contains(out, "cannot write tryback file " + data_ + "/files/failed/deletecourses_"))
      << out;
  ExpectUnchanged(before);
  EXPECT_EQ(Courses(), 21);
}

TEST_F(FailureModesTest, ArchiveCannotBeWritten) {
  // A file from outside the data folder is copied into the archive: the copy fails.
  Config("storereport", "0");
  Config("filefailed", "0");
  fs::path outside = dir_ / "mine.csv";
  WriteDeleteFile(outside);
  const std::string content = cs::testing::Slurp(outside);
  State before = Now();
  auto [code, out] = Run({"delete", outside.string()}, {.file_size_limit = kMiB});
  EXPECT_EQ(code, 1) << out;
  EXPECT_TRUE(
      Contains(out, "cannot archive " + outside.string() + " as " + data_ + "/files/archives/"))
      << out;
  ExpectUnchanged(before);
  EXPECT_EQ(cs::testing::Slurp(outside), content);
  EXPECT_EQ(Courses(), 21);
}

// Makes `data` read-only for this process and its children; returns how, or "" when nothing
// works. Undone by the returned guard's destructor.
struct ReadOnly {
  std::string how;
  fs::path path;
  ~ReadOnly() {
    if (how == "bind mount") {
      [[maybe_unused]] int r = std::system(("umount " + path.string()).c_str());
    } else if (how == "chmod") {
      std::error_code ec;
      for (const auto& e : fs::recursive_directory_iterator(path, ec)) {
        fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add, ec);
      }
      fs::permissions(path, fs::perms::owner_write, fs::perm_options::add, ec);
    }
  }
};

void MakeReadOnly(const fs::path& data, ReadOnly& ro) {
  ro.path = data;
  if (geteuid() == 0) {
    // Root ignores file modes: a read-only bind mount of the folder onto itself.
    std::string p = data.string();
    if (std::system(("mount --bind " + p + " " + p + " 2>/dev/null").c_str()) == 0) {
      if (std::system(("mount -o remount,bind,ro " + p + " 2>/dev/null").c_str()) == 0) {
        ro.how = "bind mount";
      } else {
        [[maybe_unused]] int r = std::system(("umount " + p).c_str());
      }
    }
    return;
  }
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(data, ec)) {
    fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::remove, ec);
  }
  fs::permissions(data, fs::perms::owner_write, fs::perm_options::remove, ec);
  ro.how = "chmod";
}

TEST_F(FailureModesTest, ReadOnlyDataFolder) {
  {
    std::ofstream f(Files() / "uploadcourses.csv");
    f << "shortname;fullname;category\nRO-1;Read only;A/B\n";
  }
  // A second database outside the data folder, to see the data folder alone read-only.
  const std::string other = (dir_ / "other.db").string();
  ASSERT_EQ(Run({"--db", "sqlite:" + other, "init"}).first, 0);
  State before = Now();
  const std::string other_before = DumpSqlite(other);
  {
    ReadOnly ro;
    MakeReadOnly(data_, ro);
    if (ro.how.empty()) {
      GTEST_SKIP() << "running as root and cannot bind-mount: no way to make a folder read-only";
    }
    SCOPED_TRACE("read-only by " + ro.how);
    // The database in the read-only folder: refused before anything is opened for writing.
    auto [code, out] = Run({"create"});
    EXPECT_EQ(code, 2) << out;
    EXPECT_TRUE(Contains(
        out, "cannot use the database " + db_ + ": its folder " + data_ + " is not writable"))
        << out;
    // The database elsewhere: the run cannot take its lock in the data folder.
    auto [code2, out2] = Run({"--db", "sqlite:" + other, "create"});
    EXPECT_EQ(code2, 2) << out2;
    EXPECT_TRUE(Contains(out2, "cannot open lock file " + data_ + "/locks/create.lock")) << out2;
  }
  ExpectUnchanged(before);
  EXPECT_TRUE(DumpSqlite(other) == other_before);
  EXPECT_TRUE(fs::exists(Files() / "uploadcourses.csv"));
  auto [again, again_out] = Run({"create"});
  EXPECT_EQ(again, 0) << again_out;
  EXPECT_EQ(Courses(), 22);
}

TEST_F(FailureModesTest, DatabaseLockedByAnotherProcess) {
  {
    std::ofstream f(Files() / "uploadcourses.csv");
    f << "shortname;fullname;category\nLK-1;Locked;A/B\n";
  }
  State before = Now();
  // Another process holds a write transaction until we close its pipe.
  int ready[2], release[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(release), 0);
  pid_t holder = fork();
  if (holder == 0) {
    close(ready[0]);
    close(release[1]);
    {
      auto db = store::Open("sqlite:" + db_);
      db->Begin();  // BEGIN IMMEDIATE: the write lock
      db->Execute("UPDATE {config} SET value = value");
      char c = 1;
      if (write(ready[1], &c, 1) != 1) _exit(1);
      [[maybe_unused]] ssize_t n = read(release[0], &c, 1);  // until the test closes it
    }
    _exit(0);  // without committing
  }
  close(ready[1]);
  close(release[0]);
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);

  auto start = std::chrono::steady_clock::now();
  auto [code, out] = Run({"create"});
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  close(release[1]);
  cs::testing::WaitChild(holder);
  close(ready[0]);

  EXPECT_EQ(code, 1) << out;
  EXPECT_TRUE(Contains(out, "SQLite " + db_ +
                                ": database is locked (another process holds a "
                                "write transaction on it; gave up after 5 s)"))
      << out;
  EXPECT_GE(waited, 4.5) << "the busy timeout was not waited for";
  EXPECT_LT(waited, 30.0);
  ExpectUnchanged(before);

  auto [again, again_out] = Run({"create"});
  EXPECT_EQ(again, 0) << again_out;
  EXPECT_EQ(Courses(), 22);
}

}  // namespace
}  // namespace cs::cli
