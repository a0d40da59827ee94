// The utilities of the original's "Utilities" screen and the machinery around the command files
// (tool_sync.md §4, §1.11, §6): deletion/reset file generators, empty-category cleaning, `all`,
// file-area retention, and the run history.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"
#include "sync/file_area.h"
#include "sync/listing.h"
#include "sync/report.h"
#include "sync/task_run.h"

namespace cs::sync {

struct GeneratedFile {
  std::string path;        // where it was written (relative to the data folder when inside)
  std::string identifier;  // the identifier column written
  int64_t written = 0;     // courses written
  std::vector<std::string> skipped;  // courses left out, with the reason
};

// Writes a deletion file (one identifier per line, no header) for the selected courses, using
// `identifier` (default: courses_filedeleteidentifier). The output goes to `out` when given (a
// path), else to the configured deletion location in the file area. The site course is never
// written; a course with no value for the identifier is reported in `skipped`, not written.
// Throws Rejected when the selection is empty.
GeneratedFile MakeDeleteFile(store::Db& db, const FileArea& area, const CourseFilter& filter,
                             const std::optional<std::string>& identifier,
                             const std::optional<std::string>& out);

// Writes a reset file with the usual options (tool_sync.md §4.2 defaults, DefaultResetHeader /
// DefaultResetValues) for the selected courses, in the configured separator and encoding, which
// `reset` accepts as it is.
GeneratedFile MakeResetFile(store::Db& db, const FileArea& area, const CourseFilter& filter,
                            const std::optional<std::string>& identifier,
                            const std::optional<std::string>& out);

struct EmptyCategory {
  int64_t id;
  std::string path;
};

// The empty categories at and below `start` (or in the whole tree), bottom-up (children before
// their parent): a category is empty when it holds no course and no non-empty subcategory, so
// whole empty branches are listed at once. The default category (and so its ancestors) is never
// listed. With `apply`, they are deleted (contexts included) and the sort order fixed, in one
// transaction, under the `cleancats` lock, and the run is recorded in the history.
std::vector<EmptyCategory> CleanEmptyCategories(store::Db& db, const FileArea& area, bool apply,
                                                std::optional<int64_t> start = std::nullopt,
                                                const std::string& started_by = "cli");

// Removes archives, reports and tryback files older than `fileareacleanupdelay` days (0 = never).
// Returns the paths removed (relative to the data folder).
std::vector<std::string> CleanupFiles(store::Db& db, const FileArea& area);

struct AllResult {
  std::vector<RunReport> reports;
  // Tasks that did not run or were refused: (task, reason, exit code).
  std::vector<std::tuple<std::string, std::string, int>> problems;
  std::vector<std::string> cleaned;  // retention clean-up
  int exit_code = 0;                 // the worst of the tasks
  nlohmann::json ToJson() const;
  std::string ToText() const;
};

// `all`: reset, check, delete, create, metas — each whose configured file is present (or every
// one on `options.file` when given, as the original's upload did) — then the retention clean-up.
// A task whose file is rejected does not stop the others; the exit status is the worst of them.
AllResult RunAll(store::Db& db, const FileArea& area, const TaskOptions& options);

struct HistoryFilter {
  std::string task;    // empty = every task
  std::string status;  // empty = every status
  int64_t limit = 50;
};
// The recorded runs, newest first, as JSON objects (id, task, file, startedby, start, end,
// simulate, status, exitcode, totals, report, tryback, message).
nlohmann::json History(store::Db& db, const HistoryFilter& filter);
std::string HistoryText(const nlohmann::json& runs);

}  // namespace cs::sync
