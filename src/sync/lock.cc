#include "sync/lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include "sync/errors.h"

namespace cs::sync {

TaskLock::TaskLock(const std::filesystem::path& locks_dir, const std::string& task) {
  std::filesystem::create_directories(locks_dir);
  std::string path = (locks_dir / (task + ".lock")).string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw Rejected("cannot open lock file " + path + ": " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    char buf[128] = {0};
    ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
    std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "another process";
    while (!holder.empty() && (holder.back() == '\n')) holder.pop_back();
    ::close(fd_);
    fd_ = -1;
    throw LockBusy("another " + task + " run is in progress (" + holder + ")");
  }
  std::string info = "pid " + std::to_string(::getpid()) + ", started " +
                     std::to_string(static_cast<long long>(std::time(nullptr))) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] ssize_t w = ::pwrite(fd_, info.data(), info.size(), 0);
  }
}

TaskLock::~TaskLock() {
  if (fd_ >= 0) {
    [[maybe_unused]] int r = ::ftruncate(fd_, 0);
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

}  // namespace cs::sync
