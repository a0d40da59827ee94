#include "store/sqlite_db.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

namespace cs::store {
namespace {

// "SQLite /path/coursesync.db: <reason>", the reason completed for the failures a user must act
// on: the system's error for a failed read or write (a full disk, a read-only folder), and what
// "database is locked" means.
std::string Failure(sqlite3* db, const std::string& reason) {
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  std::string out = "SQLite " + std::string(file && *file ? file : ":memory:") + ": " + reason;
  int rc = db ? sqlite3_errcode(db) : SQLITE_OK;
  int sys = db ? sqlite3_system_errno(db) : 0;
  if ((rc == SQLITE_IOERR || rc == SQLITE_FULL || rc == SQLITE_CANTOPEN || rc == SQLITE_READONLY) &&
      sys != 0) {
    out += std::string(" (") + std::strerror(sys) + ")";
  }
  if (rc == SQLITE_BUSY) {
    out += " (another process holds a write transaction on it; gave up after 5 s)";
  }
  return out;
}

class SqliteStmt : public Stmt {
 public:
  SqliteStmt(sqlite3* db, sqlite3_stmt* st, std::string sql)
      : db_(db), st_(st), sql_(std::move(sql)) {}
  ~SqliteStmt() override { sqlite3_finalize(st_); }
  void BindInt(int idx, int64_t v) override { Check(sqlite3_bind_int64(st_, idx, v)); }
  void BindText(int idx, std::string_view v) override {
    Check(sqlite3_bind_text(st_, idx, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  void BindTextUnowned(int idx, std::string_view v) override {
    Check(sqlite3_bind_text(st_, idx, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
  }
  void BindNull(int idx) override { Check(sqlite3_bind_null(st_, idx)); }
  void BindDouble(int idx, double v) override { Check(sqlite3_bind_double(st_, idx, v)); }
  bool Step() override {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    std::string msg = Failure(db_, sqlite3_errmsg(db_));
    sqlite3_reset(st_);
    throw DbError(msg + " in: " + sql_);
  }
  void Reset() override {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  bool IsNull(int col) override { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
  int64_t Int(int col) override { return sqlite3_column_int64(st_, col); }
  double Double(int col) override { return sqlite3_column_double(st_, col); }
  std::string Text(int col) override {
    const unsigned char* p = sqlite3_column_text(st_, col);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<size_t>(sqlite3_column_bytes(st_, col)));
  }
  int ColumnCount() override { return sqlite3_column_count(st_); }
  std::string ColumnName(int col) override { return sqlite3_column_name(st_, col); }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK)
      throw DbError(Failure(db_, std::string("bind: ") + sqlite3_errmsg(db_)) + " in: " + sql_);
  }
  sqlite3* db_;
  sqlite3_stmt* st_;
  std::string sql_;
};

}  // namespace

SqliteDb::SqliteDb(const std::string& path, const std::string& prefix) {
  // Once per process, before SQLite initialises: connections are never shared between threads
  // (multi-thread mode), and no global memory statistics (a mutex on every allocation).
  static std::once_flag configured;
  std::call_once(configured, [] {
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
  prefix_ = prefix;
  display_name_ = "sqlite:" + path;
  int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw DbError("cannot open SQLite database " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 5000);
  // Page size: taken by a new database only (it must come before journal_mode=WAL, which writes
  // the header); an existing one keeps its own. 32 KiB instead of SQLite's 4 KiB: a bulk run
  // writes every page to the WAL and then into the database, and larger pages mean an eighth of
  // the frames, page splits and checkpoint writes (creation of 100,000 courses: -13%, the SQLite
  // floor of create_bench: -23%; docs/PERFORMANCE.md).
  // WAL: readers (the console) never block the writer (a run); NORMAL sync is durable at each
  // commit in WAL mode apart from power loss of the last transaction.
  Exec("PRAGMA page_size=" + std::to_string(kSqlitePageSize) +
       "; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;"
       " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-" +
       std::to_string(kSqliteCacheKib) +
       ";"
       // Debian builds SQLite with SECURE_DELETE on: every freed page would be zeroed. FAST
       // only clears what is cheap; deleted data can stay in free pages until a VACUUM.
       " PRAGMA secure_delete=FAST; PRAGMA mmap_size=268435456;");
  if (std::getenv("CS_SQL_PROFILE")) {
    profile_ = std::make_unique<Profile>();
    sqlite3_trace_v2(db_, SQLITE_TRACE_PROFILE, &SqliteDb::Trace, profile_.get());
  }
}

// A developer's aid (docs/PERFORMANCE.md): with CS_SQL_PROFILE set, the time SQLite spent in each
// statement text, summed, is printed to stderr when the connection closes (the 60 costliest).
struct SqliteDb::Profile {
  std::map<std::string, std::pair<int64_t, int64_t>> by_sql;  // ns, runs
};

int SqliteDb::Trace(unsigned type, void* ctx, void* stmt, void* ns) {
  if (type != SQLITE_TRACE_PROFILE) return 0;
  const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
  auto& e = static_cast<Profile*>(ctx)->by_sql[sql ? sql : "?"];
  e.first += *static_cast<sqlite3_int64*>(ns);
  ++e.second;
  return 0;
}

SqliteDb::~SqliteDb() {
  DropCache();
  if (db_) sqlite3_close_v2(db_);
  if (profile_) {
    std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> v(profile_->by_sql.begin(),
                                                                       profile_->by_sql.end());
    std::sort(v.begin(), v.end(),
              [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
    if (v.size() > 60) v.resize(60);
    for (const auto& [sql, t] : v) {
      std::fprintf(stderr, "sql-profile %9.3f ms %7lld runs  %.300s\n", t.first / 1e6,
                   static_cast<long long>(t.second), sql.c_str());
    }
  }
}

std::unique_ptr<Stmt> SqliteDb::Prepare(std::string_view sql) {
  std::string expanded = ExpandTables(sql);
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v3(db_, expanded.c_str(), static_cast<int>(expanded.size()),
                              SQLITE_PREPARE_PERSISTENT, &st, nullptr);
  if (rc != SQLITE_OK) {
    throw DbError(Failure(db_, sqlite3_errmsg(db_)) + " in: " + expanded);
  }
  return std::make_unique<SqliteStmt>(db_, st, expanded);
}

void SqliteDb::Exec(std::string_view sql) {
  std::string expanded = ExpandTables(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, expanded.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw DbError(Failure(db_, msg) + " in: " + expanded.substr(0, 200));
  }
}

void SqliteDb::Begin() {
  Exec("BEGIN IMMEDIATE");
  in_tx_ = true;
  next_ids_.clear();
}
void SqliteDb::Commit() {
  Exec("COMMIT");
  in_tx_ = false;
  next_ids_.clear();
}
void SqliteDb::Rollback() {
  in_tx_ = false;
  next_ids_.clear();
  if (!sqlite3_get_autocommit(db_)) Exec("ROLLBACK");
}

// Why a bulk insert wants a smaller cache than the default, and a larger one as the file grows
// (docs/PERFORMANCE.md, session 7): the pages an append keeps touching are the B-trees' inner
// pages and their insertion points, a share of the file; the rest of a big cache is fresh memory
// the run pays to fault in and zero, then never reads again (100,000 new courses into an empty
// site: 64 MiB 2.7-2.8 s, 8 MiB 2.4-2.5 s). Too small a cache for a large file spills and reloads
// those pages instead (1,000,000 courses: 8 MiB 53 s, 64 MiB 29 s).
int64_t BulkInsertCacheKib(int64_t database_bytes) {
  // In steps of 4 MiB: resized now and then, not at every page the run adds.
  return std::clamp<int64_t>(database_bytes / 16 / 1024 / 4096 * 4096, kSqliteBulkCacheMinKib,
                             kSqliteBulkCacheMaxKib);
}

void SqliteDb::SizeCacheForBulkInsert(bool on) {
  int64_t kib = kSqliteCacheKib;
  if (on) {
    kib = BulkInsertCacheKib(QueryInt("PRAGMA page_count").value_or(0) *
                             QueryInt("PRAGMA page_size").value_or(kSqlitePageSize));
    if (kib == bulk_cache_kib_) return;
  } else if (bulk_cache_kib_ == 0) {
    return;
  }
  Exec("PRAGMA cache_size=-" + std::to_string(kib));
  bulk_cache_kib_ = on ? kib : 0;
}

int64_t SqliteDb::NextId(std::string_view table) {
  std::string name = prefix_ + std::string(table);
  if (!in_tx_) {
    // Outside a transaction another writer could take the id: ask every time.
    next_ids_.clear();
  }
  auto it = next_ids_.find(name);
  if (it == next_ids_.end()) {
    // AUTOINCREMENT never reuses an id: the larger of the sequence and the current maximum.
    auto st = Prepare("SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name='" + name +
                      "'), 0), COALESCE((SELECT MAX(id) FROM " + name + "), 0))");
    int64_t max = st->Step() ? st->Int(0) : 0;
    it = next_ids_.emplace(name, max).first;
  }
  return ++it->second;
}

bool SqliteDb::TableExists(std::string_view table) {
  auto st = Prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?");
  return st->Run(prefix_ + std::string(table));
}

}  // namespace cs::store
