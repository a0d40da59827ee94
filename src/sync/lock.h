// One run per task at a time across processes: an exclusive flock(2) on <data>/locks/<task>.lock.
// The kernel drops the lock when its holder dies, so a stale lock never blocks the next run; the
// file records the holder's pid and start time for the message shown to the second run.
#pragma once

#include <filesystem>
#include <string>

namespace cs::sync {

class TaskLock {
 public:
  // Throws LockBusy (exit 3) when another live process holds it.
  TaskLock(const std::filesystem::path& locks_dir, const std::string& task);
  ~TaskLock();
  TaskLock(const TaskLock&) = delete;
  TaskLock& operator=(const TaskLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace cs::sync
