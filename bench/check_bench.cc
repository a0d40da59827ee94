// Benchmark of the existence check file (issue target: 1,000,000 identifiers against a
// 100,000-course site in under 2 seconds). The site's courses are inserted directly (100
// categories, shortname BC<n>); the file names existing courses and, every tenth line, a missing
// one. Runs `check` with the report file stored (the default) and without.
// Usage: check_bench [identifiers] [courses] (default 1000000 100000).
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "bench/bench_util.h"
#include "sync/categories.h"
#include "sync/huge_page_heap.h"
#include "sync/settings.h"
#include "sync/tasks_more.h"

using namespace cs;

int main(int argc, char** argv) {
  cs::sync::UseHugePageHeap(argv);  // as the coursesync binary does
  long lines = argc > 1 ? std::atol(argv[1]) : 1000000;
  long courses = argc > 2 ? std::atol(argv[2]) : 100000;
  bench::Site site("check");  // SQLite, or CS_BENCH_PG
  auto& db = site.db;

  auto t0 = std::chrono::steady_clock::now();
  {
    store::Transaction tx(*db);
    sync::CategoryTree tree(*db);
    std::vector<int64_t> cats;
    for (int i = 0; i < 100; ++i) {
      cats.push_back(
          tree.EnsurePath({"Faculty " + std::to_string(i / 10), "Programme " + std::to_string(i)},
                          true, nullptr)
              .id);
    }
    auto ins = db->Prepare(
        "INSERT INTO {course} (category, fullname, shortname, idnumber, sortorder) "
        "VALUES (?, ?, ?, ?, ?)");
    for (long i = 0; i < courses; ++i) {
      ins->Run(cats[i % cats.size()], "Benchmark course " + std::to_string(i),
               "BC" + std::to_string(i), "IDN" + std::to_string(i), static_cast<int64_t>(i + 2));
      ins->Reset();
    }
    tx.Commit();
  }
  std::printf("site: %ld courses in %.2f s\n", courses, bench::Seconds(t0));

  auto file = site.dir / "check.csv";
  {
    std::ofstream f(file);
    for (long i = 0; i < lines; ++i) {
      if (i % 10 == 9) {
        f << "MISSING" << i << ";asked by line " << i << "\n";
      } else {
        f << "BC" << (i * 7919) % courses << "\n";
      }
    }
  }

  sync::TaskOptions o;
  o.file = file.string();
  for (bool store_report : {true, false}) {
    sync::Settings(*db).Set("storereport", store_report ? "1" : "0");
    sync::Settings(*db).Set("filefailed", store_report ? "1" : "0");
    t0 = std::chrono::steady_clock::now();
    auto r = sync::RunCheck(*db, site.area, o);
    double s = bench::Seconds(t0);
    std::printf("check (%s): %ld lines in %.3f s (target < 2 s): found %lld, missing %lld\n",
                store_report ? "report and tryback stored" : "no report file", lines, s,
                static_cast<long long>(r.Count(sync::Status::kFound)),
                static_cast<long long>(r.Count(sync::Status::kMissing)));
  }
  std::printf("peak RSS: %ld MiB\n", bench::PeakRssMiB());
  return 0;
}
