#include "sync/background_writer.h"

#include <algorithm>
#include <utility>

namespace cs::sync {

BackgroundWriter::BackgroundWriter(size_t max_queued)
    : max_queued_(std::max<size_t>(1, max_queued)) {}

BackgroundWriter::~BackgroundWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    jobs_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackgroundWriter::RethrowLocked() {
  if (failure_) {
    std::exception_ptr f = std::exchange(failure_, nullptr);
    std::rethrow_exception(f);
  }
}

void BackgroundWriter::Post(std::function<void()> job) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return jobs_.size() < max_queued_ || failure_; });
  RethrowLocked();
  jobs_.push_back(std::move(job));
  if (!thread_.joinable()) thread_ = std::thread([this] { Work(); });
  lock.unlock();
  changed_.notify_all();
}

void BackgroundWriter::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  // A failure empties the queue as the worker goes idle, so this also covers it.
  changed_.wait(lock, [&] { return jobs_.empty() && !busy_; });
  RethrowLocked();
}

void BackgroundWriter::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
    if (stop_) return;
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    busy_ = true;
    lock.unlock();
    changed_.notify_all();  // room in the queue
    std::exception_ptr failure;
    try {
      job();
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    busy_ = false;
    if (failure) {
      failure_ = failure;
      jobs_.clear();  // later jobs would build on rows that are missing
    }
    changed_.notify_all();
  }
}

}  // namespace cs::sync
