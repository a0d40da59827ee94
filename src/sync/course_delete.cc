#include "sync/course_delete.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <stdexcept>

#include "sync/contexts.h"
#include "sync/course_index.h"

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

// Parameters, one character per `?`: c = course id, l/h = the course context's path range
// [path, path || '0'), which holds the course context and every context below it ('/' < '0').
struct StepDef {
  Group group;
  const char* sql;
  const char* params;
};

#define CTX "(SELECT id FROM {context} WHERE path >= ? AND path < ?)"
#define FORUMS "(SELECT id FROM {forum} WHERE course = ?)"
#define ASSIGNS "(SELECT id FROM {assign} WHERE course = ?)"
#define QUIZZES "(SELECT id FROM {quiz} WHERE course = ?)"
#define GLOSSARIES "(SELECT id FROM {glossary} WHERE course = ?)"
#define DATAS "(SELECT id FROM {data} WHERE course = ?)"
#define CHOICES "(SELECT id FROM {choice} WHERE course = ?)"
#define LESSONS "(SELECT id FROM {lesson} WHERE course = ?)"
#define SCORMS "(SELECT id FROM {scorm} WHERE course = ?)"
#define SURVEYS "(SELECT id FROM {survey} WHERE course = ?)"
#define CHATS "(SELECT id FROM {chat} WHERE course = ?)"
#define METAS "(SELECT id FROM {enrol} WHERE enrol = 'meta' AND customint1 = ?)"

const std::vector<StepDef>& StepDefs() {
  static const std::vector<StepDef> steps = {
      // Forum.
      {kForum,
       "DELETE FROM {forum_posts} WHERE discussion IN "
       "(SELECT id FROM {forum_discussions} WHERE forum IN " FORUMS ")",
       "c"},
      {kForum, "DELETE FROM {forum_read} WHERE forumid IN " FORUMS, "c"},
      {kForum, "DELETE FROM {forum_track_prefs} WHERE forumid IN " FORUMS, "c"},
      {kForum, "DELETE FROM {forum_digests} WHERE forum IN " FORUMS, "c"},
      {kForum, "DELETE FROM {forum_subscriptions} WHERE forum IN " FORUMS, "c"},
      {kForum, "DELETE FROM {forum_discussions} WHERE forum IN " FORUMS, "c"},
      {kForum, "DELETE FROM {forum} WHERE course = ?", "c"},
      // Assignment.
      {kAssign, "DELETE FROM {assign_submission} WHERE assignment IN " ASSIGNS, "c"},
      {kAssign, "DELETE FROM {assign_grades} WHERE assignment IN " ASSIGNS, "c"},
      {kAssign, "DELETE FROM {assign_user_flags} WHERE assignment IN " ASSIGNS, "c"},
      {kAssign, "DELETE FROM {assign_user_mapping} WHERE assignment IN " ASSIGNS, "c"},
      {kAssign, "DELETE FROM {assign_overrides} WHERE assignid IN " ASSIGNS, "c"},
      {kAssign, "DELETE FROM {assign} WHERE course = ?", "c"},
      // Quiz.
      {kQuiz, "DELETE FROM {quiz_attempts} WHERE quiz IN " QUIZZES, "c"},
      {kQuiz, "DELETE FROM {quiz_grades} WHERE quiz IN " QUIZZES, "c"},
      {kQuiz, "DELETE FROM {quiz_overrides} WHERE quiz IN " QUIZZES, "c"},
      {kQuiz, "DELETE FROM {quiz} WHERE course = ?", "c"},
      // Glossary.
      {kGlossary,
       "DELETE FROM {glossary_entries_categories} WHERE entryid IN "
       "(SELECT id FROM {glossary_entries} WHERE glossaryid IN " GLOSSARIES
       ") OR categoryid IN (SELECT id FROM {glossary_categories} WHERE glossaryid IN " GLOSSARIES
       ")",
       "cc"},
      {kGlossary, "DELETE FROM {glossary_entries} WHERE glossaryid IN " GLOSSARIES, "c"},
      {kGlossary, "DELETE FROM {glossary_categories} WHERE glossaryid IN " GLOSSARIES, "c"},
      {kGlossary, "DELETE FROM {glossary} WHERE course = ?", "c"},
      // Database.
      {kData,
       "DELETE FROM {data_content} WHERE recordid IN "
       "(SELECT id FROM {data_records} WHERE dataid IN " DATAS
       ") OR fieldid IN (SELECT id FROM {data_fields} WHERE dataid IN " DATAS ")",
       "cc"},
      {kData, "DELETE FROM {data_records} WHERE dataid IN " DATAS, "c"},
      {kData, "DELETE FROM {data_fields} WHERE dataid IN " DATAS, "c"},
      {kData, "DELETE FROM {data} WHERE course = ?", "c"},
      // Choice.
      {kChoice, "DELETE FROM {choice_answers} WHERE choiceid IN " CHOICES, "c"},
      {kChoice, "DELETE FROM {choice_options} WHERE choiceid IN " CHOICES, "c"},
      {kChoice, "DELETE FROM {choice} WHERE course = ?", "c"},
      // Lesson.
      {kLesson, "DELETE FROM {lesson_attempts} WHERE lessonid IN " LESSONS, "c"},
      {kLesson, "DELETE FROM {lesson_grades} WHERE lessonid IN " LESSONS, "c"},
      {kLesson, "DELETE FROM {lesson_timer} WHERE lessonid IN " LESSONS, "c"},
      {kLesson, "DELETE FROM {lesson_branch} WHERE lessonid IN " LESSONS, "c"},
      {kLesson, "DELETE FROM {lesson_overrides} WHERE lessonid IN " LESSONS, "c"},
      {kLesson, "DELETE FROM {lesson} WHERE course = ?", "c"},
      // SCORM.
      {kScorm,
       "DELETE FROM {scorm_scoes_value} WHERE attemptid IN "
       "(SELECT id FROM {scorm_attempt} WHERE scormid IN " SCORMS
       ") OR scoid IN (SELECT id FROM {scorm_scoes} WHERE scorm IN " SCORMS ")",
       "cc"},
      {kScorm, "DELETE FROM {scorm_attempt} WHERE scormid IN " SCORMS, "c"},
      {kScorm, "DELETE FROM {scorm_scoes} WHERE scorm IN " SCORMS, "c"},
      {kScorm, "DELETE FROM {scorm} WHERE course = ?", "c"},
      // Survey.
      {kSurvey, "DELETE FROM {survey_answers} WHERE survey IN " SURVEYS, "c"},
      {kSurvey, "DELETE FROM {survey_analysis} WHERE survey IN " SURVEYS, "c"},
      {kSurvey, "DELETE FROM {survey} WHERE course = ?", "c"},
      // Chat.
      {kChat, "DELETE FROM {chat_messages} WHERE chatid IN " CHATS, "c"},
      {kChat, "DELETE FROM {chat_messages_current} WHERE chatid IN " CHATS, "c"},
      {kChat, "DELETE FROM {chat_users} WHERE chatid IN " CHATS, "c"},
      {kChat, "DELETE FROM {chat} WHERE course = ?", "c"},
      // Gradebook (history rows of items deleted earlier are found through the item history).
      {kGrades,
       "DELETE FROM {grade_grades} WHERE itemid IN "
       "(SELECT id FROM {grade_items} WHERE courseid = ?)",
       "c"},
      {kGrades,
       "DELETE FROM {grade_grades_history} WHERE itemid IN "
       "(SELECT id FROM {grade_items} WHERE courseid = ? "
       "UNION SELECT oldid FROM {grade_items_history} WHERE courseid = ?)",
       "cc"},
      {kGrades, "DELETE FROM {grade_items_history} WHERE courseid = ?", "c"},
      {kGrades, "DELETE FROM {grade_items} WHERE courseid = ?", "c"},
      {kGrades, "DELETE FROM {grade_categories} WHERE courseid = ?", "c"},
      // Course completion.
      {kCompletion, "DELETE FROM {course_completion_crit_compl} WHERE course = ?", "c"},
      {kCompletion, "DELETE FROM {course_completion_criteria} WHERE course = ?", "c"},
      {kCompletion, "DELETE FROM {course_completion_aggr_methd} WHERE course = ?", "c"},
      {kCompletion, "DELETE FROM {course_completions} WHERE course = ?", "c"},
      // Other courses' completion criteria "complete course X" pointing at this one.
      {kCriteria,
       "DELETE FROM {course_completion_crit_compl} WHERE criteriaid IN "
       "(SELECT id FROM {course_completion_criteria} WHERE courseinstance = ?)",
       "c"},
      {kCriteria, "DELETE FROM {course_completion_criteria} WHERE courseinstance = ?", "c"},
      // Meta links of other courses whose linked (child) course is this one, with what they
      // brought into their parent course.
      {kMetaChild,
       "DELETE FROM {role_assignments} WHERE component = 'enrol_meta' AND itemid IN " METAS, "c"},
      {kMetaChild,
       "DELETE FROM {groups_members} WHERE component = 'enrol_meta' AND itemid IN " METAS
       " AND groupid IN (SELECT id FROM {groups} WHERE courseid IN "
       "(SELECT courseid FROM {enrol} WHERE enrol = 'meta' AND customint1 = ?))",
       "cc"},
      {kMetaChild, "DELETE FROM {user_enrolments} WHERE enrolid IN " METAS, "c"},
      {kMetaChild, "DELETE FROM {enrol} WHERE enrol = 'meta' AND customint1 = ?", "c"},
      // Enrolment instances and user enrolments.
      {kEnrol,
       "DELETE FROM {user_enrolments} WHERE enrolid IN "
       "(SELECT id FROM {enrol} WHERE courseid = ?)",
       "c"},
      {kEnrol, "DELETE FROM {enrol} WHERE courseid = ?", "c"},
      // Groups and groupings.
      {kGroups,
       "DELETE FROM {groups_members} WHERE groupid IN "
       "(SELECT id FROM {groups} WHERE courseid = ?)",
       "c"},
      {kGroups,
       "DELETE FROM {groupings_groups} WHERE groupingid IN "
       "(SELECT id FROM {groupings} WHERE courseid = ?) OR groupid IN "
       "(SELECT id FROM {groups} WHERE courseid = ?)",
       "cc"},
      {kGroups, "DELETE FROM {groups} WHERE courseid = ?", "c"},
      {kGroups, "DELETE FROM {groupings} WHERE courseid = ?", "c"},
      // Everything attached to the course context and the contexts below it.
      {kAlways, "DELETE FROM {role_assignments} WHERE contextid IN " CTX, "lh"},
      {kAlways, "DELETE FROM {role_capabilities} WHERE contextid IN " CTX, "lh"},
      {kAlways, "DELETE FROM {role_names} WHERE contextid IN " CTX, "lh"},
      {kAlways, "DELETE FROM {files} WHERE contextid IN " CTX, "lh"},
      {kAlways, "DELETE FROM {tag_instance} WHERE contextid IN " CTX, "lh"},
      {kAlways, "DELETE FROM {comments} WHERE contextid IN " CTX, "lh"},
      {kAlways, "DELETE FROM {blog_association} WHERE contextid IN " CTX, "lh"},
      {kAlways, "DELETE FROM {grade_letters} WHERE contextid IN " CTX, "lh"},
      {kAlways, "DELETE FROM {block_instances} WHERE parentcontextid IN " CTX, "lh"},
      {kAlways, "DELETE FROM {logstore_standard_log} WHERE courseid = ?", "c"},
      {kAlways, "DELETE FROM {logstore_standard_log} WHERE contextid IN " CTX, "lh"},
      // Course-level rows.
      {kAlways, "DELETE FROM {event} WHERE courseid = ?", "c"},
      {kAlways, "DELETE FROM {post} WHERE module = 'notes' AND courseid = ?", "c"},
      {kAlways, "DELETE FROM {user_lastaccess} WHERE courseid = ?", "c"},
      {kAlways, "DELETE FROM {course_format_options} WHERE courseid = ?", "c"},
      {kModules,
       "DELETE FROM {course_modules_completion} WHERE coursemoduleid IN "
       "(SELECT id FROM {course_modules} WHERE course = ?)",
       "c"},
      {kModules, "DELETE FROM {course_modules} WHERE course = ?", "c"},
      {kAlways, "DELETE FROM {course_sections} WHERE course = ?", "c"},
      {kAlways, "DELETE FROM {context} WHERE path >= ? AND path < ?", "lh"},
      {kAlways, "DELETE FROM {course} WHERE id = ?", "c"},
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

void ReadIdSet(store::Db& db, const std::string& sql, std::unordered_set<int64_t>& out) {
  auto st = db.Prepare(sql);
  while (st->Step()) {
    if (!st->IsNull(0)) out.insert(st->Int(0));
  }
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
  std::string params;
  std::unique_ptr<store::Stmt> stmt;
};

CourseDeleter::CourseDeleter(store::Db& db) : db_(db) {
  std::unordered_set<std::string> missing;
  auto exists = [&](const std::string& table) {
    if (missing.count(table)) return false;
    if (db_.TableExists(table)) return true;
    missing.insert(table);
    return false;
  };
  std::unordered_set<std::string> present;
  auto all_exist = [&](const std::string& sql) {
    for (const auto& t : TablesOf(sql)) {
      if (present.count(t)) continue;
      if (!exists(t)) return false;
      present.insert(t);
    }
    return true;
  };

  context_ = db_.Prepare("SELECT id, path FROM {context} WHERE contextlevel = ? AND instanceid = ?");
  delete_context_by_id_ = db_.Prepare("DELETE FROM {context} WHERE id = ?");

  // One probe per course: does the course row exist, what the report counts, and which groups
  // have rows. Every parameter is the course id.
  std::string probe = "SELECT EXISTS(SELECT 1 FROM {course} WHERE id = ?)";
  probe_params_ = 1;
  auto count = [&](const std::string& sql) {
    if (all_exist(sql)) {
      probe += ", (" + sql + ")";
      probe_params_ += static_cast<int>(std::count(sql.begin(), sql.end(), '?'));
    } else {
      probe += ", 0";
    }
  };
  count("SELECT COUNT(*) FROM {course_sections} WHERE course = ?");
  count("SELECT COUNT(*) FROM {course_modules} WHERE course = ?");
  count(
      "SELECT COUNT(*) FROM {user_enrolments} WHERE enrolid IN "
      "(SELECT id FROM {enrol} WHERE courseid = ?)");
  count("SELECT COUNT(*) FROM {groups} WHERE courseid = ?");
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
    steps_.push_back(Step{def.group, def.params, db_.Prepare(def.sql)});
  }

  if (exists("enrol")) {
    ReadIdSet(db_,
              "SELECT DISTINCT customint1 FROM {enrol} WHERE enrol = 'meta' AND customint1 IS NOT "
              "NULL",
              meta_children_);
  }
  if (exists("course_completion_criteria")) {
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

  // The course context's path range. Without a context (a broken site) the range is empty.
  std::string low, high;
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
      if (p == 'c') {
        st.BindInt(i, course_id);
      } else if (p == 'l') {
        st.BindText(i, low);
      } else {
        st.BindText(i, high);
      }
    }
    while (st.Step()) {
    }
  }
  if (pathless_context) delete_context_by_id_->Run(*pathless_context);
  if (run[kMetaChild]) meta_children_.erase(course_id);
  if (run[kCriteria]) criteria_courses_.erase(course_id);
  totals_ += counts;
  return counts;
}

}  // namespace cs::sync
