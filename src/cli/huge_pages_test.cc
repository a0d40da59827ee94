// The coursesync binary restarts itself once with glibc's huge-page heap (sync/huge_page_heap.h):
// same process, same arguments and standard input, and the run goes on as before.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "sync/test_support.h"

namespace cs::cli {
namespace {

namespace fs = std::filesystem;

std::string Environ(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

TEST(HugePagesTest, TheBinaryRunsWithTheTunableAndItsOwnArgumentsAndInput) {
  std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode((std::istreambuf_iterator<char>(thp)), std::istreambuf_iterator<char>());
  if (mode.find("[never]") != std::string::npos) GTEST_SKIP() << "transparent huge pages: never";
  fs::path dir = cs::testing::MakeTempDir("cs-hugepages");
  std::string bin = cs::testing::CoursesyncBinary();
  std::string data = (dir / "data").string();
  std::string db_arg = cs::testing::TestDbArg();
  std::string cmd = "'" + bin + "' --data '" + data + "' " + db_arg + " --format json create -";
  int in[2], out[2];
  ASSERT_EQ(pipe(in), 0);
  ASSERT_EQ(pipe(out), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[1]);
    close(out[0]);
    unsetenv("GLIBC_TUNABLES");
    unsetenv("COURSESYNC_HUGEPAGES");
    execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  // While it waits for its input, the process (same pid) has restarted with the tunable.
  bool tuned = false;
  for (int i = 0; i < 500 && !tuned; ++i) {
    tuned = Environ(pid).find("GLIBC_TUNABLES=glibc.malloc.hugetlb=1") != std::string::npos;
    if (!tuned) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(tuned) << Environ(pid);
  std::string file = "shortname;fullname;category\nHP1;Huge pages;A/B\n";
  ASSERT_EQ(write(in[1], file.data(), file.size()), static_cast<ssize_t>(file.size()));
  close(in[1]);
  std::string printed;
  char buf[4096];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) printed.append(buf, n);
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << printed;
  EXPECT_NE(printed.find("\"created\":1"), std::string::npos) << printed;
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace cs::cli
