#include "store/pg_db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

namespace cs::store {

// The connection and what its statements need of it. Statements hold a shared_ptr, so one that
// outlives its PgDb finds `pg` null instead of a dangling pointer.
struct PgConn {
  PGconn* pg = nullptr;
  std::string where;                     // "host H port P database D" for messages
  std::vector<std::string> secrets;      // scrubbed from every message
  uint64_t counter = 0;                  // statement names: cs1, cs2, ...
  std::vector<std::string> deallocate;   // names of destroyed statements, freed in batches
  std::vector<int64_t> pending_unlocks;  // advisory unlocks asked for inside a failed transaction
  // Statements sent in pipeline mode (Stmt::SendBound) whose results are not read yet, in order.
  std::vector<std::shared_ptr<const std::string>> pipelined;

  std::string Scrub(std::string msg) const {
    for (const auto& s : secrets) {
      if (s.size() < 3) continue;  // too short to tell from ordinary text
      for (size_t at = msg.find(s); at != std::string::npos; at = msg.find(s, at + 3)) {
        msg.replace(at, s.size(), "***");
      }
    }
    return msg;
  }

  bool Lost() const { return !pg || PQstatus(pg) == CONNECTION_BAD; }

  // Throws the DbError for a failed result (which it clears) or a failed call.
  [[noreturn]] void Fail(PGresult* res, std::string_view sql) const;

  // Sends a prepared statement in pipeline mode; settles every kPipelineDepth statements so
  // neither side's socket buffer fills up.
  void SendPipelined(const std::string& name, const std::shared_ptr<const std::string>& sql,
                     const std::vector<const char*>& values);
  // Reads the results of every pipelined statement and leaves pipeline mode, so that ordinary
  // (synchronous) calls can follow. Throws the first failure. Called before any other use of the
  // connection.
  void Settle();
  // Settle() for a rollback: failures are dropped (the transaction is being abandoned).
  void SettleQuietly() noexcept;
  static constexpr size_t kPipelineDepth = 512;
};

namespace {

// libpq messages span lines ("ERROR:  ...\nDETAIL:  ..."): one line, single spaces.
std::string OneLine(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Excerpt(std::string_view sql) {
  constexpr size_t kMax = 300;
  std::string s = OneLine(sql);
  if (s.size() > kMax) s = s.substr(0, kMax) + "...";
  return s;
}

int64_t ParseInt(const char* s) {
  if (!s || !*s) return 0;
  if (s[1] == '\0' && (s[0] == 't' || s[0] == 'f')) return s[0] == 't' ? 1 : 0;  // boolean
  char* end = nullptr;
  long long v = std::strtoll(s, &end, 10);
  if (end && (*end == '.' || *end == 'e' || *end == 'E')) {
    return static_cast<int64_t>(std::strtod(s, nullptr));  // numeric/float: truncated
  }
  return v;
}

double ParseDouble(const char* s) {
  if (!s || !*s) return 0;
  if (s[1] == '\0' && (s[0] == 't' || s[0] == 'f')) return s[0] == 't' ? 1 : 0;
  return std::strtod(s, nullptr);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool ValidPrefix(const std::string& p) {
  if (p.empty() || p[0] < 'a' || p[0] > 'z') return false;
  return std::all_of(p.begin(), p.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// 64-bit FNV-1a: the advisory lock key, the same on every client machine.
int64_t LockKey(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return static_cast<int64_t>(h);
}

bool ResultOk(const PGresult* r) {
  if (!r) return false;
  ExecStatusType st = PQresultStatus(r);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
}

class PgStmt : public Stmt {
 public:
  PgStmt(std::shared_ptr<PgConn> conn, std::string name, std::string sql, int nparams)
      : conn_(std::move(conn)),
        name_(std::move(name)),
        sql_(std::move(sql)),
        shared_sql_(std::make_shared<const std::string>(sql_)),
        params_(static_cast<size_t>(nparams)) {}
  ~PgStmt() override {
    PQclear(res_);
    PQclear(desc_);
    if (conn_->pg) conn_->deallocate.push_back(name_);
  }
  void BindInt(int idx, int64_t v) override { Slot(idx) = std::to_string(v); }
  void BindText(int idx, std::string_view v) override {
    if (v.find('\0') != std::string_view::npos) {
      throw DbError("PostgreSQL: text parameter " + std::to_string(idx) +
                    " holds a NUL byte, which PostgreSQL text cannot store, in: " + Excerpt(sql_));
    }
    Slot(idx) = std::string(v);
  }
  void BindNull(int idx) override { Slot(idx).reset(); }
  void BindDouble(int idx, double v) override {
    if (std::isnan(v)) {
      Slot(idx) = "NaN";
    } else if (std::isinf(v)) {
      Slot(idx) = v > 0 ? "Infinity" : "-Infinity";
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", v);
      Slot(idx) = buf;
    }
  }
  bool Step() override {
    if (!active_) {
      Execute();
      active_ = true;
      row_ = 0;
    } else {
      ++row_;
    }
    if (row_ < PQntuples(res_)) return true;
    // Done: like sqlite3_step, the next Step() runs the statement again with the same bindings.
    active_ = false;
    return false;
  }
  void SendBound() override {
    if (!conn_->pg) throw DbError("PostgreSQL: the connection is closed, in: " + Excerpt(sql_));
    // Outside a transaction, a pipeline would make its statements one implicit transaction.
    if (conn_->pipelined.empty() && PQtransactionStatus(conn_->pg) != PQTRANS_INTRANS) {
      Stmt::SendBound();
      return;
    }
    conn_->SendPipelined(name_, shared_sql_, Values());
    Reset();
  }
  void Reset() override {
    active_ = false;
    PQclear(res_);
    res_ = nullptr;
    for (auto& p : params_) p.reset();
  }
  bool IsNull(int col) override { return !OnRow(col) || PQgetisnull(res_, row_, col); }
  int64_t Int(int col) override { return OnRow(col) ? ParseInt(PQgetvalue(res_, row_, col)) : 0; }
  double Double(int col) override {
    return OnRow(col) ? ParseDouble(PQgetvalue(res_, row_, col)) : 0;
  }
  std::string Text(int col) override {
    if (!OnRow(col) || PQgetisnull(res_, row_, col)) return {};
    return std::string(PQgetvalue(res_, row_, col),
                       static_cast<size_t>(PQgetlength(res_, row_, col)));
  }
  int ColumnCount() override { return PQnfields(Shape()); }
  std::string ColumnName(int col) override {
    const char* n = PQfname(Shape(), col);
    return n ? n : "";
  }

 private:
  std::optional<std::string>& Slot(int idx) {
    if (idx < 1 || static_cast<size_t>(idx) > params_.size()) {
      throw DbError("PostgreSQL bind: parameter " + std::to_string(idx) + " out of range (" +
                    std::to_string(params_.size()) + " in the statement) in: " + Excerpt(sql_));
    }
    return params_[static_cast<size_t>(idx) - 1];
  }
  bool OnRow(int col) const {
    return active_ && res_ && row_ < PQntuples(res_) && col >= 0 && col < PQnfields(res_);
  }
  std::vector<const char*> Values() const {
    std::vector<const char*> values(params_.size());
    for (size_t i = 0; i < params_.size(); ++i) {
      values[i] = params_[i] ? params_[i]->c_str() : nullptr;
    }
    return values;
  }
  void Execute() {
    if (!conn_->pg) throw DbError("PostgreSQL: the connection is closed, in: " + Excerpt(sql_));
    conn_->Settle();
    std::vector<const char*> values = Values();
    PQclear(res_);
    res_ = nullptr;
    PGresult* r = PQexecPrepared(conn_->pg, name_.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, 0);
    if (!ResultOk(r)) conn_->Fail(r, sql_);
    res_ = r;
  }
  // A result that tells the columns: the last execution's, else the statement's description.
  const PGresult* Shape() {
    if (res_) return res_;
    if (!desc_) {
      if (!conn_->pg) throw DbError("PostgreSQL: the connection is closed, in: " + Excerpt(sql_));
      conn_->Settle();
      PGresult* d = PQdescribePrepared(conn_->pg, name_.c_str());
      if (!ResultOk(d)) conn_->Fail(d, sql_);
      desc_ = d;
    }
    return desc_;
  }

  std::shared_ptr<PgConn> conn_;
  std::string name_;
  std::string sql_;
  std::shared_ptr<const std::string> shared_sql_;  // kept by the connection while pipelined
  std::vector<std::optional<std::string>> params_;
  PGresult* res_ = nullptr;
  PGresult* desc_ = nullptr;
  bool active_ = false;
  int row_ = 0;
};

}  // namespace

void PgConn::Fail(PGresult* res, std::string_view sql) const {
  std::string msg;
  if (res) {
    const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    if (primary) {
      msg = primary;
      if (detail) msg += std::string(" (") + detail + ")";
    } else {
      msg = PQresultErrorMessage(res);
    }
  }
  if (msg.empty() && pg) msg = PQerrorMessage(pg);
  PQclear(res);
  msg = OneLine(msg);
  if (Lost()) {
    throw DbError(Scrub("PostgreSQL: connection to the server lost (" + where + "): " + msg +
                        "; the open transaction, if any, was rolled back by the server"));
  }
  throw DbError(Scrub("PostgreSQL: " + msg + " in: " + Excerpt(sql)));
}

void PgConn::SendPipelined(const std::string& name, const std::shared_ptr<const std::string>& sql,
                           const std::vector<const char*>& values) {
  if (PQpipelineStatus(pg) == PQ_PIPELINE_OFF && PQenterPipelineMode(pg) != 1) {
    Fail(nullptr, *sql);
  }
  if (PQsendQueryPrepared(pg, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                          nullptr, 0) != 1) {
    SettleQuietly();
    Fail(nullptr, *sql);
  }
  pipelined.push_back(sql);
  if (pipelined.size() >= kPipelineDepth) Settle();
}

void PgConn::Settle() {
  if (!pg || PQpipelineStatus(pg) == PQ_PIPELINE_OFF) return;
  PGresult* failed = nullptr;
  std::shared_ptr<const std::string> failed_sql;
  bool ok = PQpipelineSync(pg) == 1;
  size_t next = 0;  // index in `pipelined` of the next statement's result
  while (ok) {
    PGresult* r = PQgetResult(pg);
    if (!r) {
      if (Lost()) ok = false;
      continue;  // end of one statement's results
    }
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      break;
    }
    if (st != PGRES_PIPELINE_ABORTED && !ResultOk(r) && !failed) {
      failed = r;
      failed_sql = next < pipelined.size() ? pipelined[next] : nullptr;
    } else {
      PQclear(r);
    }
    ++next;
  }
  pipelined.clear();
  if (ok && PQexitPipelineMode(pg) != 1) ok = false;
  if (failed) Fail(failed, failed_sql ? *failed_sql : "(pipelined statement)");
  if (!ok) Fail(nullptr, "(pipelined statements)");
}

void PgConn::SettleQuietly() noexcept {
  try {
    Settle();
  } catch (const DbError&) {
  }
}

PgUrl ParsePgUrl(const std::string& url) {
  PgUrl u;
  size_t scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "postgresql" && scheme != "postgres") {
    throw DbError("not a PostgreSQL URL (postgresql://user@host:port/dbname expected)");
  }
  std::string rest = url.substr(scheme_end + 3);
  size_t q = rest.find('?');
  std::string before = rest.substr(0, q);
  std::string query = q == std::string::npos ? "" : rest.substr(q + 1);
  size_t slash = before.find('/');
  std::string authority = before.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : before.substr(slash);
  size_t at = authority.rfind('@');
  std::string userinfo = at == std::string::npos ? "" : authority.substr(0, at);
  std::string hosts = at == std::string::npos ? authority : authority.substr(at + 1);
  std::string user = userinfo;
  size_t colon = userinfo.find(':');
  if (colon != std::string::npos) {
    user = userinfo.substr(0, colon);
    u.password = PercentDecode(userinfo.substr(colon + 1));
  }

  std::vector<std::string> keep, shown;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    std::string param = query.substr(start, amp - start);
    start = amp + 1;
    if (param.empty()) continue;
    size_t eq = param.find('=');
    std::string key = PercentDecode(param.substr(0, eq));
    std::string value = eq == std::string::npos ? "" : PercentDecode(param.substr(eq + 1));
    if (key == "prefix") {
      u.prefix = value;
      shown.push_back(param);
      continue;
    }
    if (key == "password") {
      u.password = value;
      keep.push_back(param);
      continue;
    }
    keep.push_back(param);
    shown.push_back(param);
  }
  if (!ValidPrefix(u.prefix)) {
    throw DbError("invalid table prefix '" + u.prefix +
                  "' in the database URL (letters a-z, digits and _, starting with a letter)");
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& p : v) s += (s.empty() ? "?" : "&") + p;
    return s;
  };
  u.conninfo = scheme + "://" + authority + path + join(keep);
  u.display = scheme + "://" + (user.empty() ? "" : user + "@") + hosts + path + join(shown);
  return u;
}

std::string PgUrlWithDatabase(const std::string& url, const std::string& dbname) {
  size_t host = url.find("://");
  host = host == std::string::npos ? 0 : host + 3;
  size_t query = url.find('?', host);
  size_t end = query == std::string::npos ? url.size() : query;
  size_t slash = url.find('/', host);
  if (slash == std::string::npos || slash > end) slash = end;
  return url.substr(0, slash) + "/" + dbname + url.substr(end);
}

std::string RewritePlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  enum { kCode, kQuote, kIdent, kLineComment, kBlockComment } state = kCode;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    switch (state) {
      case kCode:
        if (c == '?') {
          out += '$' + std::to_string(++n);
          continue;
        }
        if (c == '\'') state = kQuote;
        if (c == '"') state = kIdent;
        if (c == '-' && next == '-') state = kLineComment;
        if (c == '/' && next == '*') {
          state = kBlockComment;
          out += c;
          out += next;
          ++i;
          continue;
        }
        break;
      case kQuote:  // '' inside a string leaves and re-enters: same result
        if (c == '\'') state = kCode;
        break;
      case kIdent:
        if (c == '"') state = kCode;
        break;
      case kLineComment:
        if (c == '\n') state = kCode;
        break;
      case kBlockComment:
        if (c == '*' && next == '/') {
          state = kCode;
          out += c;
          out += next;
          ++i;
          continue;
        }
        break;
    }
    out += c;
  }
  if (count) *count = n;
  return out;
}

PgDb::PgDb(const std::string& url) {
  PgUrl u = ParsePgUrl(url);
  prefix_ = u.prefix;
  display_name_ = u.display;
  conn_ = std::make_shared<PgConn>();
  conn_->secrets.push_back(u.password);
  if (const char* env = std::getenv("PGPASSWORD"); env && *env) conn_->secrets.push_back(env);

  // Keywords are applied in order: the URL may override connect_timeout, never client_encoding.
  const char* const keys[] = {"connect_timeout", "dbname", "client_encoding",
                              "fallback_application_name", nullptr};
  const char* const values[] = {"10", u.conninfo.c_str(), "UTF8", "coursesync", nullptr};
  PGconn* pg = PQconnectdbParams(keys, values, 1);
  if (!pg) throw DbError("cannot connect to PostgreSQL (" + display_name_ + "): out of memory");
  auto field = [](const char* v, const char* fallback) {
    return std::string(v && *v ? v : fallback);
  };
  std::string host = field(PQhost(pg), "localhost");
  std::string port = field(PQport(pg), "5432");
  std::string db = field(PQdb(pg), "?");
  std::string user = field(PQuser(pg), "?");
  conn_->where = "host " + host + " port " + port + " database \"" + db + "\"";
  if (PQstatus(pg) != CONNECTION_OK) {
    std::string msg = OneLine(PQerrorMessage(pg));
    PQfinish(pg);
    throw DbError(conn_->Scrub("cannot connect to PostgreSQL database \"" + db + "\" on host " +
                               host + " port " + port + " as user \"" + user + "\": " + msg));
  }
  PQsetNoticeProcessor(
      pg, [](void*, const char*) {}, nullptr);  // NOTICEs are not errors
  conn_->pg = pg;
}

PgDb::~PgDb() {
  DropCache();
  if (conn_->pg) PQfinish(conn_->pg);
  conn_->pg = nullptr;
  conn_->deallocate.clear();
}

std::unique_ptr<Stmt> PgDb::Prepare(std::string_view sql) {
  if (!conn_->pg) throw DbError("PostgreSQL: the connection is closed");
  conn_->Settle();
  // Free the server side of destroyed statements, a batch per round trip (never inside a failed
  // transaction, where every command but ROLLBACK fails).
  if (conn_->deallocate.size() >= 64 && PQtransactionStatus(conn_->pg) != PQTRANS_INERROR) {
    std::string dealloc;
    for (const auto& name : conn_->deallocate) dealloc += "DEALLOCATE " + name + ";";
    conn_->deallocate.clear();
    PGresult* r = PQexec(conn_->pg, dealloc.c_str());
    if (!ResultOk(r)) conn_->Fail(r, dealloc);
    PQclear(r);
  }
  int nparams = 0;
  std::string expanded = ExpandTables(sql);
  // SQLite's "INSERT OR FAIL" (see db.h) is PostgreSQL's plain INSERT, also after a WITH clause.
  if (expanded.starts_with("INSERT OR FAIL INTO")) {
    expanded.erase(6, 8);
  } else if (expanded.starts_with("WITH ")) {
    if (size_t at = expanded.find(") INSERT OR FAIL INTO "); at != std::string::npos) {
      expanded.erase(at + 8, 8);
    }
  }
  std::string text = RewritePlaceholders(expanded, &nparams);
  std::string name = "cs" + std::to_string(++conn_->counter);
  PGresult* r = PQprepare(conn_->pg, name.c_str(), text.c_str(), 0, nullptr);
  if (!ResultOk(r)) conn_->Fail(r, text);
  PQclear(r);
  return std::make_unique<PgStmt>(conn_, std::move(name), std::move(text), nparams);
}

void PgDb::Exec(std::string_view sql) {
  if (!conn_->pg) throw DbError("PostgreSQL: the connection is closed");
  conn_->Settle();
  std::string text = ExpandTables(sql);
  PGresult* r = PQexec(conn_->pg, text.c_str());
  if (!ResultOk(r)) conn_->Fail(r, text);
  PQclear(r);
}

void PgDb::Begin() { Exec("BEGIN"); }

void PgDb::Commit() {
  if (!conn_->pg) throw DbError("PostgreSQL: the connection is closed");
  try {
    conn_->Settle();
  } catch (const DbError&) {
    Rollback();  // as a COMMIT of a failed transaction does
    throw;
  }
  PGresult* r = PQexec(conn_->pg, "COMMIT");
  if (!ResultOk(r)) conn_->Fail(r, "COMMIT");
  // COMMIT of a transaction in which a statement failed "succeeds" as a ROLLBACK.
  bool rolled_back = std::strcmp(PQcmdStatus(r), "ROLLBACK") == 0;
  PQclear(r);
  for (int64_t key : std::exchange(conn_->pending_unlocks, {})) {
    QueryInt("SELECT pg_advisory_unlock(?)", key);
  }
  if (rolled_back) {
    throw DbError(
        "PostgreSQL: the transaction was rolled back, nothing was committed (a statement "
        "in it had failed)");
  }
}

void PgDb::Rollback() {
  // A lost connection has no transaction left: the server rolled it back.
  if (conn_->Lost()) return;
  conn_->SettleQuietly();
  PGTransactionStatusType st = PQtransactionStatus(conn_->pg);
  if (st == PQTRANS_INTRANS || st == PQTRANS_INERROR) Exec("ROLLBACK");
  for (int64_t key : std::exchange(conn_->pending_unlocks, {})) {
    QueryInt("SELECT pg_advisory_unlock(?)", key);
  }
}

bool PgDb::InTransaction() const {
  if (!conn_->pg) return false;
  if (!conn_->pipelined.empty()) return true;  // statements are only pipelined in a transaction
  PGTransactionStatusType st = PQtransactionStatus(conn_->pg);
  return st == PQTRANS_INTRANS || st == PQTRANS_INERROR || st == PQTRANS_ACTIVE;
}

bool PgDb::TableExists(std::string_view table) {
  return QueryInt(
             "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND "
             "tablename = ?",
             prefix_ + std::string(table))
      .has_value();
}

int64_t PgDb::NextId(std::string_view table) {
  std::string seq = prefix_ + std::string(table) + "_id_seq";
  IdBlock& b = ids_[seq];
  if (b.used == b.ids.size()) {
    size_t n = std::clamp<size_t>(b.ids.size() * 2, 1, 1024);
    Stmt& st = Cached("SELECT nextval(?) FROM generate_series(1, ?)");
    st.Reset();
    st.Bind(1, seq);
    st.Bind(2, static_cast<int64_t>(n));
    b.ids.clear();
    b.used = 0;
    while (st.Step()) b.ids.push_back(st.Int(0));
    st.Reset();
    if (b.ids.empty()) throw DbError("PostgreSQL: no id from sequence " + seq);
  }
  return b.ids[b.used++];
}

int PgDb::RefreshStatistics(const std::vector<std::string>& tables) {
  int analysed = 0;
  for (const auto& table : tables) {
    std::string name = prefix_ + table;
    // pg_stat_user_tables counts rows changed since the last ANALYZE (manual or autovacuum's);
    // reltuples is -1 for a table never analysed.
    bool stale = QueryInt(
                     "SELECT 1 FROM pg_catalog.pg_stat_user_tables s JOIN pg_catalog.pg_class c "
                     "ON c.oid = s.relid WHERE s.schemaname = current_schema() AND s.relname = ? "
                     "AND (c.reltuples < 0 OR s.n_mod_since_analyze > 50 + 0.1 * "
                     "GREATEST(c.reltuples, 0))",
                     name)
                     .has_value();
    if (!stale) continue;
    Exec("ANALYZE " + name);  // the name is prefix (validated) + a table name of our own
    ++analysed;
  }
  return analysed;
}

bool PgDb::TryAdvisoryLock(const std::string& name) {
  return QueryInt("SELECT CASE WHEN pg_try_advisory_lock(?) THEN 1 ELSE 0 END",
                  LockKey(prefix_ + name))
             .value_or(0) == 1;
}

void PgDb::AdvisoryUnlock(const std::string& name) {
  if (conn_->Lost()) return;  // the lock ended with the session
  conn_->SettleQuietly();
  int64_t key = LockKey(prefix_ + name);
  if (PQtransactionStatus(conn_->pg) == PQTRANS_INERROR) {
    conn_->pending_unlocks.push_back(key);  // after the ROLLBACK
    return;
  }
  QueryInt("SELECT pg_advisory_unlock(?)", key);
}

int PgDb::BackendPid() { return conn_->pg ? PQbackendPID(conn_->pg) : 0; }

}  // namespace cs::store
