// Background runs of the console and the API: each run is a std::thread with its own database
// connection (SQLite connections are never shared across threads). The HTTP side reads a job's
// progress (records handled, state) and, once done, its result JSON (the RunReport of a file
// task, AllResult for `all`, the deleted categories for `cleancats`).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cs::web {

struct JobRequest {
  std::string task;       // one of JobManager::Tasks()
  std::string file;       // "" = the configured file, else a path (an upload in the file area)
  bool simulate = false;  // file tasks and `all`
  bool force = false;     // delete: bypass the deletion threshold
  std::optional<int64_t> category;  // cleancats: the starting category
  std::string started_by = "web";
};

struct JobSnapshot {
  int64_t id = 0;
  JobRequest request;
  std::string state = "running";  // running, done
  // When done: completed (exit 0), failed (exit 1), rejected (2), busy (3), error (internal).
  std::string outcome;
  int exit_code = 0;
  int64_t records = 0;
  std::string message;
  nlohmann::json result;  // null while running
  int64_t started = 0, finished = 0;
  bool done() const { return state == "done"; }
  // {id, task, file, simulate, state, outcome, exit, records, message, started, finished, totals}
  // plus "result" when `with_result`.
  nlohmann::json ToJson(bool with_result) const;
};

class JobManager {
 public:
  JobManager(std::string db_url, std::filesystem::path data_dir);
  ~JobManager();  // waits for running jobs
  JobManager(const JobManager&) = delete;
  JobManager& operator=(const JobManager&) = delete;

  // The tasks a job can run, in the order the console lists them.
  static const std::vector<std::string>& Tasks();
  static bool IsTask(const std::string& task);

  // Starts the job in a new thread; returns its id. Throws sync::Rejected for an unknown task.
  int64_t Start(const JobRequest& request);
  std::optional<JobSnapshot> Get(int64_t id);
  // Newest first, at most `limit`.
  std::vector<JobSnapshot> List(size_t limit = 50);
  // Blocks until every job has finished (graceful shutdown).
  void WaitAll();

 private:
  struct Job {
    JobSnapshot snap;  // guarded by mu_
    std::atomic<int64_t> records{0};
    std::thread thread;
    std::atomic<bool> finished{false};
  };
  void Execute(Job* job);
  JobSnapshot Snapshot(const Job& job) const;  // caller holds mu_

  std::string db_url_;
  std::filesystem::path data_dir_;
  mutable std::mutex mu_;
  std::map<int64_t, std::unique_ptr<Job>> jobs_;
  int64_t next_id_ = 1;
};

}  // namespace cs::web
