// Benchmark of the creation file (issue 3 targets): 100,000 new courses (3-level paths over 1,000
// categories, 10 sections each), the same file with every line changed (force update on), and a
// re-run with force update off (all skipped); with sqlite3's own .import of the file as baseline.
// Usage: create_bench [courses] [create|update|skip] (default 100000; `create`: the creation run
// only; `update` / `skip`: that run ten times after an untimed creation; both for profiling).
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "bench/bench_util.h"
#include "store/sqlite_db.h"
#include "sync/huge_page_heap.h"
#include "sync/settings.h"
#include "sync/tasks.h"

using namespace cs;

namespace {

// The SQLite floor: `sqlite3` itself loads the file into a plain table, then writes the rows a
// creation run writes (course, context, 11 sections, 2 format options, 3 enrolment instances per
// course, with their indexes) with one INSERT ... SELECT per table, in one transaction: no
// parsing, no validation, no categories, no sort-order repair. The index keys are spread as a
// real run's are (courses over 1,000 categories, each with its sort-order range; context paths
// under three levels of category contexts), since inserting in key order would be cheaper than
// what any run does. Returns that part's wall and CPU seconds (the sqlite3 process's), or a
// negative wall time when sqlite3 fails.
std::pair<double, double> SqliteFloor(const std::filesystem::path& csv, int sections) {
  bench::Site floor("create-floor");
  auto db_path = floor.dir / "coursesync.db";  // the site bench::Site initialised
  auto script = floor.dir / "floor.sql";
  {
    std::ofstream f(script);
    // The page cache a creation run of this size has (store::BulkInsertCacheKib).
    f << "PRAGMA cache_size=-" << store::kSqliteBulkCacheMinKib
      << "; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;\n"
      << ".separator ;\n.import " << csv.string() << " plain\n"
      << "BEGIN;\n"
      << "CREATE TEMP TABLE nums(n INTEGER PRIMARY KEY);\n"
      << "WITH RECURSIVE r(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM r WHERE n < " << sections
      << ") INSERT INTO nums SELECT n FROM r;\n"
      << "INSERT OR FAIL INTO mdl_course (category, sortorder, fullname, shortname, idnumber, "
         "summary, summaryformat, format, showgrades, newsitems, startdate, enddate, marker, "
         "maxbytes, legacyfiles, showreports, visible, visibleold, groupmode, groupmodeforce, "
         "defaultgroupingid, lang, calendartype, theme, timecreated, timemodified, "
         "enablecompletion, cacherev) SELECT 2 + rowid % 1000, (2 + rowid % 1000) * 10000 + 1 + "
         "rowid / 1000, fullname, shortname, idnumber, "
         "summary, 1, 'topics', 1, 5, 1788220800, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, '', '', '', "
         "1788220800, 1788220800, 1, 1788220800 FROM plain ORDER BY rowid;\n"
      << "INSERT OR FAIL INTO mdl_context (contextlevel, instanceid, path, depth, locked) "
         "SELECT 50, id, '/1/' || (3 + id % 10) || '/' || (20 + id % 100) || '/' || (200 + id % "
         "1000) || '/' || (id + 2000), 5, 0 FROM mdl_course WHERE id > 1 ORDER BY id;\n"
      << "INSERT OR FAIL INTO mdl_course_sections (course, section, name, summary, summaryformat, "
         "sequence, visible, timemodified) SELECT c.id, n.n, NULL, '', 1, '', 1, 1788220800 FROM "
         "mdl_course c JOIN nums n WHERE c.id > 1 ORDER BY c.id, n.n;\n"
      << "INSERT OR FAIL INTO mdl_course_format_options (courseid, format, sectionid, name, "
         "value) SELECT c.id, 'topics', 0, o.name, '0' FROM mdl_course c JOIN (SELECT "
         "'hiddensections' AS name UNION ALL SELECT 'coursedisplay') o WHERE c.id > 1 ORDER BY "
         "c.id;\n"
      << "INSERT OR FAIL INTO mdl_enrol (enrol, status, courseid, sortorder, enrolperiod, "
         "enrolstartdate, enrolenddate, expirynotify, expirythreshold, notifyall, roleid, "
         "timecreated, timemodified) SELECT e.name, e.status, c.id, e.so, 0, 0, 0, 0, 86400, 0, "
         "5, 1788220800, 1788220800 FROM mdl_course c JOIN (SELECT 'manual' AS name, 0 AS "
         "status, 0 AS so UNION ALL SELECT 'guest', 1, 1 UNION ALL SELECT 'self', 1, 2) e WHERE "
         "c.id > 1 ORDER BY c.id, e.so;\n"
      << "COMMIT;\n";
  }
  floor.db.reset();  // sqlite3 is the only writer
  // The import alone, then import + inserts: the difference is the inserts.
  auto run = [&](const std::string& cmd) {
    rusage before{}, after{};
    getrusage(RUSAGE_CHILDREN, &before);
    auto t0 = std::chrono::steady_clock::now();
    int rc = std::system(cmd.c_str());
    double wall = bench::Seconds(t0);
    getrusage(RUSAGE_CHILDREN, &after);
    auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    double cpu =
        secs(after.ru_utime) - secs(before.ru_utime) + secs(after.ru_stime) - secs(before.ru_stime);
    return rc == 0 ? std::make_pair(wall, cpu) : std::make_pair(-1.0, 0.0);
  };
  auto full = run("sqlite3 '" + db_path.string() + "' < '" + script.string() + "' >/dev/null");
  auto import = run("sqlite3 '" + (floor.dir / "import-only.db").string() +
                    "' '.separator ;' '.import " + csv.string() + " plain' >/dev/null");
  if (full.first < 0 || import.first < 0) return {-1, 0};
  return {full.first - import.first, full.second - import.second};
}

}  // namespace

int main(int argc, char** argv) {
  cs::sync::UseHugePageHeap(argv);  // as the coursesync binary does
  long n = argc > 1 ? std::atol(argv[1]) : 100000;
  const std::string mode = argc > 2 ? argv[2] : "";
  bench::Site site("create");
  auto& db = site.db;
  auto& area = site.area;
  const auto& dir = site.dir;
  const std::string& url = site.url;
  auto file = dir / "create.csv";
  auto file2 = dir / "update.csv";
  bench::WriteCreateFile(file, n, 1000, 10);
  bench::WriteCreateFile(file2, n, 1000, 10, " (changed)");

  // Baseline: the database's own bulk load of the same file into a plain table (sqlite3's
  // .import, or PostgreSQL's COPY through psql).
  std::string cmd =
      bench::BenchOnPostgres()
          ? "psql -q '" + url +
                "' -c 'CREATE TABLE plain (shortname text, fullname text, idnumber text, category "
                "text, summary text, numsections text, startdate text)' -c \"\\copy plain FROM '" +
                file.string() + "' WITH (FORMAT csv, DELIMITER ';', HEADER true)\" >/dev/null"
          : "cd " + dir.string() +
                " && sqlite3 baseline.db '.separator ;' '.import create.csv plain' >/dev/null";
  auto t0 = std::chrono::steady_clock::now();
  int rc = std::system(cmd.c_str());
  double baseline = bench::Seconds(t0);
  if (rc != 0) baseline = 0;

  sync::TaskOptions o;
  o.file = file.string();

  bench::Phase p1;
  auto r1 = sync::RunCreate(*db, area, o);
  double create = p1.wall(), create_cpu = p1.cpu();
  if (mode == "update" || mode == "skip") {
    // Profiling aid: ten runs of one phase (update alternates between the two files, so every
    // line changes each time).
    sync::Settings(*db).Set("courses_forceupdate", mode == "update" ? "1" : "0");
    bench::Phase p;
    for (int i = 0; i < 10; ++i) {
      o.file = (mode == "update" && i % 2 == 1 ? file : file2).string();
      sync::RunCreate(*db, area, o);
    }
    std::printf("%s: %.3f s wall  %.3f s cpu per run  %.0f lines/s (cpu: %.0f/s)\n", mode.c_str(),
                p.wall() / 10, p.cpu() / 10, n * 10 / p.wall(), n * 10 / p.cpu());
    return 0;
  }
  if (mode == "create") {
    std::printf(
        "create:  %.3f s wall  %.3f s cpu  %.0f courses/s (cpu: %.0f/s)  %.1fx the baseline\n",
        create, create_cpu, n / create, n / create_cpu, baseline > 0 ? create / baseline : 0.0);
    return r1.failed() == 0 ? 0 : 1;
  }

  sync::Settings(*db).Set("courses_forceupdate", "1");
  o.file = file2.string();
  bench::Phase p2;
  auto r2 = sync::RunCreate(*db, area, o);
  double update = p2.wall(), update_cpu = p2.cpu();

  sync::Settings(*db).Set("courses_forceupdate", "0");
  bench::Phase p3;
  auto r3 = sync::RunCreate(*db, area, o);
  double skip = p3.wall(), skip_cpu = p3.cpu();

  std::printf("courses: %ld (created %lld, updated %lld, skipped %lld, failed %lld)\n", n,
              static_cast<long long>(r1.Count(sync::Status::kCreated)),
              static_cast<long long>(r2.Count(sync::Status::kUpdated)),
              static_cast<long long>(r3.Count(sync::Status::kSkipped)),
              static_cast<long long>(r1.failed() + r2.failed() + r3.failed()));
  std::printf("store: %s\n", bench::BenchOnPostgres() ? "PostgreSQL" : "SQLite");
  std::printf("%s baseline: %.3f s\n", bench::BenchOnPostgres() ? "COPY" : "sqlite3 .import",
              baseline);
  if (!bench::BenchOnPostgres()) {
    auto [fw, fc] = SqliteFloor(file, 10);
    if (fw > 0) {
      std::printf(
          "floor:   %.3f s wall  %.3f s cpu  sqlite3 writing the same rows with one INSERT ... "
          "SELECT per table (at most %.0f courses/s on one core)  %.1fx the baseline\n",
          fw, fc, n / std::max(fw, fc), baseline > 0 ? fw / baseline : 0.0);
    }
  }
  std::printf(
      "create:  %.3f s wall  %.3f s cpu  %.0f courses/s (cpu: %.0f/s)  %.1fx the baseline\n",
      create, create_cpu, n / create, n / create_cpu, baseline > 0 ? create / baseline : 0.0);
  std::printf("update:  %.3f s wall  %.3f s cpu  %.0f courses/s (cpu: %.0f/s)\n", update,
              update_cpu, n / update, n / update_cpu);
  std::printf("skip:    %.3f s wall  %.3f s cpu  %.0f lines/s (cpu: %.0f/s)\n", skip, skip_cpu,
              n / skip, n / skip_cpu);
  std::printf("peak RSS: %ld MiB\n", bench::PeakRssMiB());
  return 0;
}
