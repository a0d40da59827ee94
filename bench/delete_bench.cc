// Benchmark of the deletion file (issue target: 10,000 courses of a `demo` site, with their
// users' data, deleted at 5,000 courses/s or better on SQLite). Builds a demo site, writes a
// deletion file naming every demo course, runs `delete --force` on it, then checks that no
// course-scoped row is left.
// Usage: delete_bench [courses] [users] [site courses] [fast] (default 10000 1000, on a site of
// just the courses deleted; a larger site shows the deletion of part of a site, where no table
// empties whole: the first `courses` demo courses are deleted). With `fast`, the connection runs
// with PRAGMA secure_delete=FAST and a memory map (Debian's SQLite is built with SECURE_DELETE on,
// which zeroes every freed page: most of the cost of emptying tables).
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "bench/bench_util.h"
#include "sync/demo.h"
#include "sync/huge_page_heap.h"
#include "sync/settings.h"
#include "sync/tasks_more.h"

using namespace cs;

int main(int argc, char** argv) {
  cs::sync::UseHugePageHeap(argv);  // as the coursesync binary does
  long n = argc > 1 ? std::atol(argv[1]) : 10000;
  long users = argc > 2 ? std::atol(argv[2]) : 1000;
  bool fast = false;
  long site_courses = n;
  for (int i = 3; i < argc; ++i) {
    if (std::string(argv[i]) == "fast") {
      fast = true;
    } else {
      site_courses = std::max(n, std::atol(argv[i]));
    }
  }
  bench::Site site("delete");  // SQLite, or CS_BENCH_PG
  auto& db = site.db;

  sync::DemoOptions demo;
  demo.courses = site_courses;
  demo.users = users;
  auto t0 = std::chrono::steady_clock::now();
  sync::DemoStats stats = sync::RunDemo(*db, demo);
  double demo_s = bench::Seconds(t0);
  std::printf("demo: %lld courses, %lld users, %lld enrolments, %lld rows in %.1f s\n",
              static_cast<long long>(stats.courses), static_cast<long long>(stats.users),
              static_cast<long long>(stats.enrolments), static_cast<long long>(stats.rows), demo_s);

  auto file = site.dir / "delete.csv";
  {
    std::ofstream f(file);
    auto names = bench::Shortnames(*db);
    if (names.size() > static_cast<size_t>(n)) names.resize(static_cast<size_t>(n));
    for (const auto& s : names) f << s << "\n";
  }
  auto rows_before = [&]() {
    long long total = 0;
    for (const char* t :
         {"course", "context", "course_sections", "course_modules", "enrol", "user_enrolments",
          "role_assignments", "logstore_standard_log", "grade_grades", "event", "forum_posts"}) {
      total += db->QueryInt(std::string("SELECT COUNT(*) FROM {") + t + "}").value_or(0);
    }
    return total;
  };
  long long before = rows_before();

  if (db->dialect() == store::Dialect::kSqlite) {
    if (fast) db->Exec("PRAGMA secure_delete=FAST; PRAGMA mmap_size=8589934592;");
    auto st = db->Prepare("PRAGMA secure_delete");
    int64_t v = st->Step() ? st->Int(0) : -1;
    std::printf("secure_delete: %s\n", v == 0 ? "off" : v == 2 ? "fast" : "on");
  }
  sync::TaskOptions o;
  o.file = file.string();
  o.force = true;
  rusage ru0{}, ru1{};
  double server0 = bench::ServerCpuSeconds(*db);
  getrusage(RUSAGE_SELF, &ru0);
  t0 = std::chrono::steady_clock::now();
  auto r = sync::RunDelete(*db, site.area, o);
  double del = bench::Seconds(t0);
  getrusage(RUSAGE_SELF, &ru1);
  double server = server0 < 0 ? -1 : bench::ServerCpuSeconds(*db) - server0;
  auto secs = [](const timeval& a, const timeval& b) {
    return static_cast<double>(b.tv_sec - a.tv_sec) + (b.tv_usec - a.tv_usec) / 1e6;
  };
  double cpu = secs(ru0.ru_utime, ru1.ru_utime) + secs(ru0.ru_stime, ru1.ru_stime);
  long long deleted = r.Count(sync::Status::kDeleted);
  std::printf(
      "delete: %lld courses in %.3f s  %.0f courses/s (target >= 5000)  cpu %.3f s (%.0f "
      "courses/cpu-s)  failed %lld\n",
      deleted, del, deleted / del, cpu, deleted / cpu, static_cast<long long>(r.failed()));
  if (server >= 0) {
    std::printf("server cpu (this connection's backend): %.3f s (%.0f courses/server-cpu-s)\n",
                server, server > 0 ? deleted / server : 0.0);
  }
  std::printf("rows in 11 main course tables: %lld before, %lld after\n", before, rows_before());
  std::printf(
      "left: courses %lld, course contexts %lld, user_enrolments %lld, logs %lld\n",
      static_cast<long long>(db->QueryInt("SELECT COUNT(*) FROM {course}").value_or(0)),
      static_cast<long long>(
          db->QueryInt("SELECT COUNT(*) FROM {context} WHERE contextlevel IN (50, 70, 80)")
              .value_or(0)),
      static_cast<long long>(db->QueryInt("SELECT COUNT(*) FROM {user_enrolments}").value_or(0)),
      static_cast<long long>(
          db->QueryInt("SELECT COUNT(*) FROM {logstore_standard_log}").value_or(0)));
  std::printf("peak RSS: %ld MiB\n", bench::PeakRssMiB());
  return deleted == n ? 0 : 1;
}
