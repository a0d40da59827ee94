// Test helpers (header only, used by *_test.cc): a throw-away data folder holding a real, seeded
// SQLite site, table counts and whole-database dumps for before/after comparisons, and a runner
// for the real coursesync binary.
#pragma once

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "store/db.h"
#include "sync/file_area.h"
#include "sync/site_init.h"

namespace cs::testing {

namespace fs = std::filesystem;

inline fs::path MakeTempDir(const std::string& tag = "cs") {
  std::string tmpl = (fs::temp_directory_path() / (tag + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

struct TempSite {
  fs::path dir;
  std::unique_ptr<store::Db> db;
  std::unique_ptr<sync::FileArea> area;

  TempSite() : dir(MakeTempDir("cs-site")) {
    db = store::Open("sqlite:" + (dir / "coursesync.db").string());
    sync::InitSite(*db);
    area = std::make_unique<sync::FileArea>(dir);
    area->EnsureDirs();
  }
  ~TempSite() {
    db.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string db_path() const { return (dir / "coursesync.db").string(); }
  // Writes `content` (bytes as given) to files/<name> and returns the path.
  fs::path WriteFile(const std::string& name, const std::string& content) const {
    fs::path p = area->files_dir() / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  int64_t Count(const std::string& table, const std::string& where = "1=1") {
    return db->QueryInt("SELECT COUNT(*) FROM {" + table + "} WHERE " + where).value_or(-1);
  }
  // Every row of every table (except the run history), for "nothing changed" assertions.
  std::string Dump() {
    std::ostringstream out;
    auto tables = db->Prepare(
        "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'mdl_%' "
        "AND name <> 'mdl_tool_sync_runs' ORDER BY name");
    std::vector<std::string> names;
    while (tables->Step()) names.push_back(tables->Text(0));
    for (const auto& t : names) {
      out << "== " << t << "\n";
      auto st = db->Prepare("SELECT * FROM " + t + " ORDER BY 1");
      while (st->Step()) {
        for (int i = 0; i < st->ColumnCount(); ++i) {
          out << (st->IsNull(i) ? std::string("NULL") : st->Text(i)) << "|";
        }
        out << "\n";
      }
    }
    return out.str();
  }
};

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the built coursesync binary with `args` (a shell-quoted string), stdin from `input`.
inline CliResult RunCoursesync(const std::string& args, const std::string& input = "") {
  const char* bin_dir = std::getenv("CS_BINARY_DIR");
  fs::path bin = fs::path(bin_dir ? bin_dir : ".") / "coursesync";
  fs::path tmp = MakeTempDir("cs-cli");
  std::ofstream(tmp / "in", std::ios::binary) << input;
  std::string cmd = bin.string() + " " + args + " <" + (tmp / "in").string() + " >" +
                    (tmp / "out").string() + " 2>" + (tmp / "err").string();
  int rc = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  auto slurp = [](const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  };
  r.out = slurp(tmp / "out");
  r.err = slurp(tmp / "err");
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return r;
}

}  // namespace cs::testing
