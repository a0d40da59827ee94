// Helpers for the benchmark programs: timing, peak memory, fresh sites, generated files.
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bench/generator.h"
#include "store/db.h"
#include "store/pg_db.h"
#include "sync/file_area.h"
#include "sync/settings.h"
#include "sync/site_init.h"

namespace cs::bench {

namespace fs = std::filesystem;

inline double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// CPU seconds (user + system) used by this process so far: unlike wall time, it does not grow
// when other processes load the machine.
inline double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Times one phase: wall and CPU seconds.
struct Phase {
  std::chrono::steady_clock::time_point wall0 = std::chrono::steady_clock::now();
  double cpu0 = CpuSeconds();
  double wall() const { return Seconds(wall0); }
  double cpu() const { return CpuSeconds() - cpu0; }
};

// CPU seconds (user + system) used so far by the PostgreSQL server process serving `db`, read
// from /proc (a server on this machine); -1 on SQLite or when it cannot be read. The work a
// PostgreSQL run does is mostly there, not in the client's CpuSeconds().
inline double ServerCpuSeconds(store::Db& db) {
  auto* pg = dynamic_cast<store::PgDb*>(&db);
  if (!pg) return -1;
  std::ifstream f("/proc/" + std::to_string(pg->BackendPid()) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t paren = stat.rfind(')');  // the command name may hold spaces
  if (paren == std::string::npos) return -1;
  std::istringstream rest(stat.substr(paren + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {  // fields 14 and 15: utime, stime (ticks)
    if (i == 14) utime = std::atof(field.c_str());
    if (i == 15) stime = std::atof(field.c_str());
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

inline long PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

inline fs::path FreshDir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("coursesync-bench-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// The benchmark's database: a SQLite file in `dir`, or, when CS_BENCH_PG names a PostgreSQL
// server's maintenance database (postgresql://user:pass@host:port/postgres), a fresh database
// `cs_bench_<name>` on it (dropped first if it exists). Returns the URL to open.
inline std::string BenchDbUrl(const std::string& name, const fs::path& dir) {
  const char* pg = std::getenv("CS_BENCH_PG");
  if (!pg || !*pg) return "sqlite:" + (dir / "coursesync.db").string();
  std::string server = pg;
  std::string db = "cs_bench_" + name;
  {
    auto admin = store::Open(server);
    admin->Exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    admin->Exec("CREATE DATABASE " + db +
                " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
  }
  return store::PgUrlWithDatabase(server, db);
}

// A fresh site for a benchmark: its folder, database (BenchDbUrl) and file area, with the
// archive and the stored report off (a benchmark times the task, not copies of its files).
struct Site {
  explicit Site(const std::string& name)
      : dir(FreshDir(name)), url(BenchDbUrl(name, dir)), db(store::Open(url)), area(dir) {
    sync::InitSite(*db);
    sync::Settings settings(*db);
    settings.Set("filearchive", "0");
    settings.Set("storereport", "0");
  }
  fs::path dir;
  std::string url;
  std::unique_ptr<store::Db> db;
  sync::FileArea area;
};

// Every course's shortname but the site course's, in id order.
inline std::vector<std::string> Shortnames(store::Db& db) {
  std::vector<std::string> out;
  auto st = db.Prepare("SELECT shortname FROM {course} WHERE id <> 1 ORDER BY id");
  while (st->Step()) out.push_back(st->Text(0));
  return out;
}

inline bool BenchOnPostgres() {
  const char* pg = std::getenv("CS_BENCH_PG");
  return pg && *pg;
}

}  // namespace cs::bench
