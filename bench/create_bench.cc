// Benchmark of the creation file (issue 3 targets): 100,000 new courses (3-level paths over 1,000
// categories, 10 sections each), the same file with every line changed (force update on), and a
// re-run with force update off (all skipped); with sqlite3's own .import of the file as baseline.
// Usage: create_bench [courses] [create|update|skip] (default 100000; `create`: the creation run
// only; `update` / `skip`: that run ten times after an untimed creation; both for profiling).
#include <cstdlib>
#include <iostream>

#include "bench/bench_util.h"
#include "sync/settings.h"
#include "sync/tasks.h"

using namespace cs;

int main(int argc, char** argv) {
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
