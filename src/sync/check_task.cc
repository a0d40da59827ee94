// The course existence check file (tool_sync.md §2.3 with its Recommendation, §4.3 and §7 item 38).
// One identifier per line (the first CSV field, trimmed), optionally a description in the second
// field that is echoed in the report; an optional first line naming the identifier is a header.
// Read-only: the run holds no transaction and never writes to the site.
//
// Line outcomes:
//   found    details = {id, shortname, fullname, idnumber, categorypath[, description]};
//   missing  no course has this identifier: a normal answer (exit 0), listed in the summary and
//            written to the tryback file so the missing lines can be acted upon;
//   failed   empty identifier, or ambiguous (several courses share it): no answer possible.
//
// Streams the file against the in-memory CourseIndex; category paths are computed once per
// category.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sync/categories.h"
#include "sync/course_index.h"
#include "sync/identifier_file.h"
#include "sync/tasks_more.h"
#include "sync/values.h"

namespace cs::sync {
namespace {

// How many missing identifiers the note line lists (the summary always holds all of them).
constexpr size_t kMissingInNote = 50;

class Checker {
 public:
  explicit Checker(TaskContext& ctx) : ctx_(ctx), index_(ctx.db), cats_(ctx.db) {}

  void Run() {
    ForEachIdentifierLine(ctx_, 10000, [this](const csv::Record& rec, std::string ident) {
      HandleLine(rec, std::move(ident));
    });
    Summarise();
  }

 private:
  void HandleLine(const csv::Record& rec, std::string ident) {
    std::string description;
    if (rec.fields.size() > 1) description = Trim(rec.fields[1]);
    LineResult r;
    r.line = rec.line;
    if (ident.empty()) {
      r.status = Status::kFailed;
      r.message = "empty identifier";
      Finish(rec, std::move(r), description);
      return;
    }
    Lookup found = index_.Find(ctx_.identifier, ident);
    if (found.course) {
      const CourseRow& c = *found.course;
      const std::string& path = CategoryPath(c.category);
      r.status = Status::kFound;
      r.id = c.id;
      r.message.reserve(c.fullname.size() + path.size() + 3);
      r.message += c.fullname;
      if (!path.empty()) r.message.append(" [").append(path).append("]");
      // Rendered straight to JSON text: a million found lines make this the task's main cost.
      std::string& d = r.details_json;
      d.reserve(64 + c.shortname.size() + c.fullname.size() + c.idnumber.size() + path.size());
      d += "{\"id\":";
      d += std::to_string(c.id);
      d += ",\"shortname\":";
      AppendJsonString(d, c.shortname);
      d += ",\"fullname\":";
      AppendJsonString(d, c.fullname);
      d += ",\"idnumber\":";
      AppendJsonString(d, c.idnumber);
      d += ",\"categorypath\":";
      AppendJsonString(d, path);
      d += '}';
      ++found_;
    } else {
      size_t matches = ctx_.identifier == "idnumber"    ? index_.ByIdnumber(ident).size()
                       : ctx_.identifier == "shortname" ? index_.ByShortname(ident).size()
                                                        : 0;
      if (matches > 1) {
        r.status = Status::kFailed;
      } else {
        r.status = Status::kMissing;
        missing_.push_back(ident);
      }
      r.message = found.error;
    }
    r.identifier = std::move(ident);
    Finish(rec, std::move(r), description);
  }

  void Finish(const csv::Record& rec, LineResult r, const std::string& description) {
    if (!description.empty()) {
      r.message += (r.message.empty() ? "" : " — ") + description;
      std::string& d = r.details_json;  // "{...}" of a found line, else empty
      if (d.empty()) {
        d = "{";
      } else {
        d.back() = ',';
      }
      d += "\"description\":";
      AppendJsonString(d, description);
      d += '}';
    }
    if (r.status != Status::kFound) ctx_.tryback.Add(rec.fields);
    ctx_.report.Add(std::move(r));
  }

  // The category's path (names joined with '/'); "" for the site course (category 0).
  const std::string& CategoryPath(int64_t category) {
    auto it = paths_.find(category);
    if (it != paths_.end()) return it->second;
    std::string path = cats_.Get(category) ? cats_.PathOf(category) : std::string();
    return paths_.emplace(category, std::move(path)).first->second;
  }

  void Summarise() {
    int64_t failed = ctx_.report.Count(Status::kFailed);
    ctx_.report.summary = {{"found", found_},
                           {"missing", static_cast<int64_t>(missing_.size())},
                           {"missing_list", missing_}};
    if (failed > 0) ctx_.report.summary["failed"] = failed;
    if (missing_.empty()) {
      ctx_.report.notes.push_back("missing: none");
      return;
    }
    std::string note = "missing (" + std::to_string(missing_.size()) + "): ";
    for (size_t i = 0; i < missing_.size() && i < kMissingInNote; ++i) {
      note += (i ? ", " : "") + missing_[i];
    }
    if (missing_.size() > kMissingInNote) {
      note += " ... and " + std::to_string(missing_.size() - kMissingInNote) +
              " more (see the report's summary)";
    }
    ctx_.report.notes.push_back(std::move(note));
  }

  TaskContext& ctx_;
  CourseIndex index_;
  CategoryTree cats_;
  std::unordered_map<int64_t, std::string> paths_;
  std::vector<std::string> missing_;
  int64_t found_ = 0;
};

}  // namespace

RunReport RunCheck(store::Db& db, const FileArea& area, const TaskOptions& options) {
  TaskSpec spec{"check", "courses_fileexistlocation", "courses_existfileidentifier", false};
  return RunFileTask(db, area, spec, options, [](TaskContext& ctx) { Checker(ctx).Run(); });
}

}  // namespace cs::sync
