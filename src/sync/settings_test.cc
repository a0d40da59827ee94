// Every setting of contract §4: its default, good values (normalised), bad values refused.
#include "sync/settings.h"

#include <gtest/gtest.h>

#include "sync/errors.h"
#include "sync/test_support.h"

namespace cs::sync {
namespace {

using cs::testing::TempSite;

TEST(SettingsTest, DefaultsAreTheContracts) {
  TempSite site;
  Settings s(*site.db);
  const std::map<std::string, std::string> want = {
      {"csvseparator", ";"},
      {"encoding", "UTF-8"},
      {"simulate", "0"},
      {"storereport", "1"},
      {"filearchive", "1"},
      {"filefailed", "1"},
      {"filecleanup", "0"},
      {"fileareacleanupdelay", "90"},
      {"courses_fileuploadlocation", "uploadcourses.csv"},
      {"courses_fileuploadidentifier", "shortname"},
      {"courses_coursecategoryidentifier", "idname"},
      {"courses_newcategoriesvisible", "1"},
      {"courses_protectcategory", "0"},
      {"courses_forceupdate", "0"},
      {"courses_deletethreshold", "10"},
      {"courses_template_mode", "0"},
      {"courses_filedeletelocation", "deletecourses.csv"},
      {"courses_filedeleteidentifier", "shortname"},
      {"courses_fileexistlocation", "courses.csv"},
      {"courses_existfileidentifier", "shortname"},
      {"courses_fileresetlocation", "resetcourses.csv"},
      {"courses_fileresetidentifier", "shortname"},
      {"courses_filemetabindinglocation", "metacourses.csv"},
      {"courses_filemetabindingidentifier", "shortname"},
  };
  auto list = s.List();
  EXPECT_EQ(list.size(), want.size());
  for (const auto& [k, v] : list) {
    ASSERT_TRUE(want.count(k)) << k;
    EXPECT_EQ(v, want.at(k)) << k;
  }
  for (const auto& d : Settings::Defs()) {
    EXPECT_FALSE(d.help.empty()) << d.key;
    EXPECT_FALSE(d.label.empty()) << d.key;
  }
}

struct Case {
  std::string key;
  std::vector<std::pair<std::string, std::string>> good;  // given -> stored
  std::vector<std::string> bad;
};

TEST(SettingsTest, GoodValuesAreNormalisedAndBadOnesRefused) {
  TempSite site;
  Settings s(*site.db);
  const std::vector<std::string> ids = {"idnumber", "shortname", "id"};
  std::vector<Case> cases = {
      {"csvseparator",
       {{";", ";"}, {",", ","}, {":", ":"}, {"tab", "tab"}, {"TAB", "tab"}},
       {"|", "", ";;", "semicolon"}},
      {"encoding",
       {{"UTF-8", "UTF-8"},
        {"utf-8", "UTF-8"},
        {"ISO-8859-1", "ISO-8859-1"},
        {"windows-1252", "Windows-1252"}},
       {"latin2", "", "UTF-16"}},
      {"fileareacleanupdelay", {{"0", "0"}, {"30", "30"}, {" 7 ", "7"}}, {"-1", "x", "1.5", ""}},
      {"courses_deletethreshold", {{"0", "0"}, {"100", "100"}, {"25", "25"}}, {"101", "-5", "ten"}},
      {"courses_template_mode", {{"0", "0"}, {"1", "1"}, {"2", "2"}}, {"3", "-1", "add"}},
      {"courses_coursecategoryidentifier",
       {{"idname", "idname"}, {"IDNUMBER", "idnumber"}},
       {"path", ""}},
      {"courses_fileuploadlocation",
       {{"uploadcourses.csv", "uploadcourses.csv"},
        {"in/export_*.csv", "in/export_*.csv"},
        {"a.csv, b.csv", "a.csv, b.csv"}},
       {"", "../x.csv", "/etc/passwd", "a/../../b.csv", "http://host/x.csv", "a.csv,,b.csv",
        "dir\\x.csv"}},
  };
  for (const char* b :
       {"simulate", "storereport", "filearchive", "filefailed", "filecleanup",
        "courses_newcategoriesvisible", "courses_protectcategory", "courses_forceupdate"}) {
    cases.push_back({b,
                     {{"0", "0"}, {"1", "1"}, {"yes", "1"}, {"No", "0"}, {"true", "1"}},
                     {"2", "maybe", ""}});
  }
  for (const char* k : {"courses_fileuploadidentifier", "courses_filedeleteidentifier",
                        "courses_existfileidentifier", "courses_fileresetidentifier",
                        "courses_filemetabindingidentifier"}) {
    cases.push_back({k,
                     {{"idnumber", "idnumber"}, {"shortname", "shortname"}, {"ID", "id"}},
                     {"email", "", "short name"}});
  }
  for (const char* k : {"courses_filedeletelocation", "courses_fileexistlocation",
                        "courses_fileresetlocation", "courses_filemetabindinglocation"}) {
    cases.push_back({k, {{"x.csv", "x.csv"}, {"sub/y.csv", "sub/y.csv"}}, {"../z.csv", ""}});
  }
  std::set<std::string> covered;
  for (const auto& c : cases) {
    covered.insert(c.key);
    for (const auto& [in, stored] : c.good) {
      EXPECT_EQ(s.Set(c.key, in), stored) << c.key << "=" << in;
      EXPECT_EQ(s.Get(c.key), stored) << c.key;
    }
    std::string before = s.Get(c.key);
    for (const auto& in : c.bad) {
      try {
        s.Set(c.key, in);
        ADD_FAILURE() << c.key << " accepted '" << in << "'";
      } catch (const Rejected& e) {
        EXPECT_NE(std::string(e.what()).find(c.key), std::string::npos) << e.what();
      }
      EXPECT_EQ(s.Get(c.key), before) << c.key << " changed by a refused value";
    }
  }
  for (const auto& d : Settings::Defs()) EXPECT_TRUE(covered.count(d.key)) << d.key << " untested";
  EXPECT_THROW(s.Set("nosuchkey", "1"), Rejected);
  EXPECT_THROW(s.Get("nosuchkey"), Rejected);
}

TEST(SettingsTest, StoredUnderToolSyncAndInvalidStoredValuesFallBackToDefaults) {
  TempSite site;
  Settings s(*site.db);
  s.Set("courses_forceupdate", "1");
  EXPECT_EQ(site.Count("config_plugins",
                       "plugin='tool_sync' AND name='courses_forceupdate' AND "
                       "value='1'"),
            1);
  s.Set("courses_forceupdate", "0");
  EXPECT_EQ(site.Count("config_plugins", "plugin='tool_sync' AND name='courses_forceupdate'"), 1);
  // A value written by hand (or by tool_sync itself) that is not valid reads as the default.
  site.db->Execute(
      "INSERT INTO {config_plugins} (plugin, name, value) VALUES ('tool_sync', "
      "'csvseparator', '|')");
  EXPECT_EQ(s.Get("csvseparator"), ";");
  // Setting one key leaves the others alone (the original wiped them).
  s.Set("encoding", "ISO-8859-1");
  EXPECT_EQ(site.Count("config_plugins", "plugin='tool_sync' AND name='csvseparator'"), 1);
}

}  // namespace
}  // namespace cs::sync
