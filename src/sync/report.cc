#include "sync/report.h"

#include <cstdio>
#include <sstream>

namespace cs::sync {

const char* StatusName(Status s) {
  switch (s) {
    case Status::kCreated:
      return "created";
    case Status::kUpdated:
      return "updated";
    case Status::kSkipped:
      return "skipped";
    case Status::kDeleted:
      return "deleted";
    case Status::kReset:
      return "reset";
    case Status::kFound:
      return "found";
    case Status::kMissing:
      return "missing";
    case Status::kLinked:
      return "linked";
    case Status::kUnlinked:
      return "unlinked";
    case Status::kFailed:
      return "failed";
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

int RunReport::ExitCode() const {
  if (failed() > 0) return 1;
  for (Status s : failing) {
    if (Count(s) > 0) return 1;
  }
  return 0;
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
  WriteText(out);
  return out.str();
}

namespace {

void Str(std::ostream& out, const std::string& s) {
  // JSON string escaping (UTF-8 passes through; invalid UTF-8 never reaches a report).
  out << '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out << "\\\"";
        break;
      case '\\':
        out << "\\\\";
        break;
      case '\n':
        out << "\\n";
        break;
      case '\r':
        out << "\\r";
        break;
      case '\t':
        out << "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out << buf;
        } else {
          out << static_cast<char>(c);
        }
    }
  }
  out << '"';
}

void OptStr(std::ostream& out, const std::optional<std::string>& s) {
  if (s) {
    Str(out, *s);
  } else {
    out << "null";
  }
}

}  // namespace

void RunReport::WriteJson(std::ostream& out) const {
  out << "{\"task\":";
  Str(out, task);
  out << ",\"file\":";
  Str(out, file);
  out << ",\"simulate\":" << (simulate ? "true" : "false") << ",\"totals\":" << Totals().dump()
      << ",\"lines\":[";
  bool first = true;
  for (const auto& l : lines) {
    out << (first ? "" : ",") << "{\"line\":" << l.line << ",\"identifier\":";
    first = false;
    Str(out, l.identifier);
    out << ",\"status\":\"" << StatusName(l.status) << "\",\"id\":";
    if (l.id) {
      out << *l.id;
    } else {
      out << "null";
    }
    out << ",\"message\":";
    Str(out, l.message);
    if (!l.details.is_null()) out << ",\"details\":" << l.details.dump();
    out << "}";
  }
  out << "],\"notes\":[";
  for (size_t i = 0; i < notes.size(); ++i) {
    out << (i ? "," : "");
    Str(out, notes[i]);
  }
  out << "]";
  if (!summary.is_null()) out << ",\"summary\":" << summary.dump();
  out << ",\"report\":";
  OptStr(out, report_path);
  out << ",\"tryback\":";
  OptStr(out, tryback_path);
  out << "}";
}

void RunReport::WriteText(std::ostream& out) const {
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
}

}  // namespace cs::sync
