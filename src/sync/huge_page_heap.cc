#include "sync/huge_page_heap.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace cs::sync {

std::string HugePageTunables(const char* tunables, const char* opt_out,
                             const std::string& thp_mode) {
  if (opt_out && std::strcmp(opt_out, "0") == 0) return "";
  if (thp_mode.find("[never]") != std::string::npos) return "";
  std::string current = tunables ? tunables : "";
  if (current.find("glibc.malloc.hugetlb") != std::string::npos) return "";
  return current.empty() ? "glibc.malloc.hugetlb=1" : current + ":glibc.malloc.hugetlb=1";
}

void UseHugePageHeap(char** argv) {
  std::string thp;
  {
    std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
    std::ostringstream s;
    s << f.rdbuf();
    thp = s.str();
  }
  std::string want =
      HugePageTunables(std::getenv("GLIBC_TUNABLES"), std::getenv("COURSESYNC_HUGEPAGES"), thp);
  if (want.empty()) return;
  // Once: the new process finds the tunable set and goes on.
  if (::setenv("GLIBC_TUNABLES", want.c_str(), 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  ::unsetenv("GLIBC_TUNABLES");  // exec failed: go on as we are, and leave children as they were
}

}  // namespace cs::sync
