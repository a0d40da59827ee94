// The five command files, one function each, shared by the CLI and the web console.
#pragma once

#include "store/db.h"
#include "sync/file_area.h"
#include "sync/report.h"
#include "sync/task_run.h"
#include "sync/tasks_more.h"
#include "sync/tasks_reset.h"

namespace cs::sync {

RunReport RunCreate(store::Db& db, const FileArea& area, const TaskOptions& options);

}  // namespace cs::sync
