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
    nlohmann::json d = l.Details();
    if (!d.is_null()) o["details"] = std::move(d);
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

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  size_t plain = 0;  // start of the run of characters that need no escaping
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      }
    }
  }
  out.append(s, plain, s.size() - plain);
  out += '"';
}

nlohmann::json LineResult::Details() const {
  if (!details_json.empty()) return nlohmann::json::parse(details_json);
  return details;
}

namespace {

void AppendOptString(std::string& out, const std::optional<std::string>& s) {
  if (s) {
    AppendJsonString(out, *s);
  } else {
    out += "null";
  }
}

// Lines are rendered into one buffer written in large pieces (no stream call per field).
constexpr size_t kFlushAt = 1 << 16;

void Flush(std::ostream& out, std::string& buf) {
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  buf.clear();
}

}  // namespace

void RunReport::WriteJson(std::ostream& out) const {
  std::string b;
  b.reserve(kFlushAt + 4096);
  b += "{\"task\":";
  AppendJsonString(b, task);
  b += ",\"file\":";
  AppendJsonString(b, file);
  b += ",\"simulate\":";
  b += simulate ? "true" : "false";
  b += ",\"totals\":" + Totals().dump() + ",\"lines\":[";
  bool first = true;
  for (const auto& l : lines) {
    b += first ? "{\"line\":" : ",{\"line\":";
    first = false;
    b += std::to_string(l.line);
    b += ",\"identifier\":";
    AppendJsonString(b, l.identifier);
    b += ",\"status\":\"";
    b += StatusName(l.status);
    b += "\",\"id\":";
    b += l.id ? std::to_string(*l.id) : "null";
    b += ",\"message\":";
    AppendJsonString(b, l.message);
    if (!l.details_json.empty()) {
      b += ",\"details\":";
      b += l.details_json;
    } else if (!l.details.is_null()) {
      b += ",\"details\":";
      b += l.details.dump();
    }
    b += '}';
    if (b.size() >= kFlushAt) Flush(out, b);
  }
  b += "],\"notes\":[";
  for (size_t i = 0; i < notes.size(); ++i) {
    if (i) b += ',';
    AppendJsonString(b, notes[i]);
  }
  b += ']';
  if (!summary.is_null()) b += ",\"summary\":" + summary.dump();
  b += ",\"report\":";
  AppendOptString(b, report_path);
  b += ",\"tryback\":";
  AppendOptString(b, tryback_path);
  b += '}';
  Flush(out, b);
}

void RunReport::WriteText(std::ostream& out) const {
  std::string b;
  b.reserve(kFlushAt + 4096);
  if (simulate) b += "SIMULATION: ";
  b += task + " " + file + "\n";
  for (const auto& l : lines) {
    b += "line ";
    b += std::to_string(l.line);
    b += ": ";
    b += StatusName(l.status);
    if (!l.identifier.empty()) (b += ' ') += l.identifier;
    if (l.id) (b += " (id ") += std::to_string(*l.id) + ")";
    if (!l.message.empty()) (b += ": ") += l.message;
    b += '\n';
    if (b.size() >= kFlushAt) Flush(out, b);
  }
  for (const auto& n : notes) (b += n) += '\n';
  b += "Totals: read " + std::to_string(read);
  for (const auto& [status, n] : counts) {
    b += ", ";
    b += StatusName(status);
    b += " " + std::to_string(n);
  }
  b += '\n';
  if (report_path) b += "Report: " + *report_path + "\n";
  if (tryback_path) b += "Tryback file: " + *tryback_path + "\n";
  Flush(out, b);
}

}  // namespace cs::sync
