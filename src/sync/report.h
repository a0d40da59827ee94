// The result of one run of a command file: a line per input record with its status, totals, and
// the paths of the stored report and tryback file. Rendered as text or as the contract's JSON.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace cs::sync {

enum class Status {
  kCreated,
  kUpdated,
  kSkipped,
  kDeleted,
  kReset,
  kFound,
  kMissing,
  kLinked,
  kUnlinked,
  kFailed
};
const char* StatusName(Status s);

struct LineResult {
  int64_t line = 0;
  std::string identifier;
  Status status = Status::kFailed;
  std::optional<int64_t> id;
  std::string message;
  nlohmann::json
      details;  // task-specific extras (e.g. reset counts, check's course data); may be null
  // The same extras already rendered as one JSON object, used instead of `details` when not
  // empty: one string per line instead of a tree of nodes (a million-line check stays cheap).
  std::string details_json;

  // The extras whichever way they were given (null when none).
  nlohmann::json Details() const;
};

// Appends `s` to `out` as a JSON string literal (quotes included; UTF-8 passes through).
void AppendJsonString(std::string& out, std::string_view s);

struct RunReport {
  std::string task;
  std::string file;  // as shown to the user (name in the file area, or the path given)
  bool simulate = false;
  int64_t read = 0;
  std::vector<LineResult> lines;
  std::map<Status, int64_t> counts;
  std::vector<std::string> notes;          // run-level messages (e.g. categories created, warnings)
  std::optional<std::string> report_path;  // relative to the data folder
  std::optional<std::string> tryback_path;  // relative to the data folder
  nlohmann::json summary;                   // task-specific summary (may be null)
  int64_t started = 0;
  int64_t finished = 0;
  // Statuses besides `failed` that make the run exit 1 (delete: `missing`).
  std::vector<Status> failing;

  void Add(LineResult r);
  int64_t Count(Status s) const;
  int64_t failed() const { return Count(Status::kFailed); }
  // 0 when nothing failed, 1 otherwise (2 and 3 come from exceptions).
  int ExitCode() const;
  nlohmann::json Totals() const;
  nlohmann::json ToJson() const;
  std::string ToText() const;
  // The same renderings written straight to a stream, without building them in memory first
  // (a million-line report stays cheap). WriteJson writes the contract's object on one line.
  void WriteJson(std::ostream& out) const;
  void WriteText(std::ostream& out) const;
};

}  // namespace cs::sync
