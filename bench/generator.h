// Command files of any size for the benchmarks (and `generate_files`), with a chosen share of bad
// lines. Courses are named as the creation file names them: shortname BC<i>, idnumber IDN<i>,
// so the deletion, check, reset and metas files target a site built from a creation file of at
// least as many courses. Bad lines: a creation line with an invalid start date; an identifier no
// course has (deletion, check, reset); a course linked to itself (metas).
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "sync/tasks_reset.h"

namespace cs::bench {

// True for about `share` of the lines (0..1), spread evenly and reproducibly.
inline bool BadLine(long i, double share) {
  if (share <= 0) return false;
  long every = static_cast<long>(1.0 / share + 0.5);
  return every <= 1 || i % every == every - 1;
}

// `n` courses, 3-level paths over about `cats` leaf categories, `sections` sections each, a
// summary holding the separator (quoted).
inline void WriteCreateFile(const std::filesystem::path& p, long n, long cats, int sections,
                            const std::string& suffix = "", double bad_share = 0) {
  std::ofstream f(p);
  f << "shortname;fullname;idnumber;category;summary;numsections;startdate\n";
  for (long i = 0; i < n; ++i) {
    long leaf = i % cats;
    f << "BC" << i << ";Benchmark course " << i << suffix << ";IDN" << i << ";Faculty " << leaf % 10
      << "/Department " << (leaf / 10) % 10 << "/Programme " << leaf / 100
      << ";\"Summary; of course " << i << suffix << "\";" << sections << ";"
      << (BadLine(i, bad_share) ? "2026-13-45" : "2026-09-01") << "\n";
  }
}

// One shortname per line (deletion and check files): BC0..BC<n-1>, `step` apart modulo
// `courses` (a step coprime with `courses` visits them in a scattered order).
inline void WriteIdentifierFile(const std::filesystem::path& p, long n, long courses,
                                double bad_share = 0, long step = 1) {
  std::ofstream f(p);
  for (long i = 0; i < n; ++i) {
    if (BadLine(i, bad_share)) {
      f << "MISSING" << i << "\n";
    } else {
      f << "BC" << (i * step) % courses << "\n";
    }
  }
}

// A reset file with the generator's usual options (every area) for BC0..BC<n-1>.
inline void WriteResetFile(const std::filesystem::path& p, long n, double bad_share = 0) {
  std::ofstream f(p);
  auto header = sync::DefaultResetHeader("shortname");
  for (size_t i = 0; i < header.size(); ++i) f << (i ? ";" : "") << header[i];
  f << "\n";
  auto values = sync::DefaultResetValues();
  for (long i = 0; i < n; ++i) {
    f << (BadLine(i, bad_share) ? "MISSING" : "BC") << i;
    for (const auto& v : values) f << ";" << v;
    f << "\n";
  }
}

// A metas file: `n` links, child BC<i> into metacourse BC<n+i> (a site of 2n courses).
inline void WriteMetasFile(const std::filesystem::path& p, long n, double bad_share = 0) {
  std::ofstream f(p);
  f << "master;meta\n";
  for (long i = 0; i < n; ++i) {
    f << "BC" << i << ";BC" << (BadLine(i, bad_share) ? i : n + i) << "\n";
  }
}

}  // namespace cs::bench
