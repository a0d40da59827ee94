#include "sync/course_delete.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <regex>
#include <stdexcept>
#include <unordered_map>

#include "sync/contexts.h"
#include "sync/course_index.h"
#include "sync/row_batch.h"

namespace cs::sync {
namespace {

// Statement groups. A group's statements run only when the probe query finds rows for the course
// in one of the group's tables; kAlways statements run for every course; kMetaChild and
// kCriteria run for the courses found in the sets read by the constructor.
enum Group : int {
  kForum,
  kAssign,
  kQuiz,
  kGlossary,
  kData,
  kChoice,
  kLesson,
  kScorm,
  kSurvey,
  kChat,
  kGrades,
  kCompletion,
  kModules,
  kEnrol,
  kGroups,
  kProbedGroups,  // number of probed groups
  kAlways = kProbedGroups,
  kMetaChild,
  kCriteria,
};

// The tables (and their course column) whose rows decide whether a group runs.
struct ProbeDef {
  Group group;
  std::vector<std::pair<const char*, const char*>> tables;
};

const std::vector<ProbeDef>& Probes() {
  static const std::vector<ProbeDef> probes = {
      {kForum, {{"forum", "course"}}},
      {kAssign, {{"assign", "course"}}},
      {kQuiz, {{"quiz", "course"}}},
      {kGlossary, {{"glossary", "course"}}},
      {kData, {{"data", "course"}}},
      {kChoice, {{"choice", "course"}}},
      {kLesson, {{"lesson", "course"}}},
      {kScorm, {{"scorm", "course"}}},
      {kSurvey, {{"survey", "course"}}},
      {kChat, {{"chat", "course"}}},
      {kGrades,
       {{"grade_items", "courseid"},
        {"grade_categories", "courseid"},
        {"grade_items_history", "courseid"}}},
      {kCompletion,
       {{"course_completions", "course"},
        {"course_completion_criteria", "course"},
        {"course_completion_crit_compl", "course"},
        {"course_completion_aggr_methd", "course"}}},
      {kModules, {{"course_modules", "course"}}},
      {kEnrol, {{"enrol", "courseid"}}},
      {kGroups, {{"groups", "courseid"}, {"groupings", "courseid"}}},
  };
  return probes;
}

// One DELETE, written once for both modes with two tokens:
//   @C  the courses: "= ?" (one course, bound to its id) or "IN (SELECT id FROM cs_del_course)";
//   @X  the contexts of the courses, each course context and every context below it:
//       "(SELECT id FROM {context} WHERE path >= ? AND path < ?)" bound to the course context's
//       path range [path, path || '0') ('/' sorts before '0', so the range holds exactly the
//       context and its descendants), or "(SELECT id FROM cs_del_ctx)".
struct StepDef {
  Group group;
  const char* sql;
};

#define CTX "@X"
#define FORUMS "(SELECT id FROM {forum} WHERE course @C)"
#define ASSIGNS "(SELECT id FROM {assign} WHERE course @C)"
#define QUIZZES "(SELECT id FROM {quiz} WHERE course @C)"
#define GLOSSARIES "(SELECT id FROM {glossary} WHERE course @C)"
#define DATAS "(SELECT id FROM {data} WHERE course @C)"
#define CHOICES "(SELECT id FROM {choice} WHERE course @C)"
#define LESSONS "(SELECT id FROM {lesson} WHERE course @C)"
#define SCORMS "(SELECT id FROM {scorm} WHERE course @C)"
#define SURVEYS "(SELECT id FROM {survey} WHERE course @C)"
#define CHATS "(SELECT id FROM {chat} WHERE course @C)"
#define METAS "(SELECT id FROM {enrol} WHERE enrol = 'meta' AND customint1 @C)"

const std::vector<StepDef>& StepDefs() {
  static const std::vector<StepDef> steps = {
      // Forum.
      {kForum,
       "DELETE FROM {forum_posts} WHERE discussion IN "
       "(SELECT id FROM {forum_discussions} WHERE forum IN " FORUMS ")"},
      {kForum, "DELETE FROM {forum_read} WHERE forumid IN " FORUMS},
      {kForum, "DELETE FROM {forum_track_prefs} WHERE forumid IN " FORUMS},
      {kForum, "DELETE FROM {forum_digests} WHERE forum IN " FORUMS},
      {kForum, "DELETE FROM {forum_subscriptions} WHERE forum IN " FORUMS},
      {kForum, "DELETE FROM {forum_discussions} WHERE forum IN " FORUMS},
      {kForum, "DELETE FROM {forum} WHERE course @C"},
      // Assignment.
      {kAssign, "DELETE FROM {assign_submission} WHERE assignment IN " ASSIGNS},
      {kAssign, "DELETE FROM {assign_grades} WHERE assignment IN " ASSIGNS},
      {kAssign, "DELETE FROM {assign_user_flags} WHERE assignment IN " ASSIGNS},
      {kAssign, "DELETE FROM {assign_user_mapping} WHERE assignment IN " ASSIGNS},
      {kAssign, "DELETE FROM {assign_overrides} WHERE assignid IN " ASSIGNS},
      {kAssign, "DELETE FROM {assign} WHERE course @C"},
      // Quiz.
      {kQuiz, "DELETE FROM {quiz_attempts} WHERE quiz IN " QUIZZES},
      {kQuiz, "DELETE FROM {quiz_grades} WHERE quiz IN " QUIZZES},
      {kQuiz, "DELETE FROM {quiz_overrides} WHERE quiz IN " QUIZZES},
      {kQuiz, "DELETE FROM {quiz} WHERE course @C"},
      // Glossary.
      {kGlossary,
       "DELETE FROM {glossary_entries_categories} WHERE entryid IN "
       "(SELECT id FROM {glossary_entries} WHERE glossaryid IN " GLOSSARIES ")"},
      {kGlossary, "DELETE FROM {glossary_entries} WHERE glossaryid IN " GLOSSARIES},
      {kGlossary, "DELETE FROM {glossary_categories} WHERE glossaryid IN " GLOSSARIES},
      {kGlossary, "DELETE FROM {glossary} WHERE course @C"},
      // Database.
      {kData,
       "DELETE FROM {data_content} WHERE recordid IN "
       "(SELECT id FROM {data_records} WHERE dataid IN " DATAS ")"},
      {kData, "DELETE FROM {data_records} WHERE dataid IN " DATAS},
      {kData, "DELETE FROM {data_fields} WHERE dataid IN " DATAS},
      {kData, "DELETE FROM {data} WHERE course @C"},
      // Choice.
      {kChoice, "DELETE FROM {choice_answers} WHERE choiceid IN " CHOICES},
      {kChoice, "DELETE FROM {choice_options} WHERE choiceid IN " CHOICES},
      {kChoice, "DELETE FROM {choice} WHERE course @C"},
      // Lesson.
      {kLesson, "DELETE FROM {lesson_attempts} WHERE lessonid IN " LESSONS},
      {kLesson, "DELETE FROM {lesson_grades} WHERE lessonid IN " LESSONS},
      {kLesson, "DELETE FROM {lesson_timer} WHERE lessonid IN " LESSONS},
      {kLesson, "DELETE FROM {lesson_branch} WHERE lessonid IN " LESSONS},
      {kLesson, "DELETE FROM {lesson_overrides} WHERE lessonid IN " LESSONS},
      {kLesson, "DELETE FROM {lesson} WHERE course @C"},
      // SCORM.
      {kScorm,
       "DELETE FROM {scorm_scoes_value} WHERE attemptid IN "
       "(SELECT id FROM {scorm_attempt} WHERE scormid IN " SCORMS ")"},
      {kScorm, "DELETE FROM {scorm_attempt} WHERE scormid IN " SCORMS},
      {kScorm, "DELETE FROM {scorm_scoes} WHERE scorm IN " SCORMS},
      {kScorm, "DELETE FROM {scorm} WHERE course @C"},
      // Survey.
      {kSurvey, "DELETE FROM {survey_answers} WHERE survey IN " SURVEYS},
      {kSurvey, "DELETE FROM {survey_analysis} WHERE survey IN " SURVEYS},
      {kSurvey, "DELETE FROM {survey} WHERE course @C"},
      // Chat.
      {kChat, "DELETE FROM {chat_messages} WHERE chatid IN " CHATS},
      {kChat, "DELETE FROM {chat_messages_current} WHERE chatid IN " CHATS},
      {kChat, "DELETE FROM {chat_users} WHERE chatid IN " CHATS},
      {kChat, "DELETE FROM {chat} WHERE course @C"},
      // Gradebook (history rows of items deleted earlier are found through the item history).
      {kGrades,
       "DELETE FROM {grade_grades} WHERE itemid IN "
       "(SELECT id FROM {grade_items} WHERE courseid @C)"},
      {kGrades,
       "DELETE FROM {grade_grades_history} WHERE itemid IN "
       "(SELECT id FROM {grade_items} WHERE courseid @C "
       "UNION SELECT oldid FROM {grade_items_history} WHERE courseid @C)"},
      {kGrades, "DELETE FROM {grade_items_history} WHERE courseid @C"},
      {kGrades, "DELETE FROM {grade_items} WHERE courseid @C"},
      {kGrades, "DELETE FROM {grade_categories} WHERE courseid @C"},
      // Course completion.
      {kCompletion, "DELETE FROM {course_completion_crit_compl} WHERE course @C"},
      {kCompletion, "DELETE FROM {course_completion_criteria} WHERE course @C"},
      {kCompletion, "DELETE FROM {course_completion_aggr_methd} WHERE course @C"},
      {kCompletion, "DELETE FROM {course_completions} WHERE course @C"},
      // Other courses' completion criteria "complete course X" pointing at this one.
      {kCriteria,
       "DELETE FROM {course_completion_crit_compl} WHERE criteriaid IN "
       "(SELECT id FROM {course_completion_criteria} WHERE courseinstance @C)"},
      {kCriteria, "DELETE FROM {course_completion_criteria} WHERE courseinstance @C"},
      // Meta links of other courses whose linked (child) course is this one, with what they
      // brought into their parent course.
      {kMetaChild,
       "DELETE FROM {role_assignments} WHERE component = 'enrol_meta' AND itemid IN " METAS},
      {kMetaChild,
       "DELETE FROM {groups_members} WHERE component = 'enrol_meta' AND itemid IN " METAS
       " AND groupid IN (SELECT id FROM {groups} WHERE courseid IN "
       "(SELECT courseid FROM {enrol} WHERE enrol = 'meta' AND customint1 @C))"},
      {kMetaChild, "DELETE FROM {user_enrolments} WHERE enrolid IN " METAS},
      {kMetaChild, "DELETE FROM {enrol} WHERE enrol = 'meta' AND customint1 @C"},
      // Enrolment instances and user enrolments.
      {kEnrol,
       "DELETE FROM {user_enrolments} WHERE enrolid IN "
       "(SELECT id FROM {enrol} WHERE courseid @C)"},
      {kEnrol, "DELETE FROM {enrol} WHERE courseid @C"},
      // Groups and groupings.
      {kGroups,
       "DELETE FROM {groups_members} WHERE groupid IN "
       "(SELECT id FROM {groups} WHERE courseid @C)"},
      {kGroups,
       "DELETE FROM {groupings_groups} WHERE groupingid IN "
       "(SELECT id FROM {groupings} WHERE courseid @C)"},
      {kGroups, "DELETE FROM {groups} WHERE courseid @C"},
      {kGroups, "DELETE FROM {groupings} WHERE courseid @C"},
      // Everything attached to the course context and the contexts below it.
      {kAlways, "DELETE FROM {role_assignments} WHERE contextid IN " CTX},
      {kAlways, "DELETE FROM {role_capabilities} WHERE contextid IN " CTX},
      {kAlways, "DELETE FROM {role_names} WHERE contextid IN " CTX},
      {kAlways, "DELETE FROM {files} WHERE contextid IN " CTX},
      {kAlways, "DELETE FROM {tag_instance} WHERE contextid IN " CTX},
      {kAlways, "DELETE FROM {comments} WHERE contextid IN " CTX},
      {kAlways, "DELETE FROM {blog_association} WHERE contextid IN " CTX},
      {kAlways, "DELETE FROM {grade_letters} WHERE contextid IN " CTX},
      {kAlways, "DELETE FROM {block_instances} WHERE parentcontextid IN " CTX},
      {kAlways, "DELETE FROM {logstore_standard_log} WHERE courseid @C"},
      {kAlways, "DELETE FROM {logstore_standard_log} WHERE contextid IN " CTX},
      // Course-level rows.
      {kAlways, "DELETE FROM {event} WHERE courseid @C"},
      {kAlways, "DELETE FROM {post} WHERE module = 'notes' AND courseid @C"},
      {kAlways, "DELETE FROM {user_lastaccess} WHERE courseid @C"},
      {kAlways, "DELETE FROM {course_format_options} WHERE courseid @C"},
      {kModules,
       "DELETE FROM {course_modules_completion} WHERE coursemoduleid IN "
       "(SELECT id FROM {course_modules} WHERE course @C)"},
      {kModules, "DELETE FROM {course_modules} WHERE course @C"},
      {kAlways, "DELETE FROM {course_sections} WHERE course @C"},
      {kAlways, "DELETE FROM {context} WHERE id IN @X"},
      {kAlways, "DELETE FROM {course} WHERE id @C"},
  };
  return steps;
}

#undef CTX
#undef FORUMS
#undef ASSIGNS
#undef QUIZZES
#undef GLOSSARIES
#undef DATAS
#undef CHOICES
#undef LESSONS
#undef SCORMS
#undef SURVEYS
#undef CHATS
#undef METAS

// The `{table}` names an SQL text refers to.
std::vector<std::string> TablesOf(const std::string& sql) {
  static const std::regex re("\\{([a-z_0-9]+)\\}");
  std::vector<std::string> out;
  for (std::sregex_iterator it(sql.begin(), sql.end(), re), end; it != end; ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

int64_t Count(store::Db& db, const std::string& sql) {
  auto st = db.Prepare(sql);
  return st->Step() ? st->Int(0) : 0;
}

// The per-course counts of DeleteCounts: "table WHERE key" (completed with "= ?" or a set).
constexpr const char* kCountSql[] = {
    "{course_sections} WHERE course",
    "{course_modules} WHERE course",
    "{user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid WHERE e.courseid",
    "{groups} WHERE courseid",
};
constexpr const char* kCountKey[] = {"course", "course", "e.courseid", "courseid"};

void ReadIdSet(store::Db& db, const std::string& sql, std::unordered_set<int64_t>& out) {
  auto st = db.Prepare(sql);
  while (st->Step()) {
    if (!st->IsNull(0)) out.insert(st->Int(0));
  }
}

// A step's SQL for one course, with its parameters (c = course id; l/h = the path range), or
// for the batch tables (no parameter). The range [path, path + '0') holds the context and its
// subtree ('0' follows '/'). PostgreSQL compares strings by the database collation, where '/'
// need not sort before '0', so it uses the byte-wise operators ~>=~ and ~<~, which the path
// index (varchar_pattern_ops) serves even in a generic plan; LIKE with a parameter or a column
// pattern cannot use it (a join on it scanned every context once per course).
std::string Expand(const std::string& sql, bool batch, store::Dialect dialect,
                   std::string* params) {
  std::string out;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '@' && i + 1 < sql.size() && (sql[i + 1] == 'C' || sql[i + 1] == 'X')) {
      bool course = sql[i + 1] == 'C';
      ++i;
      if (batch) {
        out += course ? "IN (SELECT id FROM cs_del_course)" : "(SELECT id FROM cs_del_ctx)";
      } else if (course) {
        out += "= ?";
        *params += 'c';
      } else if (dialect == store::Dialect::kSqlite) {
        out += "(SELECT id FROM {context} WHERE path >= ? AND path < ?)";
        *params += "lh";
      } else {
        out += "(SELECT id FROM {context} WHERE path ~>=~ ? AND path ~<~ ?)";
        *params += "lh";
      }
      continue;
    }
    out += sql[i];
  }
  return out;
}

}  // namespace

DeleteCounts& DeleteCounts::operator+=(const DeleteCounts& o) {
  courses += o.courses;
  sections += o.sections;
  modules += o.modules;
  enrolments += o.enrolments;
  groups += o.groups;
  return *this;
}

std::string DeleteCounts::Describe() const {
  auto part = [](int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  return part(sections, "section", "sections") + ", " + part(modules, "activity", "activities") +
         ", " + part(enrolments, "enrolment", "enrolments") + ", " +
         part(groups, "group", "groups");
}

nlohmann::json DeleteCounts::ToJson() const {
  return {{"courses", courses},
          {"sections", sections},
          {"modules", modules},
          {"enrolments", enrolments},
          {"groups", groups}};
}

struct CourseDeleter::Step {
  int group;
  std::string sql;  // with its @ tokens
  std::string params;
  std::unique_ptr<store::Stmt> stmt;
};

CourseDeleter::CourseDeleter(store::Db& db, Options options) : db_(db), options_(options) {
  std::unordered_set<std::string> present, missing;
  auto all_exist = [&](const std::string& sql) {
    for (const auto& t : TablesOf(sql)) {
      if (present.count(t)) continue;
      if (missing.count(t) || !db_.TableExists(t)) {
        missing.insert(t);
        return false;
      }
      present.insert(t);
    }
    return true;
  };

  context_ =
      db_.Prepare("SELECT id, path FROM {context} WHERE contextlevel = ? AND instanceid = ?");
  delete_context_by_id_ = db_.Prepare("DELETE FROM {context} WHERE id = ?");

  // One probe per course: does the course row exist, what the report counts, and which groups
  // have rows. Every parameter is the course id.
  std::string probe = "SELECT EXISTS(SELECT 1 FROM {course} WHERE id = ?)";
  probe_params_ = 1;
  for (const char* sql : kCountSql) {
    std::string one = std::string("SELECT COUNT(*) FROM ") + sql + " = ?";
    if (all_exist(one)) {
      probe += ", (" + one + ")";
      ++probe_params_;
      counts_present_.push_back(true);
    } else {
      probe += ", 0";
      counts_present_.push_back(false);
    }
  }
  for (const auto& p : Probes()) {
    std::string expr;
    for (const auto& [table, column] : p.tables) {
      std::string one =
          "EXISTS(SELECT 1 FROM {" + std::string(table) + "} WHERE " + column + " = ?)";
      if (!all_exist(one)) continue;
      expr += (expr.empty() ? "" : " OR ") + one;
      ++probe_params_;
    }
    probe += ", " + (expr.empty() ? std::string("0") : expr);
  }
  probe_ = db_.Prepare(probe);

  for (const auto& def : StepDefs()) {
    if (!all_exist(def.sql)) continue;
    Step step{def.group, def.sql, "", nullptr};
    step.stmt = db_.Prepare(Expand(def.sql, false, db_.dialect(), &step.params));
    steps_.push_back(std::move(step));
  }

  if (all_exist("{enrol}")) {
    ReadIdSet(db_,
              "SELECT DISTINCT customint1 FROM {enrol} WHERE enrol = 'meta' AND customint1 IS NOT "
              "NULL",
              meta_children_);
  }
  if (all_exist("{course_completion_criteria}")) {
    ReadIdSet(db_,
              "SELECT DISTINCT courseinstance FROM {course_completion_criteria} "
              "WHERE courseinstance IS NOT NULL AND courseinstance <> 0",
              criteria_courses_);
  }
}

CourseDeleter::~CourseDeleter() = default;

DeleteCounts CourseDeleter::Delete(int64_t course_id) {
  if (course_id == kSiteCourseId) {
    throw std::invalid_argument("the site course (id 1) can never be deleted");
  }
  DeleteCounts counts;
  bool run[kCriteria + 1] = {};
  run[kAlways] = true;
  run[kMetaChild] = meta_children_.count(course_id) > 0;
  run[kCriteria] = criteria_courses_.count(course_id) > 0;

  probe_->Reset();
  for (int i = 1; i <= probe_params_; ++i) probe_->BindInt(i, course_id);
  if (probe_->Step()) {
    counts.courses = probe_->Int(0);
    counts.sections = probe_->Int(1);
    counts.modules = probe_->Int(2);
    counts.enrolments = probe_->Int(3);
    counts.groups = probe_->Int(4);
    int col = 5;
    for (const auto& p : Probes()) run[p.group] = probe_->Int(col++) != 0;
  }
  probe_->Reset();

  // The course context's path range. Without a context (a broken site) nothing matches.
  std::string low = "-", high = "-", like = "-";
  std::optional<int64_t> pathless_context;
  context_->Reset();
  context_->BindInt(1, kContextCourse);
  context_->BindInt(2, course_id);
  if (context_->Step()) {
    if (context_->IsNull(1) || context_->Text(1).empty()) {
      pathless_context = context_->Int(0);
    } else {
      low = context_->Text(1);
      high = low + "0";
      like = low + "/%";
    }
  }
  context_->Reset();

  for (auto& step : steps_) {
    if (!run[step.group]) continue;
    store::Stmt& st = *step.stmt;
    st.Reset();
    int i = 0;
    for (char p : step.params) {
      ++i;
      switch (p) {
        case 'c':
          st.BindInt(i, course_id);
          break;
        case 'l':
        case 'p':
          st.BindText(i, low);
          break;
        case 'h':
          st.BindText(i, high);
          break;
        default:  // 'L'
          st.BindText(i, like);
      }
    }
    while (st.Step()) {
    }
    st.Reset();
  }
  if (pathless_context) delete_context_by_id_->Run(*pathless_context);
  delete_context_by_id_->Reset();
  meta_children_.erase(course_id);
  criteria_courses_.erase(course_id);
  totals_ += counts;
  return counts;
}

std::vector<DeleteCounts> CourseDeleter::DeleteMany(const std::vector<int64_t>& ids) {
  std::vector<DeleteCounts> result(ids.size());
  if (std::find(ids.begin(), ids.end(), kSiteCourseId) != ids.end()) {
    throw std::invalid_argument("the site course (id 1) can never be deleted");
  }
  if (ids.empty()) return result;

  bool sqlite = db_.dialect() == store::Dialect::kSqlite;
  // The work tables live in the connection's temporary schema for the duration of the call. On
  // PostgreSQL cs_del_ctx has no key: every statement reads it through a semi-join (IN), which
  // ignores duplicates, and filling a primary key cost more than the subtree search itself.
  db_.Exec(std::string("CREATE TEMP TABLE IF NOT EXISTS cs_del_course (id BIGINT PRIMARY KEY); ") +
           (sqlite ? "CREATE TEMP TABLE IF NOT EXISTS cs_del_ctx (id BIGINT PRIMARY KEY); "
                   : "CREATE TEMP TABLE IF NOT EXISTS cs_del_ctx (id BIGINT); ") +
           "DELETE FROM cs_del_course; DELETE FROM cs_del_ctx;");
  struct Drop {
    store::Db& db;
    ~Drop() {
      try {
        db.Exec("DROP TABLE IF EXISTS cs_del_course; DROP TABLE IF EXISTS cs_del_ctx;");
      } catch (...) {
      }
    }
  } drop{db_};

  std::unordered_map<int64_t, DeleteCounts> by_id;
  {
    // 500 ids per statement (pipelined on PostgreSQL): one round trip per id was 8% of the run.
    RowBatch insert(db_, "INSERT OR FAIL INTO cs_del_course (id) VALUES ", "(?)", 500);
    for (int64_t id : ids) {
      if (by_id.emplace(id, DeleteCounts{}).second) insert.Add({id});
    }
    insert.Flush();
  }

  // PostgreSQL plans the set-based statements below from statistics: a temporary table has none
  // until analysed (it was then taken for empty, and the subtree join became a scan of every
  // context per course).
  if (db_.dialect() == store::Dialect::kPostgres) db_.Exec("ANALYZE cs_del_course");

  // What the report counts, per course.
  {
    auto st = db_.Prepare("SELECT id FROM {course} WHERE id IN (SELECT id FROM cs_del_course)");
    while (st->Step()) by_id[st->Int(0)].courses = 1;
  }
  int64_t DeleteCounts::*fields[] = {&DeleteCounts::sections, &DeleteCounts::modules,
                                     &DeleteCounts::enrolments, &DeleteCounts::groups};
  for (size_t i = 0; i < std::size(kCountSql); ++i) {
    if (!counts_present_[i]) continue;
    std::string key = kCountKey[i];
    auto st = db_.Prepare("SELECT " + key + ", COUNT(*) FROM " + kCountSql[i] +
                          " IN (SELECT id FROM cs_del_course) GROUP BY " + key);
    while (st->Step()) by_id[st->Int(0)].*fields[i] = st->Int(1);
  }

  // Every course context and the contexts below it (a course context without a path included).
  // On PostgreSQL the subtree is a LATERAL subquery kept apart by OFFSET 0: one index range scan
  // per course context, whatever the statistics say (after a bulk load they can be missing, and
  // the planner then joined by scanning every context once per course). The range holds the
  // course context itself, so only the pathless ones (NULL or '', whose range would be every
  // context: Delete() treats them the same way) are added apart: a UNION of the two (which
  // de-duplicated 110,000 ids through a hash that spilled to disk) took 60% of the statement.
  if (sqlite) {
    db_.Exec(
        "INSERT INTO cs_del_ctx (id) "
        "SELECT c.id FROM cs_del_course d JOIN {context} cc ON cc.contextlevel = 50 "
        "AND cc.instanceid = d.id AND cc.path <> '' "
        "JOIN {context} c ON c.path >= cc.path AND c.path < cc.path || '0'"
        " UNION SELECT cc.id FROM cs_del_course d JOIN {context} cc ON cc.contextlevel = 50 "
        "AND cc.instanceid = d.id");
  } else {
    db_.Exec(
        "INSERT INTO cs_del_ctx (id) "
        "SELECT c.id FROM cs_del_course d JOIN {context} cc ON cc.contextlevel = 50 "
        "AND cc.instanceid = d.id AND cc.path <> '' "
        "CROSS JOIN LATERAL (SELECT id FROM {context} s "
        "WHERE s.path ~>=~ cc.path AND s.path ~<~ (cc.path || '0') OFFSET 0) c "
        "UNION ALL SELECT cc.id FROM cs_del_course d JOIN {context} cc ON cc.contextlevel = 50 "
        "AND cc.instanceid = d.id WHERE cc.path IS NULL OR cc.path = ''");
    db_.Exec("ANALYZE cs_del_ctx");
  }

  for (const auto& step : steps_) {
    std::string params;
    std::string sql = Expand(step.sql, true, db_.dialect(), &params);
    // "DELETE FROM {table} WHERE cond"
    size_t where = sql.find(" WHERE ");
    std::string table = sql.substr(12, where - 12);
    std::string cond = sql.substr(where + 7);
    if (sqlite && options_.rebuild_min_rows > 0) {
      int64_t doomed = Count(db_, "SELECT COUNT(*) FROM " + table + " WHERE " + cond);
      if (doomed >= options_.rebuild_min_rows) {
        int64_t keep = Count(db_, "SELECT COUNT(*) FROM " + table) - doomed;
        if (keep == 0) {
          // Every row goes: empty the table at once (SQLite's truncate optimisation frees its
          // pages without visiting the rows one by one).
          db_.Exec("DELETE FROM " + table);
          continue;
        }
        if (keep < doomed && keep <= options_.rebuild_max_keep) {
          // Cheaper than deleting row by row (each row costs a b-tree delete per index): copy
          // the survivors aside, empty the table at once, put them back with their ids.
          db_.Exec("CREATE TEMP TABLE cs_keep AS SELECT * FROM " + table + " WHERE (" + cond +
                   ") IS NOT TRUE");
          db_.Exec("DELETE FROM " + table);
          db_.Exec("INSERT INTO " + table + " SELECT * FROM cs_keep");
          db_.Exec("DROP TABLE cs_keep");
          continue;
        }
      }
    }
    db_.Exec(sql);
  }

  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = by_id.find(ids[i]);
    if (it == by_id.end()) continue;  // a repeated id: counted once, at its first place
    result[i] = it->second;
    totals_ += it->second;
    by_id.erase(it);
    meta_children_.erase(ids[i]);
    criteria_courses_.erase(ids[i]);
  }
  return result;
}

}  // namespace cs::sync
