// The reset registry (core options and activity modules) and the engine that runs it. What each
// option deletes follows Moodle's reset_course_userdata() and the modules' <mod>_reset_userdata()
// (moodle_core.md §2.4); where this differs from Moodle it says so next to the step.
#include "sync/reset_modules.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_map>

#include "sync/course_index.h"

namespace cs::sync {

// ---------------------------------------------------------------------------------------------
// Registry.

const std::vector<ResetModule>& ResetModules() {
  static const std::vector<ResetModule> modules = [] {
    std::vector<ResetModule> m;
    m.push_back(AssignResetModule());
    m.push_back(ChatResetModule());
    m.push_back(ChoiceResetModule());
    m.push_back(DataResetModule());
    m.push_back(ForumResetModule());
    m.push_back(GlossaryResetModule());
    m.push_back(LessonResetModule());
    m.push_back(QuizResetModule());
    m.push_back(ScormResetModule());
    m.push_back(SurveyResetModule());
    return m;
  }();
  return modules;
}

const ResetModule* FindResetModule(std::string_view name) {
  for (const auto& m : ResetModules()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const ResetOption* FindModuleOption(std::string_view column, const ResetModule** module) {
  for (const auto& m : ResetModules()) {
    for (const auto& o : m.options) {
      if (o.column == column) {
        if (module) *module = &m;
        return &o;
      }
    }
  }
  return nullptr;
}

// A note on `+col` and `col || ''` in the SQL below: they stop SQLite's planner from choosing an
// index on that column (e.g. itemtype, shared by thousands of rows site-wide) over the selective
// one (the course); the result is the same on both backends.
namespace reset_sql {

std::string Instances(const std::string& mod) {
  return "SELECT id FROM {" + mod + "} WHERE course = :course";
}

std::string ModuleContexts(const std::string& mod) {
  // CROSS JOIN keeps SQLite's planner on the course's modules (course index) and their contexts
  // (unique contextlevel-instanceid), never on every module context of the site.
  return "SELECT ctx.id FROM {course_modules} cm CROSS JOIN {context} ctx WHERE cm.course = "
         ":course AND cm.module IN (SELECT id FROM {modules} WHERE name = '" +
         mod + "') AND ctx.contextlevel = 70 AND ctx.instanceid = cm.id";
}

ResetStep Delete(const std::string& table, const std::string& where, std::vector<std::string> needs,
                 ResetWhen when) {
  ResetStep s;
  s.tables.push_back(table);
  for (auto& n : needs) s.tables.push_back(std::move(n));
  s.sql = "DELETE FROM {" + table + "} WHERE " + where;
  s.when = when;
  return s;
}

std::vector<ResetStep> GradeGradesDelete(const std::string& where, const std::string& source,
                                         ResetWhen when) {
  // grade_grade::delete() keeps a copy in the history (GRADE_HISTORY_DELETE = 3), which is what
  // "recover grades" reads when a user is enrolled again.
  static const char* const kCols =
      "rawgrade, rawgrademax, rawgrademin, rawscaleid, usermodified, finalgrade, hidden, locked, "
      "locktime, exported, overridden, excluded, feedback, feedbackformat, information, "
      "informationformat";
  ResetStep history;
  history.tables = {"grade_grades_history", "grade_grades", "grade_items"};
  history.sql = std::string("INSERT OR FAIL INTO {grade_grades_history} (action, oldid, source, ") +
                "timemodified, loggeduser, itemid, userid, " + kCols + ") SELECT 3, id, '" +
                source + "', :now, NULL, itemid, userid, " + kCols + " FROM {grade_grades} WHERE " +
                where;
  history.when = when;
  ResetStep del = Delete("grade_grades", where, {"grade_items"}, when);
  return {history, del};
}

std::vector<ResetStep> ModuleGradebookGrades(const std::string& mod) {
  return GradeGradesDelete(
      "itemid IN (SELECT id FROM {grade_items} WHERE courseid = :course AND itemtype || '' = 'mod' "
      "AND itemmodule || '' = '" +
          mod + "')",
      "reset", ResetWhen::kGradebookGradesKept);
}

ResetStep Ratings(const std::string& mod, const std::string& component, const std::string& area) {
  return Delete("rating",
                "component = '" + component + "' AND ratingarea = '" + area +
                    "' AND contextid IN (" + ModuleContexts(mod) + ")",
                {"context", "course_modules", "modules"});
}

ResetStep Tags(const std::string& mod, const std::string& component) {
  return Delete(
      "tag_instance",
      "component || '' = '" + component + "' AND contextid IN (" + ModuleContexts(mod) + ")",
      {"context", "course_modules", "modules"});
}

ResetStep Comments(const std::string& mod, const std::string& commentarea,
                   const std::string& items_sql, std::vector<std::string> needs) {
  // Moodle matches on commentarea and itemid only; the module contexts let the index serve it.
  for (const char* t : {"context", "course_modules", "modules"}) needs.emplace_back(t);
  return Delete("comments",
                "contextid IN (" + ModuleContexts(mod) + ") AND commentarea = '" + commentarea +
                    "' AND itemid IN (" + items_sql + ")",
                std::move(needs));
}

}  // namespace reset_sql

namespace {

ResetOption Core(std::string key, std::string area, std::string help,
                 std::vector<ResetStep> steps) {
  ResetOption o;
  o.column = std::move(key);
  o.area = std::move(area);
  o.help = std::move(help);
  o.steps = std::move(steps);
  return o;
}

const char kCourseGroups[] = "SELECT id FROM {groups} WHERE courseid = :course";
const char kCourseGroupings[] = "SELECT id FROM {groupings} WHERE courseid = :course";
const char kCourseItems[] = "SELECT id FROM {grade_items} WHERE courseid = :course";

}  // namespace

const std::vector<ResetOption>& CoreResetOptions() {
  using reset_sql::Delete;
  static const std::vector<ResetOption> options = [] {
    std::vector<ResetOption> v;
    v.push_back(Core("events", "", "every calendar event of the course (event.courseid)",
                     {Delete("event", "courseid = :course")}));
    v.push_back(Core("notes", "", "every note about the course's users (post, module 'notes')",
                     {Delete("post", "courseid = :course AND module = 'notes'")}));
    // Moodle's blog_remove_associations_for_course() only looks at the course context; the option
    // is documented as "associations with the course and its activities", which is what is done.
    v.push_back(Core("blog_associations", "",
                     "blog entry associations with the course and its activities",
                     {Delete("blog_association", "contextid = :ctxid OR contextid IN (@children)",
                             {"context"})}));
    v.push_back(
        Core("completion", "", "course and activity completion data",
             {Delete("course_modules_completion",
                     "coursemoduleid IN (SELECT id FROM {course_modules} WHERE course = :course)",
                     {"course_modules"}),
              Delete("course_modules_viewed",
                     "coursemoduleid IN (SELECT id FROM {course_modules} WHERE course = :course)",
                     {"course_modules"}),
              Delete("course_completions", "course = :course"),
              Delete("course_completion_crit_compl", "course = :course")}));
    // Moodle >= 2.7 resets no log; here `logs` deletes the course's standard log rows.
    v.push_back(Core("logs", "", "the course's rows of the standard log (logstore_standard_log)",
                     {Delete("logstore_standard_log", "courseid = :course")}));
    v.push_back(Core("local_roles_overrides", "local_roles",
                     "permission overrides in the course context and below",
                     {Delete("role_capabilities", "contextid = :ctxid OR contextid IN (@children)",
                             {"context"})}));
    v.push_back(Core("local_roles_roles", "local_roles",
                     "role assignments in the activity and block contexts of the course",
                     {Delete("role_assignments", "contextid IN (@children)", {"context"})}));
    v.push_back(Core(
        "groups_members", "groups", "every member of the course's groups",
        {Delete("groups_members", std::string("groupid IN (") + kCourseGroups + ")", {"groups"})}));
    v.push_back(Core(
        "groups_groups", "groups",
        "the course's groups, with their members, grouping links and group events",
        {Delete("event", std::string("groupid IN (") + kCourseGroups + ")", {"groups"}),
         Delete("groupings_groups", std::string("groupid IN (") + kCourseGroups + ")", {"groups"}),
         Delete("groups_members", std::string("groupid IN (") + kCourseGroups + ")", {"groups"}),
         Delete("groups", "courseid = :course")}));
    v.push_back(Core("groupings_members", "groupings", "every group-grouping link of the course",
                     {Delete("groupings_groups", std::string("groupid IN (") + kCourseGroups + ")",
                             {"groups"})}));
    {
      ResetStep course_default{{"course", "groupings"},
                               std::string("UPDATE {course} SET defaultgroupingid = 0 WHERE id = "
                                           ":course AND defaultgroupingid IN (") +
                                   kCourseGroupings + ")"};
      ResetStep cms{{"course_modules", "groupings"},
                    std::string("UPDATE {course_modules} SET groupingid = 0 WHERE course = :course "
                                "AND groupingid IN (") +
                        kCourseGroupings + ")"};
      v.push_back(
          Core("groupings_groupings", "groupings",
               "the course's groupings and their links (activities and the course default "
               "drop them)",
               {Delete("groupings_groups", std::string("groupingid IN (") + kCourseGroupings + ")",
                       {"groupings"}),
                course_default, cms, Delete("groupings", "courseid = :course")}));
    }
    // reset_gradebook_items (remove_course_grades + grade_grab_course_grades): every grade of the
    // course goes (copied to the history first, as Moodle does), manual and category items and
    // every category but the course one are deleted (copied to grade_items_history). The course
    // total and the activity items stay, the activity items moved under the course category:
    // Moodle deletes and re-creates them from the activities, which ends in the same place.
    {
      ResetStep items_history;
      items_history.tables = {"grade_items_history", "grade_items"};
      static const char* const kItemCols =
          "courseid, categoryid, itemname, itemtype, itemmodule, iteminstance, itemnumber, "
          "iteminfo, idnumber, calculation, gradetype, grademax, grademin, scaleid, outcomeid, "
          "gradepass, multfactor, plusfactor, aggregationcoef, aggregationcoef2, sortorder, "
          "hidden, locked, locktime, needsupdate, display, decimals, weightoverride";
      items_history.sql =
          std::string(
              "INSERT OR FAIL INTO {grade_items_history} (action, oldid, source, timemodified, "
              "loggeduser, ") +
          kItemCols + ") SELECT 3, id, 'coursedelete', :now, NULL, " + kItemCols +
          " FROM {grade_items} WHERE courseid = :course AND itemtype NOT IN ('course', 'mod')";
      ResetStep reparent{
          {"grade_items", "grade_categories"},
          "UPDATE {grade_items} SET categoryid = (SELECT MIN(id) FROM {grade_categories} WHERE "
          "courseid = :course AND parent IS NULL) WHERE courseid = :course AND itemtype || '' = "
          "'mod' "
          "AND EXISTS (SELECT 1 FROM {grade_categories} WHERE courseid = :course AND parent IS "
          "NULL)"};
      std::vector<ResetStep> steps = reset_sql::GradeGradesDelete(
          std::string("itemid IN (") + kCourseItems + ")", "coursedelete");
      steps.push_back(items_history);
      steps.push_back(reparent);
      steps.push_back(
          Delete("grade_items", "courseid = :course AND itemtype NOT IN ('course', 'mod')"));
      steps.push_back(Delete("grade_categories", "courseid = :course AND parent IS NOT NULL"));
      v.push_back(Core("grades_items", "grades",
                       "grade items and categories (the course total and activity items stay) "
                       "with every grade",
                       steps));
    }
    v.push_back(Core(
        "grades_grades", "grades", "every grade of the course (items stay)",
        reset_sql::GradeGradesDelete(std::string("itemid IN (") + kCourseItems + ")", "reset")));
    // comment::reset_course_page_comments(): the comments block of the course page and of the
    // pages below it. Activity comments (glossary, database) belong to their module's options.
    v.push_back(Core("comments", "", "course page comments (comments block)",
                     {Delete("comments",
                             "commentarea = 'page_comments' AND (contextid = :ctxid OR contextid "
                             "IN (@children))",
                             {"context"})}));
    return v;
  }();
  return options;
}

const ResetOption* FindCoreOption(std::string_view key) {
  for (const auto& o : CoreResetOptions()) {
    if (o.column == key) return &o;
  }
  return nullptr;
}

int64_t ResetResult::removed() const {
  int64_t n = 0;
  for (const auto& [area, rows] : areas) n += rows;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Engine.

namespace {

enum class Param {
  kCourse,
  kCtxId,
  kCtxLo,
  kCtxHi,
  kCtxLike,
  kShift,
  kNow,
  kId,
  kComponent,
  kItemId
};

constexpr int kIdChunk = 64;

struct Compiled {
  std::unique_ptr<store::Stmt> st;
  std::vector<Param> params;
  bool deletes = false;  // a DELETE: rows counted as removed
  bool counts = false;   // a DELETE or an UPDATE: rows counted (RETURNING, or changes())
  bool skip = false;     // a table is missing
  std::string table;
};

// Per-course values bound to the named parameters.
struct Binding {
  int64_t course = 0;
  int64_t ctxid = 0;
  std::string lo = "~", hi = "~", like = "~";  // match nothing until the course path is known
  int64_t shift = 0;
  int64_t now = 0;
  std::string component;
  int64_t itemid = 0;
};

bool StartsWithWord(const std::string& sql, const char* word) {
  size_t i = sql.find_first_not_of(" \n\t");
  if (i == std::string::npos) return false;
  size_t n = std::char_traits<char>::length(word);
  if (sql.size() < i + n) return false;
  for (size_t k = 0; k < n; ++k) {
    if (std::toupper(static_cast<unsigned char>(sql[i + k])) != word[k]) return false;
  }
  return true;
}

void ShiftDates(nlohmann::ordered_json& j, int64_t shift, bool& changed) {
  if (j.is_object()) {
    auto type = j.find("type");
    auto t = j.find("t");
    if (type != j.end() && type->is_string() && *type == "date" && t != j.end() &&
        t->is_number_integer()) {
      *t = t->get<int64_t>() + shift;
      changed = true;
    }
    for (auto& [k, v] : j.items()) {
      if (v.is_structured()) ShiftDates(v, shift, changed);
    }
  } else if (j.is_array()) {
    for (auto& v : j) ShiftDates(v, shift, changed);
  }
}

const std::set<std::string>& UnenrolPlugins() {
  // Plugins whose allow_unenrol() is true: their users can always be unenrolled by a reset.
  // Others (cohort, meta, database, ldap ...) only allow it for suspended enrolments.
  static const std::set<std::string> s = {"manual", "self", "flatfile", "paypal",
                                          "fee",    "lti",  "guest"};
  return s;
}

}  // namespace

struct CourseResetter::Impl {
  store::Db& db;
  int64_t now;
  std::string children_sql;
  std::unordered_map<const ResetStep*, Compiled> cache;
  std::unordered_map<std::string, bool> tables;
  std::unordered_map<std::string, std::unique_ptr<store::Stmt>> probes;
  std::map<std::string, std::vector<ResetStep>> module_dates;  // built once, stable addresses
  std::unique_ptr<store::Stmt> context_, course_, set_dates_, instances_, ues_, ras_;
  std::unique_ptr<store::Stmt> changes_;                 // SQLite: SELECT changes()
  std::optional<std::set<std::string>> enabled_plugins;  // nullopt = all
  std::vector<ResetStep> date_steps, unenrol_steps;

  Impl(store::Db& d, int64_t n) : db(d), now(n) {
    if (db.dialect() == store::Dialect::kSqlite) changes_ = db.Prepare("SELECT changes()");
    children_sql = db.dialect() == store::Dialect::kSqlite
                       ? "SELECT id FROM {context} WHERE path >= :ctxlo AND path < :ctxhi"
                       : "SELECT id FROM {context} WHERE path ~>=~ :ctxlo AND path ~<~ :ctxhi";
    for (const auto& m : ResetModules()) {
      std::vector<ResetStep> steps;
      for (const auto& f : m.date_fields) {
        steps.push_back({{m.name},
                         "UPDATE {" + m.name + "} SET " + f + " = " + f +
                             " + :shift WHERE course = :course AND " + f + " <> 0"});
      }
      steps.insert(steps.end(), m.date_steps.begin(), m.date_steps.end());
      module_dates[m.name] = std::move(steps);
    }
    // moodle_core.md §2.4 reset_start_date: course and group events (Moodle regenerates the
    // activity events from the moved activity dates; they are moved in place here), expected
    // completion dates, date completion criteria.
    date_steps = {
        {{"event"}, "UPDATE {event} SET timestart = timestart + :shift WHERE courseid = :course"},
        {{"event"},
         "UPDATE {event} SET timesort = timesort + :shift WHERE courseid = :course AND instance "
         "<> 0 AND timesort > 0"},
        {{"course_modules"},
         "UPDATE {course_modules} SET completionexpected = completionexpected + :shift WHERE "
         "course = :course AND completion > 0 AND completionexpected > 0"},
        {{"course_completion_criteria"},
         "UPDATE {course_completion_criteria} SET timeend = timeend + :shift WHERE course = "
         ":course AND criteriatype = 2"},
    };
    // Unenrolment statements over id lists (@ids: kIdChunk placeholders). The unary `+` keeps
    // the planner off the userid index: a user's rows in every other course are not read.
    unenrol_steps = {
        // 0: memberships owned by an enrolment instance (groups_remove_member by component)
        {{"groups_members", "groups"},
         std::string("DELETE FROM {groups_members} WHERE groupid IN (") + kCourseGroups +
             ") AND component = :component AND itemid = :itemid AND +userid IN (@ids)"},
        // 1: role assignments by id
        {{"role_assignments"}, "DELETE FROM {role_assignments} WHERE id IN (@ids)"},
        // 2: user enrolments by id
        {{"user_enrolments"}, "DELETE FROM {user_enrolments} WHERE id IN (@ids)"},
        // 3..: last enrolment gone: roles below the course (those in the course context went by
        // id), groups, grades, last access
        {{"role_assignments", "context"},
         "DELETE FROM {role_assignments} WHERE contextid IN (@children) AND +userid IN (@ids)"},
        {{"groups_members", "groups"},
         std::string("DELETE FROM {groups_members} WHERE groupid IN (") + kCourseGroups +
             ") AND +userid IN (@ids)"},
    };
    for (auto& s : reset_sql::GradeGradesDelete(
             std::string("userid IN (@ids) AND itemid IN (") + kCourseItems + ")", "userdelete")) {
      unenrol_steps.push_back(s);
    }
    unenrol_steps.push_back(
        {{"user_lastaccess"},
         "DELETE FROM {user_lastaccess} WHERE courseid = :course AND userid IN (@ids)"});

    context_ =
        db.Prepare("SELECT id, path FROM {context} WHERE contextlevel = 50 AND instanceid = ?");
    course_ = db.Prepare("SELECT startdate, enddate FROM {course} WHERE id = ?");
    set_dates_ = db.Prepare("UPDATE {course} SET startdate = ?, enddate = ? WHERE id = ?");
    if (TableExists("config")) {
      auto st = db.Prepare("SELECT value FROM {config} WHERE name = 'enrol_plugins_enabled'");
      if (st->Step()) {
        std::set<std::string> s;
        std::string v = st->Text(0);
        size_t b = 0;
        while (b <= v.size()) {
          size_t e = v.find(',', b);
          if (e == std::string::npos) e = v.size();
          if (e > b) s.insert(v.substr(b, e - b));
          b = e + 1;
        }
        enabled_plugins = std::move(s);
      }
    }
  }

  bool TableExists(const std::string& t) {
    auto it = tables.find(t);
    if (it != tables.end()) return it->second;
    bool e = db.TableExists(t);
    tables[t] = e;
    return e;
  }

  Compiled& Get(const ResetStep& step) {
    auto it = cache.find(&step);
    if (it != cache.end()) return it->second;
    Compiled c;
    c.table = step.tables.empty() ? "" : step.tables.front();
    for (const auto& t : step.tables) c.skip = c.skip || !TableExists(t);
    if (!c.skip) {
      std::string sql = step.sql;
      for (size_t p; (p = sql.find("@children")) != std::string::npos;) {
        sql.replace(p, 9, children_sql);
      }
      std::string out;
      bool quote = false;
      for (size_t i = 0; i < sql.size(); ++i) {
        char ch = sql[i];
        if (ch == '\'') quote = !quote;
        if (!quote && ch == '@' && sql.compare(i, 4, "@ids") == 0) {
          for (int k = 0; k < kIdChunk; ++k) {
            out += k ? ",?" : "?";
            c.params.push_back(Param::kId);
          }
          i += 3;
          continue;
        }
        if (!quote && ch == ':' && i + 1 < sql.size() &&
            std::isalpha(static_cast<unsigned char>(sql[i + 1]))) {
          size_t e = i + 1;
          while (e < sql.size() && std::isalnum(static_cast<unsigned char>(sql[e]))) ++e;
          std::string name = sql.substr(i + 1, e - i - 1);
          static const std::map<std::string, Param> kNames = {
              {"course", Param::kCourse},   {"ctxid", Param::kCtxId},
              {"ctxlo", Param::kCtxLo},     {"ctxhi", Param::kCtxHi},
              {"ctxlike", Param::kCtxLike}, {"shift", Param::kShift},
              {"now", Param::kNow},         {"component", Param::kComponent},
              {"itemid", Param::kItemId}};
          auto p = kNames.find(name);
          if (p == kNames.end()) {
            throw std::logic_error("reset step: unknown parameter :" + name + " in " + step.sql);
          }
          c.params.push_back(p->second);
          out += '?';
          i = e - 1;
          continue;
        }
        out += ch;
      }
      c.deletes = StartsWithWord(out, "DELETE");
      c.counts = c.deletes || StartsWithWord(out, "UPDATE");
      // SQLite reports the count itself (changes()), cheaper than returning every row.
      if (c.counts && !changes_) out += " RETURNING id";
      c.st = db.Prepare(out);
    }
    return cache.emplace(&step, std::move(c)).first->second;
  }

  // Runs a step; returns the rows it deleted or updated (0 for an INSERT or a skipped step).
  int64_t Run(const ResetStep& step, const Binding& b, const std::vector<int64_t>& ids = {},
              size_t from = 0) {
    Compiled& c = Get(step);
    if (c.skip) return 0;
    store::Stmt& st = *c.st;
    st.Reset();
    int i = 0;
    size_t id = from;
    for (Param p : c.params) {
      ++i;
      switch (p) {
        case Param::kCourse:
          st.Bind(i, b.course);
          break;
        case Param::kCtxId:
          st.Bind(i, b.ctxid);
          break;
        case Param::kCtxLo:
          st.Bind(i, b.lo);
          break;
        case Param::kCtxHi:
          st.Bind(i, b.hi);
          break;
        case Param::kCtxLike:
          st.Bind(i, b.like);
          break;
        case Param::kShift:
          st.Bind(i, b.shift);
          break;
        case Param::kNow:
          st.Bind(i, b.now);
          break;
        case Param::kComponent:
          st.Bind(i, b.component);
          break;
        case Param::kItemId:
          st.Bind(i, b.itemid);
          break;
        case Param::kId:
          if (id < ids.size()) {
            st.Bind(i, ids[id++]);
          } else {
            st.BindNull(i);
          }
          break;
      }
    }
    int64_t n = 0;
    while (st.Step()) ++n;
    if (c.counts && changes_) {
      n = changes_->RunInt().value_or(0);
    } else if (!c.counts) {
      n = 0;
    }
    return n;
  }

  // Runs an id-list step over every chunk of `ids`.
  int64_t RunIds(const ResetStep& step, const Binding& b, const std::vector<int64_t>& ids,
                 ResetResult& r) {
    int64_t n = 0;
    for (size_t from = 0; from < ids.size(); from += kIdChunk) n += Run(step, b, ids, from);
    Compiled& c = Get(step);
    if (c.deletes && n) r.tables[c.table] += n;
    return n;
  }

  // Runs an option's steps; returns the rows removed and adds them to the table counts.
  int64_t RunOption(const ResetOption& o, const Binding& b, bool gradebook_grades, ResetResult& r) {
    int64_t removed = 0;
    for (const auto& step : o.steps) {
      if (step.when == ResetWhen::kGradebookGradesReset && !gradebook_grades) continue;
      if (step.when == ResetWhen::kGradebookGradesKept && gradebook_grades) continue;
      int64_t n = Run(step, b);
      Compiled& c = Get(step);
      if (c.deletes) {
        removed += n;
        if (n) r.tables[c.table] += n;
      }
    }
    return removed;
  }

  bool HasInstances(const std::string& mod, int64_t course) {
    if (!TableExists(mod)) return false;
    auto& st = probes[mod];
    if (!st) st = db.Prepare("SELECT id FROM {" + mod + "} WHERE course = ? LIMIT 1");
    bool found = st->Run(course);
    st->Reset();
    return found;
  }

  static void AddArea(ResetResult& r, const std::string& area, int64_t n) {
    for (auto& [a, v] : r.areas) {
      if (a == area) {
        v += n;
        return;
      }
    }
    r.areas.emplace_back(area, n);
  }

  void MoveDates(Binding& b, int64_t courseid, const ResetRequest& req, ResetResult& r) {
    if (!course_->Run(courseid)) {
      throw std::invalid_argument("course id " + std::to_string(courseid) + " not found");
    }
    int64_t start = course_->Int(0), end = course_->Int(1);
    course_->Reset();
    r.old_startdate = start;
    r.new_startdate = *req.startdate;
    // A course without a start date has nothing to move relative to it: only the date is set.
    r.timeshift = start > 0 ? *req.startdate - start : 0;
    b.shift = r.timeshift;
    if (start == *req.startdate) return;
    // Moodle moves the end date with the start only when the course moves later.
    int64_t new_end = (r.timeshift > 0 && end > 0) ? end + r.timeshift : end;
    set_dates_->Run(*req.startdate, new_end, courseid);
    r.date_moved = true;
    r.rows_shifted += 1;
    if (r.timeshift == 0) return;
    for (const auto& s : date_steps) r.rows_shifted += Run(s, b);
    r.rows_shifted += ShiftAvailability("course_modules", b);
    r.rows_shifted += ShiftAvailability("course_sections", b);
  }

  // availability_date\condition::update_all_dates(): the `t` of every date condition.
  int64_t ShiftAvailability(const std::string& table, const Binding& b) {
    if (!TableExists(table)) return 0;
    auto& sel = probes["avail_sel_" + table];
    auto& upd = probes["avail_upd_" + table];
    if (!sel) {
      sel = db.Prepare("SELECT id, availability FROM {" + table +
                       "} WHERE course = ? AND availability LIKE '%\"date\"%'");
      upd = db.Prepare("UPDATE {" + table + "} SET availability = ? WHERE id = ?");
    }
    std::vector<std::pair<int64_t, std::string>> rows;
    sel->Reset();
    sel->Bind(1, b.course);
    while (sel->Step()) rows.emplace_back(sel->Int(0), sel->Text(1));
    int64_t n = 0;
    for (auto& [id, text] : rows) {
      nlohmann::ordered_json j = nlohmann::ordered_json::parse(text, nullptr, false);
      if (j.is_discarded()) continue;
      bool changed = false;
      ShiftDates(j, b.shift, changed);
      if (!changed) continue;
      upd->Run(j.dump(), id);
      ++n;
    }
    return n;
  }

  bool Unenrollable(const std::string& plugin, int64_t instance_status, int64_t ue_status) {
    if (instance_status != 0) return false;  // enrol_get_instances($courseid, true)
    if (enabled_plugins && !enabled_plugins->count(plugin)) return false;
    if (UnenrolPlugins().count(plugin)) return true;
    return ue_status == 1;  // allow_unenrol_user(): suspended enrolments only
  }

  // reset_course_userdata() `unenrol_users`: for each role, every user enrolled (through an
  // enabled instance that allows it) who holds the role in the course context loses that role
  // when they have other roles there, and is unenrolled otherwise (enrol_plugin::unenrol_user).
  int64_t Unenrol(const Binding& b, const std::vector<int64_t>& roleids, ResetResult& r) {
    struct Inst {
      std::string enrol;
      int64_t status;
    };
    struct Ue {
      int64_t id, enrolid, userid, status;
      bool gone = false;
    };
    struct Ra {
      int64_t id, userid, roleid;
      std::string component;
      int64_t itemid;
      bool gone = false;
    };
    if (!instances_) {
      instances_ = db.Prepare("SELECT id, enrol, status FROM {enrol} WHERE courseid = ?");
      ues_ = db.Prepare(
          "SELECT ue.id, ue.enrolid, ue.userid, ue.status FROM {user_enrolments} ue JOIN {enrol} e "
          "ON e.id = ue.enrolid WHERE e.courseid = ? ORDER BY ue.id");
      ras_ = db.Prepare(
          "SELECT id, userid, roleid, component, itemid FROM {role_assignments} WHERE contextid = "
          "? ORDER BY id");
    }
    std::unordered_map<int64_t, Inst> insts;
    instances_->Reset();
    instances_->Bind(1, b.course);
    while (instances_->Step()) {
      insts[instances_->Int(0)] = {instances_->Text(1), instances_->Int(2)};
    }
    std::vector<Ue> ues;
    ues_->Reset();
    ues_->Bind(1, b.course);
    while (ues_->Step()) ues.push_back({ues_->Int(0), ues_->Int(1), ues_->Int(2), ues_->Int(3)});
    std::vector<Ra> ras;
    ras_->Reset();
    ras_->Bind(1, b.ctxid);
    while (ras_->Step()) {
      ras.push_back({ras_->Int(0), ras_->Int(1), ras_->Int(2), ras_->Text(3), ras_->Int(4)});
    }
    std::unordered_map<int64_t, std::set<int64_t>> usersroles;
    std::unordered_map<int64_t, std::vector<size_t>> ras_of, ues_of;
    for (size_t i = 0; i < ras.size(); ++i) {
      usersroles[ras[i].userid].insert(ras[i].roleid);
      ras_of[ras[i].userid].push_back(i);
    }
    for (size_t i = 0; i < ues.size(); ++i) ues_of[ues[i].userid].push_back(i);

    std::vector<int64_t> del_ra, del_ue, last;
    std::map<int64_t, std::vector<int64_t>> inst_users;  // instance -> users unenrolled from it
    std::set<int64_t> unenrolled, lost_role;
    for (int64_t roleid : roleids) {
      for (auto& ue : ues) {
        if (ue.gone) continue;
        bool has = false;
        for (size_t i : ras_of[ue.userid]) has = has || (!ras[i].gone && ras[i].roleid == roleid);
        if (!has) continue;
        auto inst = insts.find(ue.enrolid);
        if (inst == insts.end() ||
            !Unenrollable(inst->second.enrol, inst->second.status, ue.status)) {
          continue;
        }
        auto& roles = usersroles[ue.userid];
        if (roles.size() > 1) {
          // role_unassign($roleid, $userid, $coursecontext): the manual assignment only.
          for (size_t i : ras_of[ue.userid]) {
            Ra& ra = ras[i];
            if (!ra.gone && ra.roleid == roleid && ra.component.empty() && ra.itemid == 0) {
              ra.gone = true;
              del_ra.push_back(ra.id);
            }
          }
          roles.erase(roleid);
          lost_role.insert(ue.userid);
          continue;
        }
        // unenrol_user($instance, $userid)
        std::string component = "enrol_" + inst->second.enrol;
        inst_users[ue.enrolid].push_back(ue.userid);
        for (size_t i : ras_of[ue.userid]) {
          Ra& ra = ras[i];
          if (!ra.gone && ra.component == component && ra.itemid == ue.enrolid) {
            ra.gone = true;
            del_ra.push_back(ra.id);
          }
        }
        ue.gone = true;
        del_ue.push_back(ue.id);
        unenrolled.insert(ue.userid);
        bool other = false;
        for (size_t i : ues_of[ue.userid]) other = other || !ues[i].gone;
        if (!other) {
          // role_unassign_all(userid, coursecontext, subcontexts): every remaining role.
          last.push_back(ue.userid);
          for (size_t i : ras_of[ue.userid]) {
            if (!ras[i].gone) {
              ras[i].gone = true;
              del_ra.push_back(ras[i].id);
            }
          }
        }
      }
    }
    int64_t n = 0;
    Binding bb = b;
    for (auto& [instid, users] : inst_users) {
      bb.component = "enrol_" + insts[instid].enrol;
      bb.itemid = instid;
      n += RunIds(unenrol_steps[0], bb, users, r);
    }
    n += RunIds(unenrol_steps[1], b, del_ra, r);
    n += RunIds(unenrol_steps[2], b, del_ue, r);
    if (!last.empty()) {
      for (size_t i = 3; i < unenrol_steps.size(); ++i) n += RunIds(unenrol_steps[i], b, last, r);
    }
    r.unenrolled += static_cast<int64_t>(unenrolled.size());
    for (int64_t u : lost_role) r.roles_unassigned += unenrolled.count(u) ? 0 : 1;
    return n;
  }
};

CourseResetter::CourseResetter(store::Db& db, int64_t now)
    : impl_(std::make_unique<Impl>(db, now)) {}
CourseResetter::~CourseResetter() = default;

ResetResult CourseResetter::Reset(int64_t courseid, const ResetRequest& req) {
  if (courseid == kSiteCourseId) throw std::invalid_argument("the site course cannot be reset");
  Impl& m = *impl_;
  ResetResult r;
  Binding b;
  b.course = courseid;
  b.now = m.now;
  m.context_->Reset();
  m.context_->Bind(1, courseid);
  if (m.context_->Step()) {
    b.ctxid = m.context_->Int(0);
    std::string path = m.context_->IsNull(1) ? "" : m.context_->Text(1);
    if (!path.empty()) {
      b.lo = path + "/";
      b.hi = path + "0";  // '0' follows '/': every "path/..." sorts in [lo, hi)
      b.like = path + "/%";
    }
  }
  m.context_->Reset();
  const bool gb = req.gradebook_grades();

  if (req.startdate) {
    m.MoveDates(b, courseid, req, r);
  }
  auto core = [&](const char* key) {
    if (!req.core.count(key)) return;
    const ResetOption* o = FindCoreOption(key);
    Impl::AddArea(r, o->area_name(), m.RunOption(*o, b, gb, r));
  };
  core("events");
  core("notes");
  core("blog_associations");
  core("completion");
  core("logs");
  core("local_roles_overrides");
  core("local_roles_roles");
  if (!req.unenrol_roleids.empty()) Impl::AddArea(r, "roles", m.Unenrol(b, req.unenrol_roleids, r));
  core("groups_members");
  core("groups_groups");
  core("groupings_members");
  core("groupings_groupings");

  for (const auto& mod : ResetModules()) {
    bool wanted = r.timeshift != 0;
    for (const auto& o : mod.options) wanted = wanted || req.module_options.count(o.column);
    if (!wanted || !m.HasInstances(mod.name, courseid)) continue;
    bool any = false;
    for (const auto& o : mod.options) {
      if (!req.module_options.count(o.column)) continue;
      Impl::AddArea(r, o.area_name(), m.RunOption(o, b, gb, r));
      any = true;
    }
    if (r.timeshift != 0) {
      for (const auto& s : m.module_dates[mod.name]) r.rows_shifted += m.Run(s, b);
    }
    if (any) r.modules.push_back(mod.name);
  }

  // Moodle: items reset removes the grades too; otherwise grades alone.
  if (req.core.count("grades_items")) {
    core("grades_items");
  } else {
    core("grades_grades");
  }
  core("comments");
  return r;
}

}  // namespace cs::sync
