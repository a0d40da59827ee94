// The deletion, existence check and metacourse binding files (to be merged into tasks.h).
#pragma once

#include "store/db.h"
#include "sync/file_area.h"
#include "sync/report.h"
#include "sync/task_run.h"

namespace cs::sync {

// `delete [FILE]`: one course identifier per line (optional header naming the identifier).
// Each course is removed with everything scoped to it (CourseDeleter), then the sort orders are
// repaired. Unknown identifiers are `missing` and go to the tryback file; the site course is
// refused. A run that would delete more than `courses_deletethreshold` percent of the site's
// courses throws Rejected (nothing changed) unless options.force.
RunReport RunDelete(store::Db& db, const FileArea& area, const TaskOptions& options);

// `check [FILE]`: one identifier per line, optionally a description; each line is `found` (with
// the course's id, shortname, fullname, idnumber and category path in `details`) or `missing`.
// Read-only. `missing` is a normal answer (exit 0); report.summary holds the counts and the
// missing list.
RunReport RunCheck(store::Db& db, const FileArea& area, const TaskOptions& options);

// `metas [FILE]`: header `master;meta[;cmd]`; `add` (default) creates or re-enables the meta
// enrolment instance on `meta` for `master` and syncs it; `del` disables it and removes the
// enrolments and roles it brought. Statuses linked / unlinked / skipped / failed.
RunReport RunMetas(store::Db& db, const FileArea& area, const TaskOptions& options);

}  // namespace cs::sync
