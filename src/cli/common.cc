#include "cli/common.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "sync/errors.h"
#include "sync/site_init.h"

namespace fs = std::filesystem;

namespace cs::cli {

std::string DataDir(const Globals& g) {
  if (!g.data.empty()) return g.data;
  if (const char* env = std::getenv("COURSESYNC_DATA"); env && *env) return env;
  return "coursesync-data";
}

std::string DbUrl(const Globals& g) {
  return g.db.empty() ? "sqlite:" + (fs::path(DataDir(g)) / "coursesync.db").string() : g.db;
}

Site OpenSite(const Globals& g) {
  Site s;
  std::string data = DataDir(g);
  std::error_code ec;
  fs::create_directories(data, ec);
  if (ec) throw sync::Rejected("cannot create data folder " + data + ": " + ec.message());
  s.area = std::make_unique<sync::FileArea>(data);
  s.url = DbUrl(g);
  // An SQLite database needs its folder writable (its -wal and -shm files live there), even to
  // be read: say so plainly rather than SQLite's "unable to open database file".
  if (s.url.rfind("postgres", 0) != 0) {
    fs::path file = s.url.rfind("sqlite:", 0) == 0 ? s.url.substr(7) : s.url;
    fs::path folder = file.parent_path().empty() ? fs::path(".") : file.parent_path();
    if (file != ":memory:" && ::access(folder.c_str(), W_OK) != 0 && errno != ENOENT) {
      throw sync::Rejected("cannot use the database " + file.string() + ": its folder " +
                           folder.string() + " is not writable (" + std::strerror(errno) +
                           "); nothing was changed");
    }
  }
  s.db = store::Open(s.url);
  sync::EnsureSite(*s.db);
  return s;
}

void PrintJson(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

}  // namespace cs::cli
