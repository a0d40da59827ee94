// Benchmark of the reset file (issue 5 target: 1,000 courses of a `demo` site with 50 users each,
// every area reset, at 500 courses/s or better on the embedded store). Builds the demo site,
// writes a reset file naming every course with every option on, and runs `reset` on it.
// Usage: reset_bench [courses] [users] [site courses] (default 1000 2000, and a site of just the
// courses reset; a larger site shows the reset of part of a site, where no table empties whole).
#include <cstdlib>
#include <string>

#include "bench/bench_util.h"
#include "sync/demo.h"
#include "sync/huge_page_heap.h"
#include "sync/settings.h"
#include "sync/tasks.h"

using namespace cs;

int main(int argc, char** argv) {
  cs::sync::UseHugePageHeap(argv);  // as the coursesync binary does
  long n = argc > 1 ? std::atol(argv[1]) : 1000;
  long users = argc > 2 ? std::atol(argv[2]) : 2000;
  long site_courses = argc > 3 ? std::atol(argv[3]) : n;
  if (site_courses < n) site_courses = n;
  bench::Site site("reset");  // SQLite, or CS_BENCH_PG
  auto& db = site.db;

  sync::DemoOptions demo;
  demo.courses = site_courses;
  demo.users = users;
  demo.users_per_course = 50;
  demo.seed = 11;
  bench::Phase d;
  sync::DemoStats stats = sync::RunDemo(*db, demo);
  std::printf("demo: %lld courses, %lld users, %lld rows in %.1f s\n",
              static_cast<long long>(stats.courses), static_cast<long long>(stats.users),
              static_cast<long long>(stats.rows), d.wall());

  auto courses = bench::Shortnames(*db);
  if (courses.size() > static_cast<size_t>(n)) courses.resize(static_cast<size_t>(n));
  long lines = static_cast<long>(courses.size());
  auto path = site.dir / "resetcourses.csv";
  bench::WriteResetFile(path, courses);

  sync::TaskOptions o;
  o.file = path.string();
  bench::Phase p;
  const double server0 = bench::ServerCpuSeconds(*db);
  auto r = sync::RunReset(*db, site.area, o);
  double wall = p.wall(), cpu = p.cpu();
  const double server = server0 < 0 ? -1 : bench::ServerCpuSeconds(*db) - server0;
  int64_t rows = 0;
  if (r.summary.contains("tables")) {
    for (const auto& [k, v] : r.summary["tables"].items()) rows += v.get<int64_t>();
  }
  std::printf(
      "reset: %ld courses (50 users each, all areas), %lld reset, %lld failed, %lld rows removed\n"
      "       %.3f s wall  %.3f s cpu  %.0f courses/s (cpu: %.0f/s; target 500)\n",
      lines, static_cast<long long>(r.Count(sync::Status::kReset)),
      static_cast<long long>(r.failed()), static_cast<long long>(rows), wall, cpu, lines / wall,
      lines / cpu);
  if (server >= 0) {
    std::printf("       server backend %.3f s cpu (%.0f courses per server-CPU-s)\n", server,
                lines / server);
  }
  if (r.summary.contains("tables")) {
    std::printf("rows removed per table:");
    for (const auto& [k, v] : r.summary["tables"].items()) {
      std::printf(" %s %lld", k.c_str(), static_cast<long long>(v.get<int64_t>()));
    }
    std::printf("\n");
  }
  std::printf("peak RSS: %ld MiB\n", bench::PeakRssMiB());
  return r.failed() == 0 ? 0 : 1;
}
