#include "web/jobs.h"

#include <algorithm>
#include <exception>

#include "store/db.h"
#include "sync/errors.h"
#include "sync/file_area.h"
#include "sync/tasks.h"
#include "sync/tasks_more.h"
#include "sync/tasks_reset.h"
#include "sync/utilities.h"
#include "web/sessions.h"

namespace cs::web {

nlohmann::json JobSnapshot::ToJson(bool with_result) const {
  nlohmann::json j = {{"id", id},
                      {"task", request.task},
                      {"file", request.file},
                      {"simulate", request.simulate},
                      {"state", state},
                      {"outcome", outcome},
                      {"exit", exit_code},
                      {"records", records},
                      {"message", message},
                      {"started", started},
                      {"finished", finished}};
  j["totals"] = result.is_object() && result.contains("totals") ? result["totals"] : nullptr;
  if (with_result) j["result"] = result;
  return j;
}

JobManager::JobManager(std::string db_url, std::filesystem::path data_dir)
    : db_url_(std::move(db_url)), data_dir_(std::move(data_dir)) {}

JobManager::~JobManager() { WaitAll(); }

const std::vector<std::string>& JobManager::Tasks() {
  static const std::vector<std::string> tasks = {"reset", "create", "delete",   "check",
                                                 "metas", "all",    "cleancats"};
  return tasks;
}

bool JobManager::IsTask(const std::string& task) {
  const auto& t = Tasks();
  return std::find(t.begin(), t.end(), task) != t.end();
}

int64_t JobManager::Start(const JobRequest& request) {
  if (!IsTask(request.task)) throw sync::Rejected("unknown task '" + request.task + "'");
  std::lock_guard<std::mutex> lock(mu_);
  // Reap the threads of finished jobs (their results stay).
  for (auto& [id, job] : jobs_) {
    if (job->finished && job->thread.joinable()) job->thread.join();
  }
  auto job = std::make_unique<Job>();
  Job* raw = job.get();
  raw->snap.id = next_id_++;
  raw->snap.request = request;
  raw->snap.started = NowSeconds();
  jobs_[raw->snap.id] = std::move(job);
  raw->thread = std::thread([this, raw] { Execute(raw); });
  return raw->snap.id;
}

JobSnapshot JobManager::Snapshot(const Job& job) const {
  JobSnapshot s = job.snap;
  if (!s.done()) s.records = job.records.load();
  return s;
}

std::optional<JobSnapshot> JobManager::Get(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return Snapshot(*it->second);
}

std::vector<JobSnapshot> JobManager::List(size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<JobSnapshot> out;
  for (auto it = jobs_.rbegin(); it != jobs_.rend() && out.size() < limit; ++it) {
    out.push_back(Snapshot(*it->second));
  }
  return out;
}

void JobManager::WaitAll() {
  std::vector<std::thread*> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, job] : jobs_) threads.push_back(&job->thread);
  }
  // Jobs are never erased, so the pointers stay valid; Start() joins only finished threads,
  // under mu_, and a thread is joined by one caller at a time here.
  for (std::thread* t : threads) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!t->joinable()) continue;
    std::thread mine = std::move(*t);
    lock.unlock();
    mine.join();
  }
}

void JobManager::Execute(Job* job) {
  const JobRequest req = [&] {
    std::lock_guard<std::mutex> lock(mu_);
    return job->snap.request;
  }();
  nlohmann::json result;
  std::string outcome, message;
  int exit_code = 0;
  try {
    auto db = store::Open(db_url_);
    sync::FileArea area(data_dir_);
    sync::TaskOptions o;
    o.file = req.file;
    o.simulate = req.simulate;
    o.force = req.force;
    o.started_by = req.started_by;
    o.progress = [job](int64_t n) { job->records = n; };
    if (req.task == "all") {
      sync::AllResult r = sync::RunAll(*db, area, o);
      result = r.ToJson();
      exit_code = r.exit_code;
    } else if (req.task == "cleancats") {
      auto removed = sync::CleanEmptyCategories(*db, area, true, req.category, req.started_by);
      nlohmann::json list = nlohmann::json::array();
      for (const auto& c : removed) list.push_back({{"id", c.id}, {"path", c.path}});
      result = {{"task", "cleancats"},
                {"deleted", list},
                {"totals", {{"deleted", static_cast<int64_t>(removed.size())}}}};
      job->records = static_cast<int64_t>(removed.size());
    } else {
      sync::RunReport r;
      if (req.task == "create") r = sync::RunCreate(*db, area, o);
      if (req.task == "delete") r = sync::RunDelete(*db, area, o);
      if (req.task == "check") r = sync::RunCheck(*db, area, o);
      if (req.task == "reset") r = sync::RunReset(*db, area, o);
      if (req.task == "metas") r = sync::RunMetas(*db, area, o);
      result = r.ToJson();
      exit_code = r.ExitCode();
      job->records = r.read;
    }
    outcome = exit_code == 0 ? "completed" : exit_code == 1 ? "failed" : "rejected";
  } catch (const sync::Rejected& e) {
    outcome = "rejected";
    exit_code = 2;
    message = e.what();
  } catch (const sync::LockBusy& e) {
    outcome = "busy";
    exit_code = 3;
    message = e.what();
  } catch (const std::exception& e) {
    outcome = "error";
    exit_code = 1;
    message = e.what();
  }
  std::lock_guard<std::mutex> lock(mu_);
  job->snap.records = job->records.load();
  job->snap.result = std::move(result);
  job->snap.outcome = outcome;
  job->snap.exit_code = exit_code;
  job->snap.message = message;
  job->snap.finished = NowSeconds();
  job->snap.state = "done";
  job->finished = true;
}

}  // namespace cs::web
