// Helpers for the benchmark programs: timing, peak memory, fresh sites, generated files.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/db.h"
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

// The creation file of the benchmark: `n` courses, 3-level paths over about `cats` leaf
// categories, `sections` sections each, a summary with the separator quoted.
inline void WriteCreateFile(const fs::path& p, long n, long cats, int sections,
                            const std::string& suffix = "") {
  std::ofstream f(p);
  f << "shortname;fullname;idnumber;category;summary;numsections;startdate\n";
  for (long i = 0; i < n; ++i) {
    long leaf = i % cats;
    f << "BC" << i << ";Benchmark course " << i << suffix << ";IDN" << i << ";Faculty " << leaf % 10
      << "/Department " << (leaf / 10) % 10 << "/Programme " << leaf / 100
      << ";\"Summary; of course " << i << suffix << "\";" << sections << ";2026-09-01\n";
  }
}

}  // namespace cs::bench
