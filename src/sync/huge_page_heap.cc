#include "sync/huge_page_heap.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <array>
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

std::string ProgramName(const std::string& exe_target) {
  std::string name = exe_target;
  const std::string deleted = " (deleted)";
  if (name.size() > deleted.size() &&
      name.compare(name.size() - deleted.size(), deleted.size(), deleted) == 0) {
    name.resize(name.size() - deleted.size());
  }
  size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

void RestoreProcessName() {
  std::array<char, 17> comm{};
  if (::prctl(PR_GET_NAME, comm.data()) != 0 || std::strcmp(comm.data(), "exe") != 0) return;
  std::array<char, 4096> target{};
  ssize_t n = ::readlink("/proc/self/exe", target.data(), target.size() - 1);
  if (n <= 0) return;
  std::string name = ProgramName(std::string(target.data(), static_cast<size_t>(n)));
  if (!name.empty()) ::prctl(PR_SET_NAME, name.c_str());
}

void UseHugePageHeap(char** argv) {
  RestoreProcessName();
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
