// The store interface: one database connection behind which SQLite (and later PostgreSQL) sit.
//
// SQL is written once, portably, Moodle style: table names in braces (`{course}`) are replaced by
// the configured prefix (`mdl_course`), and parameters are `?` (rewritten to `$1..$n` where the
// backend needs it). `INSERT ... RETURNING id` works on both backends.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cs::store {

// Any database failure. The message names the statement and the backend's reason.
class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Dialect { kSqlite, kPostgres };

// A prepared statement. Bind parameters (1-based), step through rows, read columns (0-based).
// After the last row (or for a statement without rows) step() returns false; reset() rearms it
// for another execution with new bindings, keeping the prepared plan.
class Stmt {
 public:
  virtual ~Stmt() = default;
  virtual void BindInt(int idx, int64_t v) = 0;
  virtual void BindText(int idx, std::string_view v) = 0;
  virtual void BindNull(int idx) = 0;
  virtual void BindDouble(int idx, double v) = 0;
  // BindText for a caller that keeps `v` alive and unchanged until the statement has been reset
  // (SendBound() resets it): SQLite then binds it without copying.
  virtual void BindTextUnowned(int idx, std::string_view v) { BindText(idx, v); }
  virtual bool Step() = 0;
  virtual void Reset() = 0;
  virtual bool IsNull(int col) = 0;
  virtual int64_t Int(int col) = 0;
  virtual double Double(int col) = 0;
  virtual std::string Text(int col) = 0;
  virtual int ColumnCount() = 0;
  virtual std::string ColumnName(int col) = 0;

  // Convenience binders: Bind(1, 5), Bind(2, "x"), Bind(3, std::nullopt).
  void Bind(int idx, int64_t v) { BindInt(idx, v); }
  void Bind(int idx, int v) { BindInt(idx, v); }
  void Bind(int idx, double v) { BindDouble(idx, v); }
  void Bind(int idx, std::string_view v) { BindText(idx, v); }
  void Bind(int idx, const std::string& v) { BindText(idx, v); }
  void Bind(int idx, const char* v) { BindText(idx, v); }
  void Bind(int idx, std::nullopt_t) { BindNull(idx); }
  template <typename T>
  void Bind(int idx, const std::optional<T>& v) {
    if (v) {
      Bind(idx, *v);
    } else {
      BindNull(idx);
    }
  }
  // Executes a bound statement whose rows are not wanted (INSERT, UPDATE, DELETE), then resets
  // it. A backend may queue it and report its failure later, at the next statement that needs a
  // result or at Commit() of the same connection (every failure aborts the transaction): on
  // PostgreSQL it is sent in pipeline mode, without waiting for a round trip per statement.
  virtual void SendBound() {
    Step();
    Reset();
  }
  // Reset, bind all arguments in order, and SendBound().
  template <typename... Args>
  void Send(const Args&... args) {
    BindAll(args...);
    SendBound();
  }
  // Reset, bind all arguments in order, and step once. Returns Step()'s result.
  template <typename... Args>
  bool Run(const Args&... args) {
    BindAll(args...);
    return Step();
  }
  // Reset, then bind all arguments in order.
  template <typename... Args>
  void BindAll(const Args&... args) {
    Reset();
    int i = 0;
    (Bind(++i, args), ...);
  }
  // Run and return column 0 of the first row as an integer (e.g. RETURNING id); the statement
  // is reset afterwards, so it holds no lock.
  template <typename... Args>
  std::optional<int64_t> RunInt(const Args&... args) {
    std::optional<int64_t> v;
    if (Run(args...) && !IsNull(0)) v = Int(0);
    Reset();
    return v;
  }
};

class Db {
 public:
  virtual ~Db() = default;
  // Prepare a statement; `{table}` becomes prefix+table, `?` placeholders are positional.
  // `INSERT OR FAIL INTO` (at the start, or after a WITH clause) is accepted by every backend: on
  // SQLite it spares a multi-row insert its statement journal (a copy of every page it touches),
  // which is safe where a failure aborts the whole transaction anyway; on PostgreSQL it is a plain
  // INSERT.
  virtual std::unique_ptr<Stmt> Prepare(std::string_view sql) = 0;
  // Execute one or more statements with no parameters and no result rows.
  virtual void Exec(std::string_view sql) = 0;
  virtual void Begin() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;
  virtual bool InTransaction() const = 0;
  virtual Dialect dialect() const = 0;
  virtual bool TableExists(std::string_view table) = 0;  // without prefix
  // Allocates the next id of `table` (without prefix) inside the current transaction, so a row
  // and the rows that refer to it (a context's path holds its own id) are written in one
  // statement each. Within a transaction, every insert into a table that uses NextId must use it.
  virtual int64_t NextId(std::string_view table) = 0;
  // A named lock held by this connection until AdvisoryUnlock() or the connection ends (a process
  // that dies releases it), seen by every process on every machine using the same database.
  // Returns false, without waiting, when another connection holds it. PostgreSQL:
  // pg_try_advisory_lock on a hash of prefix + name; SQLite: always true (one machine: the file
  // lock of sync/lock.h already covers it).
  virtual bool TryAdvisoryLock(const std::string& /*name*/) { return true; }
  // Makes the planner's statistics of `tables` (without prefix) current enough for a run that
  // reads them per line. PostgreSQL: ANALYZE each table that was never analysed or that has had
  // more rows changed since its last analysis than autovacuum tolerates (50 + 10% of its rows),
  // e.g. right after a bulk load: its plans would otherwise come from an empty table (a scan of
  // every user per query). Allowed inside a transaction. SQLite: nothing (its plans do not depend
  // on statistics it lacks). Returns the number of tables analysed.
  virtual int RefreshStatistics(const std::vector<std::string>& /*tables*/) { return 0; }
  virtual void AdvisoryUnlock(const std::string& /*name*/) {}
  // For a run that appends many rows (the creation file's new courses): sizes the connection's
  // page cache to the database as it is now; call again as it grows, and with `false` at the end
  // to go back to the default. SQLite: a sixteenth of the file, within 8-128 MiB (a cache larger
  // than the pages a bulk insert keeps touching only costs fresh memory). PostgreSQL: nothing
  // (the server's shared_buffers).
  virtual void SizeCacheForBulkInsert(bool /*on*/) {}
  const std::string& prefix() const { return prefix_; }
  // What to show the user: the URL with any password removed.
  const std::string& display_name() const { return display_name_; }

  // Replace `{name}` with prefix+name.
  std::string ExpandTables(std::string_view sql) const;

  // A statement prepared once per connection and kept, keyed by its SQL text. The caller must
  // be done with it (read what it needs) before the same SQL is used again.
  Stmt& Cached(std::string_view sql);

  // One-liners for simple queries (statements cached, reset after use).
  template <typename... Args>
  std::optional<int64_t> QueryInt(std::string_view sql, const Args&... args) {
    return Cached(sql).RunInt(args...);
  }
  template <typename... Args>
  void Execute(std::string_view sql, const Args&... args) {
    Stmt& st = Cached(sql);
    st.Run(args...);
    st.Reset();
  }

 protected:
  // Backends call this before closing the connection.
  void DropCache() { cache_.clear(); }

  std::string prefix_ = "mdl_";
  std::string display_name_;

 private:
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
};

// Commits on Commit(), rolls back on destruction otherwise (exception safety).
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) { db_.Begin(); }
  ~Transaction() {
    if (!done_) {
      try {
        db_.Rollback();
      } catch (...) {
      }
    }
  }
  void Commit() {
    db_.Commit();
    done_ = true;
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  Db& db_;
  bool done_ = false;
};

// Open a database from a URL: `postgresql://...` or `postgres://...` (a libpq URI; the query
// parameter `prefix` sets the table prefix, default mdl_), else `sqlite:PATH` (or a bare path).
std::unique_ptr<Db> Open(const std::string& url);

}  // namespace cs::store
