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
#include "sync/row_batch.h"

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

// The columns of grade_grades copied to grade_grades_history as they are.
const char kGradeHistoryCols[] =
    "rawgrade, rawgrademax, rawgrademin, rawscaleid, usermodified, finalgrade, hidden, locked, "
    "locktime, exported, overridden, excluded, feedback, feedbackformat, information, "
    "informationformat";

std::vector<ResetStep> GradeGradesDelete(const std::string& where, const std::string& source,
                                         ResetWhen when) {
  // grade_grade::delete() keeps a copy in the history (GRADE_HISTORY_DELETE = 3), which is what
  // "recover grades" reads when a user is enrolled again.
  ResetStep history;
  history.tables = {"grade_grades_history", "grade_grades", "grade_items"};
  history.sql = std::string("INSERT OR FAIL INTO {grade_grades_history} (action, oldid, source, ") +
                "timemodified, loggeduser, itemid, userid, " + kGradeHistoryCols +
                ") SELECT 3, id, '" + source + "', :now, NULL, itemid, userid, " +
                kGradeHistoryCols + " FROM {grade_grades} WHERE " + where;
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
          // The category is the item's own course's (not `= :course` in the SET: a batch runs
          // this once for all its courses, `courseid = :course` becoming `courseid IN (...)`).
          // Items already there are left alone (no index entry rewritten).
          "UPDATE {grade_items} SET categoryid = (SELECT MIN(gc.id) FROM {grade_categories} gc "
          "WHERE gc.courseid = {grade_items}.courseid AND gc.parent IS NULL) WHERE courseid = "
          ":course AND itemtype || '' = 'mod' AND EXISTS (SELECT 1 FROM {grade_categories} gc "
          "WHERE gc.courseid = {grade_items}.courseid AND gc.parent IS NULL) AND (categoryid IS "
          "NULL OR categoryid <> (SELECT MIN(gc.id) FROM {grade_categories} gc WHERE gc.courseid "
          "= {grade_items}.courseid AND gc.parent IS NULL))"};
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

// Walks `sql` from `from`, starting at parenthesis depth `depth`, outside quoted strings, and
// returns the first position i at which stop(i, depth after the character at i) holds, or npos.
// The reset steps' SQL is the registry's, never input.
template <typename Stop>
size_t ScanSql(const std::string& sql, size_t from, int depth, Stop stop) {
  bool quote = false;
  for (size_t i = from; i < sql.size(); ++i) {
    const char ch = sql[i];
    if (ch == '\'') quote = !quote;
    if (quote) continue;
    if (ch == '(') ++depth;
    if (ch == ')') --depth;
    if (stop(i, depth)) return i;
  }
  return std::string::npos;
}

// The first `word` outside parentheses and quotes at or after `from`, or npos.
size_t TopLevelFind(const std::string& sql, const std::string& word, size_t from = 0) {
  return ScanSql(sql, from, 0, [&](size_t i, int depth) {
    return depth == 0 && sql.compare(i, word.size(), word) == 0;
  });
}

// The position of the parenthesis that closes the one at `open`, or npos.
size_t ClosingParen(const std::string& sql, size_t open) {
  return ScanSql(sql, open + 1, 1, [](size_t, int depth) { return depth == 0; });
}

// The position of the statement's own " WHERE " (outside parentheses and quotes), or npos.
size_t TopLevelWhere(const std::string& sql) { return TopLevelFind(sql, " WHERE "); }

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

// The top-level conjuncts of a condition (split at " AND " outside parentheses and quotes, each
// without parentheses that enclose all of it); nullopt when it has a top-level OR.
std::optional<std::vector<std::string>> Conjuncts(const std::string& cond) {
  if (TopLevelFind(cond, " OR ") != std::string::npos) return std::nullopt;
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t end = TopLevelFind(cond, " AND ", start);
    std::string term = cond.substr(start, end == std::string::npos ? end : end - start);
    // "(a)" -> "a" when the first parenthesis closes at the end.
    while (term.size() >= 2 && term.front() == '(' && ClosingParen(term, 0) == term.size() - 1) {
      term = term.substr(1, term.size() - 2);
    }
    out.push_back(std::move(term));
    if (end == std::string::npos) return out;
    start = end + 5;
  }
}

// PostgreSQL: the rows a batch DELETE step removes from `table`, per course of `set`, as one
// grouped join instead of a count per course (a correlated subquery, which PostgreSQL may plan as
// a scan of the whole table per course). `cond` is the step's condition for one course, the row
// cs_b of `set` (BatchSql, correlated). Possible when the course enters `cond` through one
// top-level conjunct `col = cs_b.x` or `col IN (<subquery>)`: a course's rows are those whose
// `col` is among the values the subquery gives for that course; the other conjuncts do not depend
// on the course. Empty when the step has another shape.
std::string PgGroupedCount(const std::string& table, const std::string& cond,
                           const std::string& set) {
  auto terms = Conjuncts(cond);
  if (!terms) return "";
  const std::string* course_term = nullptr;
  std::string others;
  for (const auto& t : *terms) {
    if (t.find("cs_b.") == std::string::npos) {
      others += " AND (" + t + ")";
      continue;
    }
    if (course_term) return "";  // the course enters twice
    course_term = &t;
  }
  if (!course_term) return "";
  const std::string& t = *course_term;
  size_t e = 0;
  while (e < t.size() && (std::isalnum(static_cast<unsigned char>(t[e])) || t[e] == '_')) ++e;
  if (e == 0) return "";
  const std::string col = t.substr(0, e);
  std::string sub;
  if (t.compare(e, std::string::npos, " = cs_b.id") == 0) {
    sub = "SELECT cs_b.id";
  } else if (t.compare(e, std::string::npos, " = cs_b.ctxid") == 0) {
    sub = "SELECT cs_b.ctxid";
  } else if (t.compare(e, 5, " IN (") == 0 && ClosingParen(t, e + 4) == t.size() - 1) {
    // The parenthesis after IN is the one closing at the end.
    sub = t.substr(e + 5, t.size() - e - 6);
  } else {
    return "";
  }
  // DISTINCT: a value the subquery gives twice for a course still counts its rows once, as IN.
  return "SELECT cs_m.cs_course, COUNT(*) FROM " + table +
         " cs_t JOIN (SELECT DISTINCT cs_b.id AS cs_course, cs_s.cs_k FROM " + set +
         " cs_b CROSS JOIN LATERAL (" + sub + ") cs_s (cs_k)) cs_m ON cs_m.cs_k = cs_t." + col +
         " WHERE TRUE" + others + " GROUP BY cs_m.cs_course";
}

// The rows of one temporary table of the batch unenrolment (cs_reset_gm/_ra/_ue/_last). SQLite:
// multi-row INSERTs (RowBatch). PostgreSQL: one statement for all of them, each column sent as a
// text array that the server unnests (INSERT ... SELECT * FROM unnest($1::bigint[], ...)):
// 400 multi-row statements of 500-1,000 parameters each cost 0.1-0.2 s to parse and bind for
// 1,000 courses of 50 users.
class TempFill {
 public:
  // `types`: each column's PostgreSQL type, "bigint" or "text".
  TempFill(store::Db& db, const std::string& table, const std::vector<std::string>& columns,
           const std::vector<std::string>& types, size_t rows_per_statement)
      : arrays_(columns.size()) {
    std::string cols, row, args;
    for (size_t i = 0; i < columns.size(); ++i) {
      cols += (i ? ", " : "") + columns[i];
      row += i ? ", ?" : "?";
      args += (i ? ", ?::" : "?::") + types[i] + "[]";
    }
    if (db.dialect() == store::Dialect::kSqlite) {
      batch_ =
          std::make_unique<RowBatch>(db, "INSERT OR FAIL INTO " + table + " (" + cols + ") VALUES ",
                                     "(" + row + ")", rows_per_statement);
    } else {
      insert_ =
          db.Prepare("INSERT INTO " + table + " (" + cols + ") SELECT * FROM unnest(" + args + ")");
    }
  }

  void Add(std::initializer_list<RowBatch::Value> values) {
    if (batch_) {
      batch_->Add(values);
      return;
    }
    size_t i = 0;
    for (const auto& v : values) {
      std::string& a = arrays_.at(i++);
      if (!a.empty()) a += ',';
      if (const auto* n = std::get_if<int64_t>(&v)) {
        a += std::to_string(*n);
      } else if (const auto* t = std::get_if<std::string>(&v)) {
        a += '"';
        for (char ch : *t) {
          if (ch == '"' || ch == '\\') a += '\\';
          a += ch;
        }
        a += '"';
      } else {
        a += "NULL";
      }
    }
    ++rows_;
  }

  // Writes the pending rows (Stmt::Send: pipelined on PostgreSQL).
  void Flush() {
    if (batch_) {
      batch_->Flush();
      return;
    }
    if (!rows_) return;
    insert_->Reset();
    for (size_t i = 0; i < arrays_.size(); ++i) {
      insert_->Bind(static_cast<int>(i + 1), "{" + arrays_[i] + "}");
      arrays_[i].clear();
    }
    insert_->SendBound();
    rows_ = 0;
  }

 private:
  std::unique_ptr<RowBatch> batch_;      // SQLite
  std::unique_ptr<store::Stmt> insert_;  // PostgreSQL
  std::vector<std::string> arrays_;      // PostgreSQL: each column's elements so far
  size_t rows_ = 0;
};

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

    // The same unenrolment statements for a batch (UnenrolBatch), in the same order.
    {
      const std::string grades =
          "FROM cs_reset_last t CROSS JOIN {grade_items} gi CROSS JOIN {grade_grades} x WHERE "
          "gi.courseid = t.course AND x.itemid = gi.id AND x.userid = t.userid";
      // The history copy reads the join itself (each grade joins one row of cs_reset_last, its
      // PK being (course, userid)), not `id IN (SELECT x.id ...)`: on PostgreSQL that was a
      // hash of 230,000 ids spilled to disk and an index probe per grade (1 s of 3.3 s).
      std::string xcols;
      {
        std::string cols = reset_sql::kGradeHistoryCols;
        size_t b = 0;
        while (b < cols.size()) {
          size_t e = cols.find(", ", b);
          if (e == std::string::npos) e = cols.size();
          xcols += (xcols.empty() ? "x." : ", x.") + cols.substr(b, e - b);
          b = e + 2;
        }
      }
      const std::string history_sql =
          std::string(
              "INSERT OR FAIL INTO {grade_grades_history} (action, oldid, source, timemodified, "
              "loggeduser, itemid, userid, ") +
          reset_sql::kGradeHistoryCols + ") SELECT 3, x.id, 'userdelete', ?, NULL, x.itemid, " +
          "x.userid, " + xcols + " " + grades;
      auto join = [](std::vector<std::string> tables, std::string from, std::string insert = "") {
        JoinStep s;
        s.tables = std::move(tables);
        s.from = std::move(from);
        s.insert = std::move(insert);
        return s;
      };
      unenrol_batch.push_back(join(
          {"groups_members", "groups"},
          "FROM cs_reset_gm t CROSS JOIN {groups} g CROSS JOIN {groups_members} x WHERE "
          "g.courseid = t.course AND x.groupid = g.id AND x.userid = t.userid AND x.component = "
          "t.component AND x.itemid = t.itemid"));
      unenrol_batch.back().pg_delete =
          "DELETE FROM {groups_members} x USING cs_reset_gm t, {groups} g WHERE g.courseid = "
          "t.course AND x.groupid = g.id AND x.userid = t.userid AND x.component = t.component AND "
          "x.itemid = t.itemid";
      unenrol_batch.push_back(join({"role_assignments"},
                                   "FROM cs_reset_ra t JOIN {role_assignments} x ON x.id = t.id"));
      unenrol_batch.back().pg_delete =
          "DELETE FROM {role_assignments} x USING cs_reset_ra t WHERE x.id = t.id";
      unenrol_batch.push_back(
          join({"user_enrolments"}, "FROM cs_reset_ue t JOIN {user_enrolments} x ON x.id = t.id"));
      unenrol_batch.back().pg_delete =
          "DELETE FROM {user_enrolments} x USING cs_reset_ue t WHERE x.id = t.id";
      unenrol_batch.push_back(join({"role_assignments", "context"},
                                   "FROM cs_reset_last t CROSS JOIN cs_reset_ctx c CROSS JOIN "
                                   "{role_assignments} x WHERE c.course = t.course AND "
                                   "x.contextid = c.id AND x.userid = t.userid"));
      unenrol_batch.back().pg_delete =
          "DELETE FROM {role_assignments} x USING cs_reset_last t, cs_reset_ctx c WHERE c.course = "
          "t.course AND x.contextid = c.id AND x.userid = t.userid";
      unenrol_batch.push_back(join({"groups_members", "groups"},
                                   "FROM cs_reset_last t CROSS JOIN {groups} g CROSS JOIN "
                                   "{groups_members} x WHERE g.courseid = t.course AND x.groupid = "
                                   "g.id AND x.userid = t.userid"));
      unenrol_batch.back().pg_delete =
          "DELETE FROM {groups_members} x USING cs_reset_last t, {groups} g WHERE g.courseid = "
          "t.course AND x.groupid = g.id AND x.userid = t.userid";
      unenrol_batch.push_back(
          join({"grade_grades_history", "grade_grades", "grade_items"}, "", history_sql));
      unenrol_batch.push_back(join({"grade_grades", "grade_items"}, grades));
      // PostgreSQL: the same rows by DELETE ... USING, a hash join over grade_grades; the IN form
      // was planned from a row estimate 40 times too low (the course-user pairs of
      // cs_reset_last) as a hash of every id and a primary-key probe per grade (0.6-1.4 s). The
      // other steps have a PostgreSQL form too: the hash join of the IN form was followed by a
      // primary-key probe per row (user_lastaccess, groups_members: 85-95 ms -> 25-30 ms).
      unenrol_batch.back().pg_delete =
          "DELETE FROM {grade_grades} x USING cs_reset_last t, {grade_items} gi WHERE gi.courseid "
          "= t.course AND x.itemid = gi.id AND x.userid = t.userid";
      unenrol_batch.push_back(join({"user_lastaccess"},
                                   "FROM cs_reset_last t JOIN {user_lastaccess} x ON x.courseid = "
                                   "t.course AND x.userid = t.userid"));
      unenrol_batch.back().pg_delete =
          "DELETE FROM {user_lastaccess} x USING cs_reset_last t WHERE x.courseid = t.course AND "
          "x.userid = t.userid";
    }

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

  ~Impl() {
    if (batch_cache.empty() && !fill_course_) return;
    // Statements first, then the temporary tables they read.
    batch_cache.clear();
    for (auto& s : unenrol_batch) s.count.reset(), s.run.reset();
    fill_course_.reset();
    batch_paths_.reset();
    b_instances_.reset();
    b_ues_.reset();
    b_ras_.reset();
    fill_gm_.reset();
    fill_ra_.reset();
    fill_ue_.reset();
    fill_last_.reset();
    for (auto it = probes.begin(); it != probes.end();) {
      it = it->first.rfind("batch_", 0) == 0 ? probes.erase(it) : std::next(it);
    }
    try {
      db.Exec(
          "DROP TABLE IF EXISTS cs_reset_course; DROP TABLE IF EXISTS cs_reset_mod; "
          "DROP TABLE IF EXISTS cs_reset_ctx; DROP TABLE IF EXISTS cs_reset_ra; "
          "DROP TABLE IF EXISTS cs_reset_ue; DROP TABLE IF EXISTS cs_reset_last; "
          "DROP TABLE IF EXISTS cs_reset_gm;");
    } catch (...) {
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

  // Binds a compiled per-course statement (reset first).
  static void BindParams(Compiled& c, const Binding& b, const std::vector<int64_t>& ids = {},
                         size_t from = 0) {
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
  }

  // Runs a step; returns the rows it deleted or updated (0 for an INSERT or a skipped step).
  int64_t Run(const ResetStep& step, const Binding& b, const std::vector<int64_t>& ids = {},
              size_t from = 0) {
    Compiled& c = Get(step);
    if (c.skip) return 0;
    store::Stmt& st = *c.st;
    BindParams(c, b, ids, from);
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

  // The data of one course that the unenrolment reads, and what it decides to delete.
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
  struct UnenrolData {
    std::unordered_map<int64_t, Inst> insts;
    std::vector<Ue> ues;  // by id
    std::vector<Ra> ras;  // in the course context, by id
  };
  struct UnenrolPlan {
    std::map<int64_t, std::vector<int64_t>> inst_users;  // instance -> users unenrolled from it
    std::vector<int64_t> del_ra, del_ue, last;           // last: users whose last enrolment went
    int64_t unenrolled = 0, roles_unassigned = 0;
  };

  // reset_course_userdata() `unenrol_users`: for each role, every user enrolled (through an
  // enabled instance that allows it) who holds the role in the course context loses that role
  // when they have other roles there, and is unenrolled otherwise (enrol_plugin::unenrol_user).
  UnenrolPlan PlanUnenrol(UnenrolData& d, const std::vector<int64_t>& roleids) {
    auto& insts = d.insts;
    auto& ues = d.ues;
    auto& ras = d.ras;
    std::unordered_map<int64_t, std::set<int64_t>> usersroles;
    std::unordered_map<int64_t, std::vector<size_t>> ras_of, ues_of;
    for (size_t i = 0; i < ras.size(); ++i) {
      usersroles[ras[i].userid].insert(ras[i].roleid);
      ras_of[ras[i].userid].push_back(i);
    }
    for (size_t i = 0; i < ues.size(); ++i) ues_of[ues[i].userid].push_back(i);

    UnenrolPlan plan;
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
              plan.del_ra.push_back(ra.id);
            }
          }
          roles.erase(roleid);
          lost_role.insert(ue.userid);
          continue;
        }
        // unenrol_user($instance, $userid)
        std::string component = "enrol_" + inst->second.enrol;
        plan.inst_users[ue.enrolid].push_back(ue.userid);
        for (size_t i : ras_of[ue.userid]) {
          Ra& ra = ras[i];
          if (!ra.gone && ra.component == component && ra.itemid == ue.enrolid) {
            ra.gone = true;
            plan.del_ra.push_back(ra.id);
          }
        }
        ue.gone = true;
        plan.del_ue.push_back(ue.id);
        unenrolled.insert(ue.userid);
        bool other = false;
        for (size_t i : ues_of[ue.userid]) other = other || !ues[i].gone;
        if (!other) {
          // role_unassign_all(userid, coursecontext, subcontexts): every remaining role.
          plan.last.push_back(ue.userid);
          for (size_t i : ras_of[ue.userid]) {
            if (!ras[i].gone) {
              ras[i].gone = true;
              plan.del_ra.push_back(ras[i].id);
            }
          }
        }
      }
    }
    plan.unenrolled = static_cast<int64_t>(unenrolled.size());
    for (int64_t u : lost_role) plan.roles_unassigned += unenrolled.count(u) ? 0 : 1;
    return plan;
  }

  // The unenrolment of one course (see PlanUnenrol); returns the rows removed.
  int64_t Unenrol(const Binding& b, const std::vector<int64_t>& roleids, ResetResult& r) {
    if (!instances_) {
      instances_ = db.Prepare("SELECT id, enrol, status FROM {enrol} WHERE courseid = ?");
      ues_ = db.Prepare(
          "SELECT ue.id, ue.enrolid, ue.userid, ue.status FROM {user_enrolments} ue JOIN {enrol} e "
          "ON e.id = ue.enrolid WHERE e.courseid = ? ORDER BY ue.id");
      ras_ = db.Prepare(
          "SELECT id, userid, roleid, component, itemid FROM {role_assignments} WHERE contextid = "
          "? ORDER BY id");
    }
    UnenrolData d;
    instances_->Reset();
    instances_->Bind(1, b.course);
    while (instances_->Step()) {
      d.insts[instances_->Int(0)] = {instances_->Text(1), instances_->Int(2)};
    }
    ues_->Reset();
    ues_->Bind(1, b.course);
    while (ues_->Step()) d.ues.push_back({ues_->Int(0), ues_->Int(1), ues_->Int(2), ues_->Int(3)});
    ras_->Reset();
    ras_->Bind(1, b.ctxid);
    while (ras_->Step()) {
      d.ras.push_back({ras_->Int(0), ras_->Int(1), ras_->Int(2), ras_->Text(3), ras_->Int(4)});
    }
    UnenrolPlan plan = PlanUnenrol(d, roleids);
    int64_t n = 0;
    Binding bb = b;
    for (auto& [instid, users] : plan.inst_users) {
      bb.component = "enrol_" + d.insts[instid].enrol;
      bb.itemid = instid;
      n += RunIds(unenrol_steps[0], bb, users, r);
    }
    n += RunIds(unenrol_steps[1], b, plan.del_ra, r);
    n += RunIds(unenrol_steps[2], b, plan.del_ue, r);
    if (!plan.last.empty()) {
      for (size_t i = 3; i < unenrol_steps.size(); ++i) {
        n += RunIds(unenrol_steps[i], b, plan.last, r);
      }
    }
    r.unenrolled += plan.unenrolled;
    r.roles_unassigned += plan.roles_unassigned;
    return n;
  }
  // -------------------------------------------------------------------------------------------
  // Batches: one request applied to many courses, each step one statement for the whole batch.
  // Temporary tables (the connection's, emptied per batch):
  //   cs_reset_course (id, ctxid)   the batch's courses and their course context;
  //   cs_reset_mod (id, ctxid)      those of them with an instance of the module at hand;
  //   cs_reset_ctx (course, id)     every context below each course context (@children);
  //   cs_reset_gm / _ra / _ue / _last   what the unenrolment removes, per course.
  // A DELETE step runs as two statements: the rows it will remove per course (its per-course
  // condition as a correlated subquery, which keeps the per-course plan), then the DELETE of the
  // whole set (`= :course` becomes `IN (SELECT id FROM <set>)`). An UPDATE whose SET reads the
  // course runs per course, pipelined.
  struct BatchCompiled {
    std::unique_ptr<store::Stmt> count, run;
    std::vector<Param> params;  // of `run`: kNow only
    bool skip = false, deletes = false, per_course = false;
    std::string table;
  };
  // An unenrolment statement over the cs_reset_gm/_ra/_ue/_last rows: `from` joins them (alias
  // t, with t.course) to the rows of `table` to delete (alias x); or an INSERT (`insert`). The
  // CROSS JOINs keep SQLite's planner in the written order (from the few rows of t through the
  // course's groups or items), never from a user's rows in every course of the site.
  struct JoinStep {
    std::vector<std::string> tables;
    std::string from, insert;
    // PostgreSQL: the DELETE itself (DELETE ... USING), where the IN form plans badly.
    std::string pg_delete;
    std::unique_ptr<store::Stmt> count, run;
    bool compiled = false, skip = false;
  };
  std::map<std::pair<const ResetStep*, std::string>, BatchCompiled> batch_cache;
  std::vector<JoinStep> unenrol_batch;
  std::unique_ptr<store::Stmt> fill_course_, batch_paths_, b_instances_, b_ues_, b_ras_;
  std::unique_ptr<TempFill> fill_gm_, fill_ra_, fill_ue_, fill_last_;
  std::vector<Binding> batch;  // the batch's courses, in order
  std::unordered_map<int64_t, size_t> batch_pos;
  std::vector<ResetResult>* results = nullptr;
  int64_t truncate_min_rows = 1000;
  bool analyzed_ = false;

  bool sqlite() const { return db.dialect() == store::Dialect::kSqlite; }

  // A step's SQL for the courses of `set` (a temporary table: id, ctxid). `correlated`: for one
  // course, the row cs_b of `set`; else for all of them at once.
  static std::string BatchSql(const std::string& in, const std::string& set, bool correlated,
                              std::vector<Param>* params) {
    std::string sql = in;
    const std::string children =
        correlated ? "SELECT cs_x.id FROM cs_reset_ctx cs_x WHERE cs_x.course = cs_b.id"
                   : "SELECT cs_x.id FROM cs_reset_ctx cs_x WHERE cs_x.course IN (SELECT id FROM " +
                         set + ")";
    for (size_t p; (p = sql.find("@children")) != std::string::npos;) sql.replace(p, 9, children);
    std::string out;
    bool quote = false;
    for (size_t i = 0; i < sql.size(); ++i) {
      char ch = sql[i];
      if (ch == '\'') quote = !quote;
      if (!quote && ch == '@') throw std::logic_error("reset step: @ids in a batch: " + in);
      if (!quote && ch == ':' && i + 1 < sql.size() &&
          std::isalpha(static_cast<unsigned char>(sql[i + 1]))) {
        size_t e = i + 1;
        while (e < sql.size() && std::isalnum(static_cast<unsigned char>(sql[e]))) ++e;
        std::string name = sql.substr(i + 1, e - i - 1);
        if (name == "now") {
          out += '?';
          params->push_back(Param::kNow);
        } else if (name == "course" || name == "ctxid") {
          const std::string col = name == "course" ? "id" : "ctxid";
          if (correlated) {
            out += "cs_b." + col;
          } else {
            // `x = :course` becomes `x IN (SELECT id FROM set)`.
            size_t eq = out.find_last_not_of(' ');
            if (eq == std::string::npos || eq == 0 || out[eq] != '=' ||
                std::string("<>!").find(out[eq - 1]) != std::string::npos) {
              throw std::logic_error("reset step: :" + name + " must follow '=': " + in);
            }
            out.erase(eq);
            out += "IN (SELECT " + col + " FROM " + set + ")";
          }
        } else {
          throw std::logic_error("reset step: :" + name + " has no batch form: " + in);
        }
        i = e - 1;
        continue;
      }
      out += ch;
    }
    return out;
  }

  BatchCompiled& GetBatch(const ResetStep& step, const std::string& set) {
    auto key = std::make_pair(&step, set);
    auto it = batch_cache.find(key);
    if (it != batch_cache.end()) return it->second;
    BatchCompiled c;
    c.table = step.tables.empty() ? "" : step.tables.front();
    for (const auto& t : step.tables) c.skip = c.skip || !TableExists(t);
    if (!c.skip) {
      size_t where = TopLevelWhere(step.sql);
      c.deletes = StartsWithWord(step.sql, "DELETE");
      // An UPDATE whose SET reads the course (before its own WHERE, not in a subquery's).
      c.per_course = StartsWithWord(step.sql, "UPDATE") &&
                     step.sql.substr(0, where).find(":course") != std::string::npos;
      if (c.deletes) {
        const std::string head = "DELETE FROM ";
        if (step.sql.compare(0, head.size(), head) != 0 || where == std::string::npos) {
          throw std::logic_error("reset step: not DELETE FROM t WHERE ...: " + step.sql);
        }
        std::vector<Param> none;
        std::string cond = BatchSql(step.sql.substr(where + 7), set, true, &none);
        if (!none.empty()) throw std::logic_error("reset step: parameters in " + step.sql);
        if (!sqlite()) {
          // PostgreSQL cannot serve `contextid = a OR contextid IN (sub)` from the contextid
          // index: a scan of the whole table per course (0.1-0.15 s per step for 1,000 courses).
          // One IN over both is a semi-join probing the index (same rows, same count).
          const std::string children =
              "SELECT cs_x.id FROM cs_reset_ctx cs_x WHERE cs_x.course = cs_b.id";
          const std::string either = "contextid = cs_b.ctxid OR contextid IN (" + children + ")";
          for (size_t p; (p = cond.find(either)) != std::string::npos;) {
            cond.replace(p, either.size(),
                         "contextid IN (SELECT cs_b.ctxid UNION ALL " + children + ")");
          }
        }
        const std::string table = step.sql.substr(head.size(), where - head.size());
        const std::string grouped = sqlite() ? "" : PgGroupedCount(table, cond, set);
        if (!grouped.empty()) {
          c.count = db.Prepare(grouped);
        } else {
          c.count = db.Prepare("SELECT cs_b.id, (SELECT COUNT(*) FROM " + table + " WHERE " + cond +
                               ") FROM " + set + " cs_b");
        }
      }
      if (!c.per_course) c.run = db.Prepare(BatchSql(step.sql, set, false, &c.params));
    }
    return batch_cache.emplace(key, std::move(c)).first->second;
  }

  // Deletes `total` rows (already counted) of `table` with `run`; on SQLite, when they are every
  // row of the table, by emptying it at once (its pages freed without visiting the rows, each
  // with an entry in every index; SQLite falls back to row by row when the table has triggers).
  void FinishDelete(const std::string& table, int64_t total, store::Stmt& run) {
    if (total == 0) return;
    if (sqlite() && total >= truncate_min_rows &&
        db.QueryInt("SELECT COUNT(*) FROM {" + table + "}").value_or(-1) == total) {
      db.Execute("DELETE FROM {" + table + "}");
      return;
    }
    run.SendBound();
  }

  // Runs a step over the courses of `set` (batch positions `members`); a DELETE adds the rows it
  // removes per course to `removed` (indexed by batch position) and to the table counts.
  void RunBatch(const ResetStep& step, const std::string& set, const std::vector<size_t>& members,
                std::vector<int64_t>& removed) {
    BatchCompiled& c = GetBatch(step, set);
    if (c.skip) return;
    if (c.per_course) {
      Compiled& one = Get(step);
      for (size_t pos : members) {
        BindParams(one, batch[pos]);
        one.st->SendBound();
      }
      return;
    }
    c.run->Reset();
    for (size_t i = 0; i < c.params.size(); ++i) c.run->Bind(static_cast<int>(i + 1), now);
    if (!c.deletes) {
      c.run->SendBound();
      return;
    }
    int64_t total = 0;
    c.count->Reset();
    while (c.count->Step()) total += AddRemoved(c.table, c.count->Int(0), c.count->Int(1), removed);
    c.count->Reset();
    FinishDelete(c.table, total, *c.run);
  }

  // `n` rows of `table` removed from batch course `course`: added to `removed` (by batch
  // position) and to the course's table counts. Returns n.
  int64_t AddRemoved(const std::string& table, int64_t course, int64_t n,
                     std::vector<int64_t>& removed) {
    if (!n) return 0;
    const size_t pos = batch_pos.at(course);
    removed[pos] += n;
    (*results)[pos].tables[table] += n;
    return n;
  }

  void RunOptionBatch(const ResetOption& o, const std::string& set,
                      const std::vector<size_t>& members, bool gradebook_grades) {
    std::vector<int64_t> removed(batch.size(), 0);
    for (const auto& step : o.steps) {
      if (step.when == ResetWhen::kGradebookGradesReset && !gradebook_grades) continue;
      if (step.when == ResetWhen::kGradebookGradesKept && gradebook_grades) continue;
      RunBatch(step, set, members, removed);
    }
    for (size_t pos : members) AddArea((*results)[pos], o.area_name(), removed[pos]);
  }

  void Analyze(const char* table) {
    if (!sqlite()) db.Exec(std::string("ANALYZE ") + table);
  }

  // PostgreSQL plans the set-based statements (and the per-course counts, generic subplans)
  // from statistics. Right after a bulk load (a demo site, a restored dump) tables have none
  // until autovacuum gets to them, and the plans become scans of whole tables once per course
  // (30 s for 1,000 courses): so the tables the reset reads that were never analysed are
  // analysed once per run (pg_class.reltuples < 0).
  void AnalyzeNewTables() {
    if (sqlite() || analyzed_) return;
    analyzed_ = true;
    std::set<std::string> used = {"context",          "enrol",          "user_enrolments",
                                  "role_assignments", "course_modules", "modules",
                                  "groups",           "grade_items"};
    auto add = [&](const ResetStep& st) { used.insert(st.tables.begin(), st.tables.end()); };
    for (const auto& o : CoreResetOptions()) {
      for (const auto& st : o.steps) add(st);
    }
    for (const auto& m : ResetModules()) {
      used.insert(m.name);
      for (const auto& o : m.options) {
        for (const auto& st : o.steps) add(st);
      }
    }
    for (const auto& st : unenrol_batch) used.insert(st.tables.begin(), st.tables.end());
    auto st = db.Prepare(
        "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples < 0 AND relnamespace = "
        "current_schema()::regnamespace");
    std::string list;
    while (st->Step()) {
      std::string name = st->Text(0);
      if (name.compare(0, db.prefix().size(), db.prefix()) != 0) continue;
      if (!used.count(name.substr(db.prefix().size()))) continue;
      list += (list.empty() ? "" : ", ") + name;  // names of the registry, never input
    }
    st.reset();
    if (list.empty()) return;
    // Sampled with the batch's default_statistics_target of 10 (StartBatch): 3,000 rows per
    // table instead of 30,000. The plans here need row counts and rough selectivities, which it
    // gives in a quarter of the time (1 s -> 0.25 s for the demo site of reset_bench). Only
    // tables that had no statistics at all get these.
    db.Exec("ANALYZE " + list);
  }

  void StartBatch(const std::vector<int64_t>& ids) {
    if (!sqlite()) {
      // For the rest of the run's transaction: every ANALYZE of the reset (the tables without
      // statistics, the temporary tables of each batch) samples 3,000 rows, not 30,000 (the
      // temporary tables: 60 -> 25 ms per batch of 1,000 courses); reading the batch's role
      // assignments sorts 50,000 rows in memory rather than on disk; no JIT compilation, which
      // cost more than it saved (the fill of cs_reset_ctx: 40-80 -> 11-25 ms).
      db.Exec(
          "SET LOCAL default_statistics_target = 10; SET LOCAL work_mem = '32MB'; SET LOCAL jit = "
          "off");
    }
    AnalyzeNewTables();
    db.Exec(
        "CREATE TEMP TABLE IF NOT EXISTS cs_reset_course (id BIGINT PRIMARY KEY, ctxid BIGINT); "
        "CREATE TEMP TABLE IF NOT EXISTS cs_reset_mod (id BIGINT PRIMARY KEY, ctxid BIGINT); "
        "CREATE TEMP TABLE IF NOT EXISTS cs_reset_ctx (course BIGINT, id BIGINT, "
        "PRIMARY KEY (course, id)); "
        "CREATE TEMP TABLE IF NOT EXISTS cs_reset_ra (course BIGINT, id BIGINT PRIMARY KEY); "
        "CREATE TEMP TABLE IF NOT EXISTS cs_reset_ue (course BIGINT, id BIGINT PRIMARY KEY); "
        "CREATE TEMP TABLE IF NOT EXISTS cs_reset_last (course BIGINT, userid BIGINT, "
        "PRIMARY KEY (course, userid)); "
        "CREATE TEMP TABLE IF NOT EXISTS cs_reset_gm (course BIGINT, component VARCHAR(100), "
        "itemid BIGINT, userid BIGINT); "
        "DELETE FROM cs_reset_course; DELETE FROM cs_reset_mod; DELETE FROM cs_reset_ctx; "
        "DELETE FROM cs_reset_ra; DELETE FROM cs_reset_ue; DELETE FROM cs_reset_last; "
        "DELETE FROM cs_reset_gm;");
    if (!fill_course_) {
      fill_course_ = db.Prepare(
          "INSERT INTO cs_reset_course (id, ctxid) VALUES (?, (SELECT id FROM {context} WHERE "
          "contextlevel = 50 AND instanceid = ?))");
      batch_paths_ = db.Prepare(
          "SELECT b.id, b.ctxid, c.path FROM cs_reset_course b LEFT JOIN {context} c ON c.id = "
          "b.ctxid");
    }
    for (int64_t id : ids) fill_course_->Send(id, id);
    Analyze("cs_reset_course");
    // The contexts below each course context: [path/, path0) ('0' follows '/'). On PostgreSQL
    // the byte-wise operators in a LATERAL subquery: one range scan of the path index per course.
    db.Exec(
        std::string("INSERT INTO cs_reset_ctx (course, id) SELECT b.id, c.id FROM "
                    "cs_reset_course b JOIN {context} cc ON cc.id = b.ctxid AND cc.path <> '' ") +
        (sqlite() ? "JOIN {context} c ON c.path >= cc.path || '/' AND c.path < cc.path || '0'"
                  : "CROSS JOIN LATERAL (SELECT id FROM {context} s WHERE s.path ~>=~ "
                    "(cc.path || '/') AND s.path ~<~ (cc.path || '0') OFFSET 0) c"));
    Analyze("cs_reset_ctx");
    batch.assign(ids.size(), Binding{});
    batch_pos.clear();
    for (size_t i = 0; i < ids.size(); ++i) batch_pos[ids[i]] = i;
    batch_paths_->Reset();
    while (batch_paths_->Step()) {
      Binding& b = batch[batch_pos.at(batch_paths_->Int(0))];
      b.course = batch_paths_->Int(0);
      b.now = now;
      b.ctxid = batch_paths_->IsNull(1) ? 0 : batch_paths_->Int(1);
      std::string path = batch_paths_->IsNull(2) ? "" : batch_paths_->Text(2);
      if (!path.empty()) {
        b.lo = path + "/";
        b.hi = path + "0";
        b.like = path + "/%";
      }
    }
    batch_paths_->Reset();
  }

  // The unenrolment of every course of the batch: the same decisions as Unenrol(), from rows
  // read for the whole batch, and one statement per table.
  void UnenrolBatch(const std::vector<int64_t>& roleids, std::vector<int64_t>& removed) {
    if (!b_instances_) {
      b_instances_ = db.Prepare(
          "SELECT courseid, id, enrol, status FROM {enrol} WHERE courseid IN (SELECT id FROM "
          "cs_reset_course)");
      b_ues_ = db.Prepare(
          "SELECT e.courseid, ue.id, ue.enrolid, ue.userid, ue.status FROM {user_enrolments} ue "
          "JOIN {enrol} e ON e.id = ue.enrolid WHERE e.courseid IN (SELECT id FROM "
          "cs_reset_course) ORDER BY ue.id");
      b_ras_ = db.Prepare(
          "SELECT b.id, ra.id, ra.userid, ra.roleid, ra.component, ra.itemid FROM cs_reset_course "
          "b JOIN {role_assignments} ra ON ra.contextid = b.ctxid ORDER BY ra.id");
      // One statement per table on PostgreSQL; on SQLite one per 250 (gm) or 500 rows, not per
      // row (200,000 rows for 1,000 courses of 50 users).
      fill_gm_ = std::make_unique<TempFill>(
          db, "cs_reset_gm", std::vector<std::string>{"course", "component", "itemid", "userid"},
          std::vector<std::string>{"bigint", "text", "bigint", "bigint"}, 250);
      const std::vector<std::string> two = {"bigint", "bigint"};
      fill_ra_ = std::make_unique<TempFill>(db, "cs_reset_ra",
                                            std::vector<std::string>{"course", "id"}, two, 500);
      fill_ue_ = std::make_unique<TempFill>(db, "cs_reset_ue",
                                            std::vector<std::string>{"course", "id"}, two, 500);
      fill_last_ = std::make_unique<TempFill>(
          db, "cs_reset_last", std::vector<std::string>{"course", "userid"}, two, 500);
    }
    std::vector<UnenrolData> data(batch.size());
    b_instances_->Reset();
    while (b_instances_->Step()) {
      data[batch_pos.at(b_instances_->Int(0))].insts[b_instances_->Int(1)] = {b_instances_->Text(2),
                                                                              b_instances_->Int(3)};
    }
    b_instances_->Reset();
    b_ues_->Reset();
    while (b_ues_->Step()) {
      data[batch_pos.at(b_ues_->Int(0))].ues.push_back(
          {b_ues_->Int(1), b_ues_->Int(2), b_ues_->Int(3), b_ues_->Int(4)});
    }
    b_ues_->Reset();
    b_ras_->Reset();
    while (b_ras_->Step()) {
      data[batch_pos.at(b_ras_->Int(0))].ras.push_back(
          {b_ras_->Int(1), b_ras_->Int(2), b_ras_->Int(3), b_ras_->Text(4), b_ras_->Int(5)});
    }
    b_ras_->Reset();
    bool any_last = false;
    for (size_t pos = 0; pos < batch.size(); ++pos) {
      const int64_t course = batch[pos].course;
      UnenrolPlan plan = PlanUnenrol(data[pos], roleids);
      for (auto& [instid, users] : plan.inst_users) {
        const std::string component = "enrol_" + data[pos].insts[instid].enrol;
        for (int64_t u : users) fill_gm_->Add({course, component, instid, u});
      }
      for (int64_t id : plan.del_ra) fill_ra_->Add({course, id});
      for (int64_t id : plan.del_ue) fill_ue_->Add({course, id});
      for (int64_t u : plan.last) fill_last_->Add({course, u});
      any_last = any_last || !plan.last.empty();
      (*results)[pos].unenrolled += plan.unenrolled;
      (*results)[pos].roles_unassigned += plan.roles_unassigned;
    }
    for (TempFill* f : {fill_gm_.get(), fill_ra_.get(), fill_ue_.get(), fill_last_.get()}) {
      f->Flush();
    }
    for (const char* t : {"cs_reset_gm", "cs_reset_ra", "cs_reset_ue", "cs_reset_last"}) Analyze(t);
    for (size_t i = 0; i < unenrol_batch.size(); ++i) {
      if (i >= 3 && !any_last) break;
      JoinStep& s = unenrol_batch[i];
      if (!s.compiled) {
        s.compiled = true;
        for (const auto& t : s.tables) s.skip = s.skip || !TableExists(t);
        if (!s.skip && s.insert.empty()) {
          s.count = db.Prepare("SELECT t.course, COUNT(*) " + s.from + " GROUP BY t.course");
          if (!sqlite() && !s.pg_delete.empty()) {
            s.run = db.Prepare(s.pg_delete);
          } else {
            s.run = db.Prepare("DELETE FROM {" + s.tables[0] + "} WHERE id IN (SELECT x.id " +
                               s.from + ")");
          }
        } else if (!s.skip) {
          s.run = db.Prepare(s.insert);
        }
      }
      if (s.skip) continue;
      if (!s.count) {
        s.run->Reset();
        s.run->Bind(1, now);  // the history copy: :now is its only parameter
        s.run->SendBound();
        continue;
      }
      int64_t total = 0;
      s.count->Reset();
      while (s.count->Step()) {
        total += AddRemoved(s.tables[0], s.count->Int(0), s.count->Int(1), removed);
      }
      s.count->Reset();
      s.run->Reset();
      FinishDelete(s.tables[0], total, *s.run);
    }
  }
};

CourseResetter::CourseResetter(store::Db& db, int64_t now)
    : impl_(std::make_unique<Impl>(db, now)) {}
CourseResetter::~CourseResetter() = default;

// The core areas in Moodle's reset order (reset_course_userdata); the unenrolment by role
// ("roles") runs between the two lists, the gradebook after the modules.
const char* const kCoreBeforeRoles[] = {"events",           "notes", "blog_associations",
                                        "completion",       "logs",  "local_roles_overrides",
                                        "local_roles_roles"};
const char* const kCoreAfterRoles[] = {"groups_members", "groups_groups", "groupings_members",
                                       "groupings_groupings"};

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
  for (const char* key : kCoreBeforeRoles) core(key);
  if (!req.unenrol_roleids.empty()) Impl::AddArea(r, "roles", m.Unenrol(b, req.unenrol_roleids, r));
  for (const char* key : kCoreAfterRoles) core(key);

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

std::vector<ResetResult> CourseResetter::ResetBatch(const std::vector<int64_t>& courseids,
                                                    const ResetRequest& req) {
  if (req.startdate) throw std::invalid_argument("a start date change is reset per course");
  std::set<int64_t> seen;
  for (int64_t id : courseids) {
    if (id == kSiteCourseId) throw std::invalid_argument("the site course cannot be reset");
    if (!seen.insert(id).second) {
      throw std::invalid_argument("course id " + std::to_string(id) + " twice in a batch");
    }
  }
  std::vector<ResetResult> out(courseids.size());
  if (courseids.empty()) return out;
  Impl& m = *impl_;
  m.results = &out;
  m.StartBatch(courseids);
  std::vector<size_t> all(courseids.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  const bool gb = req.gradebook_grades();
  const std::string set = "cs_reset_course";

  auto core = [&](const char* key) {
    if (!req.core.count(key)) return;
    m.RunOptionBatch(*FindCoreOption(key), set, all, gb);
  };
  for (const char* key : kCoreBeforeRoles) core(key);
  if (!req.unenrol_roleids.empty()) {
    std::vector<int64_t> removed(out.size(), 0);
    m.UnenrolBatch(req.unenrol_roleids, removed);
    for (size_t pos : all) Impl::AddArea(out[pos], "roles", removed[pos]);
  }
  for (const char* key : kCoreAfterRoles) core(key);

  for (const auto& mod : ResetModules()) {
    bool wanted = false;
    for (const auto& o : mod.options) wanted = wanted || req.module_options.count(o.column);
    if (!wanted || !m.TableExists(mod.name)) continue;
    // The courses with an instance of the module (Moodle runs a module's reset only then).
    auto& having = m.probes["batch_" + mod.name];
    if (!having) {
      having = m.db.Prepare("SELECT b.id FROM cs_reset_course b WHERE EXISTS (SELECT 1 FROM {" +
                            mod.name + "} x WHERE x.course = b.id)");
    }
    std::vector<size_t> members;
    having->Reset();
    while (having->Step()) members.push_back(m.batch_pos.at(having->Int(0)));
    having->Reset();
    if (members.empty()) continue;
    std::string mset = set;
    if (members.size() < out.size()) {
      mset = "cs_reset_mod";
      m.db.Exec("DELETE FROM cs_reset_mod");
      m.db.Exec(
          "INSERT INTO cs_reset_mod (id, ctxid) SELECT id, ctxid FROM cs_reset_course b "
          "WHERE EXISTS (SELECT 1 FROM {" +
          mod.name + "} x WHERE x.course = b.id)");
      m.Analyze("cs_reset_mod");
    }
    for (const auto& o : mod.options) {
      if (req.module_options.count(o.column)) m.RunOptionBatch(o, mset, members, gb);
    }
    for (size_t pos : members) out[pos].modules.push_back(mod.name);
  }

  if (req.core.count("grades_items")) {
    core("grades_items");
  } else {
    core("grades_grades");
  }
  core("comments");
  // On PostgreSQL the last statements may still be in the pipeline: their failure belongs to
  // this batch.
  if (m.db.dialect() == store::Dialect::kPostgres) m.db.QueryInt("SELECT 1");
  m.results = nullptr;
  return out;
}

}  // namespace cs::sync
