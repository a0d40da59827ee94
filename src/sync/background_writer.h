// A second thread for database writes: the caller posts jobs (closures that write rows it has
// prepared) and goes on preparing the next ones while the jobs run, in order, on the worker. On
// 2 cores a bulk run's parsing and validation then overlap SQLite's B-tree work (or PostgreSQL's
// round trips) instead of adding to it.
//
// The database connection is used by one thread at a time, never both: while a job may be
// running, the caller must not touch the connection (or anything prepared on it) until Drain()
// has returned. A job that throws stops the queue (later jobs are dropped) and its exception is
// rethrown by the next Post() or Drain(). The destructor waits for the running job and drops the
// rest, so a caller that fails can roll back right after.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace cs::sync {

class BackgroundWriter {
 public:
  // `max_queued`: jobs waiting beyond the running one before Post() blocks (bounds memory).
  explicit BackgroundWriter(size_t max_queued = 2);
  ~BackgroundWriter();
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;

  // Queues `job` (the worker thread starts with the first one).
  void Post(std::function<void()> job);
  // Returns once every posted job has run; rethrows the failure of one that threw.
  void Drain();

 private:
  void Work();
  void RethrowLocked();

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> jobs_;
  bool busy_ = false;  // the worker is running a job
  bool stop_ = false;
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace cs::sync
