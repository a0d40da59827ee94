// The database schema: one C++ description of every table the tool reads or writes.
//
// The tables ARE Moodle's (moodle_schema.md): same names, columns, XMLDB types, lengths, NOT NULL
// flags and defaults, plus the tool's own `tool_sync_runs`. XMLDB keys are mirrored the way
// Moodle's DDL generator does it: foreign keys become plain indexes, unique keys unique indexes,
// and physical index names follow Moodle's convention (`mdl_cont_conins_uix`).
//
// InstallOrUpgradeSchema() creates what is missing (tables, columns, indexes) and records the
// schema version in {config_plugins} (plugin 'coursesync', name 'schemaversion').
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"

namespace cs::store {

// XMLDB field types. kFloat is XMLDB's legacy `float` (a few activity tables still use it).
enum class ColumnType { kInt, kNumber, kFloat, kChar, kText };

struct ColumnDef {
  std::string name;
  ColumnType type = ColumnType::kInt;
  int length = 0;    // int: digits; number: precision; char: characters
  int decimals = 0;  // number only
  bool notnull = false;
  // The XMLDB default as an unquoted literal ("0", "-1", "topics"); nullopt = none.
  std::optional<std::string> default_value;
  bool sequence = false;  // the `id` column: primary key with a sequence
};

struct IndexDef {
  std::string name;  // the XMLDB key or index name, e.g. "contextlevel-instanceid"
  std::vector<std::string> columns;
  bool unique = false;
  bool pattern_ops = false;  // PostgreSQL `varchar_pattern_ops` hint (context.path)
  // Derived by Tables(): the physical name without prefix and suffix, Moodle style
  // ("cont_conins"; a counter is appended on collision, "user_las2").
  std::string stem;
};

struct TableDef {
  std::string name;  // without prefix
  std::vector<ColumnDef> columns;
  std::vector<IndexDef> indexes;

  const ColumnDef* FindColumn(std::string_view column) const;
  const IndexDef* FindIndex(std::string_view index) const;
};

// Every table, in creation order. The first column of each is `id`.
const std::vector<TableDef>& Tables();
const TableDef* FindTable(std::string_view name);

// The version of the schema described by Tables() (Moodle-style YYYYMMDDXX).
int SchemaVersion();

// Where the version is recorded.
inline constexpr char kSchemaPlugin[] = "coursesync";
inline constexpr char kSchemaVersionName[] = "schemaversion";

// Column type as DDL (moodle_schema.md §1): BIGINT/INTEGER/SMALLINT, NUMERIC(L,D), VARCHAR(L),
// TEXT, DOUBLE PRECISION.
std::string ColumnTypeSql(const ColumnDef& column);
// One column definition: `name TYPE [NOT NULL] [DEFAULT x]`, or the id primary key.
std::string ColumnSql(const ColumnDef& column, Dialect dialect);
// CREATE TABLE for one table. NOT NULL char columns without a default get DEFAULT '' (as
// Moodle's PostgreSQL generator does) on both backends.
std::string CreateTableSql(const TableDef& table, Dialect dialect, const std::string& prefix);
// ALTER TABLE ... ADD COLUMN; a NOT NULL column without default gets a fill value (0 or '') so
// existing rows are valid (on PostgreSQL that default is dropped again afterwards).
std::string AddColumnSql(const TableDef& table, const ColumnDef& column, Dialect dialect,
                         const std::string& prefix);
// Physical index name: prefix + stem + "_ix" / "_uix", at most 63 characters.
std::string IndexSqlName(const IndexDef& index, const std::string& prefix);
std::string CreateIndexSql(const TableDef& table, const IndexDef& index, Dialect dialect,
                           const std::string& prefix);

// The version recorded in the database, if any.
std::optional<int64_t> InstalledSchemaVersion(Db& db);

// Idempotent install/upgrade: creates missing tables, adds missing columns (defaults applied to
// existing rows), creates missing indexes (an existing index on the same columns counts, whatever
// its name), and records SchemaVersion(). Throws DbError, changing nothing, when the database
// records a newer schema version than this binary knows. Runs in one transaction unless the
// caller already holds one.
void InstallOrUpgradeSchema(Db& db);

}  // namespace cs::store
