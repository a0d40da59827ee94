// Command files of any size for the benchmarks (and `generate_files`), with a chosen share of bad
// lines. Courses are named as the creation file names them: shortname BC<i>, idnumber IDN<i>,
// so the deletion, check, reset and metas files target a site built from a creation file of at
// least as many courses (the reset and metas files take any list of shortnames). Bad lines: a
// creation line with an invalid start date; an identifier no course has (deletion, check,
// reset); a course linked to itself (metas).
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

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

// BC0..BC<n-1>: the shortnames of a site built from a creation file of `n` courses.
inline std::vector<std::string> GeneratedShortnames(long n) {
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(n));
  for (long i = 0; i < n; ++i) out.push_back("BC" + std::to_string(i));
  return out;
}

// A reset file resetting every area of each course: the generator's usual options
// (DefaultResetHeader/Values) plus the module options that are off by default.
inline void WriteResetFile(const std::filesystem::path& p, const std::vector<std::string>& courses,
                           double bad_share = 0) {
  std::ofstream f(p);
  auto header = sync::DefaultResetHeader("shortname");
  for (size_t i = 0; i < header.size(); ++i) f << (i ? ";" : "") << header[i];
  f << ";forum_subscriptions;forum_digests;forum_track_prefs;glossary_all;data\n";
  auto values = sync::DefaultResetValues();
  for (size_t i = 0; i < courses.size(); ++i) {
    f << (BadLine(static_cast<long>(i), bad_share) ? "MISSING" + std::to_string(i) : courses[i]);
    for (const auto& v : values) f << ";" << v;
    f << ";yes;yes;yes;yes;yes\n";
  }
}

// A metas file: children[i] bound into metacourse parents[i] (`cmd` add or del).
inline void WriteMetasFile(const std::filesystem::path& p, const std::vector<std::string>& children,
                           const std::vector<std::string>& parents, const std::string& cmd = "add",
                           double bad_share = 0) {
  std::ofstream f(p);
  f << "master;meta;cmd\n";
  for (size_t i = 0; i < children.size() && i < parents.size(); ++i) {
    const std::string& parent = BadLine(static_cast<long>(i), bad_share) ? children[i] : parents[i];
    f << children[i] << ";" << parent << ";" << cmd << "\n";
  }
}

}  // namespace cs::bench
