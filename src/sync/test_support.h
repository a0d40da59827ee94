// Test helpers (header only, used by *_test.cc): a throw-away data folder holding a real, seeded
// site, table counts and whole-database dumps for before/after comparisons, and a runner for the
// real coursesync binary.
//
// The site's database is SQLite in the data folder, or, when the environment variable
// CS_TEST_PG_URL names a PostgreSQL server's maintenance database
// (postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres, see scripts/pg-test-server.sh), a fresh
// database on that server, created for the test and dropped at its end.
#pragma once

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/db.h"
#include "store/pg_db.h"
#include "store/schema.h"
#include "sync/file_area.h"
#include "sync/site_init.h"

namespace cs::testing {

namespace fs = std::filesystem;

inline fs::path MakeTempDir(const std::string& tag = "cs") {
  std::string tmpl = (fs::temp_directory_path() / (tag + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

// The PostgreSQL server the tests use (CS_TEST_PG_URL), or nullptr: SQLite.
inline const char* TestPgUrl() {
  const char* url = std::getenv("CS_TEST_PG_URL");
  return url && *url ? url : nullptr;
}

using store::PgUrlWithDatabase;

// A database of its own on the test server: created (empty, or a copy of `template_db`) by the
// constructor, dropped by the destructor, whoever is still connected to it.
class PgTestDatabase {
 public:
  explicit PgTestDatabase(const std::string& template_db = "") {
    if (!TestPgUrl()) throw std::runtime_error("CS_TEST_PG_URL is not set");
    static int counter = 0;
    std::random_device rd;
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%06x", static_cast<unsigned>(rd()) & 0xffffffu);
    name_ = "cs_t" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" + suffix;
    Create(name_, template_db);
    server_ = TestPgUrl();
    url_ = PgUrlWithDatabase(server_, name_);
  }
  ~PgTestDatabase() {
    try {
      store::Open(server_)->Exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // An empty UTF-8 database with byte-order collation (ORDER BY as on SQLite), or a copy.
  static void Create(const std::string& name, const std::string& template_db) {
    store::Open(TestPgUrl())
        ->Exec("CREATE DATABASE " + name +
               (template_db.empty()
                    ? std::string(" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
                    : " TEMPLATE " + template_db));
  }

  // A seeded site (schema + InitSite) to copy: built once per server and per version of the
  // schema and seed (a hash of their sources), under an advisory lock so concurrent test
  // processes build it once.
  static std::string SiteTemplate() {
    static std::string name;
    if (!name.empty()) return name;
    std::string key = std::to_string(store::SchemaVersion());
    for (const auto& t : store::Tables()) {
      key += store::CreateTableSql(t, store::Dialect::kPostgres, "");
    }
#ifdef CS_SOURCE_DIR
    for (const char* f :
         {"/src/store/schema.cc", "/src/store/schema_tables.cc", "/src/sync/site_init.cc"}) {
      std::ifstream in(std::string(CS_SOURCE_DIR) + f, std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      key += s.str();
    }
#endif
    char hash[20];
    std::snprintf(hash, sizeof hash, "%016zx", std::hash<std::string>{}(key));
    std::string tpl = std::string("cs_tpl_") + hash;
    auto admin = store::Open(TestPgUrl());
    admin->QueryInt("SELECT 1 FROM (SELECT pg_advisory_lock(7301955)) l");
    if (!admin->QueryInt("SELECT 1 FROM pg_database WHERE datname = ?", tpl)) {
      std::string building = tpl + "_" + std::to_string(getpid());
      admin->Exec("DROP DATABASE IF EXISTS " + building + " WITH (FORCE)");
      Create(building, "");
      {
        auto db = store::Open(PgUrlWithDatabase(TestPgUrl(), building));
        sync::InitSite(*db);
      }
      admin->Exec("ALTER DATABASE " + building + " RENAME TO " + tpl);
    }
    admin->QueryInt("SELECT 1 FROM (SELECT pg_advisory_unlock(7301955)) l");
    name = tpl;
    return name;
  }

 private:
  std::string name_;
  std::string server_;  // the maintenance database's URL
  std::string url_;
};

// What a test that runs the binary on a fresh data folder adds to its arguments: "" on SQLite
// (the database lives in the data folder), `--db 'URL'` of a new empty database on PostgreSQL
// (dropped when the test process exits).
inline std::string TestDbArg() {
  if (!TestPgUrl()) return "";
  // Created first: its connection initialises libpq's OpenSSL, which registers its clean-up at
  // exit then. The list below is constructed after it, so it is destroyed (its databases dropped,
  // which connects again) before that clean-up runs, not after.
  auto db = std::make_unique<PgTestDatabase>();
  static std::vector<std::unique_ptr<PgTestDatabase>> databases;
  databases.push_back(std::move(db));
  return "--db '" + databases.back()->url() + "'";
}

// Every row of every mdl_ table but the run history, table by table in id order: what
// "nothing changed" tests compare. Integers in [stamp_from, stamp_to] (time stamps written by
// runs in that interval) read "T"; by default none do.
inline std::string DumpDatabase(store::Db& db, int64_t stamp_from = 1, int64_t stamp_to = 0) {
  std::ostringstream out;
  auto tables =
      db.Prepare(db.dialect() == store::Dialect::kSqlite
                     ? "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'mdl_%' "
                       "AND name <> 'mdl_tool_sync_runs' ORDER BY name"
                     : "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                       "current_schema() AND table_type = 'BASE TABLE' AND table_name LIKE 'mdl_%' "
                       "AND table_name <> 'mdl_tool_sync_runs' ORDER BY table_name");
  std::vector<std::string> names;
  while (tables->Step()) names.push_back(tables->Text(0));
  for (const auto& t : names) {
    out << "== " << t << "\n";
    auto st = db.Prepare("SELECT * FROM " + t + " ORDER BY 1");
    while (st->Step()) {
      for (int i = 0; i < st->ColumnCount(); ++i) {
        std::string v = st->IsNull(i) ? std::string("NULL") : st->Text(i);
        if (stamp_from <= stamp_to && !v.empty() && v.size() <= 12 &&
            v.find_first_not_of("0123456789") == std::string::npos) {
          int64_t n = std::stoll(v);
          if (n >= stamp_from && n <= stamp_to) v = "T";
        }
        out << v << "|";
      }
      out << "\n";
    }
  }
  return out.str();
}

struct TempSite {
  fs::path dir;
  std::unique_ptr<PgTestDatabase> pg;  // the site's database on PostgreSQL, else null
  std::string db_url;                  // what --db would say
  std::unique_ptr<store::Db> db;
  std::unique_ptr<sync::FileArea> area;

  TempSite() : dir(MakeTempDir("cs-site")) {
    if (TestPgUrl()) {
      pg = std::make_unique<PgTestDatabase>(PgTestDatabase::SiteTemplate());
      db_url = pg->url();
    } else {
      db_url = "sqlite:" + (dir / "coursesync.db").string();
    }
    db = store::Open(db_url);
    // EnsureSite, as every command does: a copy of the seeded template is left as it is (InitSite
    // would compare every table and index with the schema, half a second per test on
    // PostgreSQL), a new SQLite file is initialised.
    sync::EnsureSite(*db);
    area = std::make_unique<sync::FileArea>(dir);
    area->EnsureDirs();
  }
  ~TempSite() {
    db.reset();
    pg.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  bool postgres() const { return pg != nullptr; }
  // The SQLite database file (SQLite only).
  std::string db_path() const { return (dir / "coursesync.db").string(); }
  // For RunCoursesync("--data " + dir + " " + DbArg() + ...): "" on SQLite, --db 'URL' on PG.
  std::string DbArg() const { return pg ? "--db '" + db_url + "'" : ""; }
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
  std::string Dump() { return DumpDatabase(*db); }
};

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A test's knob from the environment (CS_CRASH_KILLS=3): its integer value, or `fallback` when
// unset or empty.
inline int EnvInt(const char* name, int fallback) {
  const char* s = std::getenv(name);
  return s && *s ? std::atoi(s) : fallback;
}

// Runs the built coursesync binary with `args` (a shell-quoted string), stdin from `input`.
// The built coursesync binary (CS_BINARY_DIR is set by CTest for every test).
inline std::string CoursesyncBinary() {
  const char* d = std::getenv("CS_BINARY_DIR");
  return (fs::path(d ? d : ".") / "coursesync").string();
}

inline CliResult RunCoursesync(const std::string& args, const std::string& input = "") {
  fs::path tmp = MakeTempDir("cs-cli");
  std::ofstream(tmp / "in", std::ios::binary) << input;
  std::string cmd = CoursesyncBinary() + " " + args + " <" + (tmp / "in").string() + " >" +
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
