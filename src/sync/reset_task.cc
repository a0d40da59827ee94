// The course reset file (tool_sync.md §3 with its Recommendations, §7 items 39–46; moodle_core.md
// §2.4). Reset files are small: every record is read and validated first, so a bad header or a
// bad value anywhere rejects the file before anything changes; then the courses are reset by one
// CourseResetter (statements prepared once per run): courses sharing a request in set-based
// batches (ResetBatch), lines with a start date and courses named twice one by one in file
// order (see ApplyAll()); the report keeps the file order. Each course is reset fully or not at
// all: a savepoint per batch, and per course when a batch fails, used only when a first pass
// without them meets a failure (see Run()).
//
// Line outcomes:
//   reset    the areas asked for were reset; details give the rows removed per area and table;
//   skipped  every column of the line says "no": nothing to do;
//   failed   empty, unknown or ambiguous identifier, the site course, or an error while
//            resetting (the course is left as it was); in the tryback file.
#include <algorithm>
#include <cstdint>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sync/course_index.h"
#include "sync/errors.h"
#include "sync/reset_modules.h"
#include "sync/tasks_reset.h"
#include "sync/values.h"

namespace cs::sync {

std::vector<std::string> DefaultResetHeader(const std::string& identifier) {
  return {
      identifier,          "roles",  "local_roles", "completion", "grades",   "groups", "groupings",
      "blog_associations", "events", "logs",        "notes",      "comments", "modules"};
}

std::vector<std::string> DefaultResetValues() {
  return {"student teacher guest",
          "all",
          "yes",
          "all",
          "all",
          "all",
          "yes",
          "yes",
          "yes",
          "yes",
          "yes",
          "all"};
}

namespace {

enum class Kind {
  kIdentifier,       // the configured identifier
  kOtherIdentifier,  // another identifier column: accepted, not used
  kFlag,             // yes/no core column
  kGrades,
  kLocalRoles,
  kGroups,
  kGroupings,
  kRoles,
  kModules,
  kModuleOption,
  kLegacy,  // columns of the original for modules that do not exist here (scheduler, assignment)
  kStartdate,
};

struct Column {
  Kind kind;
  std::string name;  // normalised (trimmed, lower case)
};

const char* const kFlagColumns[] = {"events",   "logs",       "notes",
                                    "comments", "completion", "blog_associations"};
const char* const kLegacyColumns[] = {"slots", "apointments", "assignment_submissions"};
const char kBoolValues[] = "yes, 1, true, all / no, 0, false, none (empty = no)";

bool IsYes(const std::string& v) { return v == "yes" || v == "1" || v == "true" || v == "all"; }
bool IsNo(const std::string& v) {
  return v.empty() || v == "no" || v == "0" || v == "false" || v == "none";
}

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string FormatShift(int64_t s) {
  std::string sign = s < 0 ? "-" : "+";
  int64_t a = s < 0 ? -s : s;
  if (a % 86400 == 0) return sign + std::to_string(a / 86400) + " day" + (a == 86400 ? "" : "s");
  return sign + std::to_string(a) + " s";
}

std::string FormatDate(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

// One validated line.
struct Plan {
  int64_t line = 0;
  std::vector<std::string> fields;
  std::string identifier;
  ResetRequest request;
  std::vector<std::string> notes;
};

// What one pass over the file produced; published once the pass is complete.
struct Pass {
  std::vector<std::optional<LineResult>> lines;  // per plan (file order)
  std::vector<bool> tryback;                     // per plan
  int64_t courses_reset = 0;
  std::map<std::string, int64_t> area_totals, table_totals;
};

// A course failed while no savepoint protected it: the pass is abandoned.
struct RetryWithSavepoints {};

class ResetRunner {
 public:
  explicit ResetRunner(TaskContext& ctx) : ctx_(ctx), courses_(ctx.db) {
    auto roles = ctx.db.Prepare("SELECT id, shortname FROM {role} ORDER BY sortorder, id");
    while (roles->Step()) roles_.emplace_back(roles->Int(0), Lower(roles->Text(1)));
    auto mods = ctx.db.Prepare("SELECT name FROM {modules}");
    while (mods->Step()) installed_.insert(Lower(mods->Text(0)));
  }

  void Run() {
    ReadHeader();
    std::vector<Plan> plans;
    csv::Record rec;
    while (ctx_.reader.Next(rec)) plans.push_back(Validate(rec));
    ctx_.report.read = static_cast<int64_t>(plans.size());
    CourseResetter engine(ctx_.db, static_cast<int64_t>(std::time(nullptr)));
    // A savepoint per course makes SQLite copy every page the course touches to its statement
    // journal, a third of the run. So the file is first applied without them; should a course
    // fail, the transaction is rolled back and the file applied again with one savepoint per
    // course, which leaves out the failing course alone. Same result, and no cost when nothing
    // fails.
    for (bool savepoints : {false, true}) {
      Pass pass;
      try {
        ApplyAll(engine, plans, savepoints, pass);
      } catch (const RetryWithSavepoints&) {
        ctx_.db.Rollback();
        ctx_.db.Begin();
        continue;
      }
      Publish(plans, std::move(pass));
      return;
    }
  }

 private:
  [[noreturn]] void Reject(int64_t line, const std::string& msg) const {
    throw Rejected(ctx_.reader.name() + ": line " + std::to_string(line) + ": " + msg +
                   " (file rejected, nothing changed)");
  }

  void ReadHeader() {
    csv::Record rec;
    if (!ctx_.reader.Next(rec)) Reject(1, "the file is empty (no header)");
    if (char f = csv::DetectForeignSeparator(rec, ctx_.csv.separator)) {
      Reject(rec.line, "invalid separator detected: the header holds '" + csv::SeparatorName(f) +
                           "' but the separator is '" + csv::SeparatorName(ctx_.csv.separator) +
                           "' (set csvseparator or --separator)");
    }
    ctx_.tryback.SetHeader(rec.fields);
    std::map<std::string, size_t> seen;
    bool any_reset_column = false;
    std::vector<std::string> ignored;
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      std::string name = Lower(Trim(rec.fields[i]));
      std::string where = "column " + std::to_string(i + 1);
      if (name.empty()) Reject(rec.line, where + " has no name");
      auto [it, fresh] = seen.emplace(name, i);
      if (!fresh) {
        Reject(rec.line, where + ": column '" + Excerpt(name) + "' already appears in column " +
                             std::to_string(it->second + 1));
      }
      Column c{Kind::kFlag, name};
      if (name == ctx_.identifier) {
        c.kind = Kind::kIdentifier;
        ident_col_ = i;
      } else if (name == "shortname" || name == "idnumber" || name == "id") {
        c.kind = Kind::kOtherIdentifier;
        ignored.push_back(name);
      } else if (std::find(std::begin(kFlagColumns), std::end(kFlagColumns), name) !=
                 std::end(kFlagColumns)) {
        c.kind = Kind::kFlag;
      } else if (name == "grades") {
        c.kind = Kind::kGrades;
      } else if (name == "local_roles") {
        c.kind = Kind::kLocalRoles;
      } else if (name == "groups") {
        c.kind = Kind::kGroups;
      } else if (name == "groupings") {
        c.kind = Kind::kGroupings;
      } else if (name == "roles") {
        c.kind = Kind::kRoles;
      } else if (name == "modules") {
        c.kind = Kind::kModules;
      } else if (name == "startdate") {
        c.kind = Kind::kStartdate;
      } else if (FindModuleOption(name)) {
        c.kind = Kind::kModuleOption;
      } else if (std::find(std::begin(kLegacyColumns), std::end(kLegacyColumns), name) !=
                 std::end(kLegacyColumns)) {
        c.kind = Kind::kLegacy;
      } else {
        Reject(rec.line, where + ": unknown column '" + Excerpt(Trim(rec.fields[i])) +
                             "' (accepted: the identifier " + ctx_.identifier + ", " +
                             AcceptedColumns() + ")");
      }
      any_reset_column =
          any_reset_column || (c.kind != Kind::kIdentifier && c.kind != Kind::kOtherIdentifier);
      columns_.push_back(c);
    }
    if (!ident_col_) {
      Reject(rec.line, "the course identifier is '" + ctx_.identifier + "' but the file has no '" +
                           ctx_.identifier + "' column");
    }
    if (!any_reset_column) Reject(rec.line, "the header names no reset column: nothing to reset");
    for (const auto& name : ignored) {
      ctx_.report.notes.push_back("column '" + name + "' is not used: courses are found by " +
                                  ctx_.identifier);
    }
  }

  static std::string AcceptedColumns() {
    std::vector<std::string> v(std::begin(kFlagColumns), std::end(kFlagColumns));
    for (const char* c :
         {"grades", "roles", "local_roles", "groups", "groupings", "modules", "startdate"}) {
      v.push_back(c);
    }
    for (const auto& m : ResetModules()) {
      for (const auto& o : m.options) v.push_back(o.column);
    }
    return Join(v, ", ");
  }

  [[noreturn]] void BadValue(const csv::Record& rec, size_t col, const std::string& value,
                             const std::string& accepted) const {
    Reject(rec.line, "column " + std::to_string(col + 1) + " (" + columns_[col].name +
                         "): invalid value '" + value + "'; accepted: " + accepted);
  }

  Plan Validate(const csv::Record& rec) {
    if (rec.fields.size() != columns_.size()) {
      Reject(rec.line, std::to_string(rec.fields.size()) + " values, " +
                           std::to_string(columns_.size()) + " expected (one per header column)");
    }
    Plan p;
    p.line = rec.line;
    p.fields = rec.fields;
    p.identifier = Trim(rec.fields[*ident_col_]);
    ResetRequest& req = p.request;
    std::optional<std::set<std::string>> defaults;  // from `modules`
    std::map<std::string, bool> overrides;          // per-module option columns
    for (size_t i = 0; i < columns_.size(); ++i) {
      const Column& c = columns_[i];
      std::string raw = Trim(rec.fields[i]);
      std::string v = Lower(raw);
      switch (c.kind) {
        case Kind::kIdentifier:
        case Kind::kOtherIdentifier:
          break;
        case Kind::kFlag:
        case Kind::kLegacy:
        case Kind::kModuleOption: {
          bool yes = IsYes(v);
          if (!yes && !IsNo(v)) BadValue(rec, i, raw, kBoolValues);
          if (c.kind == Kind::kFlag && yes) req.core.insert(c.name);
          if (c.kind == Kind::kLegacy && yes) {
            p.notes.push_back(c.name + ": no such activity module here, ignored");
          }
          // An empty override cell leaves the `modules` column in charge.
          if (c.kind == Kind::kModuleOption && !v.empty()) overrides[c.name] = yes;
          break;
        }
        case Kind::kGrades:
          if (IsYes(v)) {
            req.core.insert({"grades_items", "grades_grades"});
          } else if (v == "items") {
            req.core.insert("grades_items");
          } else if (v == "grades") {
            req.core.insert("grades_grades");
          } else if (!IsNo(v)) {
            BadValue(rec, i, raw, "all, items, grades, none (or yes/no)");
          }
          break;
        case Kind::kLocalRoles:
          if (IsYes(v)) {
            req.core.insert({"local_roles_roles", "local_roles_overrides"});
          } else if (v == "roles") {
            req.core.insert("local_roles_roles");
          } else if (v == "overrides") {
            req.core.insert("local_roles_overrides");
          } else if (!IsNo(v)) {
            BadValue(rec, i, raw, "all, roles, overrides, none (or yes/no)");
          }
          break;
        case Kind::kGroups:
          if (IsYes(v)) {
            req.core.insert({"groups_members", "groups_groups"});
          } else if (v == "groups") {
            req.core.insert("groups_groups");
          } else if (v == "members") {
            req.core.insert("groups_members");
          } else if (!IsNo(v)) {
            BadValue(rec, i, raw, "all, groups, members, none (or yes/no)");
          }
          break;
        case Kind::kGroupings:
          if (IsYes(v)) {
            req.core.insert({"groupings_members", "groupings_groupings"});
          } else if (v == "groupings" || v == "groups") {
            req.core.insert("groupings_groupings");
          } else if (v == "members") {
            req.core.insert("groupings_members");
          } else if (!IsNo(v)) {
            BadValue(rec, i, raw, "all, groupings (or groups), members, none (or yes/no)");
          }
          break;
        case Kind::kRoles:
          req.unenrol_roleids = ParseRoles(rec, i, raw, v);
          break;
        case Kind::kModules:
          defaults = ParseModules(rec, i, raw, v);
          break;
        case Kind::kStartdate:
          if (!raw.empty()) {
            auto d = ParseDate(raw);
            if (!d) BadValue(rec, i, raw, "YYYY-MM-DD, YYYY-MM-DD hh:mm[:ss], a Unix timestamp");
            req.startdate = *d;
          }
          break;
      }
    }
    if (defaults) {
      for (const auto& name : *defaults) {
        const ResetModule* m = FindResetModule(name);
        for (const auto& o : m->options) {
          if (o.default_on) req.module_options.insert(o.column);
        }
      }
    }
    for (const auto& [col, yes] : overrides) {
      if (yes) {
        req.module_options.insert(col);
      } else {
        req.module_options.erase(col);
      }
    }
    return p;
  }

  std::vector<int64_t> ParseRoles(const csv::Record& rec, size_t col, const std::string& raw,
                                  const std::string& v) {
    std::vector<int64_t> ids;
    if (IsNo(v)) return ids;
    if (IsYes(v)) {
      for (const auto& [id, name] : roles_) ids.push_back(id);
      return ids;
    }
    std::vector<std::string> names;
    for (const auto& [id, name] : roles_) names.push_back(name);
    for (const auto& w : Words(v)) {
      if (IsYes(w) || IsNo(w)) {
        BadValue(rec, col, raw, "'" + w + "' cannot be combined with role names");
      }
      auto it =
          std::find_if(roles_.begin(), roles_.end(), [&](const auto& r) { return r.second == w; });
      if (it == roles_.end()) {
        BadValue(rec, col, raw,
                 "all, none, or role shortnames separated by spaces (unknown role '" + w +
                     "'; roles: " + Join(names, ", ") + ")");
      }
      if (std::find(ids.begin(), ids.end(), it->first) == ids.end()) ids.push_back(it->first);
    }
    return ids;
  }

  // The modules whose default options apply.
  std::set<std::string> ParseModules(const csv::Record& rec, size_t col, const std::string& raw,
                                     const std::string& v) {
    std::set<std::string> out;
    if (IsNo(v)) return out;
    std::vector<std::string> registered;
    for (const auto& m : ResetModules()) registered.push_back(m.name);
    const std::string accepted =
        "all, none, module names separated by spaces, or all minus '-name' items (modules: " +
        Join(registered, ", ") + ")";
    std::vector<std::string> words = IsYes(v) ? std::vector<std::string>{"all"} : Words(v);
    bool all = false;
    std::set<std::string> plus, minus;
    for (const auto& w : words) {
      if (IsYes(w)) {
        all = true;
        continue;
      }
      bool neg = w[0] == '-';
      std::string name = neg ? w.substr(1) : w;
      if (!FindResetModule(name) && !installed_.count(name)) {
        BadValue(rec, col, raw, accepted + "; unknown module '" + name + "'");
      }
      (neg ? minus : plus).insert(name);
    }
    if (!minus.empty() && !plus.empty()) {
      BadValue(rec, col, raw,
               accepted + "; names and '-name' exclusions cannot be mixed (write 'all -name')");
    }
    if (all || !minus.empty()) {
      for (const auto& name : registered) {
        if (!minus.count(name)) out.insert(name);
      }
    } else {
      for (const auto& name : plus) {
        if (FindResetModule(name)) out.insert(name);  // installed modules without reset: no-op
      }
    }
    return out;
  }

  void Fail(Pass& pass, size_t i, const Plan& p, const std::string& msg,
            std::optional<int64_t> id = std::nullopt) {
    LineResult r;
    r.line = p.line;
    r.identifier = p.identifier;
    r.status = Status::kFailed;
    r.id = id;
    r.message = msg;
    pass.lines[i] = std::move(r);
    pass.tryback[i] = true;
  }

  // Every line of the file: identifiers resolved in file order; then the courses to reset, in
  // batches of up to kBatchSize courses sharing the same request (CourseResetter::ResetBatch:
  // one set-based statement per step for the batch), except lines with a start date and courses
  // named on more than one line, which are reset one by one in file order (a course's lines keep
  // their order; different courses do not depend on each other). With `savepoints`, a batch that
  // fails is rolled back and its courses reset one by one, each under its own savepoint.
  void ApplyAll(CourseResetter& engine, const std::vector<Plan>& plans, bool savepoints,
                Pass& pass) {
    pass.lines.assign(plans.size(), std::nullopt);
    pass.tryback.assign(plans.size(), false);
    std::vector<int64_t> ids(plans.size(), 0);  // the course of each line to reset
    std::map<int64_t, int> lines_of;
    for (size_t i = 0; i < plans.size(); ++i) {
      const Plan& p = plans[i];
      Lookup l = courses_.Find(ctx_.identifier, p.identifier);
      if (!l.course) {
        Fail(pass, i, p, l.error);
        continue;
      }
      const int64_t id = l.course->id;
      if (id == kSiteCourseId) {
        Fail(pass, i, p, "the site course cannot be reset", id);
        continue;
      }
      if (p.request.empty()) {
        pass.lines[i] = LineResult{p.line,
                                   p.identifier,
                                   Status::kSkipped,
                                   id,
                                   "nothing to reset on this line (every column says no)",
                                   nullptr,
                                   {}};
        continue;
      }
      ids[i] = id;
      ++lines_of[id];
    }
    std::vector<size_t> single;
    std::vector<std::vector<size_t>> groups;  // lines with equal requests, in file order
    for (size_t i = 0; i < plans.size(); ++i) {
      if (!ids[i]) continue;
      if (plans[i].request.startdate || lines_of[ids[i]] > 1) {
        single.push_back(i);
        continue;
      }
      auto g = std::find_if(groups.begin(), groups.end(), [&](const std::vector<size_t>& v) {
        return plans[v.front()].request == plans[i].request;
      });
      if (g == groups.end()) {
        groups.push_back({i});
      } else {
        g->push_back(i);
      }
    }
    int64_t done = static_cast<int64_t>(plans.size());
    for (int64_t id : ids) done -= id ? 1 : 0;
    auto progress = [&](int64_t n) {
      if (ctx_.progress && (done / 100 != (done + n) / 100)) ctx_.progress(done + n);
      done += n;
    };
    for (size_t i : single) {
      ApplyOne(engine, plans, i, ids[i], savepoints, pass);
      progress(1);
    }
    for (const auto& g : groups) {
      for (size_t from = 0; from < g.size(); from += kBatchSize) {
        std::vector<size_t> chunk(g.begin() + from,
                                  g.begin() + std::min(g.size(), from + kBatchSize));
        ApplyBatch(engine, plans, chunk, ids, savepoints, pass);
        progress(static_cast<int64_t>(chunk.size()));
      }
    }
    if (ctx_.progress) ctx_.progress(static_cast<int64_t>(plans.size()));
  }

  void ApplyBatch(CourseResetter& engine, const std::vector<Plan>& plans,
                  const std::vector<size_t>& chunk, const std::vector<int64_t>& ids,
                  bool savepoints, Pass& pass) {
    if (chunk.size() == 1) {
      ApplyOne(engine, plans, chunk[0], ids[chunk[0]], savepoints, pass);
      return;
    }
    std::vector<int64_t> courses;
    for (size_t i : chunk) courses.push_back(ids[i]);
    std::vector<ResetResult> results;
    if (savepoints) ctx_.db.Exec("SAVEPOINT reset_batch");
    try {
      results = engine.ResetBatch(courses, plans[chunk[0]].request);
      if (savepoints) ctx_.db.Exec("RELEASE SAVEPOINT reset_batch");
    } catch (const std::exception&) {
      if (!savepoints) throw RetryWithSavepoints();
      // The batch is undone; its courses go one by one, which leaves out the failing ones.
      ctx_.db.Exec("ROLLBACK TO SAVEPOINT reset_batch");
      ctx_.db.Exec("RELEASE SAVEPOINT reset_batch");
      for (size_t i : chunk) ApplyOne(engine, plans, i, ids[i], savepoints, pass);
      return;
    }
    for (size_t k = 0; k < chunk.size(); ++k) {
      Report(pass, chunk[k], plans[chunk[k]], courses[k], results[k]);
    }
  }

  void ApplyOne(CourseResetter& engine, const std::vector<Plan>& plans, size_t i, int64_t id,
                bool savepoints, Pass& pass) {
    const Plan& p = plans[i];
    ResetResult res;
    if (savepoints) ctx_.db.Exec("SAVEPOINT reset_course");
    try {
      res = engine.Reset(id, p.request);
      if (savepoints) ctx_.db.Exec("RELEASE SAVEPOINT reset_course");
    } catch (const std::exception& e) {
      if (!savepoints) throw RetryWithSavepoints();
      // Should this fail too, the exception ends the run and nothing is committed.
      ctx_.db.Exec("ROLLBACK TO SAVEPOINT reset_course");
      ctx_.db.Exec("RELEASE SAVEPOINT reset_course");
      Fail(pass, i, p, std::string("reset failed, the course is unchanged: ") + e.what(), id);
      return;
    }
    Report(pass, i, p, id, res);
  }

  // The line of a course that was reset.
  void Report(Pass& pass, size_t i, const Plan& p, int64_t id, const ResetResult& res) {
    ++pass.courses_reset;
    nlohmann::json areas = nlohmann::json::object(), tables = nlohmann::json::object();
    std::vector<std::string> parts;
    for (const auto& [area, n] : res.areas) {
      areas[area] = n;
      pass.area_totals[area] += n;
      std::string part = area + " " + std::to_string(n);
      if (area == "roles") {
        part += " (" + std::to_string(res.unenrolled) + " unenrolled, " +
                std::to_string(res.roles_unassigned) + " losing a role)";
      }
      parts.push_back(part);
    }
    for (const auto& [t, n] : res.tables) {
      tables[ctx_.db.prefix() + t] = n;
      pass.table_totals[ctx_.db.prefix() + t] += n;
    }
    nlohmann::json details = {{"areas", areas}, {"tables", tables}, {"removed", res.removed()}};
    if (!p.request.unenrol_roleids.empty()) {
      details["unenrolled"] = res.unenrolled;
      details["roles_unassigned"] = res.roles_unassigned;
    }
    std::string msg = parts.empty() ? "" : "rows removed: " + Join(parts, ", ");
    if (p.request.startdate) {
      details["startdate"] = {{"old", res.old_startdate},
                              {"new", res.new_startdate},
                              {"timeshift", res.timeshift},
                              {"rows_shifted", res.rows_shifted}};
      std::string d = "start date " + FormatDate(res.new_startdate);
      if (!res.date_moved) {
        d += " (unchanged)";
      } else if (res.timeshift != 0) {
        d += " (dates moved " + FormatShift(res.timeshift) + ")";
      } else {
        d += " (the course had no start date: nothing else moved)";
      }
      msg += (msg.empty() ? "" : "; ") + d;
    }
    for (const auto& n : p.notes) msg += (msg.empty() ? "" : "; ") + n;
    pass.lines[i] = LineResult{p.line, p.identifier, Status::kReset, id, msg, details, {}};
  }

  void Publish(const std::vector<Plan>& plans, Pass pass) {
    for (auto& l : pass.lines) {
      if (l) ctx_.report.Add(std::move(*l));
    }
    for (size_t i = 0; i < plans.size(); ++i) {
      if (pass.tryback[i]) ctx_.tryback.Add(plans[i].fields);
    }
    nlohmann::json areas = nlohmann::json::object(), tables = nlohmann::json::object();
    for (const auto& [k, v] : pass.area_totals) areas[k] = v;
    for (const auto& [k, v] : pass.table_totals) tables[k] = v;
    ctx_.report.summary = {
        {"courses_reset", pass.courses_reset}, {"areas", areas}, {"tables", tables}};
  }

  // Courses per set-based batch: bounded for memory (the unenrolment reads the enrolments and
  // role assignments of the whole batch); large enough that a file resetting a whole site goes
  // in one batch, so that tables whose every row goes are emptied at once.
  static constexpr size_t kBatchSize = 4096;

  TaskContext& ctx_;
  CourseIndex courses_;
  std::vector<std::pair<int64_t, std::string>> roles_;  // id, lower-case shortname
  std::set<std::string> installed_;
  std::vector<Column> columns_;
  std::optional<size_t> ident_col_;
};

}  // namespace

RunReport RunReset(store::Db& db, const FileArea& area, const TaskOptions& options) {
  TaskSpec spec{"reset", "courses_fileresetlocation", "courses_fileresetidentifier", true};
  return RunFileTask(db, area, spec, options, [](TaskContext& ctx) { ResetRunner(ctx).Run(); });
}

}  // namespace cs::sync
