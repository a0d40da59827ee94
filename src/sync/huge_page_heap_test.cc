// When the process restarts itself with glibc's huge-page heap, and when it leaves things alone.
#include "sync/huge_page_heap.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cs::sync
