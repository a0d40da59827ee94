// Benchmark of the deletion file (issue target: 10,000 courses of a `demo` site, with their
// users' data, deleted at 5,000 courses/s or better on SQLite). Builds a demo site, writes a
// deletion file naming every demo course, runs `delete --force` on it, then checks that no
// course-scoped row is left.
// Usage: delete_bench [courses] [users] (default 10000 1000).
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "bench/bench_util.h"
#include "sync/demo.h"
#include "sync/settings.h"
#include "sync/tasks_more.h"

using namespace cs;

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 10000;
  long users = argc > 2 ? std::atol(argv[2]) : 1000;
  auto dir = bench::FreshDir("delete");
  auto db = store::Open("sqlite:" + (dir / "coursesync.db").string());
  sync::InitSite(*db);
  sync::FileArea area(dir);
  sync::Settings(*db).Set("filearchive", "0");
  sync::Settings(*db).Set("storereport", "0");

  sync::DemoOptions demo;
  demo.courses = n;
  demo.users = users;
  auto t0 = std::chrono::steady_clock::now();
  sync::DemoStats stats = sync::RunDemo(*db, demo);
  double demo_s = bench::Seconds(t0);
  std::printf("demo: %lld courses, %lld users, %lld enrolments, %lld rows in %.1f s\n",
              static_cast<long long>(stats.courses), static_cast<long long>(stats.users),
              static_cast<long long>(stats.enrolments), static_cast<long long>(stats.rows),
              demo_s);

  auto file = dir / "delete.csv";
  {
    std::ofstream f(file);
    auto st = db->Prepare("SELECT shortname FROM {course} WHERE id <> 1 ORDER BY id");
    while (st->Step()) f << st->Text(0) << "\n";
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

  sync::TaskOptions o;
  o.file = file.string();
  o.force = true;
  t0 = std::chrono::steady_clock::now();
  auto r = sync::RunDelete(*db, area, o);
  double del = bench::Seconds(t0);
  long long deleted = r.Count(sync::Status::kDeleted);
  std::printf("delete: %lld courses in %.3f s  %.0f courses/s (target >= 5000)  failed %lld\n",
              deleted, del, deleted / del, static_cast<long long>(r.failed()));
  std::printf("rows in 11 main course tables: %lld before, %lld after\n", before, rows_before());
  std::printf("left: courses %lld, course contexts %lld, user_enrolments %lld, logs %lld\n",
              static_cast<long long>(db->QueryInt("SELECT COUNT(*) FROM {course}").value_or(0)),
              static_cast<long long>(
                  db->QueryInt("SELECT COUNT(*) FROM {context} WHERE contextlevel IN (50, 70, 80)")
                      .value_or(0)),
              static_cast<long long>(
                  db->QueryInt("SELECT COUNT(*) FROM {user_enrolments}").value_or(0)),
              static_cast<long long>(
                  db->QueryInt("SELECT COUNT(*) FROM {logstore_standard_log}").value_or(0)));
  std::printf("peak RSS: %ld MiB\n", bench::PeakRssMiB());
  return deleted == n ? 0 : 1;
}
