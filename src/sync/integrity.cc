#include "sync/integrity.h"

#include <map>
#include <unordered_map>
#include <unordered_set>

#include "sync/contexts.h"

namespace cs::sync {
namespace {

constexpr int64_t kExamples = 5;

// Collects the offending ids of one check and turns them into one problem.
class Finding {
 public:
  Finding(std::string check, std::string what) : check_(std::move(check)), what_(std::move(what)) {}
  void Add(int64_t id, const std::string& detail = "") {
    if (count_++ < kExamples) {
      examples_ += (examples_.empty() ? "" : ", ") + std::to_string(id);
      if (!detail.empty()) examples_ += " " + detail;
    }
  }
  void AddCount(int64_t count, const std::vector<int64_t>& ids) {
    for (int64_t id : ids) Add(id);
    count_ += count - static_cast<int64_t>(ids.size());
  }
  void Report(std::vector<IntegrityProblem>& out) const {
    if (count_ == 0) return;
    out.push_back({check_, std::to_string(count_) + " " + what_ + " (id " + examples_ +
                               (count_ > kExamples ? ", ..." : "") + ")"});
  }

 private:
  std::string check_, what_, examples_;
  int64_t count_ = 0;
};

// A column holding the id of a row of another table.
struct Reference {
  const char* table;
  const char* column;
  const char* target;  // the table whose id it holds
  const char* where;   // which rows hold a reference ("" = all)
};

// Rows must point at a row that exists. `column <> 0` where 0 means "none" in Moodle.
const std::vector<Reference>& References() {
  static const std::vector<Reference> refs = {
      // Course-scoped rows.
      {"course_sections", "course", "course", ""},
      {"course_modules", "course", "course", ""},
      {"course_format_options", "courseid", "course", ""},
      {"enrol", "courseid", "course", ""},
      {"enrol", "customint1", "course", "enrol = 'meta' AND customint1 IS NOT NULL"},
      {"groups", "courseid", "course", ""},
      {"groupings", "courseid", "course", ""},
      {"grade_categories", "courseid", "course", ""},
      {"grade_items", "courseid", "course", "courseid IS NOT NULL"},
      {"course_completions", "course", "course", ""},
      {"course_completion_criteria", "course", "course", ""},
      {"course_completion_criteria", "courseinstance", "course",
       "courseinstance IS NOT NULL AND courseinstance <> 0"},
      {"course_completion_crit_compl", "course", "course", ""},
      {"course_completion_aggr_methd", "course", "course", ""},
      {"user_lastaccess", "courseid", "course", ""},
      {"event", "courseid", "course", "courseid <> 0"},
      {"post", "courseid", "course", "courseid <> 0"},
      {"logstore_standard_log", "courseid", "course", "courseid <> 0"},
      {"forum", "course", "course", ""},
      {"forum_discussions", "course", "course", ""},
      {"assign", "course", "course", ""},
      {"quiz", "course", "course", ""},
      {"glossary", "course", "course", ""},
      {"data", "course", "course", ""},
      {"choice", "course", "course", ""},
      {"lesson", "course", "course", ""},
      {"scorm", "course", "course", ""},
      {"survey", "course", "course", "course <> 0"},  // course 0: Moodle's survey templates
      {"chat", "course", "course", ""},
      {"chat_users", "course", "course", ""},
      // Rows under rows of a course.
      {"user_enrolments", "enrolid", "enrol", ""},
      {"groups_members", "groupid", "groups", ""},
      {"groupings_groups", "groupingid", "groupings", ""},
      {"groupings_groups", "groupid", "groups", ""},
      {"course_modules", "section", "course_sections", ""},
      {"course_format_options", "sectionid", "course_sections", "sectionid <> 0"},
      {"course_modules_completion", "coursemoduleid", "course_modules", ""},
      {"grade_grades", "itemid", "grade_items", ""},
      {"course_completion_crit_compl", "criteriaid", "course_completion_criteria", ""},
      // Rows attached to a context.
      {"role_assignments", "contextid", "context", ""},
      {"role_capabilities", "contextid", "context", ""},
      {"role_names", "contextid", "context", ""},
      {"grade_letters", "contextid", "context", ""},
      {"tag_instance", "contextid", "context", ""},
      {"blog_association", "contextid", "context", ""},
      {"comments", "contextid", "context", ""},
      {"files", "contextid", "context", ""},
      {"block_instances", "parentcontextid", "context", ""},
      {"logstore_standard_log", "contextid", "context", "contextid <> 0"},
      // Activity data.
      {"forum_discussions", "forum", "forum", ""},
      {"forum_posts", "discussion", "forum_discussions", ""},
      {"forum_subscriptions", "forum", "forum", ""},
      {"forum_digests", "forum", "forum", ""},
      {"forum_track_prefs", "forumid", "forum", ""},
      {"forum_read", "forumid", "forum", ""},
      {"assign_submission", "assignment", "assign", ""},
      {"assign_grades", "assignment", "assign", ""},
      {"assign_user_flags", "assignment", "assign", ""},
      {"assign_user_mapping", "assignment", "assign", ""},
      {"assign_overrides", "assignid", "assign", ""},
      {"quiz_attempts", "quiz", "quiz", ""},
      {"quiz_grades", "quiz", "quiz", ""},
      {"quiz_overrides", "quiz", "quiz", ""},
      {"glossary_entries", "glossaryid", "glossary", ""},
      {"glossary_categories", "glossaryid", "glossary", ""},
      {"glossary_entries_categories", "entryid", "glossary_entries", ""},
      {"data_fields", "dataid", "data", ""},
      {"data_records", "dataid", "data", ""},
      {"data_content", "recordid", "data_records", ""},
      {"choice_options", "choiceid", "choice", ""},
      {"choice_answers", "choiceid", "choice", ""},
      {"lesson_attempts", "lessonid", "lesson", ""},
      {"lesson_grades", "lessonid", "lesson", ""},
      {"lesson_timer", "lessonid", "lesson", ""},
      {"lesson_branch", "lessonid", "lesson", ""},
      {"lesson_overrides", "lessonid", "lesson", ""},
      {"scorm_scoes", "scorm", "scorm", ""},
      {"scorm_attempt", "scormid", "scorm", ""},
      {"scorm_scoes_value", "attemptid", "scorm_attempt", ""},
      {"survey_answers", "survey", "survey", ""},
      {"survey_analysis", "survey", "survey", ""},
      {"chat_messages", "chatid", "chat", ""},
      {"chat_messages_current", "chatid", "chat", ""},
      {"chat_users", "chatid", "chat", ""},
  };
  return refs;
}

struct Ctx {
  int level;
  int64_t instance;
  std::string path;
  int64_t depth;
};

struct Cat {
  int64_t parent;
  std::string path;
  int64_t depth;
  int64_t coursecount;
};

std::unordered_set<int64_t> Ids(store::Db& db, const std::string& table) {
  std::unordered_set<int64_t> ids;
  if (!db.TableExists(table)) return ids;
  auto st = db.Prepare("SELECT id FROM {" + table + "}");
  while (st->Step()) ids.insert(st->Int(0));
  return ids;
}

// id -> one integer column of `table`.
std::map<int64_t, int64_t> Column(store::Db& db, const std::string& table,
                                  const std::string& column) {
  std::map<int64_t, int64_t> out;
  if (!db.TableExists(table)) return out;
  auto st = db.Prepare("SELECT id, " + column + " FROM {" + table + "}");
  while (st->Step()) out[st->Int(0)] = st->IsNull(1) ? 0 : st->Int(1);
  return out;
}

void CheckReferences(store::Db& db, std::vector<IntegrityProblem>& out) {
  std::unordered_map<std::string, bool> exists;
  auto has = [&](const std::string& t) {
    auto it = exists.find(t);
    if (it == exists.end()) it = exists.emplace(t, db.TableExists(t)).first;
    return it->second;
  };
  for (const auto& r : References()) {
    if (!has(r.table) || !has(r.target)) continue;
    std::string from = std::string(" FROM {") + r.table + "} x WHERE " +
                       (*r.where ? std::string("(") + r.where + ") AND " : "") +
                       "NOT EXISTS (SELECT 1 FROM {" + r.target + "} t WHERE t.id = x." + r.column +
                       ")";
    int64_t count = db.QueryInt("SELECT COUNT(*)" + from).value_or(0);
    if (count == 0) continue;
    std::vector<int64_t> ids;
    auto st =
        db.Prepare("SELECT x.id" + from + " ORDER BY x.id LIMIT " + std::to_string(kExamples));
    while (st->Step()) ids.push_back(st->Int(0));
    Finding f("reference", std::string(r.table) + " row(s) whose " + r.column + " names no " +
                               r.target + " row");
    f.AddCount(count, ids);
    f.Report(out);
  }
}

}  // namespace

std::vector<IntegrityProblem> CheckIntegrity(store::Db& db) {
  std::vector<IntegrityProblem> out;

  std::map<int64_t, Ctx> contexts;  // ordered: examples by id
  std::map<std::pair<int, int64_t>, int64_t> by_instance;
  {
    auto st = db.Prepare("SELECT id, contextlevel, instanceid, path, depth FROM {context}");
    while (st->Step()) {
      int64_t id = st->Int(0);
      Ctx c{static_cast<int>(st->Int(1)), st->Int(2), st->IsNull(3) ? "" : st->Text(3), st->Int(4)};
      by_instance[{c.level, c.instance}] = id;
      contexts.emplace(id, std::move(c));
    }
  }
  auto context_of = [&](int level, int64_t instance) -> int64_t {
    auto it = by_instance.find({level, instance});
    return it == by_instance.end() ? 0 : it->second;
  };

  // The system context.
  int64_t system = 0;
  {
    Finding f("system_context", "system context(s) where one with path /<id> and depth 1 belongs");
    int n = 0;
    for (const auto& [id, c] : contexts) {
      if (c.level != kContextSystem) continue;
      ++n;
      system = id;
      if (c.path != "/" + std::to_string(id) || c.depth != 1) f.Add(id, "path " + c.path);
    }
    if (n != 1) {
      out.push_back({"system_context", std::to_string(n) + " system contexts (one expected)"});
    }
    f.Report(out);
  }

  // Categories.
  std::map<int64_t, Cat> cats;
  {
    auto st = db.Prepare("SELECT id, parent, path, depth, coursecount FROM {course_categories}");
    while (st->Step()) {
      cats[st->Int(0)] = Cat{st->Int(1), st->IsNull(2) ? "" : st->Text(2), st->Int(3), st->Int(4)};
    }
  }
  std::map<int64_t, int64_t> course_category = Column(db, "course", "category");
  std::unordered_map<int64_t, int64_t> counts;
  for (const auto& [course, cat] : course_category) ++counts[cat];
  {
    Finding parent("category_parent", "categor(y/ies) whose parent does not exist");
    Finding path("category_path", "categor(y/ies) whose path or depth does not follow the parent");
    Finding ctx("category_context", "categor(y/ies) without a category context");
    Finding count("category_coursecount", "categor(y/ies) whose coursecount is wrong");
    for (const auto& [id, c] : cats) {
      std::string own = "/" + std::to_string(id);
      if (c.parent == 0) {
        if (c.path != own || c.depth != 1) path.Add(id, "path " + c.path);
      } else if (auto p = cats.find(c.parent); p == cats.end()) {
        parent.Add(id, "parent " + std::to_string(c.parent));
      } else if (c.path != p->second.path + own || c.depth != p->second.depth + 1) {
        path.Add(id, "path " + c.path);
      }
      if (!context_of(kContextCoursecat, id)) ctx.Add(id);
      if (c.coursecount != counts[id]) {
        count.Add(id, std::to_string(c.coursecount) + " instead of " + std::to_string(counts[id]));
      }
    }
    parent.Report(out);
    path.Report(out);
    ctx.Report(out);
    count.Report(out);
  }

  // Courses.
  {
    Finding cat("course_category", "course(s) whose category does not exist");
    Finding ctx("course_context", "course(s) without a course context");
    for (const auto& [id, category] : course_category) {
      if (id == 1 ? category != 0 : !cats.count(category)) {
        cat.Add(id, "category " + std::to_string(category));
      }
      if (!context_of(kContextCourse, id)) ctx.Add(id);
    }
    cat.Report(out);
    ctx.Report(out);
    Finding section0("section0", "course(s) without section 0");
    auto st = db.Prepare(
        "SELECT c.id FROM {course} c WHERE NOT EXISTS (SELECT 1 FROM {course_sections} s WHERE "
        "s.course = c.id AND s.section = 0) ORDER BY c.id");
    while (st->Step()) section0.Add(st->Int(0));
    section0.Report(out);
  }

  // Contexts: the instance exists, the path and depth follow the parent's.
  {
    std::unordered_set<int64_t> users = Ids(db, "user");
    std::map<int64_t, int64_t> module_course = Column(db, "course_modules", "course");
    std::map<int64_t, int64_t> block_parent = Column(db, "block_instances", "parentcontextid");
    bool blocks = db.TableExists("block_instances");
    Finding orphan("orphan_context", "context(s) whose instance does not exist");
    Finding path("context_path",
                 "context(s) whose path or depth does not follow the parent context's");
    for (const auto& [id, c] : contexts) {
      if (c.level == kContextSystem) continue;
      int64_t parent = -1;  // -1: a level this check does not know
      bool exists = true;
      switch (c.level) {
        case kContextUser:
          exists = users.count(c.instance) > 0;
          parent = system;
          break;
        case kContextCoursecat:
          if (auto it = cats.find(c.instance); it == cats.end()) {
            exists = false;
          } else {
            parent =
                it->second.parent == 0 ? system : context_of(kContextCoursecat, it->second.parent);
          }
          break;
        case kContextCourse:
          if (auto it = course_category.find(c.instance); it == course_category.end()) {
            exists = false;
          } else {
            parent = c.instance == 1 ? system : context_of(kContextCoursecat, it->second);
          }
          break;
        case kContextModule:
          if (auto it = module_course.find(c.instance); it == module_course.end()) {
            exists = false;
          } else {
            parent = context_of(kContextCourse, it->second);
          }
          break;
        case kContextBlock:
          if (auto it = block_parent.find(c.instance); it == block_parent.end()) {
            exists = !blocks;
          } else {
            parent = it->second;
          }
          break;
        default:
          break;
      }
      if (!exists) {
        orphan.Add(id,
                   "level " + std::to_string(c.level) + " instance " + std::to_string(c.instance));
        continue;
      }
      if (parent == -1) continue;
      auto p = contexts.find(parent);
      if (p == contexts.end()) {
        path.Add(id, "(no parent context)");
      } else if (c.path != p->second.path + "/" + std::to_string(id) ||
                 c.depth != p->second.depth + 1) {
        path.Add(id, "path " + c.path);
      }
    }
    orphan.Report(out);
    path.Report(out);
  }

  CheckReferences(db, out);
  return out;
}

std::string IntegrityText(const std::vector<IntegrityProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += p.check + ": " + p.message + "\n";
  return out;
}

}  // namespace cs::sync
