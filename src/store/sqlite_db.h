// SQLite backend of the store interface (the embedded default).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "store/db.h"

namespace cs::store {

// The page size of a database this backend creates (an existing database keeps its own).
constexpr int kSqlitePageSize = 32768;
// The page cache of a connection, in KiB (PRAGMA cache_size), and its bounds during a bulk insert
// (Db::SizeCacheForBulkInsert).
constexpr int64_t kSqliteCacheKib = 65536;
constexpr int64_t kSqliteBulkCacheMinKib = 8192;
constexpr int64_t kSqliteBulkCacheMaxKib = 131072;
// The cache of a bulk insert into a database of that size: a sixteenth of it, within the bounds.
int64_t BulkInsertCacheKib(int64_t database_bytes);

class SqliteDb : public Db {
 public:
  // Opens (creating if needed) the database file. ":memory:" works for tests.
  explicit SqliteDb(const std::string& path, const std::string& prefix = "mdl_");
  ~SqliteDb() override;
  std::unique_ptr<Stmt> Prepare(std::string_view sql) override;
  void Exec(std::string_view sql) override;
  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool InTransaction() const override { return in_tx_; }
  Dialect dialect() const override { return Dialect::kSqlite; }
  bool TableExists(std::string_view table) override;
  int64_t NextId(std::string_view table) override;
  void SizeCacheForBulkInsert(bool on) override;
  sqlite3* handle() { return db_; }

 private:
  struct Profile;  // CS_SQL_PROFILE: time per statement text, printed when the connection closes
  static int Trace(unsigned type, void* ctx, void* stmt, void* ns);
  sqlite3* db_ = nullptr;
  std::unique_ptr<Profile> profile_;
  bool in_tx_ = false;
  int64_t bulk_cache_kib_ = 0;  // the cache size SizeCacheForBulkInsert set, 0 when off
  std::unordered_map<std::string, int64_t> next_ids_;  // valid inside one transaction
};

}  // namespace cs::store
