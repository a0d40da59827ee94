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
#include "sync/huge_page_heap.h"
#include "sync/settings.h"
#include "sync/tasks_more.h"

using namespace cs;

int main(int argc, char** argv) {
  cs::sync::UseHugePageHeap(argv);  // as the coursesync binary does
  long n = argc > 1 ? std::atol(argv[1]) : 1000;
  long users = argc > 2 ? std::atol(argv[2]) : 2000;
  bench::Site site("metas");  // SQLite, or CS_BENCH_PG
  auto& db = site.db;
  sync::DemoOptions demo;
  demo.courses = 2 * n;
  demo.users = users;
  demo.users_per_course = 30;
  demo.seed = 5;
  sync::RunDemo(*db, demo);

  auto names = bench::Shortnames(*db);
  std::vector<std::string> children(names.begin(), names.begin() + n);
  std::vector<std::string> parents(names.begin() + n, names.begin() + 2 * n);
  auto add = site.dir / "metas_add.csv", del = site.dir / "metas_del.csv";
  bench::WriteMetasFile(add, children, parents, "add");
  bench::WriteMetasFile(del, children, parents, "del");

  sync::TaskOptions o;
  o.file = add.string();
  std::printf("store: %s, %ld links, %ld users, 30 per course\n",
              bench::BenchOnPostgres() ? "PostgreSQL" : "SQLite", n, users);
  for (const char* phase : {"link", "again", "unlink"}) {
    if (std::string(phase) == "unlink") o.file = del.string();
    bench::Phase p;
    auto r = sync::RunMetas(*db, site.area, o);
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
