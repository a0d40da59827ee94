// Writes a command file for the benchmarks or for trying coursesync on a large site.
// Usage: generate_files create|delete|check|reset|metas N OUT [BAD_SHARE]
//   create  N courses (BC0..), 3-level category paths over 1,000 leaves, 10 sections each
//   delete  N shortnames BC0..          check  N shortnames, scattered over N courses
//   reset   N lines, every area         metas  N links BC<i> -> BC<N+i>
// BAD_SHARE (0..1, default 0): the share of lines that must fail.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/generator.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: generate_files create|delete|check|reset|metas N OUT [BAD_SHARE]\n");
    return 2;
  }
  std::string kind = argv[1];
  long n = std::atol(argv[2]);
  std::filesystem::path out = argv[3];
  double bad = argc > 4 ? std::atof(argv[4]) : 0.0;
  if (n <= 0 || bad < 0 || bad > 1) {
    std::fprintf(stderr, "generate_files: N must be positive and BAD_SHARE within 0..1\n");
    return 2;
  }
  using namespace cs::bench;
  if (kind == "create") {
    WriteCreateFile(out, n, 1000, 10, "", bad);
  } else if (kind == "delete") {
    WriteIdentifierFile(out, n, n, bad);
  } else if (kind == "check") {
    WriteIdentifierFile(out, n, n, bad, 7919);
  } else if (kind == "reset") {
    WriteResetFile(out, GeneratedShortnames(n), bad);
  } else if (kind == "metas") {
    auto names = GeneratedShortnames(2 * n);
    std::vector<std::string> children(names.begin(), names.begin() + n);
    std::vector<std::string> parents(names.begin() + n, names.end());
    WriteMetasFile(out, children, parents, "add", bad);
  } else {
    std::fprintf(stderr, "generate_files: unknown kind '%s'\n", kind.c_str());
    return 2;
  }
  return 0;
}
