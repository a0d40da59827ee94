// Test helpers for the crash and failure-mode tests (header only): start the coursesync binary
// as a child process (optionally under a file size limit, as a full disk looks to it), kill it,
// and dump a SQLite site with the run's time stamps masked, so that two sites that went through
// the same runs at different seconds compare equal.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "store/db.h"
#include "sync/integrity.h"
#include "sync/test_support.h"

namespace cs::testing {

struct ChildOptions {
  // RLIMIT_FSIZE for the child (0 = none): a write past this many bytes of any file fails with
  // EFBIG (SIGXFSZ is ignored), the way a full disk fails a write with ENOSPC.
  rlim_t file_size_limit = 0;
  std::string out_file = "/dev/null";  // the child's stdout and stderr go here
};

// Starts `coursesync args...`; returns its pid.
inline pid_t StartCoursesync(const std::vector<std::string>& args, const ChildOptions& o = {}) {
  std::string bin = CoursesyncBinary();
  std::vector<std::string> all{"coursesync"};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int out = ::open(o.out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = ::open("/dev/null", O_RDONLY);
    if (out >= 0) {
      dup2(out, 1);
      dup2(out, 2);
    }
    if (in >= 0) dup2(in, 0);
    if (o.file_size_limit > 0) {
      struct rlimit rl = {o.file_size_limit, o.file_size_limit};
      setrlimit(RLIMIT_FSIZE, &rl);
      signal(SIGXFSZ, SIG_IGN);
    }
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

// Waits for `pid`; returns its exit status, or -signal when a signal ended it.
inline int WaitChild(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Runs coursesync to the end; returns {exit status, stdout+stderr}.
inline std::pair<int, std::string> RunChild(const std::vector<std::string>& args,
                                            ChildOptions o = {}) {
  std::filesystem::path dir = MakeTempDir("cs-child");
  o.out_file = (dir / "out").string();
  int code = WaitChild(StartCoursesync(args, o));
  std::string out = Slurp(dir / "out");
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return {code, out};
}

// The SQLite database at `db_path` as DumpDatabase() prints it (time stamps in [from, to] read
// "T").
inline std::string DumpSqlite(const std::string& db_path, int64_t from = 1, int64_t to = 0) {
  auto db = store::Open("sqlite:" + db_path);
  return DumpDatabase(*db, from, to);
}

// SQLite's own check and the site's (sync/integrity.h): "" when both are clean.
inline std::string SiteProblems(const std::string& db_path) {
  auto db = store::Open("sqlite:" + db_path);
  std::string problems;
  auto check = db->Prepare("PRAGMA integrity_check");
  while (check->Step()) {
    if (check->Text(0) != "ok") problems += "sqlite: " + check->Text(0) + "\n";
  }
  problems += sync::IntegrityText(sync::CheckIntegrity(*db));
  return problems;
}

// Files (recursively) under `dir`, relative to it.
inline std::vector<std::string> FilesUnder(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file()) out.push_back(std::filesystem::relative(e.path(), dir).string());
  }
  return out;
}

}  // namespace cs::testing
