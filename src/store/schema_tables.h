// Moodle's table definitions (schema_tables.cc), for schema.cc only: everyone else reads them
// through store::Tables() and store::FindTable() (schema.h).
#pragma once

#include <vector>

#include "store/schema.h"

namespace cs::store {

// Every table, in Moodle's install order, with its physical index names resolved.
std::vector<TableDef> BuildTables();

}  // namespace cs::store
