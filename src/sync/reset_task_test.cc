// The reset file, end to end: on a site holding two courses with rows in every area (built by
// direct inserts, each row tagged with its course), each option removes its data from the target
// course and nothing else: the other course, the site rows and every other table of the target
// are compared row by row before and after.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "store/schema.h"
#include "sync/demo.h"
#include "sync/errors.h"
#include "sync/integrity.h"
#include "sync/reset_modules.h"
#include "sync/settings.h"
#include "sync/tasks_reset.h"
#include "sync/test_support.h"
#include "sync/values.h"

namespace cs::testing {

// ---------------------------------------------------------------------------------------------
// Fixture: two courses with data in every area the reset knows.

struct Val {
  enum Type { kInt, kText, kNull } type = kNull;
  int64_t i = 0;
  std::string s;
  Val(int v) : type(kInt), i(v) {}                      // NOLINT(runtime/explicit)
  Val(int64_t v) : type(kInt), i(v) {}                  // NOLINT(runtime/explicit)
  Val(const char* v) : type(kText), s(v) {}             // NOLINT(runtime/explicit)
  Val(std::string v) : type(kText), s(std::move(v)) {}  // NOLINT(runtime/explicit)
  Val(std::nullptr_t) {}                                // NOLINT(runtime/explicit)
};
using Row = std::vector<std::pair<std::string, Val>>;

// Inserts a row; NOT NULL columns without a default that `row` leaves out get 0 or ''.
int64_t InsertRow(store::Db& db, const std::string& table, Row row) {
  const store::TableDef* t = store::FindTable(table);
  if (!t) throw std::runtime_error("no table " + table);
  for (const auto& c : t->columns) {
    if (c.sequence || !c.notnull || c.default_value) continue;
    bool given = false;
    for (const auto& [k, v] : row) given = given || k == c.name;
    if (given) continue;
    bool text = c.type == store::ColumnType::kChar || c.type == store::ColumnType::kText;
    row.emplace_back(c.name, text ? Val("") : Val(0));
  }
  std::string cols, qs;
  for (const auto& [k, v] : row) {
    cols += (cols.empty() ? "" : ", ") + k;
    qs += qs.empty() ? "?" : ", ?";
  }
  auto st =
      db.Prepare("INSERT INTO {" + table + "} (" + cols + ") VALUES (" + qs + ") RETURNING id");
  int i = 0;
  for (const auto& [k, v] : row) {
    ++i;
    if (v.type == Val::kInt) st->BindInt(i, v.i);
    if (v.type == Val::kText) st->BindText(i, v.s);
    if (v.type == Val::kNull) st->BindNull(i);
  }
  if (!st->Step()) throw std::runtime_error("insert into " + table + " returned nothing");
  return st->Int(0);
}

constexpr int64_t kDay = 86400;

struct ResetSite : TempSite {
  struct Course {
    int64_t id = 0, ctx = 0, start = 0;
    std::string path, shortname;
    std::map<std::string, int64_t> ids;  // named rows
  };

  std::map<std::pair<std::string, int64_t>, int64_t> owner;  // (table, id) -> course
  std::map<std::string, int64_t> role, mod, user;
  Course a, b;

  explicit ResetSite(bool build = true) {
    auto st = db->Prepare("SELECT id, shortname FROM {role}");
    while (st->Step()) role[st->Text(1)] = st->Int(0);
    auto ms = db->Prepare("SELECT id, name FROM {modules}");
    while (ms->Step()) mod[ms->Text(1)] = ms->Int(0);
    if (!build) return;
    for (const char* u :
         {"teacher", "nonedit", "s1", "s2", "s3", "multi", "meta", "selfdis", "norole"}) {
      int64_t id = InsertRow(*db, "user",
                             {{"auth", "manual"},
                              {"confirmed", 1},
                              {"mnethostid", 1},
                              {"username", std::string("u_") + u},
                              {"firstname", u},
                              {"lastname", "Test"},
                              {"email", std::string(u) + "@example.org"}});
      user[u] = id;
    }
    a = MakeCourse("COURSE-A", 1700000000);
    b = MakeCourse("COURSE-B", 1710000000);
  }

  int64_t Add(Course& c, const std::string& table, Row row, const std::string& name = "") {
    int64_t id = InsertRow(*db, table, std::move(row));
    owner[{table, id}] = c.id;
    if (!name.empty()) c.ids[name] = id;
    return id;
  }

  int64_t Context(Course& c, int level, int64_t instance, const std::string& name) {
    int64_t id = Add(c, "context", {{"contextlevel", level}, {"instanceid", instance}}, name);
    std::string path = c.path + "/" + std::to_string(id);
    db->Execute("UPDATE {context} SET path = ?, depth = ? WHERE id = ?", path, int64_t{4}, id);
    return id;
  }

  // An activity: its instance row, course module and module context.
  int64_t Activity(Course& c, const std::string& modname, const std::string& name, Row row) {
    row.emplace_back("course", c.id);
    row.emplace_back("name", name);
    int64_t inst = Add(c, modname, std::move(row), name);
    int64_t cm = Add(c, "course_modules",
                     {{"course", c.id},
                      {"module", mod.at(modname)},
                      {"instance", inst},
                      {"section", c.ids["section0"]}},
                     name + ".cm");
    Context(c, 70, cm, name + ".ctx");
    return inst;
  }

  void Grade(Course& c, int64_t item, const std::string& u, int v) {
    Add(c, "grade_grades",
        {{"itemid", item}, {"userid", user.at(u)}, {"rawgrade", v}, {"finalgrade", v}});
  }

  Course MakeCourse(const std::string& shortname, int64_t start) {
    Course c;
    c.shortname = shortname;
    c.start = start;
    c.id = InsertRow(*db, "course",
                     {{"category", 1},
                      {"fullname", shortname + " full"},
                      {"shortname", shortname},
                      {"idnumber", "ID-" + shortname},
                      {"startdate", start},
                      {"enddate", start + 90 * kDay},
                      {"enablecompletion", 1}});
    owner[{"course", c.id}] = c.id;
    c.ctx = Add(c, "context", {{"contextlevel", 50}, {"instanceid", c.id}, {"depth", 3}}, "ctx");
    c.path = "/1/3/" + std::to_string(c.ctx);
    db->Execute("UPDATE {context} SET path = ? WHERE id = ?", c.path, c.ctx);
    const std::string date_json = "{\"op\":\"&\",\"c\":[{\"type\":\"date\",\"d\":\">=\",\"t\":" +
                                  std::to_string(start + 5 * kDay) + "}],\"showc\":[true]}";
    Add(c, "course_sections", {{"course", c.id}, {"section", 0}}, "section0");
    Add(c, "course_sections", {{"course", c.id}, {"section", 1}, {"availability", date_json}},
        "section1");

    // Enrolment: manual (enabled), self (disabled), guest (disabled), meta (enabled).
    int64_t manual =
        Add(c, "enrol", {{"enrol", "manual"}, {"status", 0}, {"courseid", c.id}}, "manual");
    int64_t self = Add(c, "enrol", {{"enrol", "self"}, {"status", 1}, {"courseid", c.id}}, "self");
    Add(c, "enrol", {{"enrol", "guest"}, {"status", 1}, {"courseid", c.id}});
    int64_t meta =
        Add(c, "enrol", {{"enrol", "meta"}, {"status", 0}, {"courseid", c.id}, {"customint1", 999}},
            "meta");
    for (const char* u : {"teacher", "nonedit", "s1", "s2", "s3", "multi", "norole"}) {
      Add(c, "user_enrolments", {{"enrolid", manual}, {"userid", user.at(u)}},
          std::string("ue.") + u);
    }
    Add(c, "user_enrolments", {{"enrolid", meta}, {"userid", user.at("meta")}}, "ue.meta");
    Add(c, "user_enrolments", {{"enrolid", self}, {"userid", user.at("selfdis")}}, "ue.selfdis");
    auto ra = [&](const std::string& u, const std::string& r, int64_t ctx,
                  const std::string& component = "", int64_t itemid = 0) {
      return Add(c, "role_assignments",
                 {{"roleid", role.at(r)},
                  {"contextid", ctx},
                  {"userid", user.at(u)},
                  {"component", component},
                  {"itemid", itemid}},
                 "ra." + u + "." + r);
    };
    ra("teacher", "editingteacher", c.ctx);
    ra("nonedit", "teacher", c.ctx);
    ra("s1", "student", c.ctx);
    ra("s2", "student", c.ctx);
    ra("s3", "student", c.ctx);
    ra("multi", "student", c.ctx);
    ra("multi", "teacher", c.ctx);
    ra("meta", "student", c.ctx, "enrol_meta", meta);
    ra("selfdis", "student", c.ctx);

    // Activities.
    int64_t forum = Activity(c, "forum", "forum", {{"type", "general"}});
    int64_t single = Activity(c, "forum", "single", {{"type", "single"}});
    int64_t assign = Activity(c, "assign", "assign",
                              {{"duedate", start + 7 * kDay},
                               {"allowsubmissionsfromdate", start},
                               {"blindmarking", 1},
                               {"revealidentities", 1}});
    int64_t quiz = Activity(c, "quiz", "quiz", {{"timeopen", start + kDay}, {"timeclose", 0}});
    int64_t glossary = Activity(c, "glossary", "glossary", {});
    int64_t data = Activity(c, "data", "data", {});
    int64_t choice = Activity(c, "choice", "choice", {{"timeopen", start + 2 * kDay}});
    int64_t lesson = Activity(c, "lesson", "lesson", {{"deadline", start + 20 * kDay}});
    int64_t scorm = Activity(c, "scorm", "scorm", {});
    int64_t survey = Activity(c, "survey", "survey", {});
    int64_t chat = Activity(c, "chat", "chat", {{"chattime", start + 3 * kDay}});
    db->Execute("UPDATE {course_modules} SET completion = 1, completionexpected = ? WHERE id = ?",
                start + 10 * kDay, c.ids["assign.cm"]);
    db->Execute("UPDATE {course_modules} SET availability = ? WHERE id = ?", date_json,
                c.ids["quiz.cm"]);
    int64_t block = Add(c, "block_instances",
                        {{"blockname", "comments"},
                         {"parentcontextid", c.ctx},
                         {"showinsubcontexts", 0},
                         {"pagetypepattern", "course-view-*"},
                         {"defaultregion", "side-pre"},
                         {"defaultweight", 0},
                         {"timecreated", 0},
                         {"timemodified", 0}});
    int64_t blockctx = Context(c, 80, block, "block.ctx");

    // Local roles and overrides.
    ra("s1", "teacher", c.ids["forum.ctx"]);
    ra("s2", "teacher", blockctx);
    Add(c, "role_capabilities",
        {{"contextid", c.ctx},
         {"roleid", role.at("student")},
         {"capability", "moodle/course:viewparticipants"},
         {"permission", 1}});
    Add(c, "role_capabilities",
        {{"contextid", c.ids["forum.ctx"]},
         {"roleid", role.at("student")},
         {"capability", "mod/forum:replypost"},
         {"permission", -1}});

    // Groups and groupings.
    int64_t g1 = Add(c, "groups", {{"courseid", c.id}, {"name", "G1"}}, "g1");
    int64_t g2 = Add(c, "groups", {{"courseid", c.id}, {"name", "G2"}}, "g2");
    Add(c, "groups_members", {{"groupid", g1}, {"userid", user.at("s1")}});
    Add(c, "groups_members", {{"groupid", g1}, {"userid", user.at("s2")}});
    Add(c, "groups_members", {{"groupid", g2}, {"userid", user.at("s3")}});
    Add(c, "groups_members", {{"groupid", g2}, {"userid", user.at("multi")}});
    Add(c, "groups_members",
        {{"groupid", g1},
         {"userid", user.at("meta")},
         {"component", "enrol_meta"},
         {"itemid", meta}});
    int64_t gr = Add(c, "groupings", {{"courseid", c.id}, {"name", "GR"}}, "grouping");
    Add(c, "groupings_groups", {{"groupingid", gr}, {"groupid", g1}});
    db->Execute("UPDATE {course} SET defaultgroupingid = ? WHERE id = ?", gr, c.id);
    db->Execute("UPDATE {course_modules} SET groupingid = ? WHERE id = ?", gr, c.ids["forum.cm"]);

    // Calendar, logs, notes, blog, comments, tags, last access.
    Add(c, "event",
        {{"name", "Course day"},
         {"description", ""},
         {"courseid", c.id},
         {"eventtype", "course"},
         {"timestart", start + kDay}},
        "event.course");
    Add(c, "event",
        {{"name", "Group day"},
         {"description", ""},
         {"courseid", c.id},
         {"groupid", g1},
         {"eventtype", "group"},
         {"timestart", start + 2 * kDay}},
        "event.group");
    Add(c, "event",
        {{"name", "Due"},
         {"description", ""},
         {"courseid", c.id},
         {"modulename", "assign"},
         {"instance", assign},
         {"eventtype", "due"},
         {"type", 1},
         {"timestart", start + 7 * kDay},
         {"timesort", start + 7 * kDay}},
        "event.due");
    for (int i = 0; i < 3; ++i) {
      Add(c, "logstore_standard_log",
          {{"eventname", "\\core\\event\\course_viewed"},
           {"component", "core"},
           {"action", "viewed"},
           {"target", "course"},
           {"crud", "r"},
           {"edulevel", 2},
           {"contextid", c.ctx},
           {"contextlevel", 50},
           {"contextinstanceid", c.id},
           {"userid", user.at("s1")},
           {"courseid", c.id},
           {"timecreated", start + i}});
    }
    Add(c, "post",
        {{"module", "notes"},
         {"userid", user.at("s1")},
         {"courseid", c.id},
         {"content", "note"},
         {"publishstate", "public"}});
    Add(c, "post",
        {{"module", "notes"},
         {"userid", user.at("s2")},
         {"courseid", c.id},
         {"content", "note"},
         {"publishstate", "course"}});
    int64_t blog = Add(c, "post",
                       {{"module", "blog"},
                        {"userid", user.at("s1")},
                        {"subject", "My entry"},
                        {"publishstate", "site"}});
    Add(c, "blog_association", {{"contextid", c.ctx}, {"blogid", blog}});
    Add(c, "blog_association", {{"contextid", c.ids["forum.ctx"]}, {"blogid", blog}});
    auto comment = [&](int64_t ctx, const std::string& area, int64_t item) {
      Add(c, "comments",
          {{"contextid", ctx},
           {"commentarea", area},
           {"itemid", item},
           {"content", "hi"},
           {"userid", user.at("s1")},
           {"timecreated", start}},
          "comment." + area);
    };
    comment(c.ctx, "page_comments", 0);
    comment(blockctx, "page_comments", 0);
    comment(c.ids["assign.ctx"], "submission_comments", 1);
    Add(c, "tag_instance",
        {{"tagid", 1},
         {"component", "mod_forum"},
         {"itemtype", "forum_posts"},
         {"itemid", 1},
         {"contextid", c.ids["forum.ctx"]}});
    Add(c, "tag_instance",
        {{"tagid", 1},
         {"component", "core"},
         {"itemtype", "course"},
         {"itemid", c.id},
         {"contextid", c.ctx}});
    for (const char* u : {"teacher", "s1", "s2"}) {
      Add(c, "user_lastaccess",
          {{"userid", user.at(u)}, {"courseid", c.id}, {"timeaccess", start}});
    }

    // Gradebook.
    int64_t root = Add(c, "grade_categories",
                       {{"courseid", c.id},
                        {"depth", 1},
                        {"fullname", "?"},
                        {"timecreated", start},
                        {"timemodified", start}},
                       "gc.root");
    db->Execute("UPDATE {grade_categories} SET path = ? WHERE id = ?",
                "/" + std::to_string(root) + "/", root);
    int64_t sub = Add(c, "grade_categories",
                      {{"courseid", c.id},
                       {"parent", root},
                       {"depth", 2},
                       {"fullname", "Sub"},
                       {"path", "/" + std::to_string(root) + "/x/"},
                       {"timecreated", start},
                       {"timemodified", start}},
                      "gc.sub");
    int64_t course_item =
        Add(c, "grade_items", {{"courseid", c.id}, {"itemtype", "course"}, {"iteminstance", root}},
            "gi.course");
    Add(c, "grade_items",
        {{"courseid", c.id}, {"categoryid", root}, {"itemtype", "category"}, {"iteminstance", sub}},
        "gi.category");
    int64_t manual_item =
        Add(c, "grade_items",
            {{"courseid", c.id}, {"categoryid", sub}, {"itemtype", "manual"}, {"itemname", "Oral"}},
            "gi.manual");
    Grade(c, course_item, "s1", 50);
    Grade(c, manual_item, "s1", 12);
    Grade(c, manual_item, "multi", 13);
    std::vector<std::pair<std::string, int64_t>> graded = {
        {"forum", forum}, {"assign", assign}, {"quiz", quiz},  {"glossary", glossary},
        {"data", data},   {"lesson", lesson}, {"scorm", scorm}};
    for (const auto& [m, inst] : graded) {
      int64_t item = Add(c, "grade_items",
                         {{"courseid", c.id},
                          {"categoryid", m == "assign" ? sub : root},
                          {"itemtype", "mod"},
                          {"itemmodule", m},
                          {"iteminstance", inst},
                          {"itemnumber", 0}},
                         "gi." + m);
      Grade(c, item, "s1", 70);
    }
    Grade(c, c.ids["gi.assign"], "s2", 60);
    Add(c, "grade_grades_history",
        {{"action", 1}, {"oldid", 1}, {"itemid", manual_item}, {"userid", user.at("s1")}});

    // Completion.
    Add(c, "course_completion_criteria",
        {{"course", c.id}, {"criteriatype", 2}, {"timeend", start + 30 * kDay}});
    Add(c, "course_completions", {{"userid", user.at("s1")}, {"course", c.id}});
    Add(c, "course_completions", {{"userid", user.at("s2")}, {"course", c.id}});
    Add(c, "course_completion_crit_compl",
        {{"userid", user.at("s1")}, {"course", c.id}, {"criteriaid", 1}});
    Add(c, "course_modules_completion",
        {{"coursemoduleid", c.ids["forum.cm"]},
         {"userid", user.at("s1")},
         {"completionstate", 1},
         {"timemodified", start}});
    Add(c, "course_modules_completion",
        {{"coursemoduleid", c.ids["assign.cm"]},
         {"userid", user.at("s2")},
         {"completionstate", 1},
         {"timemodified", start}});

    // Activity user data.
    int64_t s1 = user.at("s1"), s2 = user.at("s2");
    int64_t d1 = Add(c, "forum_discussions", {{"course", c.id}, {"forum", forum}, {"userid", s1}});
    int64_t p1 = Add(c, "forum_posts", {{"discussion", d1}, {"parent", 0}, {"userid", s1}});
    Add(c, "forum_posts", {{"discussion", d1}, {"parent", p1}, {"userid", s2}});
    int64_t d2 = Add(c, "forum_discussions", {{"course", c.id}, {"forum", single}, {"userid", s1}},
                     "single.discussion");
    int64_t p3 =
        Add(c, "forum_posts", {{"discussion", d2}, {"parent", 0}, {"userid", s1}}, "single.first");
    Add(c, "forum_posts", {{"discussion", d2}, {"parent", p3}, {"userid", s2}});
    Add(c, "forum_subscriptions", {{"userid", s1}, {"forum", forum}});
    Add(c, "forum_digests", {{"userid", s1}, {"forum", forum}, {"maildigest", 1}});
    Add(c, "forum_track_prefs", {{"userid", s1}, {"forumid", forum}});
    Add(c, "forum_read",
        {{"userid", s1}, {"forumid", forum}, {"discussionid", d1}, {"postid", p1}});

    Add(c, "assign_submission", {{"assignment", assign}, {"userid", s1}, {"status", "submitted"}});
    Add(c, "assign_submission", {{"assignment", assign}, {"userid", s2}, {"status", "draft"}});
    Add(c, "assign_grades", {{"assignment", assign}, {"userid", s1}, {"grade", 70}});
    Add(c, "assign_user_flags", {{"assignment", assign}, {"userid", s1}});
    Add(c, "assign_user_mapping", {{"assignment", assign}, {"userid", s1}});
    Add(c, "assign_overrides",
        {{"assignid", assign}, {"userid", s1}, {"duedate", start + 9 * kDay}},
        "assign.override.user");
    Add(c, "assign_overrides",
        {{"assignid", assign}, {"groupid", g1}, {"duedate", start + 8 * kDay}},
        "assign.override.group");

    Add(c, "quiz_attempts",
        {{"quiz", quiz},
         {"userid", s1},
         {"attempt", 1},
         {"uniqueid", c.id * 1000 + 1},
         {"layout", "1,0"}});
    Add(c, "quiz_grades", {{"quiz", quiz}, {"userid", s1}, {"grade", 7}});
    Add(c, "quiz_overrides", {{"quiz", quiz}, {"userid", s2}, {"timeopen", start + 4 * kDay}},
        "quiz.override.user");
    Add(c, "quiz_overrides", {{"quiz", quiz}, {"groupid", g2}, {"timeclose", start + 6 * kDay}});

    int64_t e1 =
        Add(c, "glossary_entries",
            {{"glossaryid", glossary}, {"userid", s1}, {"concept", "one"}, {"definition", "1"}});
    Add(c, "glossary_entries",
        {{"glossaryid", glossary}, {"userid", s2}, {"concept", "two"}, {"definition", "2"}});
    int64_t gcat = Add(c, "glossary_categories", {{"glossaryid", glossary}, {"name", "Cat"}});
    Add(c, "glossary_entries_categories", {{"categoryid", gcat}, {"entryid", e1}});
    comment(c.ids["glossary.ctx"], "glossary_entry", e1);

    int64_t field = Add(c, "data_fields",
                        {{"dataid", data}, {"type", "text"}, {"name", "F"}, {"description", ""}});
    int64_t rec = Add(c, "data_records", {{"dataid", data}, {"userid", s1}});
    Add(c, "data_content", {{"fieldid", field}, {"recordid", rec}, {"content", "x"}});
    comment(c.ids["data.ctx"], "database_entry", rec);

    int64_t opt = Add(c, "choice_options", {{"choiceid", choice}, {"text", "A"}});
    Add(c, "choice_answers", {{"choiceid", choice}, {"userid", s1}, {"optionid", opt}});

    Add(c, "lesson_attempts", {{"lessonid", lesson}, {"userid", s1}});
    Add(c, "lesson_grades", {{"lessonid", lesson}, {"userid", s1}, {"grade", 80}});
    Add(c, "lesson_timer", {{"lessonid", lesson}, {"userid", s1}});
    Add(c, "lesson_branch", {{"lessonid", lesson}, {"userid", s1}});
    Add(c, "lesson_overrides", {{"lessonid", lesson}, {"userid", s1}, {"deadline", start + kDay}});
    Add(c, "lesson_overrides", {{"lessonid", lesson}, {"groupid", g1}});

    int64_t sco = Add(c, "scorm_scoes", {{"scorm", scorm}, {"launch", "index.html"}});
    int64_t att = Add(c, "scorm_attempt", {{"userid", s1}, {"scormid", scorm}});
    Add(c, "scorm_scoes_value",
        {{"scoid", sco}, {"attemptid", att}, {"elementid", 1}, {"value", "completed"}});

    Add(c, "survey_answers",
        {{"userid", s1}, {"survey", survey}, {"question", 1}, {"answer1", "a"}, {"answer2", "b"}});
    Add(c, "survey_analysis", {{"survey", survey}, {"userid", s1}, {"notes", "n"}});

    Add(c, "chat_messages", {{"chatid", chat}, {"userid", s1}, {"message", "m"}});
    Add(c, "chat_messages_current", {{"chatid", chat}, {"userid", s1}, {"message", "m"}});
    Add(c, "chat_users", {{"chatid", chat}, {"userid", s1}});
    return c;
  }

  int64_t Rows(const std::string& table, const std::string& where = "1=1") {
    return Count(table, where);
  }
};

// ---------------------------------------------------------------------------------------------
// Snapshots: every row of every table, to compare before and after.

using Snapshot = std::map<std::string, std::map<int64_t, std::string>>;

Snapshot Snap(store::Db& db) {
  Snapshot s;
  for (const auto& t : store::Tables()) {
    if (t.name == "tool_sync_runs") continue;
    auto st = db.Prepare("SELECT * FROM {" + t.name + "}");
    auto& rows = s[t.name];
    while (st->Step()) {
      std::string text;
      for (int i = 0; i < st->ColumnCount(); ++i) {
        text += (st->IsNull(i) ? std::string("NULL") : st->Text(i)) + "|";
      }
      rows[st->Int(0)] = text;
    }
  }
  return s;
}

struct Diff {
  std::map<std::string, std::set<int64_t>> removed, changed, added;
  std::set<std::string> Tables(const std::map<std::string, std::set<int64_t>>& m) const {
    std::set<std::string> out;
    for (const auto& [t, ids] : m) {
      if (!ids.empty()) out.insert(t);
    }
    return out;
  }
  size_t Count(const std::map<std::string, std::set<int64_t>>& m, const std::string& t) const {
    auto it = m.find(t);
    return it == m.end() ? 0 : it->second.size();
  }
};

Diff Compare(const Snapshot& before, const Snapshot& after) {
  Diff d;
  for (const auto& [t, rows] : before) {
    const auto& now = after.at(t);
    for (const auto& [id, text] : rows) {
      auto it = now.find(id);
      if (it == now.end()) {
        d.removed[t].insert(id);
      } else if (it->second != text) {
        d.changed[t].insert(id);
      }
    }
    for (const auto& [id, text] : now) {
      if (!rows.count(id)) d.added[t].insert(id);
    }
  }
  return d;
}

using Tables = std::set<std::string>;

// Every removed or changed row belongs to `course`; the tables touched are exactly the expected.
void ExpectOnly(const ResetSite& site, const Diff& d, int64_t course, const Tables& removed,
                const Tables& changed = {}, const Tables& added = {}) {
  for (const auto* m : {&d.removed, &d.changed}) {
    for (const auto& [t, ids] : *m) {
      for (int64_t id : ids) {
        auto it = site.owner.find({t, id});
        int64_t own = it == site.owner.end() ? 0 : it->second;
        EXPECT_EQ(own, course) << "row " << t << " " << id << " of course " << own
                               << (m == &d.removed ? " removed" : " changed");
      }
    }
  }
  EXPECT_EQ(d.Tables(d.removed), removed);
  EXPECT_EQ(d.Tables(d.changed), changed);
  EXPECT_EQ(d.Tables(d.added), added);
}

int64_t OwnerOf(const ResetSite& site, const std::string& table, int64_t id) {
  auto it = site.owner.find({table, id});
  return it == site.owner.end() ? 0 : it->second;
}

// Rows of `table` belonging to `course` in the fixture that are still present.
int64_t Left(ResetSite& site, int64_t course, const std::string& table) {
  int64_t n = 0;
  for (const auto& [key, own] : site.owner) {
    if (key.first != table || own != course) continue;
    n += site.Count(table, "id = " + std::to_string(key.second));
  }
  return n;
}

sync::RunReport RunFile(ResetSite& site, const std::string& content, bool simulate = false,
                        std::optional<std::string> identifier = std::nullopt) {
  auto p = site.WriteFile("resetcourses.csv", content);
  sync::TaskOptions o;
  o.file = p.string();
  o.simulate = simulate;
  o.identifier = identifier;
  return sync::RunReset(*site.db, *site.area, o);
}

int64_t Area(const sync::LineResult& l, const std::string& area) {
  if (!l.details.contains("areas") || !l.details["areas"].contains(area)) return -1;
  return l.details["areas"][area].get<int64_t>();
}

// ---------------------------------------------------------------------------------------------
// One option at a time.

struct OptionCase {
  OptionCase(std::string c, std::string v, Tables r, Tables ch = {}, Tables a = {})
      : column(std::move(c)),
        value(std::move(v)),
        removed(std::move(r)),
        changed(std::move(ch)),
        added(std::move(a)) {}
  std::string column, value;
  Tables removed, changed, added;
};

void PrintTo(const OptionCase& c, std::ostream* os) { *os << c.column << "=" << c.value; }

class ResetOptionTest : public ::testing::TestWithParam<OptionCase> {};

TEST_P(ResetOptionTest, RemovesItsDataFromTheTargetCourseOnly) {
  const OptionCase& c = GetParam();
  ResetSite site;
  Snapshot before = Snap(*site.db);
  auto r = RunFile(site, "shortname;" + c.column + "\nCOURSE-A;" + c.value + "\n");
  ASSERT_EQ(r.lines.size(), 1u);
  const auto& line = r.lines[0];
  EXPECT_EQ(line.status, sync::Status::kReset) << line.message;
  Diff d = Compare(before, Snap(*site.db));
  ExpectOnly(site, d, site.a.id, c.removed, c.changed, c.added);
  // The report counts exactly what went.
  size_t removed = 0;
  for (const auto& [t, ids] : d.removed) removed += ids.size();
  EXPECT_EQ(line.details.at("removed").get<int64_t>(), static_cast<int64_t>(removed));
  for (const auto& [t, ids] : d.removed) {
    EXPECT_EQ(line.details.at("tables").value("mdl_" + t, int64_t{-1}),
              static_cast<int64_t>(ids.size()))
        << t;
  }
}

const Tables kHist = {"grade_grades_history"};

INSTANTIATE_TEST_SUITE_P(
    Core, ResetOptionTest,
    ::testing::Values(
        OptionCase{"events", "yes", {"event"}},
        OptionCase{"logs", "yes", {"logstore_standard_log"}}, OptionCase{"notes", "yes", {"post"}},
        OptionCase{"comments", "yes", {"comments"}},
        OptionCase{
            "completion",
            "yes",
            {"course_modules_completion", "course_completions", "course_completion_crit_compl"}},
        OptionCase{"blog_associations", "yes", {"blog_association"}},
        OptionCase{"grades", "grades", {"grade_grades"}, {}, kHist},
        OptionCase{"grades",
                   "items",
                   {"grade_grades", "grade_items", "grade_categories"},
                   {"grade_items"},
                   {"grade_grades_history", "grade_items_history"}},
        OptionCase{"local_roles", "roles", {"role_assignments"}},
        OptionCase{"local_roles", "overrides", {"role_capabilities"}},
        OptionCase{"groups", "members", {"groups_members"}},
        OptionCase{"groups", "groups", {"groups", "groups_members", "groupings_groups", "event"}},
        OptionCase{"groupings", "members", {"groupings_groups"}},
        OptionCase{"groupings",
                   "groupings",
                   {"groupings", "groupings_groups"},
                   {"course", "course_modules"}},
        OptionCase{"roles",
                   "student",
                   {"user_enrolments", "role_assignments", "groups_members", "user_lastaccess",
                    "grade_grades"},
                   {},
                   kHist}),
    [](const auto& info) { return info.param.column + "_" + info.param.value; });

INSTANTIATE_TEST_SUITE_P(
    Modules, ResetOptionTest,
    ::testing::Values(
        OptionCase{"forum_all",
                   "yes",
                   {"forum_read", "forum_track_prefs", "forum_posts", "forum_discussions",
                    "tag_instance", "grade_grades"},
                   {},
                   kHist},
        OptionCase{"forum_digests", "yes", {"forum_digests"}},
        OptionCase{"forum_subscriptions", "yes", {"forum_subscriptions"}},
        OptionCase{"forum_track_prefs", "yes", {"forum_track_prefs"}},
        OptionCase{"forum_ratings", "yes", {"grade_grades"}, {}, kHist},
        OptionCase{"forum_tags", "yes", {"tag_instance"}},
        OptionCase{
            "assign_submissions", "yes", {"assign_submission", "assign_user_flags"}, {"assign"}},
        OptionCase{"assign_user_overrides", "yes", {"assign_overrides"}},
        OptionCase{"assign_group_overrides", "yes", {"assign_overrides"}},
        OptionCase{
            "quiz_attempts", "yes", {"quiz_attempts", "quiz_grades", "grade_grades"}, {}, kHist},
        OptionCase{"quiz_user_overrides", "yes", {"quiz_overrides"}},
        OptionCase{"quiz_group_overrides", "yes", {"quiz_overrides"}},
        OptionCase{"glossary_all",
                   "yes",
                   {"comments", "glossary_entries_categories", "glossary_entries", "grade_grades"},
                   {},
                   kHist},
        OptionCase{"glossary_ratings", "yes", {"grade_grades"}, {}, kHist},
        OptionCase{"glossary_comments", "yes", {"comments"}},
        OptionCase{
            "data", "yes", {"comments", "data_content", "data_records", "grade_grades"}, {}, kHist},
        OptionCase{"data_ratings", "yes", {"grade_grades"}, {}, kHist},
        OptionCase{"data_comments", "yes", {"comments"}},
        OptionCase{"choice", "yes", {"choice_answers"}},
        OptionCase{
            "lesson",
            "yes",
            {"lesson_timer", "lesson_grades", "lesson_attempts", "lesson_branch", "grade_grades"},
            {},
            kHist},
        OptionCase{"lesson_user_overrides", "yes", {"lesson_overrides"}},
        OptionCase{"lesson_group_overrides", "yes", {"lesson_overrides"}},
        OptionCase{
            "scorm", "yes", {"scorm_scoes_value", "scorm_attempt", "grade_grades"}, {}, kHist},
        OptionCase{"survey_answers", "yes", {"survey_answers", "survey_analysis"}},
        OptionCase{"survey_analysis", "yes", {"survey_analysis"}},
        OptionCase{"chat", "yes", {"chat_messages", "chat_messages_current", "chat_users"}}),
    [](const auto& info) { return info.param.column; });

// Every registered module option has a case above.
TEST(ResetOptionCoverage, EveryModuleOptionIsTested) {
  std::set<std::string> tested;
  std::set<std::string> expected = {"forum_all",
                                    "forum_digests",
                                    "forum_subscriptions",
                                    "forum_track_prefs",
                                    "forum_ratings",
                                    "forum_tags",
                                    "assign_submissions",
                                    "assign_user_overrides",
                                    "assign_group_overrides",
                                    "quiz_attempts",
                                    "quiz_user_overrides",
                                    "quiz_group_overrides",
                                    "glossary_all",
                                    "glossary_ratings",
                                    "glossary_comments",
                                    "data",
                                    "data_ratings",
                                    "data_comments",
                                    "choice",
                                    "lesson",
                                    "lesson_user_overrides",
                                    "lesson_group_overrides",
                                    "scorm",
                                    "survey_answers",
                                    "survey_analysis",
                                    "chat"};
  for (const auto& m : sync::ResetModules()) {
    for (const auto& o : m.options) tested.insert(o.column);
  }
  EXPECT_EQ(tested, expected) << "a module option was added: add its ResetOptionTest case";
}

// ---------------------------------------------------------------------------------------------
// Precise effects.

TEST(ResetTask, EventsRemovedOnlyFromTargetCourse) {
  ResetSite site;
  auto r = RunFile(site, "shortname;events\nCOURSE-A;yes\n");
  EXPECT_EQ(Area(r.lines[0], "events"), 3);
  EXPECT_EQ(site.Rows("event", "courseid = " + std::to_string(site.a.id)), 0);
  EXPECT_EQ(site.Rows("event", "courseid = " + std::to_string(site.b.id)), 3);
}

TEST(ResetTask, UnenrolStudentsMoodleSemantics) {
  ResetSite site;
  Snapshot before = Snap(*site.db);
  auto r = RunFile(site, "shortname;roles\nCOURSE-A;student\n");
  ASSERT_EQ(r.lines[0].status, sync::Status::kReset) << r.lines[0].message;
  auto& A = site.a;
  auto gone = [&](const std::string& name) {
    return site.Rows(name.rfind("ue.", 0) == 0 ? "user_enrolments" : "role_assignments",
                     "id = " + std::to_string(A.ids.at(name))) == 0;
  };
  // Students with only that role are unenrolled, with their roles (also in the activities),
  // group memberships, grades and last access.
  for (const char* u : {"s1", "s2", "s3"}) {
    EXPECT_TRUE(gone(std::string("ue.") + u)) << u;
    EXPECT_TRUE(gone(std::string("ra.") + u + ".student")) << u;
  }
  EXPECT_TRUE(gone("ra.s1.teacher"));  // s1's role in the forum context
  EXPECT_TRUE(gone("ra.s2.teacher"));  // s2's role in the block context
  EXPECT_EQ(site.Rows("groups_members", "userid = " + std::to_string(site.user["s1"]) +
                                            " AND groupid = " + std::to_string(A.ids["g1"])),
            0);
  EXPECT_EQ(site.Rows("user_lastaccess", "courseid = " + std::to_string(A.id) +
                                             " AND userid = " + std::to_string(site.user["s1"])),
            0);
  EXPECT_EQ(site.Rows("grade_grades", "userid = " + std::to_string(site.user["s1"]) +
                                          " AND itemid IN (SELECT id FROM mdl_grade_items WHERE "
                                          "courseid = " +
                                          std::to_string(A.id) + ")"),
            0);
  // Their grades are kept in the history (recoverable), as Moodle's grade_user_unenrol does.
  EXPECT_GT(site.Rows("grade_grades_history", "source = 'userdelete'"), 0);
  // A user with another role only loses the student role.
  EXPECT_FALSE(gone("ue.multi"));
  EXPECT_TRUE(gone("ra.multi.student"));
  EXPECT_FALSE(gone("ra.multi.teacher"));
  // Enrolments that do not allow unenrolment are left: the meta enrolment (active) and the
  // disabled self enrolment; teachers and users without a role are not concerned.
  for (const char* n : {"ue.meta", "ra.meta.student", "ue.selfdis", "ra.selfdis.student",
                        "ue.teacher", "ra.teacher.editingteacher", "ue.norole"}) {
    EXPECT_FALSE(gone(n)) << n;
  }
  EXPECT_EQ(r.lines[0].details["unenrolled"], 3);
  EXPECT_EQ(r.lines[0].details["roles_unassigned"], 1);
  ExpectOnly(
      site, Compare(before, Snap(*site.db)), A.id,
      {"user_enrolments", "role_assignments", "groups_members", "user_lastaccess", "grade_grades"},
      {}, {"grade_grades_history"});
}

TEST(ResetTask, UnenrolSeveralRolesInOrder) {
  ResetSite site;
  auto r = RunFile(site, "shortname;roles\nCOURSE-A;student teacher\n");
  ASSERT_EQ(r.lines[0].status, sync::Status::kReset);
  // multi loses student (still a teacher), then is unenrolled as a teacher.
  EXPECT_EQ(site.Rows("user_enrolments", "id = " + std::to_string(site.a.ids["ue.multi"])), 0);
  EXPECT_EQ(site.Rows("user_enrolments", "id = " + std::to_string(site.a.ids["ue.nonedit"])), 0);
  EXPECT_EQ(site.Rows("user_enrolments", "id = " + std::to_string(site.a.ids["ue.teacher"])), 1);
  EXPECT_EQ(r.lines[0].details["unenrolled"], 5);
}

TEST(ResetTask, RolesAllUnenrolsEveryRoleHolder) {
  ResetSite site;
  auto r = RunFile(site, "shortname;roles\nCOURSE-A;all\n");
  ASSERT_EQ(r.lines[0].status, sync::Status::kReset);
  int64_t manual = site.a.ids["manual"];
  // Only the user enrolled without a role stays in the manual instance.
  EXPECT_EQ(site.Rows("user_enrolments", "enrolid = " + std::to_string(manual)), 1);
  EXPECT_EQ(site.Rows("user_enrolments", "id = " + std::to_string(site.a.ids["ue.norole"])), 1);
  EXPECT_EQ(site.Rows("user_enrolments", "enrolid IN (SELECT id FROM mdl_enrol WHERE courseid = " +
                                             std::to_string(site.b.id) + ")"),
            9);
}

TEST(ResetTask, ForumAllKeepsTheFirstPostOfSingleDiscussionForums) {
  ResetSite site;
  RunFile(site, "shortname;forum_all\nCOURSE-A;yes\n");
  auto& A = site.a;
  EXPECT_EQ(site.Rows("forum_discussions", "course = " + std::to_string(A.id)), 1);
  EXPECT_EQ(site.Rows("forum_discussions", "id = " + std::to_string(A.ids["single.discussion"])),
            1);
  EXPECT_EQ(site.Rows("forum_posts",
                      "discussion IN (SELECT id FROM mdl_forum_discussions WHERE course = " +
                          std::to_string(A.id) + ")"),
            1);
  EXPECT_EQ(site.Rows("forum_posts", "id = " + std::to_string(A.ids["single.first"])), 1);
}

TEST(ResetTask, GradebookItemsKeepCourseTotalAndActivityItems) {
  ResetSite site;
  RunFile(site, "shortname;grades\nCOURSE-A;items\n");
  auto& A = site.a;
  std::string in_a = "courseid = " + std::to_string(A.id);
  EXPECT_EQ(site.Rows("grade_categories", in_a), 1);
  EXPECT_EQ(site.Rows("grade_categories", "id = " + std::to_string(A.ids["gc.root"])), 1);
  EXPECT_EQ(site.Rows("grade_items", in_a + " AND itemtype IN ('manual', 'category')"), 0);
  EXPECT_EQ(site.Rows("grade_items", in_a + " AND itemtype = 'course'"), 1);
  EXPECT_EQ(site.Rows("grade_items", in_a + " AND itemtype = 'mod'"), 7);
  // The assignment item sat in the deleted sub-category: it moved to the course category.
  EXPECT_EQ(
      site.Rows("grade_items", in_a + " AND categoryid = " + std::to_string(A.ids["gc.root"]) +
                                   " AND itemtype = 'mod'"),
      7);
  EXPECT_EQ(
      site.Rows("grade_grades", "itemid IN (SELECT id FROM mdl_grade_items WHERE " + in_a + ")"),
      0);
  EXPECT_EQ(site.Rows("grade_items_history", "source = 'coursedelete'"), 2);
}

TEST(ResetTask, AssignGradesGoOnlyWithTheGradebook) {
  ResetSite site;
  RunFile(site, "shortname;assign_submissions\nCOURSE-A;yes\n");
  std::string in_a = "assignment = " + std::to_string(site.a.ids["assign"]);
  EXPECT_EQ(site.Rows("assign_submission", in_a), 0);
  EXPECT_EQ(site.Rows("assign_grades", in_a), 1);
  RunFile(site, "shortname;assign_submissions;grades\nCOURSE-A;yes;grades\n");
  EXPECT_EQ(site.Rows("assign_grades", in_a), 0);
  EXPECT_EQ(site.Rows("assign_grades", "assignment = " + std::to_string(site.b.ids["assign"])), 1);
}

TEST(ResetTask, ModulesColumnAppliesModuleDefaults) {
  ResetSite site;
  Snapshot before = Snap(*site.db);
  auto r = RunFile(site, "shortname;modules\nCOURSE-A;all\n");
  ASSERT_EQ(r.lines[0].status, sync::Status::kReset) << r.lines[0].message;
  Diff d = Compare(before, Snap(*site.db));
  // Moodle's defaults: glossary entries and database entries are kept (their comments go),
  // subscriptions, digests and tracking preferences are kept.
  EXPECT_EQ(Left(site, site.a.id, "glossary_entries"), 2);
  EXPECT_EQ(Left(site, site.a.id, "data_records"), 1);
  EXPECT_EQ(Left(site, site.a.id, "forum_subscriptions"), 1);
  EXPECT_EQ(Left(site, site.a.id, "forum_digests"), 1);
  EXPECT_EQ(Left(site, site.a.id, "forum_posts"), 1);  // the single forum's first post
  EXPECT_EQ(Left(site, site.a.id, "quiz_attempts"), 0);
  EXPECT_EQ(Left(site, site.a.id, "choice_answers"), 0);
  EXPECT_EQ(Left(site, site.a.id, "chat_messages"), 0);
  ExpectOnly(site, d, site.a.id,
             {"forum_read",
              "forum_track_prefs",
              "forum_posts",
              "forum_discussions",
              "tag_instance",
              "grade_grades",
              "assign_submission",
              "assign_user_flags",
              "assign_overrides",
              "quiz_attempts",
              "quiz_grades",
              "quiz_overrides",
              "comments",
              "choice_answers",
              "lesson_timer",
              "lesson_grades",
              "lesson_attempts",
              "lesson_branch",
              "lesson_overrides",
              "scorm_scoes_value",
              "scorm_attempt",
              "survey_answers",
              "survey_analysis",
              "chat_messages",
              "chat_messages_current",
              "chat_users"},
             {"assign"}, kHist);
}

TEST(ResetTask, ModuleListExclusionsAndOverrides) {
  ResetSite site;
  // Every module but forum and chat; then the quiz column says no, glossary_all says yes.
  auto r = RunFile(site,
                   "shortname;modules;quiz_attempts;glossary_all;forum_all\n"
                   "COURSE-A;all -forum -chat;no;yes;\n");
  ASSERT_EQ(r.lines[0].status, sync::Status::kReset) << r.lines[0].message;
  EXPECT_EQ(Left(site, site.a.id, "forum_posts"), 4);
  EXPECT_EQ(Left(site, site.a.id, "chat_messages"), 1);
  EXPECT_EQ(Left(site, site.a.id, "quiz_attempts"), 1);
  EXPECT_EQ(Left(site, site.a.id, "quiz_overrides"), 0);  // quiz defaults other than attempts
  EXPECT_EQ(Left(site, site.a.id, "glossary_entries"), 0);
  EXPECT_EQ(Left(site, site.a.id, "choice_answers"), 0);
  // A list of names applies those modules only; an installed module without reset is a no-op.
  ResetSite other;
  auto r2 = RunFile(other, "shortname;modules\nCOURSE-A;choice page\n");
  ASSERT_EQ(r2.lines[0].status, sync::Status::kReset) << r2.lines[0].message;
  EXPECT_EQ(Left(other, other.a.id, "choice_answers"), 0);
  EXPECT_EQ(Left(other, other.a.id, "chat_messages"), 1);
}

TEST(ResetTask, StartDateMovesCourseDates) {
  ResetSite site;
  auto& A = site.a;
  const int64_t shift = 30 * kDay;
  Snapshot before = Snap(*site.db);
  auto r = RunFile(site, "shortname;startdate\nCOURSE-A;" + std::to_string(A.start + shift) + "\n");
  ASSERT_EQ(r.lines[0].status, sync::Status::kReset) << r.lines[0].message;
  EXPECT_EQ(r.lines[0].details["startdate"]["timeshift"], shift);
  auto q = [&](const std::string& sql) { return site.db->QueryInt(sql).value_or(-1); };
  std::string id = std::to_string(A.id);
  EXPECT_EQ(q("SELECT startdate FROM mdl_course WHERE id = " + id), A.start + shift);
  EXPECT_EQ(q("SELECT enddate FROM mdl_course WHERE id = " + id), A.start + 90 * kDay + shift);
  EXPECT_EQ(
      q("SELECT timestart FROM mdl_event WHERE id = " + std::to_string(A.ids["event.course"])),
      A.start + kDay + shift);
  EXPECT_EQ(q("SELECT timesort FROM mdl_event WHERE id = " + std::to_string(A.ids["event.due"])),
            A.start + 7 * kDay + shift);
  EXPECT_EQ(q("SELECT completionexpected FROM mdl_course_modules WHERE id = " +
              std::to_string(A.ids["assign.cm"])),
            A.start + 10 * kDay + shift);
  EXPECT_EQ(q("SELECT timeend FROM mdl_course_completion_criteria WHERE course = " + id),
            A.start + 30 * kDay + shift);
  EXPECT_EQ(q("SELECT duedate FROM mdl_assign WHERE course = " + id), A.start + 7 * kDay + shift);
  EXPECT_EQ(q("SELECT cutoffdate FROM mdl_assign WHERE course = " + id), 0);  // 0 stays 0
  EXPECT_EQ(q("SELECT timeopen FROM mdl_quiz WHERE course = " + id), A.start + kDay + shift);
  EXPECT_EQ(q("SELECT timeclose FROM mdl_quiz WHERE course = " + id), 0);
  EXPECT_EQ(q("SELECT chattime FROM mdl_chat WHERE course = " + id), A.start + 3 * kDay + shift);
  EXPECT_EQ(q("SELECT deadline FROM mdl_lesson WHERE course = " + id), A.start + 20 * kDay + shift);
  EXPECT_EQ(q("SELECT duedate FROM mdl_assign_overrides WHERE id = " +
              std::to_string(A.ids["assign.override.user"])),
            A.start + 9 * kDay + shift);
  EXPECT_EQ(q("SELECT timeopen FROM mdl_quiz_overrides WHERE id = " +
              std::to_string(A.ids["quiz.override.user"])),
            A.start + 4 * kDay + shift);
  auto avail = [&](const std::string& table, int64_t rowid) {
    auto st = site.db->Prepare("SELECT availability FROM {" + table + "} WHERE id = ?");
    st->Run(rowid);
    return st->Text(0);
  };
  std::string moved = std::to_string(A.start + 5 * kDay + shift);
  EXPECT_NE(avail("course_modules", A.ids["quiz.cm"]).find("\"t\":" + moved), std::string::npos);
  EXPECT_NE(avail("course_sections", A.ids["section1"]).find("\"t\":" + moved), std::string::npos);
  EXPECT_EQ(avail("course_sections", A.ids["section1"]).rfind("{\"op\":\"&\",\"c\":", 0), 0u)
      << "key order kept";
  // Nothing was deleted, and only the target's rows moved.
  ExpectOnly(site, Compare(before, Snap(*site.db)), A.id, {},
             {"course", "event", "course_modules", "course_sections", "course_completion_criteria",
              "assign", "assign_overrides", "quiz", "quiz_overrides", "chat", "lesson",
              "lesson_overrides", "choice"});
}

TEST(ResetTask, StartDateAsDateAndEarlierKeepsEndDate) {
  ResetSite site;
  auto r = RunFile(site, "shortname;startdate\nCOURSE-A;2023-01-01\n");
  ASSERT_EQ(r.lines[0].status, sync::Status::kReset) << r.lines[0].message;
  int64_t start =
      site.db->QueryInt("SELECT startdate FROM {course} WHERE id = ?", site.a.id).value();
  EXPECT_EQ(start, *sync::ParseDate("2023-01-01"));
  EXPECT_LT(r.lines[0].details["startdate"]["timeshift"].get<int64_t>(), 0);
  // Moodle moves the end date only when the course moves later.
  EXPECT_EQ(site.db->QueryInt("SELECT enddate FROM {course} WHERE id = ?", site.a.id).value(),
            site.a.start + 90 * kDay);
}

// ---------------------------------------------------------------------------------------------
// Files: samples, generator, vocabulary, rejections.

TEST(ResetTask, SpecSampleFile) {
  ResetSite site;
  site.db->Execute("UPDATE {course} SET shortname = 'TESTCOURSE1' WHERE id = ?", site.a.id);
  Snapshot before = Snap(*site.db);
  auto r = RunFile(site,
                   "shortname;events;logs;notes;grades;roles;local_roles;groups;groupings;modules\n"
                   "TESTCOURSE1;all;all;all;none;all;all;groups;all;all\n");
  ASSERT_EQ(r.lines.size(), 1u);
  const auto& l = r.lines[0];
  ASSERT_EQ(l.status, sync::Status::kReset) << l.message;
  // all/none read as yes/no everywhere: events, logs and notes are reset; grades are not.
  EXPECT_EQ(Area(l, "events"), 3);
  EXPECT_EQ(Area(l, "logs"), 3);
  EXPECT_EQ(Area(l, "notes"), 2);
  EXPECT_EQ(Area(l, "grades"), -1);
  // Absent columns are not reset (the original reset completion, blog associations, comments).
  EXPECT_EQ(Area(l, "completion"), -1);
  EXPECT_EQ(Left(site, site.a.id, "course_completions"), 2);
  EXPECT_EQ(Left(site, site.a.id, "blog_association"), 2);
  // Page comments stay; glossary and database comments went with modules=all (their defaults).
  EXPECT_EQ(Left(site, site.a.id, "comments"), 3);
  EXPECT_EQ(Left(site, site.a.id, "groups"), 0);
  EXPECT_EQ(Left(site, site.a.id, "groupings"), 0);
  EXPECT_GT(Area(l, "forum_all"), 0);  // the modules column is used
  Diff d = Compare(before, Snap(*site.db));
  for (const auto* m : {&d.removed, &d.changed}) {
    for (const auto& [t, ids] : *m) {
      for (int64_t id : ids) EXPECT_EQ(OwnerOf(site, t, id), site.a.id) << t << " " << id;
    }
  }
}

TEST(ResetTask, GeneratorDefaultRowIsAccepted) {
  for (const std::string ident : {"shortname", "idnumber", "id"}) {
    ResetSite site;
    sync::Settings(*site.db).Set("courses_fileresetidentifier", ident);
    std::string value = ident == "shortname"  ? site.a.shortname
                        : ident == "idnumber" ? "ID-" + site.a.shortname
                                              : std::to_string(site.a.id);
    auto header = sync::DefaultResetHeader(ident);
    auto values = sync::DefaultResetValues();
    ASSERT_EQ(header.size(), values.size() + 1);
    std::string file = header[0], row = value;
    for (size_t i = 1; i < header.size(); ++i) file += ";" + header[i];
    for (const auto& v : values) row += ";" + v;
    Snapshot before = Snap(*site.db);
    auto r = RunFile(site, file + "\n" + row);  // no final newline, as the original generator
    ASSERT_EQ(r.lines.size(), 1u) << ident;
    ASSERT_EQ(r.lines[0].status, sync::Status::kReset) << ident << ": " << r.lines[0].message;
    EXPECT_EQ(r.lines[0].id, site.a.id);
    Diff d = Compare(before, Snap(*site.db));
    for (const auto* m : {&d.removed, &d.changed}) {
      for (const auto& [t, ids] : *m) {
        for (int64_t id : ids) EXPECT_EQ(OwnerOf(site, t, id), site.a.id) << t << " " << id;
      }
    }
    // Students, teachers and guests are unenrolled, the editing teacher stays.
    EXPECT_EQ(site.Rows("user_enrolments", "id = " + std::to_string(site.a.ids["ue.teacher"])), 1);
    EXPECT_EQ(site.Rows("user_enrolments", "id = " + std::to_string(site.a.ids["ue.s1"])), 0);
  }
}

TEST(ResetTask, HandWrittenFileWithLooseHeaderAndValues) {
  ResetSite site;
  auto r = RunFile(site,
                   "# reset for next term\n"
                   " ShortName ; Events ;NOTES; Forum_All ;Grades\n"
                   "COURSE-A; Yes ;TRUE;1; Grades \n"
                   "COURSE-B;no;0;;none\n");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].line, 3);
  EXPECT_EQ(r.lines[1].line, 4);  // line numbers follow the file
  EXPECT_EQ(r.lines[0].status, sync::Status::kReset) << r.lines[0].message;
  EXPECT_EQ(Area(r.lines[0], "events"), 3);
  EXPECT_EQ(Area(r.lines[0], "notes"), 2);
  EXPECT_GT(Area(r.lines[0], "forum_all"), 0);
  EXPECT_GT(Area(r.lines[0], "grades"), 0);
  EXPECT_EQ(r.lines[1].status, sync::Status::kSkipped);
  EXPECT_EQ(site.Rows("event", "courseid = " + std::to_string(site.b.id)), 3);
  EXPECT_EQ(r.ExitCode(), 0);
}

TEST(ResetTask, IdentifierIdnumberNeedsNoShortnameColumn) {
  ResetSite site;
  sync::Settings(*site.db).Set("courses_fileresetidentifier", "idnumber");
  auto r = RunFile(site, "idnumber;events\nID-COURSE-B;yes\n");
  ASSERT_EQ(r.lines[0].status, sync::Status::kReset) << r.lines[0].message;
  EXPECT_EQ(r.lines[0].id, site.b.id);
  EXPECT_EQ(r.ToText().find("Setting default identifier"), std::string::npos);
  EXPECT_EQ(r.ToText().find("<br"), std::string::npos);
  // --identifier overrides the setting; the other identifier columns are accepted, unused.
  auto r2 = RunFile(site, "shortname;idnumber;events\nCOURSE-A;whatever;yes\n", false, "shortname");
  ASSERT_EQ(r2.lines[0].status, sync::Status::kReset) << r2.lines[0].message;
  EXPECT_EQ(r2.lines[0].id, site.a.id);
  EXPECT_FALSE(r2.notes.empty());
}

TEST(ResetTask, AmbiguousIdnumberFailsThatLineOnly) {
  ResetSite site;
  site.db->Execute("UPDATE {course} SET idnumber = 'SAME' WHERE id IN (?, ?)", site.a.id,
                   site.b.id);
  int64_t c3 = site.MakeCourse("COURSE-C", 1720000000).id;
  auto r = RunFile(site, "idnumber;events\nSAME;yes\nID-COURSE-C;yes\n", false, "idnumber");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].status, sync::Status::kFailed);
  EXPECT_EQ(r.lines[1].status, sync::Status::kReset);
  EXPECT_EQ(r.lines[1].id, c3);
  EXPECT_EQ(site.Rows("event", "courseid = " + std::to_string(site.a.id)), 3);
  EXPECT_EQ(r.ExitCode(), 1);
}

TEST(ResetTask, UnknownAndSiteCoursesFailToTheTryback) {
  ResetSite site;
  auto r = RunFile(site, "shortname;events\nNOPE;yes\n;yes\nCOURSE-A;yes\n", false, "shortname");
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[0].status, sync::Status::kFailed);
  EXPECT_NE(r.lines[0].message.find("NOPE"), std::string::npos) << r.lines[0].message;
  EXPECT_EQ(r.lines[1].status, sync::Status::kFailed);
  EXPECT_EQ(r.lines[2].status, sync::Status::kReset);
  ASSERT_TRUE(r.tryback_path.has_value());
  std::ifstream t(site.dir / *r.tryback_path);
  std::stringstream s;
  s << t.rdbuf();
  EXPECT_EQ(s.str(), "shortname;events\nNOPE;yes\n;yes\n");
  EXPECT_TRUE(r.report_path.has_value());  // a report is stored
  EXPECT_EQ(r.ExitCode(), 1);
  // The site course is refused.
  auto r2 = RunFile(site, "id;events\n1;yes\n", false, "id");
  EXPECT_EQ(r2.lines[0].status, sync::Status::kFailed);
  EXPECT_NE(r2.lines[0].message.find("site course"), std::string::npos);
}

TEST(ResetTask, SimulateReportsTheSameCountsAndChangesNothing) {
  ResetSite site;
  std::string file =
      "shortname;roles;local_roles;completion;grades;groups;groupings;blog_associations;events;"
      "logs;notes;comments;modules;startdate\n"
      "COURSE-A;student teacher guest;all;yes;all;all;all;yes;yes;yes;yes;yes;all;2024-09-01\n"
      "COURSE-B;all;all;yes;all;all;all;yes;yes;yes;yes;yes;all;\n";
  std::string dump = site.Dump();
  auto sim = RunFile(site, file, true);
  EXPECT_EQ(site.Dump(), dump);
  ASSERT_EQ(sim.lines.size(), 2u);
  EXPECT_TRUE(sim.simulate);
  auto real = RunFile(site, file, false);
  ASSERT_EQ(real.lines.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(sim.lines[i].status, sync::Status::kReset);
    EXPECT_EQ(sim.lines[i].details["areas"], real.lines[i].details["areas"]) << i;
    EXPECT_EQ(sim.lines[i].details["tables"], real.lines[i].details["tables"]) << i;
  }
  EXPECT_NE(site.Dump(), dump);
}

namespace {
// A trigger that makes deleting the answers of choice `choice` fail: a course's reset then fails
// half-way through.
void BlockDeletionOfChoiceAnswers(store::Db& db, const std::string& choice) {
  if (db.dialect() == store::Dialect::kSqlite) {
    db.Exec(
        "CREATE TRIGGER mdl_no_delete BEFORE DELETE ON mdl_choice_answers WHEN OLD.choiceid = " +
        choice + " BEGIN SELECT RAISE(ABORT, 'boom'); END");
  } else {
    db.Exec(
        "CREATE FUNCTION mdl_no_delete() RETURNS trigger AS $$ BEGIN IF OLD.choiceid = " + choice +
        " THEN RAISE EXCEPTION 'boom'; END IF; RETURN OLD; END $$ LANGUAGE plpgsql; "
        "CREATE TRIGGER mdl_no_delete BEFORE DELETE ON mdl_choice_answers FOR EACH ROW "
        "EXECUTE FUNCTION mdl_no_delete()");
  }
}
}  // namespace

TEST(ResetTask, ACourseIsResetFullyOrNotAtAll) {
  ResetSite site;
  // Make course B's choice answers impossible to delete: its reset fails half-way.
  const std::string choice = std::to_string(site.b.ids["choice"]);
  BlockDeletionOfChoiceAnswers(*site.db, choice);
  Snapshot before = Snap(*site.db);
  auto r = RunFile(site,
                   "shortname;events;logs;roles;modules;grades\n"
                   "COURSE-B;yes;yes;all;all;all\n"
                   "COURSE-A;yes;yes;all;all;all\n");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].status, sync::Status::kFailed);
  EXPECT_NE(r.lines[0].message.find("boom"), std::string::npos) << r.lines[0].message;
  EXPECT_EQ(r.lines[1].status, sync::Status::kReset) << r.lines[1].message;
  Diff d = Compare(before, Snap(*site.db));
  for (const auto* m : {&d.removed, &d.changed}) {
    for (const auto& [t, ids] : *m) {
      for (int64_t id : ids) EXPECT_EQ(OwnerOf(site, t, id), site.a.id) << t << " " << id;
    }
  }
  EXPECT_EQ(site.Rows("event", "courseid = " + std::to_string(site.b.id)), 3);
  EXPECT_EQ(r.ExitCode(), 1);
}

struct RejectCase {
  std::string name, content, expect;
};

class ResetRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(ResetRejectTest, FileRejectedAndNothingChanged) {
  const RejectCase& c = GetParam();
  ResetSite site;
  std::string dump = site.Dump();
  try {
    RunFile(site, c.content);
    ADD_FAILURE() << "not rejected";
  } catch (const sync::Rejected& e) {
    EXPECT_NE(std::string(e.what()).find(c.expect), std::string::npos) << e.what();
  }
  EXPECT_EQ(site.Dump(), dump);
  EXPECT_TRUE(std::filesystem::exists(site.area->files_dir() / "resetcourses.csv"));
}

INSTANTIATE_TEST_SUITE_P(
    Files, ResetRejectTest,
    ::testing::Values(
        RejectCase{"UnknownColumn", "shortname;events;colour\nCOURSE-A;yes;red\n",
                   "column 3: unknown column 'colour'"},
        RejectCase{"DuplicateColumn", "shortname;events;Events\nCOURSE-A;yes;yes\n",
                   "column 3: column 'events' already appears in column 2"},
        RejectCase{"NoIdentifierColumn", "idnumber;events\nX;yes\n", "no 'shortname' column"},
        RejectCase{"NoResetColumn", "shortname\nCOURSE-A\n", "names no reset column"},
        RejectCase{"BadBoolean", "shortname;events\nCOURSE-A;yes\nCOURSE-B;maybe\n",
                   "line 3: column 2 (events): invalid value 'maybe'; accepted: yes, 1"},
        RejectCase{"BadGrades", "shortname;grades\nCOURSE-A;some\n",
                   "column 2 (grades): invalid value 'some'; accepted: all, items, grades"},
        RejectCase{"UnknownRole", "shortname;roles\nCOURSE-A;student wizard\n",
                   "unknown role 'wizard'"},
        RejectCase{"UnknownModule", "shortname;modules\nCOURSE-A;forum teleport\n",
                   "unknown module 'teleport'"},
        RejectCase{"MixedModules", "shortname;modules\nCOURSE-A;forum -quiz\n", "cannot be mixed"},
        RejectCase{"BadStartdate", "shortname;startdate\nCOURSE-A;next monday\n",
                   "(startdate): invalid value 'next monday'"},
        RejectCase{"WrongValueCount", "shortname;events;logs\nCOURSE-A;yes\n",
                   "line 2: 2 values, 3 expected"},
        RejectCase{"ForeignSeparator", "shortname,events\nCOURSE-A,yes\n",
                   "invalid separator detected"},
        RejectCase{"OriginalGeneratorBug",
                   "shortname;roles;local_roles;completion;grades;groups;groupings;"
                   "blog_associations;events;logs;notes;comments;modules;idnumber\n"
                   "COURSE-A;student teacher guest;all;yes;all;all;all;yes;yes;yes;yes;yes;all",
                   "13 values, 14 expected"}),
    [](const auto& info) { return info.param.name; });

TEST(ResetTask, ReportAndArchive) {
  ResetSite site;
  auto r = RunFile(site, "shortname;events;logs\nCOURSE-A;yes;yes\n");
  ASSERT_TRUE(r.report_path.has_value());
  EXPECT_TRUE(std::filesystem::exists(site.dir / *r.report_path));
  EXPECT_FALSE(std::filesystem::exists(site.area->files_dir() / "resetcourses.csv"));  // archived
  EXPECT_FALSE(r.tryback_path.has_value());
  EXPECT_EQ(r.summary["areas"]["logs"], 3);
  EXPECT_EQ(r.summary["courses_reset"], 1);
  std::string text = r.ToText();
  EXPECT_NE(text.find("events 3"), std::string::npos) << text;
  EXPECT_NE(text.find("logs 3"), std::string::npos) << text;
  auto json = r.ToJson();
  EXPECT_EQ(json["lines"][0]["status"], "reset");
  EXPECT_EQ(json["lines"][0]["details"]["tables"]["mdl_event"], 3);
}

TEST(ResetTask, BlogAssociationsWithoutCompletionColumnLeavesCompletion) {
  ResetSite site;
  auto r = RunFile(site, "shortname;blog_associations\nCOURSE-A;yes\n");
  EXPECT_EQ(Area(r.lines[0], "blog_associations"), 2);
  EXPECT_EQ(Left(site, site.a.id, "course_completions"), 2);
  EXPECT_EQ(Left(site, site.a.id, "course_modules_completion"), 2);
}

// ---------------------------------------------------------------------------------------------
// On a demo site.

// Rows of each course-scoped table per course (the course found through each table's link).
std::map<int64_t, std::map<std::string, int64_t>> PerCourse(store::Db& db) {
  const std::vector<std::pair<std::string, std::string>> q = {
      {"event", "SELECT courseid, COUNT(*) FROM {event} GROUP BY courseid"},
      {"log", "SELECT courseid, COUNT(*) FROM {logstore_standard_log} GROUP BY courseid"},
      {"notes", "SELECT courseid, COUNT(*) FROM {post} WHERE module = 'notes' GROUP BY courseid"},
      {"ue",
       "SELECT e.courseid, COUNT(*) FROM {user_enrolments} ue JOIN {enrol} e ON e.id = "
       "ue.enrolid GROUP BY e.courseid"},
      {"ra",
       "SELECT c.instanceid, COUNT(*) FROM {role_assignments} ra JOIN {context} c ON c.id = "
       "ra.contextid AND c.contextlevel = 50 GROUP BY c.instanceid"},
      {"gm",
       "SELECT g.courseid, COUNT(*) FROM {groups_members} gm JOIN {groups} g ON g.id = "
       "gm.groupid GROUP BY g.courseid"},
      {"groups", "SELECT courseid, COUNT(*) FROM {groups} GROUP BY courseid"},
      {"groupings", "SELECT courseid, COUNT(*) FROM {groupings} GROUP BY courseid"},
      {"grades",
       "SELECT gi.courseid, COUNT(*) FROM {grade_grades} gg JOIN {grade_items} gi ON "
       "gi.id = gg.itemid GROUP BY gi.courseid"},
      {"items", "SELECT courseid, COUNT(*) FROM {grade_items} GROUP BY courseid"},
      // Items filed under a category of another course (the batch once moved every activity
      // item of a batch under the course category of its first course).
      {"items_elsewhere",
       "SELECT gi.courseid, COUNT(*) FROM {grade_items} gi JOIN {grade_categories} gc ON "
       "gc.id = gi.categoryid WHERE gc.courseid <> gi.courseid GROUP BY gi.courseid"},
      {"completion", "SELECT course, COUNT(*) FROM {course_completions} GROUP BY course"},
      {"cmc",
       "SELECT cm.course, COUNT(*) FROM {course_modules_completion} x JOIN "
       "{course_modules} cm ON cm.id = x.coursemoduleid GROUP BY cm.course"},
      {"posts",
       "SELECT d.course, COUNT(*) FROM {forum_posts} p JOIN {forum_discussions} d ON "
       "d.id = p.discussion GROUP BY d.course"},
      {"submissions",
       "SELECT a.course, COUNT(*) FROM {assign_submission} s JOIN {assign} a ON "
       "a.id = s.assignment GROUP BY a.course"},
      {"attempts",
       "SELECT q.course, COUNT(*) FROM {quiz_attempts} x JOIN {quiz} q ON q.id = "
       "x.quiz GROUP BY q.course"},
      {"choice",
       "SELECT c.course, COUNT(*) FROM {choice_answers} x JOIN {choice} c ON c.id = "
       "x.choiceid GROUP BY c.course"},
      {"chat",
       "SELECT c.course, COUNT(*) FROM {chat_messages} x JOIN {chat} c ON c.id = x.chatid "
       "GROUP BY c.course"},
      {"comments",
       "SELECT c.instanceid, COUNT(*) FROM {comments} x JOIN {context} c ON c.id = "
       "x.contextid AND c.contextlevel = 50 GROUP BY c.instanceid"},
  };
  std::map<int64_t, std::map<std::string, int64_t>> out;
  for (const auto& [name, sql] : q) {
    auto st = db.Prepare(sql);
    while (st->Step()) out[st->IsNull(0) ? 0 : st->Int(0)][name] = st->Int(1);
  }
  return out;
}

int64_t TotalRows(store::Db& db, const std::set<std::string>& skip) {
  int64_t n = 0;
  for (const auto& t : store::Tables()) {
    if (skip.count(t.name)) continue;
    n += db.QueryInt("SELECT COUNT(*) FROM {" + t.name + "}").value_or(0);
  }
  return n;
}

TEST(ResetDemo, AllAreasOnADemoSite) {
  TempSite site;
  sync::DemoOptions o;
  o.courses = 6;
  o.users = 60;
  o.seed = 7;
  sync::RunDemo(*site.db, o);
  auto st = site.db->Prepare("SELECT id, shortname FROM {course} WHERE id <> 1 ORDER BY id");
  std::vector<std::pair<int64_t, std::string>> courses;
  while (st->Step()) courses.emplace_back(st->Int(0), st->Text(1));
  ASSERT_EQ(courses.size(), 6u);
  auto before = PerCourse(*site.db);
  const std::set<std::string> history = {"grade_grades_history", "grade_items_history",
                                         "tool_sync_runs"};
  int64_t rows_before = TotalRows(*site.db, history);
  auto header = sync::DefaultResetHeader("shortname");
  std::string file;
  for (size_t i = 0; i < header.size(); ++i) file += (i ? ";" : "") + header[i];
  file += ";startdate\n" + courses[2].second;
  for (const auto& v : sync::DefaultResetValues()) file += ";" + v;
  file += ";2030-09-01\n";
  auto p = site.WriteFile("resetcourses.csv", file);
  sync::TaskOptions opt;
  opt.file = p.string();
  auto r = sync::RunReset(*site.db, *site.area, opt);
  ASSERT_EQ(r.lines.size(), 1u);
  ASSERT_EQ(r.lines[0].status, sync::Status::kReset) << r.lines[0].message;
  auto after = PerCourse(*site.db);
  const int64_t target = courses[2].first;
  for (const auto& [course, counts] : before) {
    if (course == target) continue;
    EXPECT_EQ(after[course], counts) << "course " << course << " changed";
  }
  for (const char* area :
       {"event", "log", "notes", "gm", "groups", "groupings", "grades", "completion", "cmc",
        "submissions", "attempts", "choice", "chat", "comments"}) {
    EXPECT_EQ(after[target][area], 0) << area;
    EXPECT_GT(before[target][area], 0) << area << ": the demo should hold some";
  }
  EXPECT_LT(after[target]["ue"], before[target]["ue"]);  // students gone, editing teacher stays
  EXPECT_GT(after[target]["ue"], 0);
  // The report counts exactly the rows that went.
  EXPECT_EQ(rows_before - TotalRows(*site.db, history),
            r.lines[0].details["removed"].get<int64_t>());
}

}  // namespace cs::testing

namespace cs::testing {

// The batched path (courses sharing a request reset together, CourseResetter::ResetBatch) against
// the per-course one: two identical demo sites, one running a file whose lines alternate two
// requests (two batches), the other running each line alone (one course per run: the per-course
// path). Same report line by line, same rows left in every course, and the courses the file does
// not name are untouched.
TEST(ResetBatch, MixedRequestsMatchThePerCoursePathAndLeaveOtherCoursesAlone) {
  auto demo_site = [] {
    auto site = std::make_unique<TempSite>();
    sync::DemoOptions o;
    o.courses = 8;
    o.users = 60;
    o.seed = 5;
    sync::RunDemo(*site->db, o);
    return site;
  };
  auto batched = demo_site();
  auto single = demo_site();
  auto st = batched->db->Prepare("SELECT shortname FROM {course} WHERE id <> 1 ORDER BY id");
  std::vector<std::string> names;
  while (st->Step()) names.push_back(st->Text(0));
  ASSERT_EQ(names.size(), 8u);
  const std::string header =
      "shortname;roles;local_roles;completion;grades;groups;groupings;blog_associations;events;"
      "logs;notes;comments;modules\n";
  const std::string all = ";student teacher guest;all;yes;all;all;all;yes;yes;yes;yes;yes;all\n";
  const std::string some = ";student;no;no;grades;members;no;no;yes;no;no;no;forum quiz\n";
  std::vector<std::string> lines;
  for (size_t i = 0; i < 6; ++i) lines.push_back(names[i] + (i % 2 ? some : all));
  lines.insert(lines.begin() + 3, "NO-SUCH-COURSE" + all);
  std::string file = header;
  for (const auto& l : lines) file += l;

  auto before = PerCourse(*batched->db);
  auto run = [](TempSite& site, const std::string& content) {
    auto p = site.WriteFile("resetcourses.csv", content);
    sync::TaskOptions o;
    o.file = p.string();
    return sync::RunReset(*site.db, *site.area, o);
  };
  auto r = run(*batched, file);
  ASSERT_EQ(r.lines.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    auto one = run(*single, header + lines[i]);
    ASSERT_EQ(one.lines.size(), 1u);
    const auto& a = r.lines[i];
    const auto& b = one.lines[0];
    EXPECT_EQ(a.line, static_cast<int64_t>(i) + 2);
    EXPECT_EQ(a.status, b.status) << i;
    EXPECT_EQ(a.message, b.message) << i;
    EXPECT_EQ(a.details, b.details) << i;
    if (i != 3) {
      EXPECT_EQ(a.status, sync::Status::kReset) << a.message;
    }
  }
  EXPECT_EQ(r.lines[3].status, sync::Status::kFailed);
  auto after = PerCourse(*batched->db);
  EXPECT_EQ(after, PerCourse(*single->db));
  // Courses 7 and 8 are not in the file.
  auto id_of = [&](const std::string& name) {
    return batched->db->QueryInt("SELECT id FROM {course} WHERE shortname = ?", name).value();
  };
  for (size_t i = 6; i < 8; ++i) EXPECT_EQ(after[id_of(names[i])], before[id_of(names[i])]);
  EXPECT_TRUE(sync::CheckIntegrity(*batched->db).empty());
}

// A course failing inside a batch: the batch is undone and its courses reset one by one, the
// failing one left exactly as it was, the others reset as if nothing had happened.
TEST(ResetBatch, AFailingCourseInABatchLeavesTheOthersReset) {
  ResetSite site;
  ResetSite reference;
  const std::string choice = std::to_string(site.b.ids["choice"]);
  BlockDeletionOfChoiceAnswers(*site.db, choice);
  const std::string file =
      "shortname;events;logs;roles;modules;grades;groups\n"
      "COURSE-A;yes;yes;all;all;all;all\n"
      "COURSE-B;yes;yes;all;all;all;all\n";
  Snapshot before = Snap(*site.db);
  auto r = RunFile(site, file);
  auto ref = RunFile(reference,
                     "shortname;events;logs;roles;modules;grades;groups\n"
                     "COURSE-A;yes;yes;all;all;all;all\n");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].status, sync::Status::kReset) << r.lines[0].message;
  EXPECT_EQ(r.lines[0].details, ref.lines[0].details);
  EXPECT_EQ(r.lines[1].status, sync::Status::kFailed);
  EXPECT_NE(r.lines[1].message.find("boom"), std::string::npos) << r.lines[1].message;
  Diff d = Compare(before, Snap(*site.db));
  for (const auto* m : {&d.removed, &d.changed}) {
    for (const auto& [t, ids] : *m) {
      for (int64_t id : ids) EXPECT_EQ(OwnerOf(site, t, id), site.a.id) << t << " " << id;
    }
  }
  EXPECT_EQ(r.summary["courses_reset"], 1);
}

// The engine directly: a batch gives each course the result Reset() gives it.
TEST(ResetBatch, EngineBatchEqualsPerCourseResults) {
  ResetSite batched, single;
  sync::ResetRequest req;
  req.core = {"events",
              "logs",
              "completion",
              "grades_items",
              "grades_grades",
              "groups_members",
              "groups_groups",
              "groupings_members",
              "groupings_groupings",
              "local_roles_roles",
              "local_roles_overrides",
              "comments",
              "notes",
              "blog_associations"};
  req.unenrol_roleids = {batched.role["student"], batched.role["teacher"]};
  for (const auto& m : sync::ResetModules()) {
    for (const auto& o : m.options) req.module_options.insert(o.column);
  }
  std::vector<sync::ResetResult> many;
  {
    store::Transaction tx(*batched.db);
    sync::CourseResetter engine(*batched.db, 1700000000);
    many = engine.ResetBatch({batched.b.id, batched.a.id}, req);
    tx.Commit();
  }
  std::vector<sync::ResetResult> one;
  {
    store::Transaction tx(*single.db);
    sync::CourseResetter engine(*single.db, 1700000000);
    one.push_back(engine.Reset(single.b.id, req));
    one.push_back(engine.Reset(single.a.id, req));
    tx.Commit();
  }
  ASSERT_EQ(many.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(many[i].areas, one[i].areas) << i;
    EXPECT_EQ(many[i].tables, one[i].tables) << i;
    EXPECT_EQ(many[i].modules, one[i].modules) << i;
    EXPECT_EQ(many[i].unenrolled, one[i].unenrolled) << i;
    EXPECT_EQ(many[i].roles_unassigned, one[i].roles_unassigned) << i;
    EXPECT_GT(many[i].removed(), 0) << i;
  }
  EXPECT_EQ(PerCourse(*batched.db), PerCourse(*single.db));
}

}  // namespace cs::testing
