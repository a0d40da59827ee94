// Benchmark of the metacourse binding file: on a `demo` site of 2n courses, n links (child course
// i into metacourse n+i), each enrolling the child's active users into the metacourse with their
// roles; then the same file again (nothing to do) and an unlink of every link.
// Usage: metas_bench [links] [users] (default 1000 2000).
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "sync/demo.h"
#include "sync/settings.h"
#include "sync/tasks_more.h"

using namespace cs;

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 1000;
  long users = argc > 2 ? std::atol(argv[2]) : 2000;
  auto dir = bench::FreshDir("metas");
  auto db = store::Open(bench::BenchDbUrl("metas", dir));  // SQLite, or CS_BENCH_PG
  sync::InitSite(*db);
  sync::FileArea area(dir);
  sync::Settings(*db).Set("filearchive", "0");
  sync::Settings(*db).Set("storereport", "0");
  sync::DemoOptions demo;
  demo.courses = 2 * n;
  demo.users = users;
  demo.users_per_course = 30;
  demo.seed = 5;
  sync::RunDemo(*db, demo);

  std::vector<std::string> names;
  auto st = db->Prepare("SELECT shortname FROM {course} WHERE id <> 1 ORDER BY id");
  while (st->Step()) names.push_back(st->Text(0));
  st.reset();
  auto write = [&](const bench::fs::path& p, const char* cmd) {
    std::ofstream f(p);
    f << "master;meta;cmd\n";
    for (long i = 0; i < n; ++i) f << names[i] << ";" << names[n + i] << ";" << cmd << "\n";
  };
  auto add = dir / "metas_add.csv", del = dir / "metas_del.csv";
  write(add, "add");
  write(del, "del");

  sync::TaskOptions o;
  o.file = add.string();
  std::printf("store: %s, %ld links, %ld users, 30 per course\n",
              bench::BenchOnPostgres() ? "PostgreSQL" : "SQLite", n, users);
  for (const char* phase : {"link", "again", "unlink"}) {
    if (std::string(phase) == "unlink") o.file = del.string();
    bench::Phase p;
    auto r = sync::RunMetas(*db, area, o);
    double wall = p.wall(), cpu = p.cpu();
    std::printf(
        "%-7s %.3f s wall  %.3f s cpu  %.0f links/s  (linked %lld, unlinked %lld, skipped "
        "%lld, failed %lld)\n",
        phase, wall, cpu, n / wall, static_cast<long long>(r.Count(sync::Status::kLinked)),
        static_cast<long long>(r.Count(sync::Status::kUnlinked)),
        static_cast<long long>(r.Count(sync::Status::kSkipped)),
        static_cast<long long>(r.failed()));
  }
  std::printf("peak RSS: %ld MiB\n", bench::PeakRssMiB());
  return 0;
}
