// The course deletion file (tool_sync.md §2.2 with its Recommendations and §7 item 37;
// moodle_core.md §2.3). One identifier per line, the first CSV field, trimmed; an optional first
// line naming the identifier is a header. Every line is resolved first, so the safety threshold is
// checked before anything is deleted; then the courses are removed together by one
// CourseDeleter::DeleteMany() (set-based), the lines reported in file order, and the sort order
// fixed once.
//
// Line outcomes:
//   deleted  the course and everything that belonged to it are gone;
//   missing  no course has this identifier (in the tryback file); counts as a failure (exit 1);
//   failed   empty identifier, ambiguous identifier (several courses share it), the site course
//            (in the tryback file);
//   skipped  the same course was already named by an earlier line: the first line deletes it, the
//            repeat is a no-op reported with that line's number (not a failure, not in the tryback,
//            since re-running it could never do anything).
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sync/categories.h"
#include "sync/course_delete.h"
#include "sync/course_index.h"
#include "sync/errors.h"
#include "sync/identifier_file.h"
#include "sync/tasks_more.h"
#include "sync/values.h"

namespace cs::sync {
namespace {

enum class Outcome { kDelete, kMissing, kFailed, kDuplicate };

struct Entry {
  int64_t line = 0;
  std::string identifier;
  std::vector<std::string> fields;
  Outcome outcome = Outcome::kFailed;
  const CourseRow* course = nullptr;
  std::string message;
};

class Deleter {
 public:
  explicit Deleter(TaskContext& ctx) : ctx_(ctx), index_(ctx.db) {}

  void Run() {
    ctx_.report.failing = {Status::kMissing};
    Read();
    Resolve();
    CheckThreshold();
    Apply();
  }

 private:
  void Read() {
    ForEachIdentifierLine(ctx_, 2000, [this](const csv::Record& rec, std::string ident) {
      Entry e;
      e.line = rec.line;
      e.identifier = std::move(ident);
      e.fields = rec.fields;
      entries_.push_back(std::move(e));
    });
  }

  void Resolve() {
    std::unordered_map<int64_t, int64_t> first_line;  // course id -> line deleting it
    for (Entry& e : entries_) {
      if (e.identifier.empty()) {
        e.message = "empty identifier";
        continue;
      }
      Lookup found = index_.Find(ctx_.identifier, e.identifier);
      if (!found.course) {
        size_t matches = ctx_.identifier == "idnumber"    ? index_.ByIdnumber(e.identifier).size()
                         : ctx_.identifier == "shortname" ? index_.ByShortname(e.identifier).size()
                                                          : 0;
        e.outcome = matches > 1 ? Outcome::kFailed : Outcome::kMissing;
        e.message = found.error;
        continue;
      }
      e.course = found.course;
      if (e.course->id == kSiteCourseId) {
        e.message = "the site course (id 1) can never be deleted";
        continue;
      }
      auto [it, inserted] = first_line.emplace(e.course->id, e.line);
      if (!inserted) {
        e.outcome = Outcome::kDuplicate;
        e.message = "course id " + std::to_string(e.course->id) + " is already deleted by line " +
                    std::to_string(it->second);
        continue;
      }
      e.outcome = Outcome::kDelete;
    }
    to_delete_ = static_cast<int64_t>(first_line.size());
  }

  // Refuses (Rejected: exit 2, nothing changed) a run deleting more than the configured share of
  // the site's courses, unless --force.
  void CheckThreshold() {
    total_ = static_cast<int64_t>(index_.CountNonSite());
    threshold_ = ctx_.settings.Int("courses_deletethreshold");
    if (to_delete_ == 0 || to_delete_ * 100 <= threshold_ * total_) return;
    std::string what = std::to_string(to_delete_) + " of the site's " + std::to_string(total_) +
                       " courses (" + Percent(to_delete_, total_) + ")";
    if (!ctx_.force) {
      throw Rejected(ctx_.reader.name() + ": refusing to delete " + what +
                     ": more than the deletion threshold of " + std::to_string(threshold_) +
                     "% (courses_deletethreshold); nothing was deleted. Check the file, or run "
                     "again with --force to delete them anyway");
    }
    forced_ = true;
    ctx_.report.notes.push_back("--force: deleting " + what + ", above the deletion threshold of " +
                                std::to_string(threshold_) + "%");
  }

  static std::string Percent(int64_t part, int64_t whole) {
    if (whole <= 0) return "100%";
    int64_t tenths = (part * 1000 + whole / 2) / whole;
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
  }

  void Apply() {
    // Every course at once (set-based, see CourseDeleter::DeleteMany), then the lines in file
    // order.
    std::vector<int64_t> ids;
    for (const Entry& e : entries_) {
      if (e.outcome == Outcome::kDelete) ids.push_back(e.course->id);
    }
    std::optional<CourseDeleter> deleter;
    std::vector<DeleteCounts> counts;
    if (!ids.empty()) {
      if (ctx_.progress) ctx_.progress(0);
      deleter.emplace(ctx_.db);
      counts = deleter->DeleteMany(ids);
      if (ctx_.progress) ctx_.progress(static_cast<int64_t>(ids.size()));
    }
    size_t next = 0;
    for (Entry& e : entries_) {
      LineResult r;
      r.line = e.line;
      r.identifier = e.identifier;
      if (e.course) r.id = e.course->id;
      switch (e.outcome) {
        case Outcome::kDelete:
          r.status = Status::kDeleted;
          r.message = "deleted '" + e.course->fullname + "' with " + counts[next++].Describe();
          break;
        case Outcome::kDuplicate:
          r.status = Status::kSkipped;
          r.message = e.message;
          break;
        case Outcome::kMissing:
          r.status = Status::kMissing;
          r.message = e.message;
          missing_.push_back(e.identifier);
          ctx_.tryback.Add(e.fields);
          break;
        case Outcome::kFailed:
          r.status = Status::kFailed;
          r.message = e.message;
          ctx_.tryback.Add(e.fields);
          break;
      }
      ctx_.report.Add(std::move(r));
    }
    DeleteCounts totals = deleter ? deleter->totals() : DeleteCounts{};
    if (to_delete_ > 0) FixCourseSortorder(ctx_.db);
    if (entries_.empty()) {
      ctx_.report.notes.push_back("the file holds no identifier: nothing to delete");
    }
    if (!missing_.empty()) {
      ctx_.report.notes.push_back(std::to_string(missing_.size()) + " identifier(s) not found");
    }
    ctx_.report.summary = {{"courses_before", total_},        {"deleted", to_delete_},
                           {"threshold_percent", threshold_}, {"forced", forced_},
                           {"removed", totals.ToJson()},      {"missing_list", missing_}};
  }

  TaskContext& ctx_;
  CourseIndex index_;
  std::vector<Entry> entries_;
  std::vector<std::string> missing_;
  int64_t to_delete_ = 0;
  int64_t total_ = 0;
  int64_t threshold_ = 0;
  bool forced_ = false;
};

}  // namespace

RunReport RunDelete(store::Db& db, const FileArea& area, const TaskOptions& options) {
  TaskSpec spec{"delete", "courses_filedeletelocation", "courses_filedeleteidentifier", true};
  return RunFileTask(db, area, spec, options, [](TaskContext& ctx) { Deleter(ctx).Run(); });
}

}  // namespace cs::sync
