// The reset registry and engine on their own: the declarations are consistent with the schema,
// and the engine refuses the site course, skips what the database does not have, and only acts
// on modules the course uses.
#include "sync/reset_modules.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "store/schema.h"
#include "sync/test_support.h"

namespace cs::testing {
namespace {

std::vector<const sync::ResetStep*> AllSteps() {
  std::vector<const sync::ResetStep*> out;
  for (const auto& o : sync::CoreResetOptions()) {
    for (const auto& s : o.steps) out.push_back(&s);
  }
  for (const auto& m : sync::ResetModules()) {
    for (const auto& o : m.options) {
      for (const auto& s : o.steps) out.push_back(&s);
    }
    for (const auto& s : m.date_steps) out.push_back(&s);
  }
  return out;
}

// Moodle tables the steps name that this schema does not hold (yet): those steps are skipped.
const std::set<std::string> kNotInSchema = {"rating",
                                            "forum_queue",
                                            "forum_discussion_subs",
                                            "glossary_alias",
                                            "course_modules_viewed",
                                            "question_attempt_step_data",
                                            "question_attempt_steps",
                                            "question_attempts",
                                            "question_usages",
                                            "assignsubmission_onlinetext",
                                            "assignsubmission_file",
                                            "assignfeedback_comments",
                                            "assignfeedback_file",
                                            "scorm_scoes_track"};

TEST(ResetModules, RegistryHasTheTenModulesEachOnceWithUniqueColumns) {
  std::set<std::string> names, columns;
  for (const auto& m : sync::ResetModules()) {
    EXPECT_TRUE(names.insert(m.name).second) << m.name;
    EXPECT_EQ(sync::FindResetModule(m.name), &m);
    EXPECT_FALSE(m.options.empty()) << m.name;
    for (const auto& o : m.options) {
      EXPECT_TRUE(columns.insert(o.column).second) << "duplicate column " << o.column;
      EXPECT_FALSE(o.help.empty()) << o.column;
      EXPECT_FALSE(o.steps.empty()) << o.column;
      const sync::ResetModule* found = nullptr;
      EXPECT_EQ(sync::FindModuleOption(o.column, &found), &o);
      EXPECT_EQ(found, &m);
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{"assign", "chat", "choice", "data", "forum", "glossary",
                                          "lesson", "quiz", "scorm", "survey"}));
  // The columns of the original tool keep their names.
  for (const char* c :
       {"forum_all", "forum_subscriptions", "glossary_all", "chat", "data", "assign_submissions",
        "survey_answers", "lesson", "choice", "scorm", "quiz_attempts"}) {
    EXPECT_TRUE(columns.count(c)) << c;
  }
  // No module column shadows a core column of the file.
  for (const char* c : {"events", "logs", "notes", "comments", "completion", "blog_associations",
                        "grades", "roles", "local_roles", "groups", "groupings", "modules",
                        "startdate", "shortname", "idnumber", "id"}) {
    EXPECT_FALSE(columns.count(c)) << c;
  }
}

TEST(ResetModules, DefaultsFollowMoodlesResetForm) {
  auto on = [](const char* c) { return sync::FindModuleOption(c)->default_on; };
  EXPECT_TRUE(on("forum_all"));
  EXPECT_TRUE(on("forum_ratings"));
  EXPECT_FALSE(on("forum_subscriptions"));
  EXPECT_FALSE(on("forum_digests"));
  EXPECT_FALSE(on("forum_track_prefs"));
  EXPECT_FALSE(on("glossary_all"));  // glossary_reset_course_form_defaults: reset_glossary_all 0
  EXPECT_FALSE(on("data"));          // data_reset_course_form_defaults: reset_data 0
  EXPECT_TRUE(on("glossary_comments"));
  EXPECT_TRUE(on("data_comments"));
  for (const char* c : {"assign_submissions", "assign_user_overrides", "assign_group_overrides",
                        "quiz_attempts", "quiz_user_overrides", "quiz_group_overrides", "choice",
                        "lesson", "scorm", "survey_answers", "survey_analysis", "chat"}) {
    EXPECT_TRUE(on(c)) << c;
  }
}

TEST(ResetModules, StepsNameEveryTableTheyUse) {
  std::regex table(R"(\{([a-z_0-9]+)\})");
  for (const auto* s : AllSteps()) {
    ASSERT_FALSE(s->tables.empty()) << s->sql;
    std::set<std::string> declared(s->tables.begin(), s->tables.end());
    for (std::sregex_iterator it(s->sql.begin(), s->sql.end(), table), end; it != end; ++it) {
      EXPECT_TRUE(declared.count((*it)[1])) << (*it)[1] << " not declared in: " << s->sql;
    }
    // tables[0] is the one written.
    std::string t = "{" + s->tables[0] + "}";
    bool writes = s->sql.rfind("DELETE FROM " + t, 0) == 0 || s->sql.rfind("UPDATE " + t, 0) == 0 ||
                  s->sql.rfind("INSERT INTO " + t, 0) == 0 ||
                  s->sql.rfind("INSERT OR FAIL INTO " + t, 0) == 0;
    EXPECT_TRUE(writes) << s->sql;
    for (const auto& name : s->tables) {
      EXPECT_TRUE(store::FindTable(name) || kNotInSchema.count(name)) << name;
    }
  }
}

TEST(ResetModules, DateFieldsAreColumnsOfTheModuleTable) {
  for (const auto& m : sync::ResetModules()) {
    const store::TableDef* t = store::FindTable(m.name);
    ASSERT_NE(t, nullptr) << m.name;
    ASSERT_NE(t->FindColumn("course"), nullptr) << m.name;
    for (const auto& f : m.date_fields) EXPECT_NE(t->FindColumn(f), nullptr) << m.name << "." << f;
  }
}

TEST(ResetModules, EveryModuleIsInstalledOnAFreshSite) {
  TempSite site;
  for (const auto& m : sync::ResetModules()) {
    EXPECT_EQ(site.Count("modules", "name = '" + m.name + "'"), 1) << m.name;
  }
}

sync::ResetRequest Everything() {
  sync::ResetRequest req;
  for (const auto& o : sync::CoreResetOptions()) req.core.insert(o.column);
  for (const auto& m : sync::ResetModules()) {
    for (const auto& o : m.options) req.module_options.insert(o.column);
  }
  req.unenrol_roleids = {5, 4, 3};
  return req;
}

int64_t NewCourse(store::Db& db, const std::string& shortname) {
  int64_t id = db.QueryInt(
                     "INSERT INTO {course} (category, fullname, shortname, idnumber, startdate) "
                     "VALUES (1, ?, ?, '', 1700000000) RETURNING id",
                     shortname, shortname)
                   .value();
  int64_t ctx = db.QueryInt(
                      "INSERT INTO {context} (contextlevel, instanceid, depth) VALUES (50, ?, 3) "
                      "RETURNING id",
                      id)
                    .value();
  db.Execute("UPDATE {context} SET path = ? WHERE id = ?", "/1/3/" + std::to_string(ctx), ctx);
  return id;
}

TEST(ResetModules, EngineRunsEveryOptionOnAnEmptyCourse) {
  TempSite site;
  int64_t id = NewCourse(*site.db, "EMPTY");
  std::string dump = site.Dump();
  sync::CourseResetter engine(*site.db, 1700000000);
  sync::ResetRequest req = Everything();
  req.startdate = 1700000000 + 86400;
  sync::ResetResult r = engine.Reset(id, req);
  EXPECT_EQ(r.removed(), 0);
  EXPECT_TRUE(r.modules.empty());  // the course has no activity: no module is reset
  EXPECT_TRUE(r.date_moved);
  EXPECT_EQ(r.timeshift, 86400);
  // Every core area is reported, even with nothing to remove.
  std::set<std::string> areas;
  for (const auto& [a, n] : r.areas) areas.insert(a);
  EXPECT_EQ(areas, (std::set<std::string>{"events", "notes", "blog_associations", "completion",
                                          "logs", "local_roles", "roles", "groups", "groupings",
                                          "grades", "comments"}));
  // A second run reuses the prepared statements.
  req.startdate.reset();
  EXPECT_EQ(engine.Reset(id, req).removed(), 0);
}

TEST(ResetModules, EngineRefusesTheSiteCourse) {
  TempSite site;
  sync::CourseResetter engine(*site.db, 0);
  sync::ResetRequest req;
  req.core.insert("events");
  EXPECT_THROW(engine.Reset(1, req), std::invalid_argument);
}

TEST(ResetModules, MissingTablesAreSkipped) {
  TempSite site;
  int64_t id = NewCourse(*site.db, "C");
  int64_t chat =
      site.db
          ->QueryInt("INSERT INTO {chat} (course, name, intro) VALUES (?, 'c', '') RETURNING id",
                     id)
          .value();
  site.db->Execute(
      "INSERT INTO {chat_users} (chatid, userid, version, ip, sid, lang) VALUES "
      "(?, 2, '', '', '', '')",
      chat);
  site.db->Exec("DROP TABLE mdl_chat_messages");
  sync::CourseResetter engine(*site.db, 0);
  sync::ResetRequest req;
  req.module_options.insert("chat");
  sync::ResetResult r = engine.Reset(id, req);
  EXPECT_EQ(r.tables["chat_users"], 1);
  EXPECT_EQ(r.tables.count("chat_messages"), 0u);
  EXPECT_EQ(r.modules, std::vector<std::string>{"chat"});
}

TEST(ResetModules, GradebookConditionsFollowMoodle) {
  // assign_grades only with the gradebook grades; module gradebook grades only without them.
  const sync::ResetOption* subs = sync::FindModuleOption("assign_submissions");
  bool assign_grades_conditional = false;
  for (const auto& s : subs->steps) {
    if (s.tables[0] == "assign_grades") {
      assign_grades_conditional = s.when == sync::ResetWhen::kGradebookGradesReset;
    }
  }
  EXPECT_TRUE(assign_grades_conditional);
  const sync::ResetOption* attempts = sync::FindModuleOption("quiz_attempts");
  bool grades_when_kept = false;
  for (const auto& s : attempts->steps) {
    if (s.tables[0] == "grade_grades") {
      grades_when_kept = s.when == sync::ResetWhen::kGradebookGradesKept;
    }
  }
  EXPECT_TRUE(grades_when_kept);
}

}  // namespace
}  // namespace cs::testing
