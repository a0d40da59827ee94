// The PostgreSQL backend. URL parsing and placeholder rewriting always run; everything else needs
// a server and is skipped unless CS_TEST_PG_URL names its maintenance database
// (scripts/pg-test-server.sh). Each test gets a database of its own, dropped at the end.
#include "store/pg_db.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <string>

#include "store/schema.h"

namespace cs::store {
namespace {

TEST(PgUrlTest, PrefixIsOursAndThePasswordIsNeverShown) {
  PgUrl u = ParsePgUrl("postgresql://moodle:s%40cret@db.example.org:5433/moodle?prefix=m2_");
  EXPECT_EQ(u.prefix, "m2_");
  EXPECT_EQ(u.password, "s@cret");
  EXPECT_EQ(u.conninfo, "postgresql://moodle:s%40cret@db.example.org:5433/moodle");
  EXPECT_EQ(u.display, "postgresql://moodle@db.example.org:5433/moodle?prefix=m2_");

  u = ParsePgUrl("postgres://u@h/db?sslmode=require&password=pw&prefix=mdl_&application_name=x");
  EXPECT_EQ(u.prefix, "mdl_");
  EXPECT_EQ(u.password, "pw");
  EXPECT_EQ(u.conninfo, "postgres://u@h/db?sslmode=require&password=pw&application_name=x");
  EXPECT_EQ(u.display, "postgres://u@h/db?sslmode=require&prefix=mdl_&application_name=x");

  u = ParsePgUrl("postgresql://localhost");
  EXPECT_EQ(u.prefix, "mdl_");
  EXPECT_EQ(u.conninfo, "postgresql://localhost");
  EXPECT_EQ(u.display, "postgresql://localhost");

  for (const char* bad : {"postgresql://h/db?prefix=", "postgresql://h/db?prefix=1x_",
                          "postgresql://h/db?prefix=mdl;drop", "postgresql://h/db?prefix=MDL_"}) {
    EXPECT_THROW(ParsePgUrl(bad), DbError) << bad;
  }
  EXPECT_THROW(ParsePgUrl("mysql://h/db"), DbError);
}

TEST(PgUrlTest, PlaceholdersOutsideQuotesAndComments) {
  int n = 0;
  EXPECT_EQ(RewritePlaceholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)", &n),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(RewritePlaceholders("SELECT '?', 'it''s ?', \"q?\" , ? -- why?\n, ? /* ? */ , ?", &n),
            "SELECT '?', 'it''s ?', \"q?\" , $1 -- why?\n, $2 /* ? */ , $3");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(RewritePlaceholders("SELECT 1", &n), "SELECT 1");
  EXPECT_EQ(n, 0);
}

// ---------------------------------------------------------------------------------------------
// Against a server.

const char* ServerUrl() {
  const char* url = std::getenv("CS_TEST_PG_URL");
  return url && *url ? url : nullptr;
}

std::string WithQuery(const std::string& url, const std::string& param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
}

// The password of the server URL (the harness always sets one).
std::string ServerPassword() { return ParsePgUrl(ServerUrl()).password; }

class PgDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!ServerUrl()) GTEST_SKIP() << "CS_TEST_PG_URL is not set: no PostgreSQL server to test";
    std::random_device rd;
    name_ = "cs_s" + std::to_string(getpid()) + "_" + std::to_string(rd() % 1000000);
    admin_ = std::make_unique<PgDb>(ServerUrl());
    admin_->Exec("CREATE DATABASE " + name_ +
                 " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
    url_ = PgUrlWithDatabase(ServerUrl(), name_);
    db_ = std::make_unique<PgDb>(url_);
  }
  void TearDown() override {
    db_.reset();
    if (admin_) admin_->Exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  std::string Str(const std::string& sql) {
    auto st = db_->Prepare(sql);
    return st->Step() ? st->Text(0) : "<no row>";
  }

  std::string name_, url_;
  std::unique_ptr<PgDb> admin_;
  std::unique_ptr<PgDb> db_;
};

TEST_F(PgDbTest, DisplayNameHasNoPassword) {
  EXPECT_EQ(db_->dialect(), Dialect::kPostgres);
  EXPECT_EQ(db_->prefix(), "mdl_");
  EXPECT_EQ(db_->display_name().find(ServerPassword()), std::string::npos);
  EXPECT_NE(db_->display_name().find(name_), std::string::npos);
  auto via_open = Open(url_);
  EXPECT_EQ(via_open->dialect(), Dialect::kPostgres);
  EXPECT_EQ(Open(WithQuery(url_, "prefix=abc_"))->prefix(), "abc_");
}

TEST_F(PgDbTest, PlaceholdersNullsTypesAndReturning) {
  db_->Exec(
      "CREATE TABLE {t} (id BIGSERIAL PRIMARY KEY, n BIGINT, s VARCHAR(20), x TEXT, "
      "d DOUBLE PRECISION, num NUMERIC(10,5))");
  auto ins = db_->Prepare("INSERT INTO {t} (n, s, x, d, num) VALUES (?, ?, ?, ?, ?) RETURNING id");
  EXPECT_EQ(ins->RunInt(int64_t{5}, "a'b?", std::nullopt, 1.5, 2.25), 1);
  EXPECT_EQ(ins->RunInt(int64_t{-7}, std::string("é"), "x", 0.0, 0), 2);
  EXPECT_EQ(ins->RunInt(std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt), 3);

  auto sel = db_->Prepare("SELECT id, n, s, x, d, num, n = ? FROM {t} WHERE id <= ? ORDER BY id");
  EXPECT_EQ(sel->ColumnCount(), 7);  // known before the first Step, as on SQLite
  EXPECT_EQ(sel->ColumnName(2), "s");
  sel->Reset();
  sel->Bind(1, 5);
  sel->Bind(2, 3);
  ASSERT_TRUE(sel->Step());
  EXPECT_EQ(sel->Int(1), 5);
  EXPECT_EQ(sel->Text(2), "a'b?");
  EXPECT_TRUE(sel->IsNull(3));
  EXPECT_DOUBLE_EQ(sel->Double(4), 1.5);
  EXPECT_EQ(sel->Text(5), "2.25000");
  EXPECT_EQ(sel->Int(5), 2);
  EXPECT_EQ(sel->Int(6), 1);  // boolean true
  ASSERT_TRUE(sel->Step());
  EXPECT_EQ(sel->Int(1), -7);
  EXPECT_EQ(sel->Text(2), "é");
  EXPECT_EQ(sel->Int(6), 0);
  ASSERT_TRUE(sel->Step());
  EXPECT_TRUE(sel->IsNull(1));
  EXPECT_TRUE(sel->IsNull(6));
  EXPECT_FALSE(sel->Step());
  // As with sqlite3_step, stepping again runs the statement again with the same bindings.
  ASSERT_TRUE(sel->Step());
  EXPECT_EQ(sel->Int(0), 1);
  // Reset clears the bindings: NULL parameters match nothing.
  sel->Reset();
  EXPECT_FALSE(sel->Step());

  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM {t} WHERE s LIKE ?", "a%"), 1);
  EXPECT_EQ(db_->QueryInt("SELECT n FROM {t} WHERE id = ?", 42), std::nullopt);
  EXPECT_THROW(ins->Bind(6, 1), DbError);
  EXPECT_THROW(ins->Bind(2, std::string("a\0b", 3)), DbError);
}

TEST_F(PgDbTest, ErrorsAreOneLineAndNameTheStatement) {
  try {
    db_->Prepare("SELECT nosuchcolumn FROM {nosuchtable}");
    FAIL() << "no error";
  } catch (const DbError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("mdl_nosuchtable"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  db_->Exec("CREATE TABLE {u} (id BIGSERIAL PRIMARY KEY, k VARCHAR(5) NOT NULL)");
  db_->Exec("CREATE UNIQUE INDEX mdl_u_k_uix ON {u} (k)");
  db_->Execute("INSERT INTO {u} (k) VALUES (?)", "a");
  try {
    db_->Execute("INSERT INTO {u} (k) VALUES (?)", "a");
    FAIL() << "no error";
  } catch (const DbError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("duplicate key"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(k)=(a)"), std::string::npos) << msg;  // the detail
    EXPECT_NE(msg.find("INSERT INTO mdl_u"), std::string::npos) << msg;
  }
}

TEST_F(PgDbTest, TransactionsCommitRollBackAndAFailedOneNeverCommits) {
  db_->Exec("CREATE TABLE {t} (id BIGSERIAL PRIMARY KEY, v BIGINT NOT NULL)");
  EXPECT_FALSE(db_->InTransaction());
  {
    Transaction tx(*db_);
    EXPECT_TRUE(db_->InTransaction());
    db_->Execute("INSERT INTO {t} (v) VALUES (?)", 1);
  }  // rolled back
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM {t}"), 0);
  {
    Transaction tx(*db_);
    db_->Execute("INSERT INTO {t} (v) VALUES (?)", 2);
    tx.Commit();
  }
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM {t}"), 1);

  // A statement that fails aborts the transaction on the server: COMMIT must not pretend.
  db_->Begin();
  db_->Execute("INSERT INTO {t} (v) VALUES (?)", 3);
  EXPECT_THROW(db_->Execute("INSERT INTO {t} (v) VALUES (?)", std::nullopt), DbError);
  EXPECT_TRUE(db_->InTransaction());
  EXPECT_THROW(db_->Commit(), DbError);
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM {t}"), 1);

  // Savepoints work as the reset task uses them.
  db_->Begin();
  db_->Exec("SAVEPOINT s");
  db_->Execute("INSERT INTO {t} (v) VALUES (?)", 4);
  db_->Exec("ROLLBACK TO SAVEPOINT s");
  db_->Exec("RELEASE SAVEPOINT s");
  db_->Execute("INSERT INTO {t} (v) VALUES (?)", 5);
  db_->Commit();
  EXPECT_EQ(db_->QueryInt("SELECT SUM(v) FROM {t}"), 7);
  db_->Rollback();  // nothing open: a no-op
}

// Stmt::Send pipelines statements inside a transaction: they all land, in order; a failure is
// reported (naming its statement) at the next statement that needs a result or at Commit(),
// and the transaction then commits nothing.
TEST_F(PgDbTest, SentStatementsArePipelinedAndTheirFailuresStillAbortTheTransaction) {
  db_->Exec("CREATE TABLE {t} (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)");
  auto ins = db_->Prepare("INSERT INTO {t} (id, v) VALUES (?, ?)");
  auto upd = db_->Prepare("UPDATE {t} SET v = v + 1 WHERE id = ?");
  db_->Begin();
  for (int64_t i = 1; i <= 2000; ++i) ins->Send(i, i);  // several pipeline batches
  for (int64_t i = 1; i <= 2000; i += 2) upd->Send(i);
  EXPECT_EQ(db_->QueryInt("SELECT SUM(v) FROM {t}"), 2000 * 2001 / 2 + 1000);
  db_->Commit();
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM {t}"), 2000);

  // A failure found at the next query: the error names the failing statement.
  db_->Begin();
  ins->Send(int64_t{5000}, int64_t{1});
  ins->Send(int64_t{1}, int64_t{1});  // duplicate key
  ins->Send(int64_t{5001}, int64_t{1});
  try {
    db_->QueryInt("SELECT COUNT(*) FROM {t}");
    ADD_FAILURE() << "no error";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate key"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("INSERT INTO"), std::string::npos) << e.what();
  }
  db_->Rollback();
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM {t}"), 2000);

  // A failure found at Commit(): nothing is committed and no transaction is left open.
  db_->Begin();
  ins->Send(int64_t{6000}, int64_t{1});
  ins->Send(int64_t{6000}, int64_t{1});
  EXPECT_THROW(db_->Commit(), DbError);
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM {t} WHERE id >= 5000"), 0);

  // Outside a transaction each statement runs on its own, as Run() does.
  ins->Send(int64_t{7000}, int64_t{1});
  EXPECT_THROW(ins->Send(int64_t{7000}, int64_t{1}), DbError);
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM {t} WHERE id = 7000"), 1);
}

// Statistics are refreshed only where missing or stale, inside the caller's transaction.
TEST_F(PgDbTest, RefreshStatisticsAnalysesOnlyTablesWithMissingOrStaleStatistics) {
  db_->Exec("CREATE TABLE {big} (id BIGINT PRIMARY KEY)");
  db_->Exec("CREATE TABLE {done} (id BIGINT PRIMARY KEY)");
  db_->Exec("INSERT INTO {big} SELECT g FROM generate_series(1, 5000) g");
  db_->Exec("INSERT INTO {done} SELECT g FROM generate_series(1, 5000) g");
  // The statistics views lag a little behind the commits that changed the rows.
  db_->Exec("SELECT pg_stat_force_next_flush()");
  db_->QueryInt("SELECT 1");
  db_->Exec("ANALYZE {done}");
  auto reltuples = [&](const char* t) {
    return db_->QueryInt("SELECT reltuples::bigint FROM pg_class WHERE relname = ?",
                         db_->prefix() + t);
  };
  EXPECT_EQ(reltuples("big"), -1);  // never analysed
  db_->Exec("SELECT pg_stat_force_next_flush()");
  db_->Begin();
  EXPECT_EQ(db_->RefreshStatistics({"big", "done", "missing_table"}), 1);
  db_->Commit();
  EXPECT_EQ(reltuples("big"), 5000);
  EXPECT_EQ(db_->RefreshStatistics({"big", "done"}), 0);
}

TEST_F(PgDbTest, NextIdComesFromTheTablesSequenceAndNeverRepeats) {
  db_->Exec("CREATE TABLE {t} (id BIGSERIAL PRIMARY KEY, v BIGINT)");
  auto other = std::make_unique<PgDb>(url_);
  std::set<int64_t> seen;
  db_->Begin();
  for (int i = 0; i < 50; ++i) {
    int64_t a = db_->NextId("t");
    int64_t b = other->NextId("t");
    EXPECT_TRUE(seen.insert(a).second) << a;
    EXPECT_TRUE(seen.insert(b).second) << b;
    db_->Execute("INSERT INTO {t} (id, v) VALUES (?, ?)", a, i);
  }
  // A default id (nextval) never collides with ids handed out by NextId.
  auto id = db_->QueryInt("INSERT INTO {t} (v) VALUES (?) RETURNING id", -1);
  ASSERT_TRUE(id);
  EXPECT_FALSE(seen.count(*id));
  db_->Commit();
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM {t}"), 51);
  // A fresh connection starts at the sequence: the first ids of a new table are 1, 2, 3.
  db_->Exec("CREATE TABLE {w} (id BIGSERIAL PRIMARY KEY)");
  auto fresh = std::make_unique<PgDb>(url_);
  EXPECT_EQ(fresh->NextId("w"), 1);
  EXPECT_EQ(fresh->NextId("w"), 2);
  EXPECT_EQ(fresh->NextId("w"), 3);
  EXPECT_THROW(fresh->NextId("nosuchtable"), DbError);
}

TEST_F(PgDbTest, TableExistsUsesThePrefix) {
  db_->Exec("CREATE TABLE mdl_course (id BIGSERIAL PRIMARY KEY)");
  EXPECT_TRUE(db_->TableExists("course"));
  EXPECT_FALSE(db_->TableExists("nosuch"));
  auto other = Open(WithQuery(url_, "prefix=xx_"));
  EXPECT_FALSE(other->TableExists("course"));
}

// What the server's catalog says about a column: type, length, nullability, default.
std::string Column(Db& db, const std::string& table, const std::string& column) {
  auto st = db.Prepare(
      "SELECT data_type || COALESCE('(' || character_maximum_length || ')', '') || ' ' || "
      "is_nullable || ' ' || COALESCE(column_default, '-') FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?");
  st->Reset();
  st->Bind(1, table);
  st->Bind(2, column);
  return st->Step() ? st->Text(0) : "<none>";
}

TEST_F(PgDbTest, SchemaHasMoodlesTypesSequencesAndIndexNamesAndInstallsOnce) {
  InstallOrUpgradeSchema(*db_);
  EXPECT_EQ(InstalledSchemaVersion(*db_), SchemaVersion());
  EXPECT_EQ(Column(*db_, "mdl_course", "id"), "bigint NO nextval('mdl_course_id_seq'::regclass)");
  EXPECT_EQ(Column(*db_, "mdl_course", "fullname"),
            "character varying(1333) NO ''::character varying");
  EXPECT_EQ(Column(*db_, "mdl_course", "format"),
            "character varying(21) NO 'topics'::character varying");
  EXPECT_EQ(Column(*db_, "mdl_course", "summary"), "text YES -");
  EXPECT_EQ(Column(*db_, "mdl_course", "category"), "bigint NO 0");
  EXPECT_EQ(Column(*db_, "mdl_course", "summaryformat"), "smallint NO 0");
  EXPECT_EQ(Column(*db_, "mdl_course", "newsitems"), "integer NO 1");
  EXPECT_EQ(Column(*db_, "mdl_course_completion_aggr_methd", "value"), "numeric YES -");
  EXPECT_EQ(Column(*db_, "mdl_context", "id"), "bigint NO nextval('mdl_context_id_seq'::regclass)");
  // Every table has its Moodle-named sequence.
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM pg_class WHERE relkind = 'S' AND relname LIKE "
                          "'mdl\\_%\\_id\\_seq'"),
            static_cast<int64_t>(Tables().size()));
  // Moodle's physical index names.
  for (const char* ix : {"mdl_cour_cat_ix", "mdl_cont_conins_uix", "mdl_confplug_plunam_uix"}) {
    EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM pg_indexes WHERE indexname = ?", ix), 1) << ix;
  }

  // A second install changes nothing at all.
  auto catalog = [&] {
    return Str(
        "SELECT string_agg(c.relname || ':' || c.relkind::text, ',' ORDER BY c.relname) FROM "
        "pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()");
  };
  std::string before = catalog();
  std::string columns =
      Str("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = "
          "current_schema()");
  InstallOrUpgradeSchema(*db_);
  EXPECT_EQ(catalog(), before);
  EXPECT_EQ(Str("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = "
                "current_schema()"),
            columns);

  // A dropped column and index come back; the column gets its default.
  db_->Exec("ALTER TABLE mdl_course DROP COLUMN marker; DROP INDEX mdl_cour_cat_ix");
  db_->Execute("INSERT INTO {course} (category, fullname, shortname, idnumber) VALUES (?, ?, ?, ?)",
               1, "F", "S", "");
  InstallOrUpgradeSchema(*db_);
  EXPECT_EQ(catalog(), before);
  EXPECT_EQ(db_->QueryInt("SELECT marker FROM {course}"), 0);
}

TEST_F(PgDbTest, ASecondPrefixIsASecondSiteInTheSameDatabase) {
  auto other = Open(WithQuery(url_, "prefix=m2_"));
  InstallOrUpgradeSchema(*other);
  EXPECT_TRUE(other->TableExists("course"));
  EXPECT_FALSE(db_->TableExists("course"));
  EXPECT_EQ(Column(*db_, "m2_course", "id"), "bigint NO nextval('m2_course_id_seq'::regclass)");
  EXPECT_EQ(other->NextId("course"), 1);
}

TEST_F(PgDbTest, AdvisoryLocksAreExclusiveAcrossConnectionsAndEndWithTheSession) {
  auto a = std::make_unique<PgDb>(url_);
  auto b = std::make_unique<PgDb>(url_);
  EXPECT_TRUE(a->TryAdvisoryLock("create"));
  EXPECT_FALSE(b->TryAdvisoryLock("create"));
  EXPECT_TRUE(b->TryAdvisoryLock("delete"));  // another task runs at the same time
  auto other_site = Open(WithQuery(url_, "prefix=m2_"));
  EXPECT_TRUE(other_site->TryAdvisoryLock("create"));  // another prefix, another site
  a->AdvisoryUnlock("create");
  EXPECT_TRUE(b->TryAdvisoryLock("create"));
  EXPECT_FALSE(a->TryAdvisoryLock("create"));
  b.reset();  // a process that ends (or dies) releases its locks, once its server process is gone
  bool taken = false;
  for (int i = 0; i < 500 && !taken; ++i) {
    taken = a->TryAdvisoryLock("create");
    if (!taken) usleep(10000);
  }
  EXPECT_TRUE(taken);
  EXPECT_TRUE(a->TryAdvisoryLock("delete"));

  // Unlocking inside a failed transaction happens after its rollback.
  a->Begin();
  EXPECT_THROW(a->Exec("SELECT nosuchfunction()"), DbError);
  a->AdvisoryUnlock("delete");
  a->Rollback();
  auto c = std::make_unique<PgDb>(url_);
  EXPECT_TRUE(c->TryAdvisoryLock("delete"));
}

TEST_F(PgDbTest, ConnectionErrorsNameHostPortDatabaseButNeverThePassword) {
  // A wrong password (the password in the message would be the real leak to avoid).
  PgUrl u = ParsePgUrl(url_);
  std::string wrong = url_;
  const std::string bad_password = "WrongPassw0rd" + std::to_string(getpid());
  wrong.replace(wrong.find(":" + u.password + "@"), u.password.size() + 2,
                ":" + bad_password + "@");
  try {
    PgDb db(wrong);
    FAIL() << "connected with a wrong password";
  } catch (const DbError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.find(bad_password), std::string::npos) << msg;
    EXPECT_EQ(msg.find(u.password), std::string::npos) << msg;
    EXPECT_NE(msg.find("127.0.0.1"), std::string::npos) << msg;
    EXPECT_NE(msg.find(name_), std::string::npos) << msg;
    EXPECT_NE(msg.find("password authentication failed"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  // Nothing listening: port 1 on loopback.
  std::string closed = "postgresql://someone:" + bad_password + "@127.0.0.1:1/somedb";
  try {
    PgDb db(closed);
    FAIL() << "connected to port 1";
  } catch (const DbError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.find(bad_password), std::string::npos) << msg;
    EXPECT_NE(msg.find("127.0.0.1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("port 1 "), std::string::npos) << msg;
    EXPECT_NE(msg.find("somedb"), std::string::npos) << msg;
  }
  // A database that does not exist.
  try {
    PgDb db(PgUrlWithDatabase(url_, name_ + "_missing"));
    FAIL() << "connected to a missing database";
  } catch (const DbError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(name_ + "_missing"), std::string::npos) << msg;
    EXPECT_EQ(msg.find(u.password), std::string::npos) << msg;
  }
}

TEST_F(PgDbTest, PasswordFromPgpassword) {
  PgUrl u = ParsePgUrl(url_);
  std::string no_password = url_;
  no_password.erase(no_password.find(":" + u.password + "@"), u.password.size() + 1);
  ASSERT_EQ(no_password.find(u.password), std::string::npos);
  const char* old = std::getenv("PGPASSWORD");
  std::string saved = old ? old : "";
  setenv("PGPASSWORD", u.password.c_str(), 1);
  EXPECT_NO_THROW(PgDb db(no_password));
  if (old) {
    setenv("PGPASSWORD", saved.c_str(), 1);
  } else {
    unsetenv("PGPASSWORD");
  }
}

// A server process killed in the middle of a transaction: the statement after fails with a
// clear error, the transaction leaves nothing behind, and rolling back is quiet.
TEST_F(PgDbTest, ASessionKilledMidTransactionLeavesNothingWritten) {
  InstallOrUpgradeSchema(*db_);
  const int64_t before = db_->QueryInt("SELECT COUNT(*) FROM {course}").value_or(-1);
  auto victim = std::make_unique<PgDb>(url_);
  victim->Begin();
  auto ins = victim->Prepare(
      "INSERT INTO {course} (category, fullname, shortname, idnumber) VALUES (?, ?, ?, ?)");
  for (int i = 0; i < 100; ++i) ins->Run(1, "Course", "C" + std::to_string(i), "");
  ASSERT_EQ(db_->QueryInt("SELECT pg_terminate_backend(?)::int", victim->BackendPid()), 1);
  try {
    for (int i = 100; i < 200; ++i) ins->Run(1, "Course", "C" + std::to_string(i), "");
    victim->Commit();
    FAIL() << "the killed session went on";
  } catch (const DbError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("connection"), std::string::npos) << msg;
    EXPECT_NE(msg.find(name_), std::string::npos) << msg;  // which database
    EXPECT_EQ(msg.find(ServerPassword()), std::string::npos) << msg;
  }
  EXPECT_FALSE(victim->InTransaction());
  EXPECT_NO_THROW(victim->Rollback());
  EXPECT_NO_THROW(victim->AdvisoryUnlock("create"));
  EXPECT_THROW(victim->Prepare("SELECT 1"), DbError);
  ins.reset();
  victim.reset();
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM {course}"), before);
}

TEST_F(PgDbTest, ManyShortLivedStatementsAreFreedOnTheServer) {
  for (int i = 0; i < 300; ++i) {
    auto st = db_->Prepare("SELECT ? + " + std::to_string(i));
    EXPECT_EQ(st->RunInt(1), i + 1);
  }
  EXPECT_LT(db_->QueryInt("SELECT COUNT(*) FROM pg_prepared_statements").value_or(999), 100);
}

}  // namespace
}  // namespace cs::store
