// Process start-up: the C library's heap backed by transparent huge pages. Every program of the
// project (coursesync, the benchmarks) calls UseHugePageHeap() first thing in main().
//
// Why: a run touches hundreds of MiB of fresh heap (the course index, the report's lines,
// SQLite's page cache), and where page faults are dear (virtual machines: this project's own
// showed 9 µs each) a 4 KiB page per fault is a large share of a run. glibc maps its heap with
// 2 MiB pages only when asked (madvise), and only through the GLIBC_TUNABLES environment
// variable, read when the process starts: so the process starts itself again, once, with
// glibc.malloc.hugetlb=1 added. Measured in docs/PERFORMANCE.md ("huge pages").
#pragma once

#include <string>

namespace cs::sync {

// What UseHugePageHeap() would set GLIBC_TUNABLES to, or "" to leave the process as it is: when
// the tunable is already given (either way: the user's word stands), when
// COURSESYNC_HUGEPAGES=0, or when the kernel's transparent huge pages are "never".
// `tunables` is the current GLIBC_TUNABLES (nullptr: unset), `thp_mode` the contents of
// /sys/kernel/mm/transparent_hugepage/enabled ("" when unreadable).
std::string HugePageTunables(const char* tunables, const char* opt_out,
                             const std::string& thp_mode);

// Re-executes the program (/proc/self/exe, same arguments) with the tunable when
// HugePageTunables() asks for it; returns (and the program goes on as it is) when it does not,
// or when the re-execution fails. Call it before any thread, file or lock is opened. The
// re-executed process gets its program's name back (RestoreProcessName).
void UseHugePageHeap(char** argv);

// The name a process running `exe_target` (what /proc/self/exe points to) should show: the file
// name, without the " (deleted)" the kernel adds once the file has been replaced.
std::string ProgramName(const std::string& exe_target);

// A process started through /proc/self/exe is named "exe" by the kernel, which is what ps, top,
// pgrep and killall would show of a cron job's coursesync: when the name is "exe", sets it back to
// ProgramName() of /proc/self/exe (the kernel keeps 15 characters of it).
void RestoreProcessName();

}  // namespace cs::sync
