// Tests of CourseDeleter: deleting a course leaves no orphan row anywhere, and touches nothing
// else.
#include "sync/course_delete.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "store/schema.h"
#include "sync/contexts.h"
#include "sync/test_support.h"

namespace cs::sync {
namespace {

using cs::testing::TempSite;
using Value = std::variant<int64_t, std::string>;

// Tables that hold no course-scoped row: site configuration, the category tree, users, roles,
// tags, module types, the tool's run history. Every other table of the schema must get rows for
// each fixture course below, so that a table added to the schema without a deletion rule (or a
// fixture row) fails CoversEveryTableOfTheSchema.
const std::set<std::string> kSiteTables = {
    "config", "config_plugins",      "cache_flags", "course_categories", "modules",         "user",
    "role",   "role_context_levels", "tag",         "tool_sync_runs",    "tool_sync_tokens"};

// Rows inserted directly, each remembered under its owner ("A", "B" or "site") and table.
class Fixture {
 public:
  explicit Fixture(store::Db& db) : db_(db), contexts_(db) {}

  // Inserts one row; NOT NULL columns without default not given get 0 / ''.
  int64_t Add(const std::string& owner, const std::string& table,
              std::map<std::string, Value> values) {
    const store::TableDef* def = store::FindTable(table);
    if (!def) throw std::runtime_error("no table " + table);
    for (const auto& c : def->columns) {
      if (c.sequence || values.count(c.name) || !c.notnull || c.default_value) continue;
      bool text = c.type == store::ColumnType::kChar || c.type == store::ColumnType::kText;
      values[c.name] = text ? Value(std::string()) : Value(int64_t{0});
    }
    std::string cols, marks;
    for (const auto& [name, v] : values) {
      cols += (cols.empty() ? "" : ", ") + name;
      marks += marks.empty() ? "?" : ", ?";
    }
    auto st = db_.Prepare("INSERT INTO {" + table + "} (" + cols + ") VALUES (" + marks +
                          ") RETURNING id");
    int i = 0;
    for (const auto& [name, v] : values) {
      ++i;
      if (std::holds_alternative<int64_t>(v)) {
        st->BindInt(i, std::get<int64_t>(v));
      } else {
        st->BindText(i, std::get<std::string>(v));
      }
    }
    if (!st->Step()) throw std::runtime_error("insert into " + table + " returned no id");
    int64_t id = st->Int(0);
    st->Reset();
    owned_[owner][table].push_back(id);
    return id;
  }

  ContextRef Context(const std::string& owner, int level, int64_t instance,
                     const ContextRef& parent) {
    ContextRef ref = contexts_.Create(level, instance, parent);
    owned_[owner]["context"].push_back(ref.id);
    return ref;
  }

  struct Course {
    int64_t id;
    ContextRef ctx;
    int64_t user;   // a student enrolled manually
    int64_t group;  // one of its groups
  };

  // A course with a row in every course-scoped table of the schema.
  Course Populate(const std::string& o, const std::string& shortname, int64_t user) {
    const int64_t now = 1700000000;
    Course c;
    c.user = user;
    c.id = Add(o, "course",
               {{"category", int64_t{1}},
                {"shortname", shortname},
                {"fullname", "Course " + shortname},
                {"idnumber", shortname}});
    auto cat_ctx = contexts_.Find(kContextCoursecat, 1);
    c.ctx = Context(o, kContextCourse, c.id, *cat_ctx);
    int64_t sec = Add(o, "course_sections", {{"course", c.id}, {"section", int64_t{0}}});
    Add(o, "course_sections", {{"course", c.id}, {"section", int64_t{1}}});
    Add(o, "course_format_options",
        {{"courseid", c.id}, {"format", "topics"}, {"name", "hiddensections"}});

    // Enrolment, roles, groups.
    int64_t manual = Add(o, "enrol", {{"enrol", "manual"}, {"courseid", c.id}});
    Add(o, "user_enrolments", {{"enrolid", manual}, {"userid", user}});
    Add(o, "role_assignments", {{"roleid", int64_t{5}}, {"contextid", c.ctx.id}, {"userid", user}});
    Add(o, "role_capabilities",
        {{"roleid", int64_t{5}},
         {"contextid", c.ctx.id},
         {"capability", "moodle/course:view"},
         {"permission", int64_t{1}}});
    Add(o, "role_names", {{"roleid", int64_t{5}}, {"contextid", c.ctx.id}, {"name", "Learner"}});
    c.group = Add(o, "groups", {{"courseid", c.id}, {"name", "G1"}});
    int64_t grouping = Add(o, "groupings", {{"courseid", c.id}, {"name", "GG1"}});
    Add(o, "groups_members", {{"groupid", c.group}, {"userid", user}});
    Add(o, "groupings_groups", {{"groupingid", grouping}, {"groupid", c.group}});

    // Calendar, logs, notes, comments, blog, tags, files, blocks, last access.
    Add(o, "event", {{"name", "Ev"}, {"description", ""}, {"courseid", c.id}});
    Add(o, "logstore_standard_log",
        {{"eventname", "\\core\\event\\course_viewed"},
         {"contextid", c.ctx.id},
         {"contextlevel", int64_t{kContextCourse}},
         {"contextinstanceid", c.id},
         {"userid", user},
         {"courseid", c.id},
         {"timecreated", now}});
    Add(o, "post",
        {{"module", "notes"},
         {"userid", user},
         {"courseid", c.id},
         {"content", "note"},
         {"publishstate", "public"}});
    Add(o, "comments",
        {{"contextid", c.ctx.id},
         {"commentarea", "page_comments"},
         {"content", "hi"},
         {"userid", user},
         {"timecreated", now}});
    int64_t blog = Add("site", "post",
                       {{"module", "blog"}, {"userid", user}, {"subject", "Blog of " + shortname}});
    Add(o, "blog_association", {{"contextid", c.ctx.id}, {"blogid", blog}});
    int64_t tag = Add("site", "tag",
                      {{"userid", user},
                       {"tagcollid", int64_t{1}},
                       {"name", "tag-" + shortname},
                       {"rawname", shortname}});
    Add(o, "tag_instance",
        {{"tagid", tag},
         {"component", "core"},
         {"itemtype", "course"},
         {"itemid", c.id},
         {"contextid", c.ctx.id}});
    Add(o, "files",
        {{"contextid", c.ctx.id},
         {"component", "course"},
         {"filearea", "summary"},
         {"pathnamehash", "h" + shortname},
         {"filename", "a.txt"},
         {"timecreated", now},
         {"timemodified", now}});
    int64_t block = Add(o, "block_instances",
                        {{"blockname", "search_forums"},
                         {"parentcontextid", c.ctx.id},
                         {"pagetypepattern", "course-view-*"},
                         {"defaultregion", "side-pre"}});
    ContextRef block_ctx = Context(o, kContextBlock, block, c.ctx);
    Add(o, "role_capabilities",
        {{"roleid", int64_t{5}}, {"contextid", block_ctx.id}, {"capability", "block/x:view"}});
    Add(o, "user_lastaccess", {{"userid", user}, {"courseid", c.id}, {"timeaccess", now}});

    // Gradebook: current rows, history, and the history of an item deleted long ago.
    int64_t gcat =
        Add(o, "grade_categories",
            {{"courseid", c.id}, {"fullname", "?"}, {"timecreated", now}, {"timemodified", now}});
    int64_t item = Add(
        o, "grade_items",
        {{"courseid", c.id}, {"categoryid", gcat}, {"itemtype", "course"}, {"iteminstance", gcat}});
    Add(o, "grade_grades", {{"itemid", item}, {"userid", user}});
    Add(o, "grade_items_history", {{"oldid", item}, {"courseid", c.id}, {"itemtype", "course"}});
    Add(o, "grade_grades_history", {{"oldid", int64_t{1}}, {"itemid", item}, {"userid", user}});
    int64_t gone = 900000 + c.id;
    Add(o, "grade_items_history", {{"oldid", gone}, {"courseid", c.id}, {"itemtype", "manual"}});
    Add(o, "grade_grades_history", {{"oldid", int64_t{2}}, {"itemid", gone}, {"userid", user}});
    Add(o, "grade_letters",
        {{"contextid", c.ctx.id}, {"lowerboundary", int64_t{90}}, {"letter", "A"}});

    // Completion.
    int64_t crit =
        Add(o, "course_completion_criteria", {{"course", c.id}, {"criteriatype", int64_t{1}}});
    Add(o, "course_completion_crit_compl",
        {{"userid", user}, {"course", c.id}, {"criteriaid", crit}});
    Add(o, "course_completion_aggr_methd", {{"course", c.id}, {"criteriatype", int64_t{1}}});
    Add(o, "course_completions", {{"userid", user}, {"course", c.id}});

    // One instance of every activity module with its user data, course module and context.
    auto module = [&](const std::string& name, int64_t instance) {
      int64_t mod = db_.QueryInt("SELECT id FROM {modules} WHERE name = ?", name).value_or(0);
      int64_t cm =
          Add(o, "course_modules",
              {{"course", c.id}, {"module", mod}, {"instance", instance}, {"section", sec}});
      ContextRef mctx = Context(o, kContextModule, cm, c.ctx);
      Add(o, "course_modules_completion",
          {{"coursemoduleid", cm},
           {"userid", user},
           {"completionstate", int64_t{1}},
           {"timemodified", now}});
      Add(o, "role_assignments",
          {{"roleid", int64_t{4}}, {"contextid", mctx.id}, {"userid", user}});
      Add(o, "files",
          {{"contextid", mctx.id},
           {"component", "mod_" + name},
           {"filearea", "intro"},
           {"pathnamehash", "m" + name + shortname},
           {"filename", "b.txt"},
           {"timecreated", now},
           {"timemodified", now}});
      Add(o, "logstore_standard_log",
          {{"eventname", "\\mod_" + name + "\\event\\course_module_viewed"},
           {"contextid", mctx.id},
           {"contextlevel", int64_t{kContextModule}},
           {"contextinstanceid", cm},
           {"userid", user},
           {"timecreated", now}});
      Add(o, "event",
          {{"name", name},
           {"description", ""},
           {"courseid", c.id},
           {"modulename", name},
           {"instance", instance}});
      Add(o, "grade_items",
          {{"courseid", c.id},
           {"categoryid", gcat},
           {"itemtype", "mod"},
           {"itemmodule", name},
           {"iteminstance", instance}});
    };
    int64_t forum = Add(o, "forum", {{"course", c.id}, {"name", "F"}, {"intro", ""}});
    int64_t disc = Add(o, "forum_discussions", {{"course", c.id}, {"forum", forum}, {"name", "D"}});
    int64_t post =
        Add(o, "forum_posts", {{"discussion", disc}, {"userid", user}, {"message", "m"}});
    Add(o, "forum_subscriptions", {{"userid", user}, {"forum", forum}});
    Add(o, "forum_digests", {{"userid", user}, {"forum", forum}});
    Add(o, "forum_track_prefs", {{"userid", user}, {"forumid", forum}});
    Add(o, "forum_read",
        {{"userid", user}, {"forumid", forum}, {"discussionid", disc}, {"postid", post}});
    module("forum", forum);

    int64_t assign = Add(o, "assign", {{"course", c.id}, {"name", "A"}, {"intro", ""}});
    Add(o, "assign_submission", {{"assignment", assign}, {"userid", user}});
    Add(o, "assign_grades", {{"assignment", assign}, {"userid", user}});
    Add(o, "assign_user_flags", {{"assignment", assign}, {"userid", user}});
    Add(o, "assign_user_mapping", {{"assignment", assign}, {"userid", user}});
    Add(o, "assign_overrides", {{"assignid", assign}, {"userid", user}});
    module("assign", assign);

    int64_t quiz = Add(o, "quiz", {{"course", c.id}, {"name", "Q"}, {"intro", ""}});
    Add(o, "quiz_attempts", {{"quiz", quiz}, {"userid", user}, {"uniqueid", c.id}, {"layout", ""}});
    Add(o, "quiz_grades", {{"quiz", quiz}, {"userid", user}});
    Add(o, "quiz_overrides", {{"quiz", quiz}, {"userid", user}});
    module("quiz", quiz);

    int64_t glossary = Add(o, "glossary", {{"course", c.id}, {"name", "G"}, {"intro", ""}});
    int64_t entry = Add(o, "glossary_entries",
                        {{"glossaryid", glossary}, {"userid", user}, {"definition", ""}});
    int64_t gcatg = Add(o, "glossary_categories", {{"glossaryid", glossary}, {"name", "K"}});
    Add(o, "glossary_entries_categories", {{"categoryid", gcatg}, {"entryid", entry}});
    module("glossary", glossary);

    int64_t data = Add(o, "data", {{"course", c.id}, {"name", "Db"}, {"intro", ""}});
    int64_t field = Add(o, "data_fields",
                        {{"dataid", data}, {"type", "text"}, {"name", "f"}, {"description", ""}});
    int64_t record = Add(o, "data_records", {{"dataid", data}, {"userid", user}});
    Add(o, "data_content", {{"fieldid", field}, {"recordid", record}, {"content", "x"}});
    module("data", data);

    int64_t choice = Add(o, "choice", {{"course", c.id}, {"name", "C"}, {"intro", ""}});
    int64_t option = Add(o, "choice_options", {{"choiceid", choice}, {"text", "yes"}});
    Add(o, "choice_answers", {{"choiceid", choice}, {"userid", user}, {"optionid", option}});
    module("choice", choice);

    int64_t lesson = Add(o, "lesson", {{"course", c.id}, {"name", "L"}, {"conditions", ""}});
    Add(o, "lesson_attempts", {{"lessonid", lesson}, {"userid", user}});
    Add(o, "lesson_grades", {{"lessonid", lesson}, {"userid", user}});
    Add(o, "lesson_timer", {{"lessonid", lesson}, {"userid", user}});
    Add(o, "lesson_branch", {{"lessonid", lesson}, {"userid", user}});
    Add(o, "lesson_overrides", {{"lessonid", lesson}, {"userid", user}});
    module("lesson", lesson);

    int64_t scorm = Add(o, "scorm", {{"course", c.id}, {"name", "S"}, {"intro", ""}});
    int64_t sco = Add(o, "scorm_scoes", {{"scorm", scorm}, {"launch", ""}});
    int64_t attempt = Add(o, "scorm_attempt", {{"userid", user}, {"scormid", scorm}});
    Add(o, "scorm_scoes_value",
        {{"scoid", sco}, {"attemptid", attempt}, {"elementid", int64_t{1}}, {"value", "x"}});
    module("scorm", scorm);

    int64_t survey = Add(o, "survey", {{"course", c.id}, {"name", "Sv"}, {"intro", ""}});
    Add(o, "survey_answers",
        {{"survey", survey}, {"userid", user}, {"answer1", ""}, {"answer2", ""}});
    Add(o, "survey_analysis", {{"survey", survey}, {"userid", user}, {"notes", ""}});
    module("survey", survey);

    int64_t chat = Add(o, "chat", {{"course", c.id}, {"name", "Ch"}, {"intro", ""}});
    Add(o, "chat_messages", {{"chatid", chat}, {"userid", user}, {"message", "m"}});
    Add(o, "chat_messages_current", {{"chatid", chat}, {"userid", user}, {"message", "m"}});
    Add(o, "chat_users", {{"chatid", chat}, {"userid", user}, {"course", c.id}});
    module("chat", chat);
    return c;
  }

  // `parent` receives `child`'s participants: the meta instance lives in the parent and belongs
  // to whichever of the two is deleted first, so it is owned by `owner`.
  void MetaLink(const std::string& owner, const Course& parent, const Course& child) {
    int64_t inst =
        Add(owner, "enrol", {{"enrol", "meta"}, {"courseid", parent.id}, {"customint1", child.id}});
    Add(owner, "user_enrolments", {{"enrolid", inst}, {"userid", child.user}});
    Add(owner, "role_assignments",
        {{"roleid", int64_t{5}},
         {"contextid", parent.ctx.id},
         {"userid", child.user},
         {"component", "enrol_meta"},
         {"itemid", inst}});
    Add(owner, "groups_members",
        {{"groupid", parent.group},
         {"userid", child.user},
         {"component", "enrol_meta"},
         {"itemid", inst}});
  }

  // A completion criterion of `course` ("complete course `other` first").
  void CourseCriterion(const std::string& owner, const Course& course, const Course& other) {
    int64_t crit =
        Add(owner, "course_completion_criteria",
            {{"course", course.id}, {"criteriatype", int64_t{8}}, {"courseinstance", other.id}});
    Add(owner, "course_completion_crit_compl",
        {{"userid", course.user}, {"course", course.id}, {"criteriaid", crit}});
  }

  const std::map<std::string, std::vector<int64_t>>& owned(const std::string& owner) {
    return owned_[owner];
  }

 private:
  store::Db& db_;
  Contexts contexts_;
  std::map<std::string, std::map<std::string, std::vector<int64_t>>> owned_;
};

class CourseDeleteTest : public ::testing::Test {
 protected:
  TempSite site;
  Fixture fx{*site.db};

  int64_t User(const std::string& username) {
    return fx.Add("site", "user",
                  {{"username", username},
                   {"mnethostid", int64_t{1}},
                   {"firstname", username},
                   {"lastname", "X"}});
  }

  std::map<std::string, int64_t> Counts() {
    std::map<std::string, int64_t> out;
    for (const auto& t : store::Tables()) out[t.name] = site.Count(t.name);
    return out;
  }

  int64_t CountIds(const std::string& table, const std::vector<int64_t>& ids) {
    std::string list;
    for (int64_t id : ids) list += (list.empty() ? "" : ",") + std::to_string(id);
    return site.Count(table, "id IN (" + list + ")");
  }
};

TEST_F(CourseDeleteTest, CoversEveryTableOfTheSchema) {
  int64_t u = User("u1");
  fx.Populate("A", "A", u);
  for (const auto& t : store::Tables()) {
    if (kSiteTables.count(t.name)) continue;
    EXPECT_TRUE(fx.owned("A").count(t.name))
        << "table " << t.name << " is neither a site table nor filled for a course by the fixture";
  }
}

// How A is deleted in the orphan tests.
enum class Mode { kOne, kMany, kManyRebuilt };

class CourseDeleteModeTest : public CourseDeleteTest, public ::testing::WithParamInterface<Mode> {
 protected:
  std::vector<DeleteCounts> DeleteWith(CourseDeleter& d, const std::vector<int64_t>& ids) {
    if (GetParam() == Mode::kOne) {
      std::vector<DeleteCounts> out;
      for (int64_t id : ids) out.push_back(d.Delete(id));
      return out;
    }
    return d.DeleteMany(ids);
  }
  CourseDeleter::Options Opts() {
    CourseDeleter::Options o;
    // kManyRebuilt: every table losing a row is emptied and rebuilt from its survivors.
    o.rebuild_min_rows = GetParam() == Mode::kManyRebuilt ? 1 : 0;
    return o;
  }
};

TEST_P(CourseDeleteModeTest, LeavesNoOrphanAndTouchesNothingElse) {
  int64_t ua = User("ua"), ub = User("ub");
  Fixture::Course a = fx.Populate("A", "A", ua);
  Fixture::Course b = fx.Populate("B", "B", ub);
  // B is a metacourse of A (A's members flow into B), and B's completion depends on A: these
  // rows live in B but point at A, so they go with A.
  fx.MetaLink("A", b, a);
  fx.CourseCriterion("A", b, a);
  // A is a metacourse of B: the instance lives in A, so it goes with A as well.
  fx.MetaLink("A", a, b);

  auto before = Counts();
  CourseDeleter deleter(*site.db, Opts());
  std::vector<DeleteCounts> counts = DeleteWith(deleter, {a.id});
  auto after = Counts();

  ASSERT_EQ(counts.size(), 1u);
  const DeleteCounts& c = counts[0];
  EXPECT_EQ(c.courses, 1);
  EXPECT_EQ(c.sections, 2);
  EXPECT_EQ(c.modules, 10);
  EXPECT_EQ(c.enrolments, 2);  // the manual one, and B's member brought by A's meta instance
  EXPECT_EQ(c.groups, 1);
  EXPECT_EQ(deleter.totals().modules, 10);
  for (const auto& t : store::Tables()) {
    int64_t of_a = 0;
    auto it = fx.owned("A").find(t.name);
    if (it != fx.owned("A").end()) {
      of_a = static_cast<int64_t>(it->second.size());
      EXPECT_EQ(CountIds(t.name, it->second), 0) << "rows of A left in " << t.name;
    }
    auto itb = fx.owned("B").find(t.name);
    if (itb != fx.owned("B").end()) {
      EXPECT_EQ(CountIds(t.name, itb->second), static_cast<int64_t>(itb->second.size()))
          << "rows of B deleted from " << t.name;
    }
    // Nothing else went: every table lost exactly A's rows.
    EXPECT_EQ(after[t.name], before[t.name] - of_a) << t.name;
  }
  // Course-keyed columns hold no trace of A.
  std::string id = std::to_string(a.id);
  EXPECT_EQ(site.Count("context", "contextlevel=50 AND instanceid=" + id), 0);
  EXPECT_EQ(site.Count("context", "path LIKE '" + a.ctx.path + "/%'"), 0);
  EXPECT_EQ(site.Count("enrol", "customint1=" + id), 0);
  EXPECT_EQ(site.Count("course_completion_criteria", "courseinstance=" + id), 0);
  EXPECT_EQ(site.Count("logstore_standard_log", "courseid=" + id), 0);
  // Users, blog entries and tags stay.
  EXPECT_EQ(site.Count("user", "id=" + std::to_string(ua)), 1);
  EXPECT_EQ(site.Count("post", "module='blog'"), 2);
  // B's rows kept their ids and values (a rebuilt table puts its survivors back as they were).
  EXPECT_EQ(site.db->QueryInt("SELECT id FROM {course} WHERE shortname='B'"), b.id);

  // Deleting B as well leaves only the site's own rows in the course-scoped tables.
  DeleteWith(deleter, {b.id});
  for (const auto& t : store::Tables()) {
    auto itb = fx.owned("B").find(t.name);
    if (itb != fx.owned("B").end()) {
      EXPECT_EQ(CountIds(t.name, itb->second), 0) << t.name;
    }
  }
  EXPECT_EQ(site.Count("course"), 1);
}

TEST_P(CourseDeleteModeTest, SeveralCoursesAtOnceCountEachCourseOnce) {
  Fixture::Course a = fx.Populate("A", "A", User("ua"));
  Fixture::Course b = fx.Populate("B", "B", User("ub"));
  Fixture::Course c = fx.Populate("C", "C", User("uc"));
  fx.MetaLink("A", b, a);
  auto before = Counts();
  CourseDeleter deleter(*site.db, Opts());
  std::vector<DeleteCounts> counts;
  if (GetParam() == Mode::kOne) {
    counts = DeleteWith(deleter, {a.id, b.id, 424242});
    counts.push_back(DeleteCounts{});
  } else {
    counts = deleter.DeleteMany({a.id, b.id, 424242, a.id});
  }
  ASSERT_EQ(counts.size(), 4u);
  EXPECT_EQ(counts[0].courses, 1);
  EXPECT_EQ(counts[0].modules, 10);
  EXPECT_EQ(counts[1].courses, 1);
  // Its manual enrolment, and A's member brought by its meta link to A, unless deleting A one
  // course earlier already removed that link.
  EXPECT_EQ(counts[1].enrolments, GetParam() == Mode::kOne ? 1 : 2);
  EXPECT_EQ(counts[2].courses, 0);  // no such course
  EXPECT_EQ(counts[3].courses, 0);  // A again: counted once
  EXPECT_EQ(deleter.totals().courses, 2);
  auto after = Counts();
  for (const auto& t : store::Tables()) {
    int64_t gone = 0;
    for (const char* o : {"A", "B"}) {
      auto it = fx.owned(o).find(t.name);
      if (it != fx.owned(o).end()) gone += static_cast<int64_t>(it->second.size());
    }
    EXPECT_EQ(after[t.name], before[t.name] - gone) << t.name;
    auto itc = fx.owned("C").find(t.name);
    if (itc != fx.owned("C").end()) {
      EXPECT_EQ(CountIds(t.name, itc->second), static_cast<int64_t>(itc->second.size())) << t.name;
    }
  }
  EXPECT_EQ(site.db->QueryInt("SELECT id FROM {course} WHERE shortname='C'"), c.id);
}

INSTANTIATE_TEST_SUITE_P(Modes, CourseDeleteModeTest,
                         ::testing::Values(Mode::kOne, Mode::kMany, Mode::kManyRebuilt),
                         [](const ::testing::TestParamInfo<Mode>& i) {
                           return i.param == Mode::kOne    ? std::string("Delete")
                                  : i.param == Mode::kMany ? std::string("DeleteMany")
                                                           : std::string("DeleteManyRebuilt");
                         });

TEST_F(CourseDeleteTest, DeleteManyRefusesTheSiteCourseBeforeAnything) {
  int64_t u = User("u");
  Fixture::Course a = fx.Populate("A", "A", u);
  std::string before = site.Dump();
  CourseDeleter deleter(*site.db);
  EXPECT_THROW(deleter.DeleteMany({a.id, 1}), std::invalid_argument);
  EXPECT_EQ(site.Dump(), before);
  EXPECT_TRUE(deleter.DeleteMany({}).empty());
}

TEST_F(CourseDeleteTest, RefusesTheSiteCourse) {
  std::string before = site.Dump();
  CourseDeleter deleter(*site.db);
  EXPECT_THROW(deleter.Delete(1), std::invalid_argument);
  EXPECT_EQ(site.Dump(), before);
}

TEST_F(CourseDeleteTest, UnknownIdDeletesNothing) {
  int64_t u = User("u1");
  fx.Populate("A", "A", u);
  std::string before = site.Dump();
  CourseDeleter deleter(*site.db);
  DeleteCounts c = deleter.Delete(987654);
  EXPECT_EQ(c.courses, 0);
  EXPECT_EQ(site.Dump(), before);
}

TEST_F(CourseDeleteTest, DescribeAndJson) {
  DeleteCounts c;
  c.courses = 1;
  c.sections = 1;
  c.modules = 3;
  c.enrolments = 0;
  c.groups = 2;
  EXPECT_EQ(c.Describe(), "1 section, 3 activities, 0 enrolments, 2 groups");
  DeleteCounts t;
  t += c;
  t += c;
  EXPECT_EQ(t.ToJson()["modules"], 6);
  EXPECT_EQ(t.ToJson()["courses"], 2);
}

// A course context with an empty path (a broken site) loses only itself, in both modes: its
// path range would otherwise hold every context of the site.
TEST_P(CourseDeleteModeTest, AnEmptyContextPathDeletesOnlyThatContext) {
  Fixture::Course a = fx.Populate("A", "A", User("ua"));
  Fixture::Course b = fx.Populate("B", "B", User("ub"));
  site.db->Execute("UPDATE {context} SET path = '' WHERE id = ?", a.ctx.id);
  int64_t contexts = site.Count("context");
  CourseDeleter deleter(*site.db, Opts());
  std::vector<DeleteCounts> counts = DeleteWith(deleter, {a.id});
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].courses, 1);
  EXPECT_EQ(site.Count("context", "id=" + std::to_string(a.ctx.id)), 0);
  EXPECT_EQ(site.Count("context", "contextlevel=50 AND instanceid=" + std::to_string(b.id)), 1);
  // Only A's own context goes: without a path its subtree cannot be found.
  EXPECT_EQ(site.Count("context"), contexts - 1);
}

}  // namespace
}  // namespace cs::sync
