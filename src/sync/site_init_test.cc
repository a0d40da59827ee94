#include "sync/site_init.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/schema.h"
#include "store/sqlite_db.h"

namespace cs::sync {
namespace {

namespace fs = std::filesystem;

class SiteInitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "cs-siteinit-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = std::make_unique<store::SqliteDb>((dir_ / "coursesync.db").string());
  }
  void TearDown() override {
    db_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  int64_t Int(const std::string& sql) { return db_->QueryInt(sql).value_or(-999); }
  std::string Text(const std::string& sql) {
    auto st = db_->Prepare(sql);
    if (!st->Step()) return "<no row>";
    return st->IsNull(0) ? "<null>" : st->Text(0);
  }
  // Every row of every table, plus the AUTOINCREMENT sequences and the schema itself.
  std::string Dump() {
    std::string out;
    for (const auto& t : store::Tables()) {
      auto st = db_->Prepare("SELECT * FROM {" + t.name + "} ORDER BY id");
      out += "## " + t.name + "\n";
      while (st->Step()) {
        for (int i = 0; i < st->ColumnCount(); ++i) {
          out += st->IsNull(i) ? "NULL" : "'" + st->Text(i) + "'";
          out += i + 1 < st->ColumnCount() ? "," : "\n";
        }
      }
    }
    for (const char* sql : {"SELECT name || '=' || seq FROM sqlite_sequence ORDER BY name",
                            "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM "
                            "sqlite_master ORDER BY type, name"}) {
      auto st = db_->Prepare(sql);
      while (st->Step()) out += st->Text(0) + "\n";
    }
    return out;
  }

  fs::path dir_;
  std::unique_ptr<store::SqliteDb> db_;
};

TEST_F(SiteInitTest, SeedsAFreshMoodleSite) {
  EXPECT_FALSE(IsSeeded(*db_));
  InitResult r = InitSite(*db_);
  EXPECT_TRUE(r.created);
  EXPECT_TRUE(IsSeeded(*db_));
  EXPECT_EQ(store::InstalledSchemaVersion(*db_), store::SchemaVersion());

  // Contexts 1-5 with Moodle's ids, levels, instances and paths.
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {context}"), 5);
  EXPECT_EQ(Text("SELECT contextlevel || ':' || instanceid || ':' || path || ':' || depth "
                 "FROM {context} WHERE id = 1"),
            "10:0:/1:1");
  EXPECT_EQ(Text("SELECT contextlevel || ':' || instanceid || ':' || path || ':' || depth "
                 "FROM {context} WHERE id = 2"),
            "50:1:/1/2:2");
  EXPECT_EQ(Text("SELECT contextlevel || ':' || instanceid || ':' || path || ':' || depth "
                 "FROM {context} WHERE id = 3"),
            "40:1:/1/3:2");
  EXPECT_EQ(Text("SELECT contextlevel || ':' || instanceid || ':' || path || ':' || depth "
                 "FROM {context} WHERE id = 4"),
            "30:1:/1/4:2");
  EXPECT_EQ(Text("SELECT contextlevel || ':' || instanceid || ':' || path || ':' || depth "
                 "FROM {context} WHERE id = 5"),
            "30:2:/1/5:2");

  // The site course.
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {course}"), 1);
  EXPECT_EQ(Text("SELECT format FROM {course} WHERE id = 1"), "site");
  EXPECT_EQ(Int("SELECT category FROM {course} WHERE id = 1"), 0);
  EXPECT_EQ(Int("SELECT sortorder FROM {course} WHERE id = 1"), 1);
  EXPECT_EQ(Int("SELECT newsitems FROM {course} WHERE id = 1"), 3);
  EXPECT_EQ(Text("SELECT fullname FROM {course} WHERE id = 1"), "Site home");
  EXPECT_EQ(Text("SELECT shortname FROM {course} WHERE id = 1"), "site");
  EXPECT_EQ(Text("SELECT summary FROM {course} WHERE id = 1"), "");
  EXPECT_EQ(Text("SELECT name || '=' || value FROM {course_format_options} WHERE courseid = 1 "
                 "AND format = 'site' AND sectionid = 0"),
            "numsections=1");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {course_sections} WHERE course = 1 AND section = 0"), 1);

  // The default category.
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {course_categories}"), 1);
  EXPECT_EQ(Text("SELECT name FROM {course_categories} WHERE id = 1"), "Category 1");
  EXPECT_EQ(Text("SELECT depth || ':' || path || ':' || sortorder || ':' || parent || ':' || "
                 "descriptionformat || ':' || coursecount || ':' || visible "
                 "FROM {course_categories} WHERE id = 1"),
            "1:/1:10000:0:1:0:1");

  // Users.
  EXPECT_EQ(Text("SELECT username || ':' || auth || ':' || confirmed || ':' || mnethostid "
                 "FROM {user} WHERE id = 1"),
            "guest:manual:1:1");
  EXPECT_EQ(Text("SELECT username || ':' || auth || ':' || confirmed || ':' || mnethostid "
                 "FROM {user} WHERE id = 2"),
            "admin:manual:1:1");

  // Roles 1-8 in Moodle's order, localised from the shortname.
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {role}"), 8);
  const std::vector<std::string> kRoles = {"manager", "coursecreator", "editingteacher",
                                           "teacher", "student",       "guest",
                                           "user",    "frontpage"};
  for (size_t i = 0; i < kRoles.size(); ++i) {
    std::string id = std::to_string(i + 1);
    EXPECT_EQ(Text("SELECT shortname || ':' || archetype || ':' || sortorder || ':' || name || "
                   "':' || description FROM {role} WHERE id = " +
                   id),
              kRoles[i] + ":" + kRoles[i] + ":" + id + "::");
  }
  EXPECT_EQ(Text("SELECT GROUP_CONCAT(contextlevel) FROM (SELECT contextlevel FROM "
                 "{role_context_levels} WHERE roleid = 1 ORDER BY contextlevel)"),
            "10,40,50");
  EXPECT_EQ(Text("SELECT GROUP_CONCAT(contextlevel) FROM (SELECT contextlevel FROM "
                 "{role_context_levels} WHERE roleid = 5 ORDER BY contextlevel)"),
            "50,70");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {role_context_levels} WHERE roleid >= 6"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {role_context_levels}"), 11);

  // Modules.
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {modules}"), 23);
  for (const char* m : {"assign", "forum", "quiz", "scorm", "workshop", "label", "page"}) {
    EXPECT_EQ(Int(std::string("SELECT visible FROM {modules} WHERE name = '") + m + "'"), 1) << m;
  }

  // Settings.
  EXPECT_EQ(Text("SELECT value FROM {config_plugins} WHERE plugin = 'moodlecourse' AND name = "
                 "'format'"),
            "topics");
  EXPECT_EQ(Text("SELECT value FROM {config_plugins} WHERE plugin = 'moodlecourse' AND name = "
                 "'numsections'"),
            "4");
  EXPECT_EQ(Text("SELECT value FROM {config_plugins} WHERE plugin = 'moodlecourse' AND name = "
                 "'courseduration'"),
            "31536000");
  EXPECT_EQ(Text("SELECT value FROM {config} WHERE name = 'enrol_plugins_enabled'"),
            "manual,guest,self,cohort,meta");
  EXPECT_EQ(Text("SELECT value FROM {config} WHERE name = 'siteadmins'"), "2");
  EXPECT_EQ(Text("SELECT value FROM {config} WHERE name = 'defaultuserroleid'"), "7");
  EXPECT_EQ(Text("SELECT value FROM {config} WHERE name = 'guestroleid'"), "6");
}

TEST_F(SiteInitTest, SequencesContinueAfterTheSeededIds) {
  InitSite(*db_);
  EXPECT_EQ(db_->QueryInt("INSERT INTO {course_categories} (name, path) VALUES ('X', '') "
                          "RETURNING id"),
            2);
  EXPECT_EQ(db_->QueryInt("INSERT INTO {context} (contextlevel, instanceid) VALUES (40, 2) "
                          "RETURNING id"),
            6);
  EXPECT_EQ(db_->QueryInt("INSERT INTO {role} (shortname, description, sortorder) VALUES "
                          "('custom', '', 9) RETURNING id"),
            9);
  EXPECT_EQ(db_->QueryInt("INSERT INTO {user} (username, mnethostid) VALUES ('u', 1) RETURNING id"),
            3);
}

TEST_F(SiteInitTest, SecondInitChangesNothing) {
  ASSERT_TRUE(InitSite(*db_).created);
  std::string before = Dump();
  InitResult again = InitSite(*db_);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(Dump(), before);

  // Also through a fresh connection, as a second `coursesync init` would.
  db_ = std::make_unique<store::SqliteDb>((dir_ / "coursesync.db").string());
  EXPECT_FALSE(InitSite(*db_).created);
  EXPECT_EQ(Dump(), before);
}

TEST_F(SiteInitTest, KeepsAnExistingSite) {
  InitSite(*db_);
  db_->Execute("UPDATE {course} SET fullname = 'My site' WHERE id = 1");
  db_->Execute("DELETE FROM {modules} WHERE name = 'chat'");
  EXPECT_FALSE(InitSite(*db_).created);
  EXPECT_EQ(Text("SELECT fullname FROM {course} WHERE id = 1"), "My site");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {modules}"), 22);
}

}  // namespace
}  // namespace cs::sync
