// When the process restarts itself with glibc's huge-page heap, and when it leaves things alone.
#include "sync/huge_page_heap.h"

#include <gtest/gtest.h>
#include <sys/prctl.h>

#include <array>
#include <string>

namespace cs::sync {
namespace {

const char* kMadvise = "always [madvise] never\n";

TEST(HugePageHeapTest, AddsTheTunableOnceAndKeepsTheUsersOwn) {
  EXPECT_EQ(HugePageTunables(nullptr, nullptr, kMadvise), "glibc.malloc.hugetlb=1");
  EXPECT_EQ(HugePageTunables("", nullptr, kMadvise), "glibc.malloc.hugetlb=1");
  EXPECT_EQ(HugePageTunables("glibc.malloc.arena_max=2", nullptr, kMadvise),
            "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
  EXPECT_EQ(HugePageTunables(nullptr, nullptr, "[always] madvise never\n"),
            "glibc.malloc.hugetlb=1");
  // Unreadable /sys (a container): glibc ignores the madvise where it cannot work.
  EXPECT_EQ(HugePageTunables(nullptr, nullptr, ""), "glibc.malloc.hugetlb=1");
}

TEST(HugePageHeapTest, LeavesTheProcessAloneWhenToldOrUseless) {
  // Already set (the re-executed process, or a user's own choice, 0 included).
  EXPECT_EQ(HugePageTunables("glibc.malloc.hugetlb=1", nullptr, kMadvise), "");
  EXPECT_EQ(HugePageTunables("glibc.malloc.hugetlb=0", nullptr, kMadvise), "");
  EXPECT_EQ(HugePageTunables("x=1:glibc.malloc.hugetlb=2", nullptr, kMadvise), "");
  EXPECT_EQ(HugePageTunables(nullptr, "0", kMadvise), "");
  EXPECT_EQ(HugePageTunables(nullptr, nullptr, "always madvise [never]\n"), "");
  EXPECT_EQ(HugePageTunables(nullptr, "1", kMadvise), "glibc.malloc.hugetlb=1");
}

TEST(HugePageHeapTest, TheProgramNameIsTheFileNameEvenOnceReplaced) {
  EXPECT_EQ(ProgramName("/usr/local/bin/coursesync"), "coursesync");
  EXPECT_EQ(ProgramName("/opt/cs/coursesync (deleted)"), "coursesync");
  EXPECT_EQ(ProgramName("coursesync"), "coursesync");
}

// What the re-executed process does first: the kernel named it "exe" after /proc/self/exe.
TEST(HugePageHeapTest, AProcessNamedExeGetsItsProgramsNameBack) {
  std::array<char, 17> before{}, after{};
  ASSERT_EQ(prctl(PR_GET_NAME, before.data()), 0);
  ASSERT_EQ(prctl(PR_SET_NAME, "exe"), 0);
  RestoreProcessName();
  ASSERT_EQ(prctl(PR_GET_NAME, after.data()), 0);
  EXPECT_STREQ(after.data(), before.data());  // this test binary's own name
  EXPECT_STRNE(after.data(), "exe");
  // A name that is not "exe" is the user's (prctl, exec -a): left alone.
  ASSERT_EQ(prctl(PR_SET_NAME, "mine"), 0);
  RestoreProcessName();
  ASSERT_EQ(prctl(PR_GET_NAME, after.data()), 0);
  EXPECT_STREQ(after.data(), "mine");
  prctl(PR_SET_NAME, before.data());
}

}  // namespace
}  // namespace cs::sync
