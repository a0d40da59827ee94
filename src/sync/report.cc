#include "sync/report.h"

#include <sstream>

namespace cs::sync {

const char* StatusName(Status s) {
  switch (s) {
    case Status::kCreated: return "created";
    case Status::kUpdated: return "updated";
    case Status::kSkipped: return "skipped";
    case Status::kDeleted: return "deleted";
    case Status::kReset: return "reset";
    case Status::kFound: return "found";
    case Status::kMissing: return "missing";
    case Status::kLinked: return "linked";
    case Status::kUnlinked: return "unlinked";
    case Status::kFailed: return "failed";
  }
  return "failed";
}

void RunReport::Add(LineResult r) {
  ++counts[r.status];
  lines.push_back(std::move(r));
}

int64_t RunReport::Count(Status s) const {
  auto it = counts.find(s);
  return it == counts.end() ? 0 : it->second;
}

nlohmann::json RunReport::Totals() const {
  nlohmann::json t = nlohmann::json::object();
  t["read"] = read;
  for (const auto& [status, n] : counts) t[StatusName(status)] = n;
  return t;
}

nlohmann::json RunReport::ToJson() const {
  nlohmann::json j;
  j["task"] = task;
  j["file"] = file;
  j["simulate"] = simulate;
  j["totals"] = Totals();
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& l : lines) {
    nlohmann::json o;
    o["line"] = l.line;
    o["identifier"] = l.identifier;
    o["status"] = StatusName(l.status);
    o["id"] = l.id ? nlohmann::json(*l.id) : nlohmann::json(nullptr);
    o["message"] = l.message;
    if (!l.details.is_null()) o["details"] = l.details;
    arr.push_back(std::move(o));
  }
  j["lines"] = std::move(arr);
  j["notes"] = notes;
  if (!summary.is_null()) j["summary"] = summary;
  j["report"] = report_path ? nlohmann::json(*report_path) : nlohmann::json(nullptr);
  j["tryback"] = tryback_path ? nlohmann::json(*tryback_path) : nlohmann::json(nullptr);
  return j;
}

std::string RunReport::ToText() const {
  std::ostringstream out;
  out << (simulate ? "SIMULATION: " : "") << task << " " << file << "\n";
  for (const auto& l : lines) {
    out << "line " << l.line << ": " << StatusName(l.status);
    if (!l.identifier.empty()) out << " " << l.identifier;
    if (l.id) out << " (id " << *l.id << ")";
    if (!l.message.empty()) out << ": " << l.message;
    out << "\n";
  }
  for (const auto& n : notes) out << n << "\n";
  out << "Totals: read " << read;
  for (const auto& [status, n] : counts) out << ", " << StatusName(status) << " " << n;
  out << "\n";
  if (report_path) out << "Report: " << *report_path << "\n";
  if (tryback_path) out << "Tryback file: " << *tryback_path << "\n";
  return out.str();
}

}  // namespace cs::sync
