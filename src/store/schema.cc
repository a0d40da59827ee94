#include "store/schema.h"

#include <algorithm>
#include <set>
#include <utility>

#include "store/schema_tables.h"

namespace cs::store {
namespace {

// ---------------------------------------------------------------------------------------------
// DDL helpers.

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

bool IsTextual(ColumnType type) { return type == ColumnType::kChar || type == ColumnType::kText; }

std::string DefaultSql(const ColumnDef& c, const std::string& value) {
  return IsTextual(c.type) ? Quote(value) : value;
}

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Introspection.

struct ExistingIndex {
  std::string name;
  bool unique = false;
  std::vector<std::string> columns;
};

std::set<std::string> ExistingColumns(Db& db, const std::string& table) {
  std::set<std::string> cols;
  std::unique_ptr<Stmt> st;
  if (db.dialect() == Dialect::kSqlite) {
    st = db.Prepare("SELECT name FROM pragma_table_info(?)");
  } else {
    st = db.Prepare(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ?");
  }
  st->Reset();
  st->Bind(1, db.prefix() + table);
  while (st->Step()) cols.insert(st->Text(0));
  return cols;
}

std::vector<ExistingIndex> ExistingIndexes(Db& db, const std::string& table) {
  std::vector<ExistingIndex> out;
  const std::string full = db.prefix() + table;
  if (db.dialect() == Dialect::kSqlite) {
    auto list = db.Prepare("SELECT name, \"unique\" FROM pragma_index_list(?)");
    list->Reset();
    list->Bind(1, full);
    while (list->Step()) out.push_back({list->Text(0), list->Int(1) != 0, {}});
    auto info = db.Prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno");
    for (auto& idx : out) {
      info->Reset();
      info->Bind(1, idx.name);
      while (info->Step()) idx.columns.push_back(info->Text(0));
    }
    return out;
  }
  // PostgreSQL: the key columns of every non-primary index of the table, in index order.
  auto st = db.Prepare(
      "SELECT ic.relname, CASE WHEN ix.indisunique THEN 1 ELSE 0 END, a.attname "
      "FROM pg_catalog.pg_class t "
      "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
      "JOIN pg_catalog.pg_index ix ON ix.indrelid = t.oid "
      "JOIN pg_catalog.pg_class ic ON ic.oid = ix.indexrelid "
      "CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
      "WHERE n.nspname = current_schema() AND t.relname = ? AND NOT ix.indisprimary "
      "ORDER BY ic.relname, k.ord");
  st->Reset();
  st->Bind(1, full);
  while (st->Step()) {
    std::string name = st->Text(0);
    if (out.empty() || out.back().name != name) {
      out.push_back({name, st->Int(1) != 0, {}});
    }
    out.back().columns.push_back(st->Text(2));
  }
  return out;
}

void RecordVersion(Db& db, std::optional<int64_t> recorded) {
  if (recorded == SchemaVersion()) return;
  std::string v = std::to_string(SchemaVersion());
  if (recorded) {
    db.Execute("UPDATE {config_plugins} SET value = ? WHERE plugin = ? AND name = ?", v,
               kSchemaPlugin, kSchemaVersionName);
  } else {
    db.Execute("INSERT INTO {config_plugins} (plugin, name, value) VALUES (?, ?, ?)", kSchemaPlugin,
               kSchemaVersionName, v);
  }
}

}  // namespace

const ColumnDef* TableDef::FindColumn(std::string_view column) const {
  for (const auto& c : columns) {
    if (c.name == column) return &c;
  }
  return nullptr;
}

const IndexDef* TableDef::FindIndex(std::string_view index) const {
  for (const auto& i : indexes) {
    if (i.name == index) return &i;
  }
  return nullptr;
}

const std::vector<TableDef>& Tables() {
  static const std::vector<TableDef> tables = BuildTables();
  return tables;
}

const TableDef* FindTable(std::string_view name) {
  for (const auto& t : Tables()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

int SchemaVersion() { return 2026112500; }

std::string ColumnTypeSql(const ColumnDef& c) {
  switch (c.type) {
    case ColumnType::kInt:
      if (c.length >= 10) return "BIGINT";
      if (c.length >= 5) return "INTEGER";
      return "SMALLINT";
    case ColumnType::kNumber:
      return "NUMERIC(" + std::to_string(c.length) + "," + std::to_string(c.decimals) + ")";
    case ColumnType::kFloat:
      return "DOUBLE PRECISION";
    case ColumnType::kChar:
      return "VARCHAR(" + std::to_string(c.length) + ")";
    case ColumnType::kText:
      return "TEXT";
  }
  return "TEXT";
}

std::string ColumnSql(const ColumnDef& c, Dialect dialect) {
  if (c.sequence) {
    return c.name + (dialect == Dialect::kSqlite ? " INTEGER PRIMARY KEY AUTOINCREMENT"
                                                 : " BIGSERIAL PRIMARY KEY");
  }
  std::string sql = c.name + " " + ColumnTypeSql(c);
  if (c.notnull) sql += " NOT NULL";
  if (c.default_value) {
    sql += " DEFAULT " + DefaultSql(c, *c.default_value);
  } else if (c.notnull && c.type == ColumnType::kChar) {
    sql += " DEFAULT ''";  // Moodle's PostgreSQL generator: $default_for_char = ''
  }
  return sql;
}

std::string CreateTableSql(const TableDef& table, Dialect dialect, const std::string& prefix) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + prefix + table.name + " (\n";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    sql += "    " + ColumnSql(table.columns[i], dialect);
    sql += i + 1 < table.columns.size() ? ",\n" : "\n";
  }
  return sql + ")";
}

std::string AddColumnSql(const TableDef& table, const ColumnDef& column, Dialect dialect,
                         const std::string& prefix) {
  const std::string target = prefix + table.name;
  ColumnDef c = column;
  bool fill = c.notnull && !c.default_value && c.type != ColumnType::kChar;
  if (fill) c.default_value = IsTextual(c.type) ? "" : "0";
  std::string sql = "ALTER TABLE " + target + " ADD COLUMN " + ColumnSql(c, dialect);
  if (fill && dialect == Dialect::kPostgres) {
    sql += ";\nALTER TABLE " + target + " ALTER COLUMN " + c.name + " DROP DEFAULT";
  }
  return sql;
}

std::string IndexSqlName(const IndexDef& index, const std::string& prefix) {
  constexpr size_t kMaxName = 63;  // PostgreSQL's identifier limit (NAMEDATALEN - 1)
  std::string suffix = index.unique ? "_uix" : "_ix";
  std::string name = prefix + index.stem;
  if (name.size() + suffix.size() > kMaxName) name.resize(kMaxName - suffix.size());
  return name + suffix;
}

std::string CreateIndexSql(const TableDef& table, const IndexDef& index, Dialect dialect,
                           const std::string& prefix) {
  std::vector<std::string> cols = index.columns;
  if (index.pattern_ops && dialect == Dialect::kPostgres) {
    for (auto& c : cols) c += " varchar_pattern_ops";
  }
  return std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS " +
         IndexSqlName(index, prefix) + " ON " + prefix + table.name + " (" + Join(cols, ", ") + ")";
}

std::optional<int64_t> InstalledSchemaVersion(Db& db) {
  if (!db.TableExists("config_plugins")) return std::nullopt;
  auto st = db.Prepare("SELECT value FROM {config_plugins} WHERE plugin = ? AND name = ?");
  if (!st->Run(kSchemaPlugin, kSchemaVersionName)) return std::nullopt;
  std::string v = st->Text(0);
  try {
    size_t used = 0;
    int64_t n = std::stoll(v, &used);
    if (used == v.size()) return n;
  } catch (const std::exception&) {
  }
  throw DbError("the database records an unreadable coursesync schema version '" + v + "' in " +
                db.prefix() + "config_plugins");
}

void InstallOrUpgradeSchema(Db& db) {
  std::optional<int64_t> recorded = InstalledSchemaVersion(db);
  if (recorded && *recorded > SchemaVersion()) {
    throw DbError("the database " + db.display_name() + " has coursesync schema version " +
                  std::to_string(*recorded) + ", newer than this coursesync's (" +
                  std::to_string(SchemaVersion()) +
                  "); refusing to touch it: use a newer coursesync");
  }
  std::optional<Transaction> tx;
  if (!db.InTransaction()) tx.emplace(db);
  const Dialect dialect = db.dialect();
  const std::string& prefix = db.prefix();

  for (const auto& t : Tables()) {
    if (!db.TableExists(t.name)) {
      db.Exec(CreateTableSql(t, dialect, prefix));
      continue;
    }
    std::set<std::string> have = ExistingColumns(db, t.name);
    for (const auto& c : t.columns) {
      if (!have.count(c.name)) db.Exec(AddColumnSql(t, c, dialect, prefix));
    }
  }

  for (const auto& t : Tables()) {
    std::vector<ExistingIndex> have = ExistingIndexes(db, t.name);
    for (const auto& idx : t.indexes) {
      // Present when an index on the same columns exists (whatever its name: a real Moodle
      // database may have resolved a name collision differently) or the name is taken.
      bool present = std::any_of(have.begin(), have.end(), [&](const ExistingIndex& e) {
        return e.columns == idx.columns || e.name == IndexSqlName(idx, prefix);
      });
      if (!present) db.Exec(CreateIndexSql(t, idx, dialect, prefix));
    }
  }

  RecordVersion(db, recorded);
  if (tx) tx->Commit();
}

}  // namespace cs::store
