#include "cli/common.h"

#include <cstdlib>
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
  s.db = store::Open(s.url);
  sync::EnsureSite(*s.db);
  return s;
}

void PrintJson(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

}  // namespace cs::cli
