#include "store/schema.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "store/sqlite_db.h"

namespace cs::store {
namespace {

namespace fs = std::filesystem;

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "cs-schema-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = std::make_unique<SqliteDb>((dir_ / "test.db").string());
  }
  void TearDown() override {
    db_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  struct ColInfo {
    std::string type;
    bool notnull = false;
    std::optional<std::string> dflt;
    bool pk = false;
  };
  std::map<std::string, ColInfo> TableInfo(const std::string& table) {
    std::map<std::string, ColInfo> out;
    auto st =
        db_->Prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)");
    st->Reset();
    st->Bind(1, "mdl_" + table);
    while (st->Step()) {
      ColInfo c;
      c.type = st->Text(1);
      c.notnull = st->Int(2) != 0;
      if (!st->IsNull(3)) c.dflt = st->Text(3);
      c.pk = st->Int(4) != 0;
      out[st->Text(0)] = c;
    }
    return out;
  }
  // sqlite_master, optionally without one object.
  std::string MasterDump(const std::string& except = "") {
    std::string out;
    auto st = db_->Prepare(
        "SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master WHERE name <> ? "
        "ORDER BY type, name");
    st->Reset();
    st->Bind(1, except);
    while (st->Step()) {
      out += st->Text(0) + "|" + st->Text(1) + "|" + st->Text(2) + "|" + st->Text(3) + "\n";
    }
    return out;
  }
  std::set<std::string> IndexNames(const std::string& table) {
    std::set<std::string> out;
    auto st = db_->Prepare("SELECT name FROM pragma_index_list(?)");
    st->Reset();
    st->Bind(1, "mdl_" + table);
    while (st->Step()) out.insert(st->Text(0));
    return out;
  }
  int64_t Version() {
    return db_
        ->QueryInt(
            "SELECT CAST(value AS INTEGER) FROM {config_plugins} WHERE plugin = ? AND name = ?",
            kSchemaPlugin, kSchemaVersionName)
        .value_or(-1);
  }

  fs::path dir_;
  std::unique_ptr<SqliteDb> db_;
};

TEST(SchemaDefinition, HasEveryRequiredTable) {
  const char* const kRequired[] = {"config",
                                   "tool_sync_tokens",
                                   "config_plugins",
                                   "cache_flags",
                                   "course_categories",
                                   "course",
                                   "course_sections",
                                   "course_format_options",
                                   "modules",
                                   "course_modules",
                                   "context",
                                   "role",
                                   "role_assignments",
                                   "role_capabilities",
                                   "role_names",
                                   "role_context_levels",
                                   "enrol",
                                   "user_enrolments",
                                   "user",
                                   "groups",
                                   "groupings",
                                   "groups_members",
                                   "groupings_groups",
                                   "event",
                                   "post",
                                   "blog_association",
                                   "comments",
                                   "tag",
                                   "tag_instance",
                                   "grade_categories",
                                   "grade_items",
                                   "grade_grades",
                                   "course_completions",
                                   "course_completion_crit_compl",
                                   "course_completion_criteria",
                                   "course_completion_aggr_methd",
                                   "course_modules_completion",
                                   "files",
                                   "logstore_standard_log",
                                   "forum",
                                   "forum_discussions",
                                   "forum_posts",
                                   "forum_subscriptions",
                                   "forum_digests",
                                   "forum_track_prefs",
                                   "forum_read",
                                   "assign",
                                   "assign_submission",
                                   "assign_grades",
                                   "assign_user_flags",
                                   "assign_user_mapping",
                                   "assign_overrides",
                                   "quiz",
                                   "quiz_attempts",
                                   "quiz_grades",
                                   "quiz_overrides",
                                   "glossary",
                                   "glossary_entries",
                                   "glossary_categories",
                                   "glossary_entries_categories",
                                   "data",
                                   "data_records",
                                   "data_content",
                                   "data_fields",
                                   "choice",
                                   "choice_options",
                                   "choice_answers",
                                   "lesson",
                                   "lesson_attempts",
                                   "lesson_grades",
                                   "lesson_timer",
                                   "lesson_branch",
                                   "lesson_overrides",
                                   "scorm",
                                   "scorm_attempt",
                                   "scorm_scoes_value",
                                   "scorm_scoes",
                                   "survey",
                                   "survey_answers",
                                   "survey_analysis",
                                   "chat",
                                   "chat_messages",
                                   "chat_messages_current",
                                   "chat_users",
                                   "grade_items_history",
                                   "grade_grades_history",
                                   "grade_letters",
                                   "user_lastaccess",
                                   "block_instances",
                                   "tool_sync_runs"};
  std::set<std::string> required(std::begin(kRequired), std::end(kRequired));
  std::set<std::string> defined;
  for (const auto& t : Tables()) {
    EXPECT_TRUE(defined.insert(t.name).second) << "duplicate table " << t.name;
  }
  EXPECT_EQ(defined, required);
}

TEST(SchemaDefinition, IsWellFormed) {
  std::set<std::string> physical;
  for (const auto& t : Tables()) {
    ASSERT_FALSE(t.columns.empty());
    EXPECT_EQ(t.columns[0].name, "id") << t.name;
    EXPECT_TRUE(t.columns[0].sequence) << t.name;
    std::set<std::string> cols, names;
    std::set<std::vector<std::string>> colsets;
    for (const auto& c : t.columns) {
      EXPECT_TRUE(cols.insert(c.name).second) << t.name << "." << c.name;
      if (c.type == ColumnType::kChar) {
        EXPECT_GT(c.length, 0) << t.name << "." << c.name;
      }
      if (c.type == ColumnType::kText) {
        EXPECT_FALSE(c.default_value) << t.name << "." << c.name;
      }
    }
    for (const auto& i : t.indexes) {
      EXPECT_TRUE(names.insert(i.name).second) << t.name << " index " << i.name;
      EXPECT_TRUE(colsets.insert(i.columns).second) << t.name << " duplicate columns " << i.name;
      for (const auto& c : i.columns) EXPECT_TRUE(cols.count(c)) << t.name << " index " << i.name;
      std::string sql_name = IndexSqlName(i, "mdl_");
      EXPECT_LE(sql_name.size(), 63u);
      EXPECT_TRUE(physical.insert(sql_name).second) << sql_name;
    }
  }
  // Moodle's naming convention, including its collision counter.
  const TableDef* context = FindTable("context");
  ASSERT_NE(context, nullptr);
  EXPECT_EQ(IndexSqlName(*context->FindIndex("contextlevel-instanceid"), "mdl_"),
            "mdl_cont_conins_uix");
  const TableDef* user = FindTable("user");
  EXPECT_EQ(IndexSqlName(*user->FindIndex("lastname"), "mdl_"), "mdl_user_las_ix");
  EXPECT_EQ(IndexSqlName(*user->FindIndex("lastaccess"), "mdl_"), "mdl_user_las2_ix");
  EXPECT_EQ(IndexSqlName(*user->FindIndex("lastnamephonetic"), "mdl_"), "mdl_user_las3_ix");
  EXPECT_EQ(IndexSqlName(*FindTable("groupings")->FindIndex("idnumber"), "mdl_"),
            "mdl_grou_idn2_ix");
  EXPECT_EQ(IndexSqlName(*FindTable("course_categories")->FindIndex("parent"), "mdl_"),
            "mdl_courcate_par_ix");
}

TEST_F(SchemaTest, InstallCreatesEveryTableWithItsColumns) {
  InstallOrUpgradeSchema(*db_);
  for (const auto& t : Tables()) {
    ASSERT_TRUE(db_->TableExists(t.name)) << t.name;
    auto info = TableInfo(t.name);
    EXPECT_EQ(info.size(), t.columns.size()) << t.name;
    for (const auto& c : t.columns) EXPECT_TRUE(info.count(c.name)) << t.name << "." << c.name;
    auto indexes = IndexNames(t.name);
    for (const auto& i : t.indexes) {
      EXPECT_TRUE(indexes.count(IndexSqlName(i, "mdl_"))) << t.name << " " << i.name;
    }
  }
  EXPECT_EQ(Version(), SchemaVersion());
  EXPECT_EQ(InstalledSchemaVersion(*db_), SchemaVersion());
}

TEST_F(SchemaTest, ColumnTypesNotNullAndDefaults) {
  InstallOrUpgradeSchema(*db_);
  auto course = TableInfo("course");
  EXPECT_TRUE(course["id"].pk);
  EXPECT_EQ(course["id"].type, "INTEGER");
  EXPECT_EQ(course["category"].type, "BIGINT");
  EXPECT_TRUE(course["category"].notnull);
  EXPECT_EQ(course["category"].dflt, "0");
  EXPECT_EQ(course["fullname"].type, "VARCHAR(1333)");
  EXPECT_TRUE(course["fullname"].notnull);
  EXPECT_EQ(course["fullname"].dflt, "''");
  EXPECT_EQ(course["format"].dflt, "'topics'");
  EXPECT_EQ(course["newsitems"].type, "INTEGER");
  EXPECT_EQ(course["newsitems"].dflt, "1");
  EXPECT_EQ(course["showgrades"].type, "SMALLINT");
  EXPECT_EQ(course["summary"].type, "TEXT");
  EXPECT_FALSE(course["summary"].notnull);
  EXPECT_FALSE(course["originalcourseid"].notnull);
  EXPECT_FALSE(course["originalcourseid"].dflt);
  EXPECT_EQ(course["showactivitydates"].dflt, "1");
  EXPECT_EQ(course.size(), 38u);

  auto context = TableInfo("context");
  EXPECT_EQ(context["contextlevel"].type, "BIGINT");
  EXPECT_FALSE(context["path"].notnull);
  EXPECT_EQ(context["path"].type, "VARCHAR(255)");
  EXPECT_FALSE(context["path"].dflt);
  EXPECT_EQ(context["depth"].type, "SMALLINT");
  EXPECT_EQ(context["depth"].dflt, "0");
  EXPECT_EQ(context["locked"].dflt, "0");

  auto cats = TableInfo("course_categories");
  EXPECT_TRUE(cats["name"].notnull);
  EXPECT_FALSE(cats["idnumber"].notnull);
  EXPECT_EQ(cats["sortorder"].dflt, "0");
  EXPECT_EQ(cats["visible"].dflt, "1");
  EXPECT_TRUE(cats["path"].notnull);
  EXPECT_EQ(cats["path"].dflt, "''");
  EXPECT_EQ(cats["theme"].type, "VARCHAR(50)");

  auto enrol = TableInfo("enrol");
  EXPECT_TRUE(enrol["courseid"].notnull);
  EXPECT_FALSE(enrol["courseid"].dflt);  // must supply
  EXPECT_EQ(enrol["customdec1"].type, "NUMERIC(12,7)");
  EXPECT_FALSE(enrol["enrolperiod"].notnull);
  EXPECT_EQ(enrol["enrolperiod"].dflt, "0");
  EXPECT_EQ(enrol["customchar3"].type, "VARCHAR(1333)");
  EXPECT_EQ(enrol.size(), 35u);

  auto posts = TableInfo("forum_posts");
  EXPECT_TRUE(posts["message"].notnull);
  EXPECT_FALSE(posts["message"].dflt);  // text NOT NULL: must supply
  EXPECT_EQ(posts["attachment"].dflt, "''");
  EXPECT_EQ(posts["wordcount"].type, "BIGINT");
  EXPECT_FALSE(posts["wordcount"].notnull);
  EXPECT_EQ(posts["mailed"].type, "SMALLINT");

  auto discussions = TableInfo("forum_discussions");
  EXPECT_EQ(discussions["groupid"].dflt, "-1");
  EXPECT_EQ(TableInfo("user_enrolments")["timeend"].dflt, "2147483647");
  EXPECT_EQ(TableInfo("grade_items")["multfactor"].dflt, "1.0");
  EXPECT_EQ(TableInfo("user").size(), 48u);

  // A NOT NULL int without default really is enforced; char NOT NULL gets ''.
  EXPECT_THROW(db_->Execute("INSERT INTO {enrol} (enrol) VALUES ('manual')"), DbError);
  db_->Execute("INSERT INTO {enrol} (courseid) VALUES (5)");
  auto st = db_->Prepare("SELECT enrol, status FROM {enrol} WHERE courseid = 5");
  ASSERT_TRUE(st->Step());
  EXPECT_EQ(st->Text(0), "");
  EXPECT_EQ(st->Int(1), 0);
}

TEST_F(SchemaTest, NewSqliteDatabaseHas32KiBPagesAndAnExistingOneKeepsItsOwn) {
  InstallOrUpgradeSchema(*db_);
  EXPECT_EQ(db_->QueryInt("PRAGMA page_size"), kSqlitePageSize);
  EXPECT_EQ(kSqlitePageSize, 32768);
  db_.reset();
  // A database made elsewhere with SQLite's default pages is opened as it is, never rewritten.
  fs::path old = dir_ / "old.db";
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(old.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(raw, "PRAGMA page_size=4096; CREATE TABLE t(x)", nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(raw);
  }
  db_ = std::make_unique<SqliteDb>(old.string());
  EXPECT_EQ(db_->QueryInt("PRAGMA page_size"), 4096);
  InstallOrUpgradeSchema(*db_);
  EXPECT_EQ(db_->QueryInt("PRAGMA page_size"), 4096);
}

TEST(SqliteBulkCache, ASixteenthOfTheDatabaseWithinBoundsInStepsOf4MiB) {
  EXPECT_EQ(BulkInsertCacheKib(0), kSqliteBulkCacheMinKib);
  EXPECT_EQ(BulkInsertCacheKib(int64_t{100} << 20), 8192);   // 100 MiB: the floor, 8 MiB
  EXPECT_EQ(BulkInsertCacheKib(int64_t{600} << 20), 36864);  // 37.5 MiB, rounded down
  EXPECT_EQ(BulkInsertCacheKib(int64_t{1} << 30), 65536);
  EXPECT_EQ(BulkInsertCacheKib(int64_t{64} << 30), kSqliteBulkCacheMaxKib);
  EXPECT_EQ(kSqliteBulkCacheMaxKib, 131072);
}

TEST_F(SchemaTest, BulkInsertCacheIsSetThenPutBack) {
  InstallOrUpgradeSchema(*db_);
  EXPECT_EQ(db_->QueryInt("PRAGMA cache_size"), -kSqliteCacheKib);
  db_->SizeCacheForBulkInsert(false);  // never sized: nothing to put back
  EXPECT_EQ(db_->QueryInt("PRAGMA cache_size"), -kSqliteCacheKib);
  db_->Begin();
  db_->SizeCacheForBulkInsert(true);
  EXPECT_EQ(db_->QueryInt("PRAGMA cache_size"), -kSqliteBulkCacheMinKib);
  db_->SizeCacheForBulkInsert(true);
  EXPECT_EQ(db_->QueryInt("PRAGMA cache_size"), -kSqliteBulkCacheMinKib);
  db_->SizeCacheForBulkInsert(false);
  EXPECT_EQ(db_->QueryInt("PRAGMA cache_size"), -kSqliteCacheKib);
  db_->Commit();
}

TEST_F(SchemaTest, InstallTwiceIsANoOp) {
  InstallOrUpgradeSchema(*db_);
  std::string first = MasterDump();
  auto versions = db_->QueryInt("SELECT COUNT(*) FROM {config_plugins}");
  InstallOrUpgradeSchema(*db_);
  EXPECT_EQ(MasterDump(), first);
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM {config_plugins}"), versions);
  EXPECT_EQ(versions, 1);
}

TEST_F(SchemaTest, UpgradeAddsMissingColumnTableAndIndex) {
  InstallOrUpgradeSchema(*db_);
  std::string full = MasterDump("mdl_course");
  db_->Exec(
      "INSERT INTO {course} (fullname, shortname) VALUES ('Old', 'old');"
      "ALTER TABLE {course} DROP COLUMN showactivitydates;"
      "ALTER TABLE {course} DROP COLUMN enableaitools;"
      "DROP TABLE {forum_read};"
      "DROP INDEX mdl_cour_cat_ix;"
      "DROP INDEX mdl_cont_conins_uix;");
  // An older binary recorded an older version.
  db_->Execute("UPDATE {config_plugins} SET value = '2020010100' WHERE name = ?",
               kSchemaVersionName);
  ASSERT_FALSE(db_->TableExists("forum_read"));
  ASSERT_FALSE(TableInfo("course").count("showactivitydates"));

  InstallOrUpgradeSchema(*db_);
  EXPECT_TRUE(db_->TableExists("forum_read"));
  auto course = TableInfo("course");
  ASSERT_TRUE(course.count("showactivitydates"));
  EXPECT_EQ(course["showactivitydates"].dflt, "1");
  EXPECT_TRUE(course["showactivitydates"].notnull);
  EXPECT_TRUE(course.count("enableaitools"));
  EXPECT_EQ(db_->QueryInt("SELECT showactivitydates FROM {course} WHERE shortname = 'old'"), 1);
  EXPECT_TRUE(IndexNames("course").count("mdl_cour_cat_ix"));
  EXPECT_TRUE(IndexNames("context").count("mdl_cont_conins_uix"));
  EXPECT_EQ(Version(), SchemaVersion());

  // Re-added columns sit at the end of the table; everything else is as a fresh install.
  EXPECT_EQ(MasterDump("mdl_course"), full);
}

TEST_F(SchemaTest, UpgradeAddsNotNullColumnWithoutDefaultToExistingRows) {
  InstallOrUpgradeSchema(*db_);
  db_->Exec(
      "INSERT INTO {enrol} (courseid, enrol) VALUES (3, 'manual');"
      "DROP INDEX mdl_enro_cou_ix;"
      "DROP INDEX mdl_enro_couenr_ix;"
      "ALTER TABLE {enrol} DROP COLUMN courseid;");
  InstallOrUpgradeSchema(*db_);
  EXPECT_EQ(db_->QueryInt("SELECT courseid FROM {enrol} WHERE enrol = 'manual'"), 0);
}

TEST_F(SchemaTest, ExistingIndexUnderAnotherNameCounts) {
  InstallOrUpgradeSchema(*db_);
  db_->Exec(
      "DROP INDEX mdl_cour_cat_ix;"
      "CREATE INDEX mdl_course_category_other ON mdl_course (category);");
  InstallOrUpgradeSchema(*db_);
  auto names = IndexNames("course");
  EXPECT_TRUE(names.count("mdl_course_category_other"));
  EXPECT_FALSE(names.count("mdl_cour_cat_ix"));
}

TEST_F(SchemaTest, NewerRecordedVersionIsRefused) {
  InstallOrUpgradeSchema(*db_);
  db_->Execute("UPDATE {config_plugins} SET value = ? WHERE plugin = ? AND name = ?",
               std::to_string(SchemaVersion() + 1), kSchemaPlugin, kSchemaVersionName);
  db_->Exec("DROP TABLE {forum_read}");
  try {
    InstallOrUpgradeSchema(*db_);
    FAIL() << "expected DbError";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(db_->TableExists("forum_read"));  // nothing was touched
  EXPECT_EQ(Version(), SchemaVersion() + 1);
}

TEST_F(SchemaTest, WorksWithAnotherPrefix) {
  db_.reset();
  db_ = std::make_unique<SqliteDb>((dir_ / "other.db").string(), "m_");
  InstallOrUpgradeSchema(*db_);
  EXPECT_TRUE(db_->TableExists("course"));
  auto st = db_->Prepare("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'mdl%'");
  ASSERT_TRUE(st->Step());
  EXPECT_EQ(st->Int(0), 0);
}

TEST(CreateTableSql, PostgresTypes) {
  const TableDef* course = FindTable("course");
  ASSERT_NE(course, nullptr);
  std::string sql = CreateTableSql(*course, Dialect::kPostgres, "mdl_");
  EXPECT_NE(sql.find("CREATE TABLE IF NOT EXISTS mdl_course ("), std::string::npos) << sql;
  EXPECT_NE(sql.find("id BIGSERIAL PRIMARY KEY"), std::string::npos) << sql;
  EXPECT_NE(sql.find("category BIGINT NOT NULL DEFAULT 0"), std::string::npos);
  EXPECT_NE(sql.find("fullname VARCHAR(1333) NOT NULL DEFAULT ''"), std::string::npos);
  EXPECT_NE(sql.find("format VARCHAR(21) NOT NULL DEFAULT 'topics'"), std::string::npos);
  EXPECT_NE(sql.find("newsitems INTEGER NOT NULL DEFAULT 1"), std::string::npos);
  EXPECT_NE(sql.find("showgrades SMALLINT NOT NULL DEFAULT 1"), std::string::npos);
  EXPECT_NE(sql.find("summary TEXT,"), std::string::npos);
  EXPECT_NE(sql.find("originalcourseid BIGINT,"), std::string::npos);
  EXPECT_EQ(sql.find("AUTOINCREMENT"), std::string::npos);

  std::string items = CreateTableSql(*FindTable("grade_items"), Dialect::kPostgres, "mdl_");
  EXPECT_NE(items.find("grademax NUMERIC(10,5) NOT NULL DEFAULT 100"), std::string::npos);
  EXPECT_NE(items.find("itemname VARCHAR(1333),"), std::string::npos);
  std::string enrol = CreateTableSql(*FindTable("enrol"), Dialect::kPostgres, "mdl_");
  EXPECT_NE(enrol.find("courseid BIGINT NOT NULL,"), std::string::npos);
  std::string lesson = CreateTableSql(*FindTable("lesson_grades"), Dialect::kPostgres, "mdl_");
  EXPECT_NE(lesson.find("grade DOUBLE PRECISION NOT NULL DEFAULT 0"), std::string::npos);

  std::string sqlite = CreateTableSql(*course, Dialect::kSqlite, "mdl_");
  EXPECT_NE(sqlite.find("id INTEGER PRIMARY KEY AUTOINCREMENT"), std::string::npos);

  const TableDef* context = FindTable("context");
  EXPECT_EQ(CreateIndexSql(*context, *context->FindIndex("path"), Dialect::kPostgres, "mdl_"),
            "CREATE INDEX IF NOT EXISTS mdl_cont_pat_ix ON mdl_context (path varchar_pattern_ops)");
  EXPECT_EQ(CreateIndexSql(*context, *context->FindIndex("contextlevel-instanceid"),
                           Dialect::kSqlite, "mdl_"),
            "CREATE UNIQUE INDEX IF NOT EXISTS mdl_cont_conins_uix ON mdl_context (contextlevel, "
            "instanceid)");
  std::string add = AddColumnSql(*FindTable("enrol"), *FindTable("enrol")->FindColumn("courseid"),
                                 Dialect::kPostgres, "mdl_");
  EXPECT_EQ(add,
            "ALTER TABLE mdl_enrol ADD COLUMN courseid BIGINT NOT NULL DEFAULT 0;\n"
            "ALTER TABLE mdl_enrol ALTER COLUMN courseid DROP DEFAULT");
}

}  // namespace
}  // namespace cs::store
