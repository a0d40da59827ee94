// Runs one command-file task the same way for every front end: lock, drop-folder capture, input
// resolution, one database transaction (rolled back in simulate), tryback file, report file,
// archive/cleanup of the input, and a row in the run history.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "csv/reader.h"
#include "store/db.h"
#include "sync/file_area.h"
#include "sync/report.h"
#include "sync/settings.h"

namespace cs::sync {

struct TaskOptions {
  std::string file;  // "" = the configured location, "-" = standard input, else a path
  bool simulate = false;
  std::optional<std::string> identifier;  // idnumber|shortname|id, overrides the setting
  std::optional<std::string> separator;   // overrides csvseparator
  std::optional<std::string> encoding;    // overrides encoding
  bool force = false;                     // bypass safety guards (deletion threshold)
  std::string started_by = "cli";
  std::istream* stdin_stream = nullptr;  // for file "-" (defaults to std::cin)
  // Called from time to time with the number of records handled so far.
  std::function<void(int64_t records)> progress;
};

// Collects the rejected records; written as the tryback file after a committed run.
class Tryback {
 public:
  void SetHeader(std::vector<std::string> header) { header_ = std::move(header); }
  void Add(std::vector<std::string> fields) { rows_.push_back(std::move(fields)); }
  bool empty() const { return rows_.empty(); }
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// What a task body receives.
struct TaskContext {
  store::Db& db;
  const Settings& settings;
  csv::Reader& reader;
  csv::ReaderOptions csv;
  std::string identifier;  // effective identifier for this run
  bool simulate;
  bool force;
  RunReport& report;
  Tryback& tryback;
  std::function<void(int64_t)> progress;
  // The input file, for a body that reads it twice (the creation file's sort-order plan); ""
  // when it comes from standard input.
  std::string input_path;
};

struct TaskSpec {
  std::string task;            // "create", "delete", "check", "reset", "metas"
  std::string location_key;    // setting holding the file location
  std::string identifier_key;  // setting holding the identifier
  bool writes = true;          // false for check: no transaction, no archive
};

using TaskBody = std::function<void(TaskContext&)>;

// Runs `body` over the input. Throws Rejected (exit 2) when the file is missing or rejected, and
// LockBusy (exit 3). On Rejected or any other exception, nothing is committed and the input stays.
// The tryback file, the report and the archive entry are written before the commit, so a run
// that cannot write them (a full disk, a read-only folder) fails (std::runtime_error naming the
// file) and changes nothing; the input leaves files/ only after the commit.
RunReport RunFileTask(store::Db& db, const FileArea& area, const TaskSpec& spec,
                      const TaskOptions& options, const TaskBody& body);

// True when the task's configured input file exists in the file area (used by `all`).
bool ConfiguredInputExists(store::Db& db, const FileArea& area, const TaskSpec& spec);

// Moves files from <data>/drop/ into files/ unless drop/lock.txt exists (the sender is still
// writing). Hidden files, and names starting with '_' are left. Returns the names moved.
std::vector<std::string> CaptureDropFolder(const FileArea& area);

// Records a run in {tool_sync_runs}; returns its id. FinishRun fills in the outcome.
int64_t StartRunRecord(store::Db& db, const std::string& task, const std::string& file,
                       const std::string& started_by, bool simulate);
void FinishRunRecord(store::Db& db, int64_t run_id, const std::string& status, int exit_code,
                     const RunReport* report, const std::string& message);

}  // namespace cs::sync
