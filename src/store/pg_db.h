// PostgreSQL backend of the store interface (libpq).
//
// URL: `postgresql://user:pass@host:port/dbname?prefix=mdl_&sslmode=...` (or `postgres://`), a
// libpq URI from which our own `prefix` parameter is removed before libpq sees it. The password
// may also come from PGPASSWORD or ~/.pgpass (libpq's own rules); it never appears in
// display_name() or in an error message.
//
// Statements are prepared server side (PQprepare, one name per statement), run with text
// parameters, and each execution's whole result is fetched at once, so any number of statements
// may be stepped through while others run on the same connection (as on SQLite). An error inside
// a transaction aborts it on the server: the next statements fail and Commit() throws.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/db.h"

namespace cs::store {

// The parts of a postgresql:// URL that coursesync uses.
struct PgUrl {
  std::string conninfo;  // for libpq: the URL without our `prefix` parameter
  std::string display;   // the URL without any password (userinfo or `password=` parameter)
  std::string prefix = "mdl_";
  std::string password;  // decoded password written in the URL, "" when none
};

// Throws DbError on a URL that is not postgresql:// or postgres://, or on an invalid prefix
// (letters a-z, digits and `_`, starting with a letter).
PgUrl ParsePgUrl(const std::string& url);

// `url` (postgresql://...) with its database name replaced by `dbname`, query parameters kept.
std::string PgUrlWithDatabase(const std::string& url, const std::string& dbname);

// `?` placeholders → `$1..$n`, outside quoted strings, quoted identifiers and comments. Sets
// `*count` to the number of placeholders.
std::string RewritePlaceholders(std::string_view sql, int* count);

struct PgConn;  // the connection, shared with the statements (pg_db.cc)

class PgDb : public Db {
 public:
  // Connects; throws DbError naming host, port, database and user (never the password).
  explicit PgDb(const std::string& url);
  ~PgDb() override;
  std::unique_ptr<Stmt> Prepare(std::string_view sql) override;
  void Exec(std::string_view sql) override;
  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool InTransaction() const override;
  Dialect dialect() const override { return Dialect::kPostgres; }
  bool TableExists(std::string_view table) override;
  // nextval() of `<prefix><table>_id_seq`, fetched in blocks (1, 2, 4 ... up to 1024 ids per
  // round trip) kept for the connection's lifetime: ids a process did not use are lost (gaps),
  // as with any sequence.
  int64_t NextId(std::string_view table) override;
  bool TryAdvisoryLock(const std::string& name) override;
  int RefreshStatistics(const std::vector<std::string>& tables) override;
  void AdvisoryUnlock(const std::string& name) override;

  // The server process serving this connection (pg_backend_pid()).
  int BackendPid();

 private:
  struct IdBlock {
    std::vector<int64_t> ids;  // fetched, not necessarily contiguous (other sessions interleave)
    size_t used = 0;           // ids handed out
  };
  std::shared_ptr<PgConn> conn_;
  std::unordered_map<std::string, IdBlock> ids_;
};

}  // namespace cs::store
