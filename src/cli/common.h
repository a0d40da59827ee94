// What every command shares: the global options, opening the site (data folder, database,
// schema), and JSON output.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "store/db.h"
#include "sync/file_area.h"

namespace cs::cli {

struct Globals {
  std::string data;
  std::string db;
  std::string format = "text";
  bool quiet = false;
  bool progress = false;
  bool json() const { return format == "json"; }
};

struct Site {
  std::unique_ptr<store::Db> db;
  std::unique_ptr<sync::FileArea> area;
  std::string url;  // the database URL used (for connections of worker threads)
};

std::string DataDir(const Globals& g);
std::string DbUrl(const Globals& g);
// Opens the site, creating the data folder and installing/upgrading the schema as needed.
Site OpenSite(const Globals& g);
void PrintJson(const nlohmann::json& j);

}  // namespace cs::cli
