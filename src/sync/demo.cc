#include "sync/demo.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/schema.h"
#include "sync/categories.h"
#include "sync/contexts.h"

namespace cs::sync {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kWeek = 7 * kDay;
// 2025-01-01 00:00 UTC: every timestamp of a run derives from this and the seed.
constexpr int64_t kEpoch = 1735689600;
// The courses of a run are created over the two years before that.
constexpr int64_t kCatalogueSpan = 730 * kDay;
// Enrolments of a run with an automatic users_per_course (see DemoOptions).
constexpr int64_t kAutoEnrolmentBudget = 100000;
constexpr int64_t kMaxAutoUsersPerCourse = 50;
constexpr int64_t kMinAutoUsersPerCourse = 3;

// Moodle constants (moodle_schema.md §10.6).
constexpr int kEnrolEnabled = 0;
constexpr int kEnrolDisabled = 1;
constexpr int kCapPrevent = -1;
constexpr int kFormatHtml = 1;
constexpr int kFormatPlain = 2;
constexpr int kAggregateNatural = 13;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: splitmix64, one independent stream per course and per user.

uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t Mix(uint64_t a, uint64_t b, uint64_t salt) {
  uint64_t s = a;
  uint64_t h = SplitMix(s);
  s = h ^ (b * 0xD1B54A32D192ED03ull) ^ salt;
  return SplitMix(s);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return SplitMix(state_); }
  // Uniform in [0, n).
  int64_t Below(int64_t n) {
    return n <= 0 ? 0 : static_cast<int64_t>(Next() % static_cast<uint64_t>(n));
  }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }
  bool Percent(int p) { return Below(100) < p; }
  template <size_t N>
  const char* Pick(const char* const (&items)[N]) {
    return items[Below(static_cast<int64_t>(N))];
  }

 private:
  uint64_t state_;
};

// ---------------------------------------------------------------------------------------------
// Word lists.

const char* const kFirstNames[] = {
    "Alice", "Bruno",  "Chloé", "David", "Emma", "Farid",  "Giulia", "Hugo",    "Inès",
    "Jonas", "Karim",  "Léa",   "Marco", "Nina", "Oscar",  "Paula",  "Quentin", "Rosa",
    "Sami",  "Tara",   "Ugo",   "Vera",  "Wen",  "Xavier", "Yasmin", "Zoé",     "Amine",
    "Bea",   "Carlos", "Dana",  "Elif",  "Finn", "Grace",  "Hana",   "Ivan",    "Julia"};
const char* const kLastNames[] = {
    "Martin",  "Bernard", "Dubois",  "Thomas",  "Robert",   "Richard", "Petit",  "Durand",
    "Leroy",   "Moreau",  "Simon",   "Laurent", "Lefebvre", "Michel",  "Garcia", "Müller",
    "Schmidt", "Rossi",   "Ferrari", "Novak",   "Kowalski", "Silva",   "Santos", "Nguyen",
    "Kim",     "Tanaka",  "Okafor",  "Haddad",  "O'Brien",  "Jensen",  "Larsen", "Popescu"};
const char* const kCities[][2] = {
    {"Paris", "FR"}, {"Lyon", "FR"},   {"Berlin", "DE"},   {"Madrid", "ES"},   {"Lisbon", "PT"},
    {"Rome", "IT"},  {"Dublin", "IE"}, {"Brussels", "BE"}, {"Montréal", "CA"}, {"Dakar", "SN"}};
const char* const kSubjects[] = {
    "Physics",    "Chemistry",         "Biology",      "Mathematics",       "Computer Science",
    "Statistics", "Geology",           "Astronomy",    "History",           "Philosophy",
    "Literature", "Linguistics",       "Music",        "Fine Arts",         "Archaeology",
    "Economics",  "Sociology",         "Psychology",   "Political Science", "Law",
    "Medicine",   "Nursing",           "Pharmacy",     "Public Health",     "Civil Engineering",
    "Mechanics",  "Electronics",       "Architecture", "Management",        "Accounting",
    "Marketing",  "Finance",           "Education",    "Geography",         "Anthropology",
    "Ecology",    "Materials Science", "Robotics",     "Journalism",        "Languages"};
const char* const kFaculties[] = {"Faculty of Science",     "Faculty of Arts and Humanities",
                                  "Faculty of Engineering", "Faculty of Medicine",
                                  "Faculty of Law",         "Faculty of Social Sciences",
                                  "Business School",        "Faculty of Education"};
const char* const kProgrammes[] = {"Bachelor Year 1",     "Bachelor Year 2", "Bachelor Year 3",
                                   "Master Year 1",       "Master Year 2",   "Doctoral School",
                                   "Continuing Education"};
const char* const kCoursePrefixes[] = {
    "Introduction to", "Foundations of", "Advanced",   "Topics in",
    "Applied",         "Principles of",  "Seminar in", "Research Methods in"};
const char* const kConcepts[] = {"Hypothesis", "Variable", "Model",     "Sample",   "Theory",
                                 "Method",     "Evidence", "Framework", "Paradigm", "Inference"};
const char* const kChoiceOptions[] = {"Project A", "Project B", "Project C"};

std::string Num(int64_t v) { return std::to_string(v); }

// Midnight (UTC) of a timestamp.
int64_t Midnight(int64_t t) { return t - t % kDay; }

// ---------------------------------------------------------------------------------------------
// A value to bind.

class Val {
 public:
  Val(std::nullopt_t) {}  // NOLINT: implicit by design, as are the others
  Val(int v) : kind_(kInt), int_(v) {}
  Val(int64_t v) : kind_(kInt), int_(v) {}
  Val(double v) : kind_(kReal), real_(v) {}
  Val(const char* v) : kind_(kText), text_(v) {}
  Val(std::string v) : kind_(kText), text_(std::move(v)) {}

  enum Kind { kNull, kInt, kReal, kText };
  Kind kind() const { return kind_; }
  int64_t int_value() const { return int_; }
  double real_value() const { return real_; }
  const std::string& text() const { return text_; }

 private:
  Kind kind_ = kNull;
  int64_t int_ = 0;
  double real_ = 0;
  std::string text_;
};

// ---------------------------------------------------------------------------------------------
// One table written by the run: ids assigned here, rows buffered and written many per INSERT.

class Table {
 public:
  // `columns` excludes `id` (always written first). Every column must exist in the schema.
  Table(store::Db& db, std::string name, std::vector<std::string> columns, int64_t* row_counter)
      : db_(db), name_(std::move(name)), columns_(std::move(columns)), rows_(row_counter) {
    const store::TableDef* def = store::FindTable(name_);
    if (!def) throw std::logic_error("demo: table " + name_ + " is not in the schema");
    for (const auto& c : columns_) {
      if (!def->FindColumn(c)) {
        throw std::logic_error("demo: column " + name_ + "." + c + " is not in the schema");
      }
    }
    width_ = static_cast<int>(columns_.size()) + 1;
    // At most 999 parameters per statement (SQLite's historical limit), at most 64 rows.
    batch_ = std::clamp(999 / width_, 1, 64);
    next_id_ = FirstFreeId() + 1;
    first_id_ = next_id_;
    cells_.reserve(static_cast<size_t>(batch_ * width_));
  }
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  const std::string& name() const { return name_; }
  // Reserves the id of a row written later with AddWithId.
  int64_t Take() { return next_id_++; }
  // Writes a row (values in column order) and returns its id.
  template <typename... Args>
  int64_t Add(Args&&... values) {
    int64_t id = Take();
    AddWithId(id, std::forward<Args>(values)...);
    return id;
  }
  template <typename... Args>
  void AddWithId(int64_t id, Args&&... values) {
    if (static_cast<int>(sizeof...(Args)) + 1 != width_) {
      throw std::logic_error("demo: wrong value count for " + name_);
    }
    Put(id);
    (Put(std::forward<Args>(values)), ...);
    ++pending_;
    ++*rows_;
    ++written_;
    if (pending_ == batch_) Flush();
  }
  void Flush() {
    if (pending_ == 0) return;
    store::Stmt& st = StatementFor(pending_);
    st.Reset();
    int idx = 0;
    for (const Cell& c : cells_) {
      ++idx;
      switch (c.kind) {
        case Val::kNull:
          st.BindNull(idx);
          break;
        case Val::kInt:
          st.BindInt(idx, c.int_value);
          break;
        case Val::kReal:
          st.BindDouble(idx, c.real_value);
          break;
        case Val::kText:
          st.BindText(idx, std::string_view(text_).substr(c.offset, c.length));
          break;
      }
    }
    st.Step();
    cells_.clear();
    text_.clear();
    pending_ = 0;
  }
  int64_t written() const { return written_; }
  // The largest id handed out by this run, 0 when none.
  int64_t last_id() const { return next_id_ > first_id_ ? next_id_ - 1 : 0; }

 private:
  // One buffered value; text lives in text_.
  struct Cell {
    Val::Kind kind;
    int64_t int_value;
    double real_value;
    uint32_t offset;
    uint32_t length;
  };
  void Put(std::nullopt_t) { cells_.push_back({Val::kNull, 0, 0, 0, 0}); }
  void Put(int v) { cells_.push_back({Val::kInt, v, 0, 0, 0}); }
  void Put(int64_t v) { cells_.push_back({Val::kInt, v, 0, 0, 0}); }
  void Put(double v) { cells_.push_back({Val::kReal, 0, v, 0, 0}); }
  void Put(std::string_view v) {
    cells_.push_back(
        {Val::kText, 0, 0, static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(v.size())});
    text_.append(v);
  }
  void Put(const char* v) { Put(std::string_view(v)); }
  void Put(const std::string& v) { Put(std::string_view(v)); }
  void Put(const Val& v) {
    switch (v.kind()) {
      case Val::kNull:
        Put(std::nullopt);
        break;
      case Val::kInt:
        Put(v.int_value());
        break;
      case Val::kReal:
        Put(v.real_value());
        break;
      case Val::kText:
        Put(std::string_view(v.text()));
        break;
    }
  }

  // The largest id ever used: the table's MAX(id) or, on SQLite, the AUTOINCREMENT counter
  // (ids of deleted rows are not reused); on PostgreSQL the sequence's current value.
  int64_t FirstFreeId() {
    int64_t max_id = db_.QueryInt("SELECT COALESCE(MAX(id), 0) FROM {" + name_ + "}").value_or(0);
    if (db_.dialect() == store::Dialect::kSqlite) {
      bool has_seq =
          db_.QueryInt("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")
              .value_or(0) > 0;
      if (has_seq) {
        auto seq =
            db_.QueryInt("SELECT seq FROM sqlite_sequence WHERE name = ?", db_.prefix() + name_);
        if (seq) max_id = std::max(max_id, *seq);
      }
    } else {
      auto seq = db_.QueryInt(
          "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
          "FROM " +
          db_.prefix() + name_ + "_id_seq");
      if (seq) max_id = std::max(max_id, *seq);
    }
    return max_id;
  }
  store::Stmt& StatementFor(int rows) {
    auto it = stmts_.find(rows);
    if (it != stmts_.end()) return *it->second;
    std::string sql = "INSERT INTO {" + name_ + "} (id";
    for (const auto& c : columns_) sql += ", " + c;
    sql += ") VALUES ";
    std::string one = "(?";
    for (size_t i = 0; i < columns_.size(); ++i) one += ", ?";
    one += ")";
    for (int r = 0; r < rows; ++r) {
      if (r) sql += ", ";
      sql += one;
    }
    auto [pos, ok] = stmts_.emplace(rows, db_.Prepare(sql));
    return *pos->second;
  }

  store::Db& db_;
  std::string name_;
  std::vector<std::string> columns_;
  int64_t* rows_;
  int width_ = 0;
  int batch_ = 1;
  int pending_ = 0;
  int64_t next_id_ = 1;
  int64_t first_id_ = 1;
  int64_t written_ = 0;
  std::vector<Cell> cells_;
  std::string text_;
  std::map<int, std::unique_ptr<store::Stmt>> stmts_;
};

// ---------------------------------------------------------------------------------------------
// The run.

struct Leaf {
  int64_t id = 0;
  const char* subject = "";  // the department's subject, for course names
  int64_t sortorder = 0;
  ContextRef context;
};

struct Member {
  int64_t id = 0;
  int64_t roleid = 0;
  bool student = false;
};

// What a student achieved in the graded activities: the activities' own tables and the gradebook
// agree.
struct Marks {
  bool submitted = false;  // the essay (graded when submitted)
  double assign = 0;       // out of 100
  double quiz = 0;         // out of 10
  double lesson = 0;       // out of 100
  double scorm = 0;        // out of 100
};

// One activity of a course: its course module, instance and module context.
struct Activity {
  const char* module = "";  // modules.name
  int64_t module_id = 0;
  int64_t cm = 0;
  int64_t instance = 0;
  ContextRef context;
};

class DemoRun {
 public:
  DemoRun(store::Db& db, const DemoOptions& o) : db_(db), o_(o) {
    base_time_ = kEpoch + static_cast<int64_t>(o.seed % 365) * kDay;
    per_course_ = DemoUsersPerCourse(o);
  }

  DemoStats Run() {
    LoadSite();
    BuildCategories();
    OpenTables();
    CreateUsers();
    NextCourseNumbers();
    for (int64_t i = 0; i < o_.courses; ++i) {
      size_t leaf = static_cast<size_t>(i * static_cast<int64_t>(leaves_.size()) / o_.courses);
      CreateCourse(i, course_numbers_[static_cast<size_t>(i)], leaves_[leaf]);
    }
    for (auto* t : all_) t->Flush();
    AdvanceSequences();
    FixCourseSortorder(db_);
    stats_.courses = o_.courses;
    stats_.users = o_.users;
    stats_.enrolments = user_enrolments_->written();
    stats_.rows = rows_ + stats_.categories * 2;  // category rows and their contexts
    return stats_;
  }

 private:
  // -------------------------------------------------------------------------------------------
  // Site facts.

  void LoadSite() {
    {
      auto st = db_.Prepare("SELECT id, shortname FROM {role}");
      while (st->Step()) roles_[st->Text(1)] = st->Int(0);
    }
    for (const char* r : {"editingteacher", "teacher", "student"}) {
      if (!roles_.count(r)) {
        throw std::invalid_argument(std::string("demo: the site has no '") + r +
                                    "' role (run coursesync init first)");
      }
    }
    {
      auto st = db_.Prepare("SELECT id, name FROM {modules} ORDER BY id");
      while (st->Step()) modules_.emplace(st->Text(1), st->Int(0));
    }
    Contexts contexts(db_);
    system_ = contexts.System();
    admin_ = db_.QueryInt("SELECT id FROM {user} WHERE username = 'admin' AND mnethostid = 1")
                 .value_or(2);
  }

  // -------------------------------------------------------------------------------------------
  // Categories: faculties / departments / programmes, through CategoryTree.

  void BuildCategories() {
    const int64_t n = std::max<int64_t>(o_.courses, 1);
    // About 20 courses per programme, at most 2000 programmes (fewer than 10000 courses per
    // category in any case: the sortorder block size).
    int64_t target = std::clamp<int64_t>((n + 19) / 20, 1, 2000);
    target = std::max(target, (n + 4999) / 5000);
    const int64_t faculties =
        std::max<int64_t>(1, std::llround(std::cbrt(static_cast<double>(target))));
    const int64_t departments = std::max<int64_t>(
        1, std::llround(std::sqrt(static_cast<double>(target) / static_cast<double>(faculties))));
    const int64_t programmes =
        std::max<int64_t>(1, (target + faculties * departments - 1) / (faculties * departments));

    int64_t max_before =
        db_.QueryInt("SELECT COALESCE(MAX(id), 0) FROM {course_categories}").value_or(0);
    CategoryTree tree(db_);
    int created = 0;
    for (int64_t f = 0; f < faculties; ++f) {
      for (int64_t d = 0; d < departments; ++d) {
        // "~programmes": one more or one less in some departments (fixed by position, not seed,
        // so that later runs find the same tree).
        uint64_t pos = static_cast<uint64_t>(f * 1000 + d);
        int64_t count = programmes + static_cast<int64_t>(Mix(pos, 7, 0) % 3) - 1;
        if (programmes == 1) count = 1;
        count = std::max<int64_t>(count, 1);
        for (int64_t p = 0; p < count; ++p) {
          const Category& leaf =
              tree.EnsurePath({FacultyName(f), DepartmentName(f, d, departments), ProgrammeName(p)},
                              true, &created);
          leaves_.push_back(
              Leaf{leaf.id, DepartmentSubject(f, d, departments), leaf.sortorder, leaf.context});
        }
      }
    }
    stats_.categories = created;
    // CategoryTree stamps new categories with the clock; the demo's must not depend on it.
    if (created > 0) {
      db_.Execute("UPDATE {course_categories} SET timemodified = ? WHERE id > ?", base_time_,
                  max_before);
    }
  }

  static std::string FacultyName(int64_t f) {
    constexpr int64_t kCount = static_cast<int64_t>(std::size(kFaculties));
    if (f < kCount) return kFaculties[f];
    return "Faculty " + Num(f + 1);
  }
  static const char* DepartmentSubject(int64_t f, int64_t d, int64_t per_faculty) {
    return kSubjects[(f * per_faculty + d) % static_cast<int64_t>(std::size(kSubjects))];
  }
  static std::string DepartmentName(int64_t f, int64_t d, int64_t per_faculty) {
    constexpr int64_t kCount = static_cast<int64_t>(std::size(kSubjects));
    int64_t k = f * per_faculty + d;
    std::string name = std::string("Department of ") + kSubjects[k % kCount];
    if (k >= kCount) name += " " + Num(k / kCount + 1);
    return name;
  }
  static std::string ProgrammeName(int64_t p) {
    constexpr int64_t kCount = static_cast<int64_t>(std::size(kProgrammes));
    if (p < kCount) return kProgrammes[p];
    return "Programme " + Num(p + 1);
  }

  // -------------------------------------------------------------------------------------------
  // Tables.

  Table* T(std::string name, std::vector<std::string> columns) {
    owned_.push_back(std::make_unique<Table>(db_, std::move(name), std::move(columns), &rows_));
    all_.push_back(owned_.back().get());
    return owned_.back().get();
  }

  void OpenTables() {
    context_ = T("context", {"contextlevel", "instanceid", "path", "depth", "locked"});
    user_ = T("user", {"auth",      "confirmed",    "mnethostid", "username",    "password",
                       "idnumber",  "firstname",    "lastname",   "email",       "city",
                       "country",   "lang",         "timezone",   "firstaccess", "lastaccess",
                       "lastlogin", "currentlogin", "lastip",     "timecreated", "timemodified"});
    course_ =
        T("course",
          {"category",         "sortorder",      "fullname",          "shortname",
           "idnumber",         "summary",        "summaryformat",     "format",
           "showgrades",       "newsitems",      "startdate",         "enddate",
           "marker",           "maxbytes",       "visible",           "visibleold",
           "groupmode",        "groupmodeforce", "defaultgroupingid", "lang",
           "calendartype",     "theme",          "timecreated",       "timemodified",
           "enablecompletion", "cacherev",       "showactivitydates", "showcompletionconditions"});
    sections_ = T("course_sections", {"course", "section", "name", "summary", "summaryformat",
                                      "sequence", "visible", "timemodified"});
    format_options_ =
        T("course_format_options", {"courseid", "format", "sectionid", "name", "value"});
    enrol_ = T("enrol", {"enrol",           "status",         "courseid",     "sortorder",
                         "enrolperiod",     "enrolstartdate", "enrolenddate", "expirynotify",
                         "expirythreshold", "notifyall",      "password",     "roleid",
                         "customint1",      "customint2",     "customint3",   "customint4",
                         "customint5",      "customint6",     "timecreated",  "timemodified"});
    user_enrolments_ = T("user_enrolments", {"status", "enrolid", "userid", "timestart", "timeend",
                                             "modifierid", "timecreated", "timemodified"});
    role_assignments_ = T("role_assignments", {"roleid", "contextid", "userid", "timemodified",
                                               "modifierid", "component", "itemid", "sortorder"});
    role_capabilities_ = T("role_capabilities", {"contextid", "roleid", "capability", "permission",
                                                 "timemodified", "modifierid"});
    role_names_ = T("role_names", {"roleid", "contextid", "name"});
    user_lastaccess_ = T("user_lastaccess", {"userid", "courseid", "timeaccess"});
    groups_ =
        T("groups", {"courseid", "idnumber", "name", "description", "descriptionformat", "picture",
                     "visibility", "participation", "timecreated", "timemodified"});
    groupings_ = T("groupings", {"courseid", "name", "idnumber", "description", "descriptionformat",
                                 "timecreated", "timemodified"});
    groupings_groups_ = T("groupings_groups", {"groupingid", "groupid", "timeadded"});
    groups_members_ =
        T("groups_members", {"groupid", "userid", "timeadded", "component", "itemid"});
    event_ = T("event", {"name",     "description", "format",    "categoryid", "courseid",
                         "groupid",  "userid",      "repeatid",  "component",  "modulename",
                         "instance", "type",        "eventtype", "timestart",  "timeduration",
                         "timesort", "visible",     "uuid",      "sequence",   "timemodified"});
    log_ = T(
        "logstore_standard_log",
        {"eventname", "component",     "action",    "target",       "objecttable",       "objectid",
         "crud",      "edulevel",      "contextid", "contextlevel", "contextinstanceid", "userid",
         "courseid",  "relateduserid", "anonymous", "other",        "timecreated",       "origin",
         "ip",        "realuserid"});
    post_ = T("post", {"module", "userid", "courseid", "groupid", "moduleid", "coursemoduleid",
                       "subject", "summary", "content", "uniquehash", "rating", "format",
                       "summaryformat", "publishstate", "lastmodified", "created", "usermodified"});
    blog_association_ = T("blog_association", {"contextid", "blogid"});
    comments_ = T("comments", {"contextid", "component", "commentarea", "itemid", "content",
                               "format", "userid", "timecreated"});
    grade_categories_ =
        T("grade_categories",
          {"courseid", "parent", "depth", "path", "fullname", "aggregation", "keephigh", "droplow",
           "aggregateonlygraded", "aggregateoutcomes", "timecreated", "timemodified", "hidden"});
    grade_items_ =
        T("grade_items", {"courseid", "categoryid", "itemname", "itemtype", "itemmodule",
                          "iteminstance", "itemnumber", "gradetype", "grademax", "grademin",
                          "gradepass", "sortorder", "timecreated", "timemodified"});
    grade_grades_ = T("grade_grades",
                      {"itemid", "userid", "rawgrade", "rawgrademax", "rawgrademin", "usermodified",
                       "finalgrade", "timecreated", "timemodified", "aggregationstatus"});
    course_completions_ = T("course_completions", {"userid", "course", "timeenrolled",
                                                   "timestarted", "timecompleted", "reaggregate"});
    completion_criteria_ =
        T("course_completion_criteria", {"course", "criteriatype", "module", "moduleinstance"});
    completion_aggr_ = T("course_completion_aggr_methd", {"course", "criteriatype", "method"});
    completion_crit_compl_ =
        T("course_completion_crit_compl", {"userid", "course", "criteriaid", "timecompleted"});
    if (!o_.activities) return;
    course_modules_ =
        T("course_modules",
          {"course", "module", "instance", "section", "added", "score", "indent", "visible",
           "visibleoncoursepage", "visibleold", "groupmode", "groupingid", "completion",
           "completionview", "completionexpected", "showdescription", "deletioninprogress"});
    cm_completion_ = T("course_modules_completion",
                       {"coursemoduleid", "userid", "completionstate", "timemodified"});
    forum_ = T("forum", {"course", "type", "name", "intro", "introformat", "forcesubscribe",
                         "trackingtype", "maxattachments", "timemodified"});
    forum_discussions_ = T("forum_discussions",
                           {"course", "forum", "name", "firstpost", "userid", "groupid", "assessed",
                            "timemodified", "usermodified", "timestart", "timeend", "pinned"});
    forum_posts_ = T("forum_posts",
                     {"discussion", "parent", "userid", "created", "modified", "mailed", "subject",
                      "message", "messageformat", "messagetrust", "attachment", "totalscore",
                      "mailnow", "deleted", "privatereplyto", "wordcount", "charcount"});
    forum_subscriptions_ = T("forum_subscriptions", {"userid", "forum"});
    forum_digests_ = T("forum_digests", {"userid", "forum", "maildigest"});
    forum_track_prefs_ = T("forum_track_prefs", {"userid", "forumid"});
    forum_read_ =
        T("forum_read", {"userid", "forumid", "discussionid", "postid", "firstread", "lastread"});
    assign_ = T("assign", {"course", "name", "intro", "introformat", "alwaysshowdescription",
                           "submissiondrafts", "duedate", "allowsubmissionsfromdate", "grade",
                           "timemodified", "completionsubmit", "cutoffdate", "gradingduedate",
                           "attemptreopenmethod", "maxattempts"});
    assign_submission_ =
        T("assign_submission", {"assignment", "userid", "timecreated", "timemodified",
                                "timestarted", "status", "groupid", "attemptnumber", "latest"});
    assign_grades_ = T("assign_grades", {"assignment", "userid", "timecreated", "timemodified",
                                         "grader", "grade", "attemptnumber"});
    assign_user_flags_ = T("assign_user_flags", {"userid", "assignment", "locked", "mailed",
                                                 "extensionduedate", "allocatedmarker"});
    quiz_ = T("quiz", {"course", "name", "intro", "introformat", "timeopen", "timeclose",
                       "timelimit", "preferredbehaviour", "attempts", "grademethod",
                       "questionsperpage", "shuffleanswers", "sumgrades", "grade", "timecreated",
                       "timemodified", "password", "subnet", "browsersecurity"});
    quiz_attempts_ = T("quiz_attempts",
                       {"quiz", "userid", "attempt", "uniqueid", "layout", "currentpage", "preview",
                        "state", "timestart", "timefinish", "timemodified", "sumgrades"});
    quiz_grades_ = T("quiz_grades", {"quiz", "userid", "grade", "timemodified"});
    glossary_ = T("glossary", {"course", "name", "intro", "introformat", "displayformat",
                               "timecreated", "timemodified"});
    glossary_entries_ = T("glossary_entries", {"glossaryid", "userid", "concept", "definition",
                                               "definitionformat", "attachment", "timecreated",
                                               "timemodified", "teacherentry", "approved"});
    data_ = T("data", {"course", "name", "intro", "introformat", "timemodified"});
    data_fields_ = T("data_fields", {"dataid", "type", "name", "description", "required"});
    data_records_ = T("data_records",
                      {"userid", "groupid", "dataid", "timecreated", "timemodified", "approved"});
    data_content_ = T("data_content", {"fieldid", "recordid", "content"});
    choice_ = T("choice", {"course", "name", "intro", "introformat", "allowupdate", "timemodified",
                           "completionsubmit"});
    choice_options_ = T("choice_options", {"choiceid", "text", "maxanswers", "timemodified"});
    choice_answers_ = T("choice_answers", {"choiceid", "userid", "optionid", "timemodified"});
    lesson_ = T("lesson", {"course", "name", "intro", "introformat", "password", "conditions",
                           "grade", "mediafile", "timemodified"});
    lesson_attempts_ = T("lesson_attempts", {"lessonid", "pageid", "userid", "answerid", "retry",
                                             "correct", "useranswer", "timeseen"});
    lesson_grades_ = T("lesson_grades", {"lessonid", "userid", "grade", "late", "completed"});
    lesson_timer_ =
        T("lesson_timer", {"lessonid", "userid", "starttime", "lessontime", "completed"});
    scorm_ = T("scorm", {"course", "name", "scormtype", "reference", "intro", "introformat",
                         "version", "maxgrade", "grademethod", "md5hash", "revision", "launch",
                         "options", "timemodified"});
    scorm_scoes_ = T("scorm_scoes", {"scorm", "manifest", "organization", "parent", "identifier",
                                     "launch", "scormtype", "title", "sortorder"});
    scorm_attempt_ = T("scorm_attempt", {"userid", "scormid", "attempt"});
    scorm_values_ =
        T("scorm_scoes_value", {"scoid", "attemptid", "elementid", "value", "timemodified"});
    survey_ = T("survey", {"course", "template", "days", "timecreated", "timemodified", "name",
                           "intro", "introformat", "questions"});
    survey_answers_ =
        T("survey_answers", {"userid", "survey", "question", "time", "answer1", "answer2"});
    survey_analysis_ = T("survey_analysis", {"survey", "userid", "notes"});
    chat_ = T("chat", {"course", "name", "intro", "introformat", "keepdays", "studentlogs",
                       "chattime", "schedule", "timemodified"});
    chat_messages_ =
        T("chat_messages", {"chatid", "userid", "groupid", "system", "message", "timestamp"});
    quiz_uniqueid_ =
        db_.QueryInt("SELECT COALESCE(MAX(uniqueid), 0) FROM {quiz_attempts}").value_or(0);
  }

  // PostgreSQL sequences do not follow explicit ids: move them past the rows written.
  void AdvanceSequences() {
    if (db_.dialect() != store::Dialect::kPostgres) return;
    for (auto* t : all_) {
      if (t->last_id() == 0) continue;
      std::string full = db_.prefix() + t->name();
      // Never backwards: ids handed out earlier (and rolled back) must not come again.
      db_.Prepare("SELECT setval('" + full + "_id_seq', GREATEST((SELECT MAX(id) FROM " + full +
                  "), (SELECT last_value FROM " + full + "_id_seq)))")
          ->Step();
    }
  }

  ContextRef AddContext(int level, int64_t instance, const ContextRef& parent) {
    int64_t id = context_->Take();
    ContextRef ref{id, parent.path + "/" + Num(id), parent.depth + 1};
    context_->AddWithId(id, level, instance, ref.path, ref.depth, 0);
    return ref;
  }

  // -------------------------------------------------------------------------------------------
  // Users.

  void CreateUsers() {
    const std::string prefix = "demo" + std::to_string(o_.seed) + "_";
    std::unordered_set<std::string> taken;
    {
      auto st = db_.Prepare("SELECT username FROM {user} WHERE mnethostid = 1 AND username LIKE ?");
      st->Reset();
      st->Bind(1, prefix + "%");
      while (st->Step()) taken.insert(st->Text(0));
    }
    int64_t n = 0;
    pool_.reserve(static_cast<size_t>(o_.users));
    for (int64_t i = 0; i < o_.users; ++i) {
      std::string username;
      do {
        username = prefix + Num(++n);
      } while (taken.count(username));
      Rng r(Mix(o_.seed, static_cast<uint64_t>(n), 0x55534552));  // "USER"
      const auto& city = kCities[r.Below(static_cast<int64_t>(std::size(kCities)))];
      int64_t created = base_time_ - kCatalogueSpan - 120 * kDay + r.Below(100 * kDay);
      int64_t last = base_time_ + r.Below(60 * kDay);
      int64_t id = user_->Take();
      user_->AddWithId(id, "manual", 1, 1, username, "", "", r.Pick(kFirstNames),
                       r.Pick(kLastNames), username + "@example.com", city[0], city[1], "en", "99",
                       created + r.Below(10 * kDay), last, last - r.Below(5 * kDay), last,
                       "192.0.2." + Num(1 + r.Below(254)), created, created);
      AddContext(kContextUser, id, system_);
      pool_.push_back(id);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Courses.

  void NextCourseNumbers() {
    const std::string prefix = "DEMO-" + std::to_string(o_.seed) + "-";
    std::unordered_set<std::string> taken;
    {
      auto st = db_.Prepare("SELECT shortname, idnumber FROM {course}");
      while (st->Step()) {
        taken.insert(st->Text(0));
        taken.insert(st->Text(1));
      }
    }
    int64_t n = 0;
    course_numbers_.reserve(static_cast<size_t>(o_.courses));
    for (int64_t i = 0; i < o_.courses; ++i) {
      do {
        ++n;
      } while (taken.count(prefix + Num(n)));
      course_numbers_.push_back(n);
    }
  }

  // The users of the i-th course of the run: per_course_ distinct users drawn from a window of
  // the pool that moves along with i (like a programme's cohort taking its programme's courses).
  // Consecutive courses thus share users, which also keeps the writes to the indexes keyed by
  // user close together: much faster than users drawn from the whole pool.
  std::vector<Member> PickMembers(int64_t i, Rng& r) {
    std::vector<Member> out;
    const int64_t m = static_cast<int64_t>(pool_.size());
    const int64_t k = std::min(per_course_, m);
    if (k <= 0) return out;
    const int64_t window = std::min(m, 3 * k);
    const int64_t start = i * m / std::max<int64_t>(o_.courses, 1);
    // k of the window's offsets (partial Fisher-Yates): the first is the editing teacher, the
    // second the teacher, the rest students.
    std::vector<int64_t> offsets(static_cast<size_t>(window));
    std::iota(offsets.begin(), offsets.end(), 0);
    out.reserve(static_cast<size_t>(k));
    for (int64_t j = 0; j < k; ++j) {
      std::swap(offsets[static_cast<size_t>(j)],
                offsets[static_cast<size_t>(j + r.Below(window - j))]);
      Member mb;
      mb.id = pool_[static_cast<size_t>((start + offsets[static_cast<size_t>(j)]) % m)];
      if (j == 0) {
        mb.roleid = roles_["editingteacher"];
      } else if (j == 1) {
        mb.roleid = roles_["teacher"];
      } else {
        mb.roleid = roles_["student"];
        mb.student = true;
      }
      out.push_back(mb);
    }
    // Written in user order.
    std::sort(out.begin() + std::min<int64_t>(k, 2), out.end(),
              [](const Member& a, const Member& b) { return a.id < b.id; });
    return out;
  }

  void CreateCourse(int64_t i, int64_t n, const Leaf& leaf) {
    Rng r(Mix(o_.seed, static_cast<uint64_t>(n), 0x434F55525345));  // "COURSE"
    const std::string shortname = "DEMO-" + std::to_string(o_.seed) + "-" + Num(n);
    const std::string fullname =
        std::string(r.Pick(kCoursePrefixes)) + " " + leaf.subject + " " + Num(n);
    // Courses are created one after the other over the catalogue's span (which also keeps the
    // writes to the time indexes close together).
    const int64_t created = base_time_ - kCatalogueSpan +
                            i * kCatalogueSpan / std::max<int64_t>(o_.courses, 1) + r.Below(kDay);
    const int64_t start = Midnight(created + r.Between(7, 14) * kDay);
    const int64_t end = start + 16 * kWeek;
    const int visible = r.Percent(92) ? 1 : 0;
    const int hidden_sections = r.Percent(30) ? 1 : 0;

    const int64_t cid = course_->Take();
    course_->AddWithId(cid, leaf.id, leaf.sortorder, fullname, shortname, shortname,
                       "<p>" + fullname + ": a demonstration course.</p>", kFormatHtml, "topics", 1,
                       5, start, end, 0, 0, visible, visible, 0, 0, 0, "", "", "", created, created,
                       1, created, 1, 1);
    const ContextRef ctx = AddContext(kContextCourse, cid, leaf.context);
    const int64_t student_role = roles_["student"];

    // Activities' course module ids are known before the sections that list them.
    std::vector<Activity> acts;
    if (o_.activities) {
      for (const char* mod : {"forum", "assign", "quiz", "glossary", "data", "choice", "lesson",
                              "scorm", "survey", "chat"}) {
        auto it = modules_.find(mod);
        if (it == modules_.end()) continue;  // module not installed on this site
        Activity a;
        a.module = mod;
        a.module_id = it->second;
        a.cm = course_modules_->Take();
        acts.push_back(a);
      }
    }

    // Sections 0..sections; the activities live in section 1 (0 when there is none).
    const int64_t activity_section = o_.sections >= 1 ? 1 : 0;
    int64_t activity_section_id = 0;
    for (int64_t s = 0; s <= o_.sections; ++s) {
      int64_t sid = sections_->Take();
      std::string sequence;
      if (s == activity_section) {
        activity_section_id = sid;
        for (const auto& a : acts) sequence += (sequence.empty() ? "" : ",") + Num(a.cm);
      }
      Val name = std::nullopt;
      if (s > 0 && r.Percent(40)) name = "Topic " + Num(s) + ": " + r.Pick(kConcepts);
      int section_visible = (s > 1 && s == o_.sections && r.Percent(20)) ? 0 : 1;
      sections_->AddWithId(sid, cid, s, name, "", kFormatHtml, sequence, section_visible, created);
    }
    format_options_->Add(cid, "topics", 0, "hiddensections", Num(hidden_sections));
    format_options_->Add(cid, "topics", 0, "coursedisplay", Num(r.Percent(20) ? 1 : 0));

    // Enrolment instances, as enrol_course_updated() adds them: manual, guest, self.
    const int64_t manual =
        enrol_->Add("manual", kEnrolEnabled, cid, 0, 0, 0, 0, 0, 86400, 0, std::nullopt,
                    student_role, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                    std::nullopt, std::nullopt, created, created);
    enrol_->Add("guest", kEnrolDisabled, cid, 1, 0, 0, 0, 0, 0, 0, "", 0, std::nullopt,
                std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, created,
                created);
    enrol_->Add("self", r.Percent(25) ? kEnrolEnabled : kEnrolDisabled, cid, 2, 0, 0, 0, 0, 86400,
                0, std::nullopt, student_role, 0, 0, 0, 1, 0, 1, created, created);

    // Groups A and B in one grouping.
    const int64_t group_a =
        groups_->Add(cid, "", "Group A", "", kFormatHtml, 0, 0, 1, created, created);
    const int64_t group_b =
        groups_->Add(cid, "", "Group B", "", kFormatHtml, 0, 0, 1, created, created);
    const int64_t grouping =
        groupings_->Add(cid, "Project teams", "", "", kFormatHtml, created, created);
    groupings_groups_->Add(grouping, group_a, created);
    groupings_groups_->Add(grouping, group_b, created);

    // Enrolments, role assignments, group membership, last access, views.
    std::vector<Member> members = PickMembers(i, r);
    std::vector<const Member*> students;
    for (const auto& m : members) {
      if (m.student) students.push_back(&m);
    }
    const int64_t teacher = members.empty() ? admin_ : members[0].id;
    std::vector<Marks> marks(students.size());
    for (Marks& m : marks) {
      m.submitted = r.Percent(80);
      m.assign = static_cast<double>(r.Between(4000, 10000)) / 100.0;
      m.quiz = static_cast<double>(r.Between(0, 1000)) / 100.0;
      m.lesson = static_cast<double>(r.Between(40, 100));
      m.scorm = static_cast<double>(r.Between(30, 100));
    }
    log_->Add("\\core\\event\\course_created", "core", "created", "course", "course", cid, "c", 1,
              ctx.id, kContextCourse, cid, admin_, cid, std::nullopt, 0,
              "{\"shortname\":\"" + shortname + "\",\"fullname\":\"" + fullname + "\"}", created,
              "cli", std::nullopt, std::nullopt);
    for (size_t j = 0; j < members.size(); ++j) {
      const Member& m = members[j];
      int64_t t = start - r.Below(7 * kDay);
      user_enrolments_->Add(0, manual, m.id, start, 0, admin_, t, t);
      role_assignments_->Add(m.roleid, ctx.id, m.id, t, admin_, "", 0, 0);
      int64_t seen = start + r.Below(30 * kDay);
      user_lastaccess_->Add(m.id, cid, seen);
      if (!m.student) continue;
      log_->Add("\\core\\event\\course_viewed", "core", "viewed", "course", std::nullopt,
                std::nullopt, "r", 2, ctx.id, kContextCourse, cid, m.id, cid, std::nullopt, 0,
                "null", seen, "web", "192.0.2." + Num(1 + r.Below(254)), std::nullopt);
      groups_members_->Add(j % 2 ? group_b : group_a, m.id, t, "", 0);
    }

    // Calendar: a course event or, in every other course, a group event (the activities add
    // their own below).
    if (n % 2) {
      event_->Add("Course kick-off", "<p>Welcome session.</p>", kFormatHtml, 0, cid, 0, teacher, 0,
                  std::nullopt, "", 0, 0, "course", start + 9 * 3600, 3600, std::nullopt, 1, "", 1,
                  created);
    } else {
      event_->Add("Group A meeting", "", kFormatHtml, 0, cid, group_a, teacher, 0, std::nullopt, "",
                  0, 0, "group", start + 7 * kDay + 14 * 3600, 5400, std::nullopt, 1, "", 1,
                  created);
    }

    // A note about a student, a comment on the course page, a blog entry about the course.
    if (!students.empty()) {
      int64_t t = start + r.Below(40 * kDay);
      post_->Add("notes", students[0]->id, cid, 0, 0, 0, "", std::nullopt,
                 r.Percent(50) ? "Participates actively." : "Missed the first two sessions.", "", 0,
                 kFormatPlain, 0, r.Percent(80) ? "public" : "site", t, t, teacher);
    }
    comments_->Add(ctx.id, "block_comments", "page_comments", 0, "Slides for week 1 are online.", 0,
                   teacher, start + r.Below(20 * kDay));
    {
      int64_t author = students.empty() ? teacher : students[0]->id;
      int64_t t = start + r.Below(50 * kDay);
      int64_t blog = post_->Add("blog", author, 0, 0, 0, 0, "About " + fullname, "What I learnt.",
                                std::nullopt, "", 0, 0, kFormatHtml, "site", t, t, author);
      blog_association_->Add(ctx.id, blog);
    }

    // Permission overrides in the course context, sometimes a local role name.
    role_capabilities_->Add(ctx.id, student_role, "moodle/course:viewparticipants", kCapPrevent,
                            created, admin_);
    if (r.Percent(25)) role_names_->Add(student_role, ctx.id, "Learner");

    // Gradebook: course category, course total, the activities' items (a manual item when there
    // is no activity).
    const int64_t gcat = grade_categories_->Take();
    grade_categories_->AddWithId(gcat, cid, std::nullopt, 1, "/" + Num(gcat) + "/", "?",
                                 kAggregateNatural, 0, 0, 1, 0, created, created, 0);
    struct GradeItem {
      int64_t id;
      std::string module;  // "" for the manual item
      double max;
    };
    std::vector<GradeItem> items;
    const int64_t course_item = grade_items_->Take();
    int64_t item_sortorder = 1;
    auto add_item = [&](const char* type, const std::string& module, Val instance, Val name,
                        double max) {
      int64_t id = grade_items_->Add(
          cid, gcat, std::move(name), type, module.empty() ? Val(std::nullopt) : Val(module),
          std::move(instance), 0, 1, max, 0.0, 0.0, ++item_sortorder, created, created);
      items.push_back({id, module, max});
    };
    if (acts.empty()) add_item("manual", "", std::nullopt, "Participation", 20.0);

    // Activities.
    std::unordered_map<std::string, Activity*> by_key;
    const int64_t due = start + 4 * kWeek;
    for (auto& a : acts) {
      const std::string mod = a.module;
      by_key[mod] = &a;
      a.context = AddContext(kContextModule, a.cm, ctx);
      a.instance =
          AddActivity(a, cid, created, start, due, r, members, students, marks, group_a, group_b);
      int completion = (mod == "assign" || mod == "quiz" || mod == "choice") ? 2 : 1;
      course_modules_->AddWithId(a.cm, cid, a.module_id, a.instance, activity_section_id, created,
                                 0, 0, 1, 1, 1, 0, 0, completion, 0, 0, 0, 0);
      if (mod == "assign") {
        add_item("mod", "assign", a.instance, "Essay", 100.0);
        event_->Add("Essay is due", "", kFormatHtml, 0, cid, 0, 0, 0, "mod_assign", "assign",
                    a.instance, 1, "due", due, 0, due, 1, "", 1, created);
      } else if (mod == "quiz") {
        add_item("mod", "quiz", a.instance, "Weekly quiz", 10.0);
      } else if (mod == "lesson") {
        add_item("mod", "lesson", a.instance, "Getting started", 100.0);
      } else if (mod == "scorm") {
        add_item("mod", "scorm", a.instance, "SCORM package", 100.0);
      }
    }
    // A role override and a local role assignment in the forum (reset: roles_local/overrides).
    if (Activity* forum = by_key.count("forum") ? by_key["forum"] : nullptr) {
      role_capabilities_->Add(forum->context.id, student_role, "mod/forum:startdiscussion",
                              kCapPrevent, created, admin_);
      if (!students.empty()) {
        role_assignments_->Add(roles_["teacher"], forum->context.id, students[0]->id, created,
                               admin_, "", 0, 0);
      }
    }

    double course_max = 0;
    for (const auto& it : items) course_max += it.max;
    grade_items_->AddWithId(course_item, cid, std::nullopt, std::nullopt, "course", std::nullopt,
                            gcat, 0, 1, course_max, 0.0, 0.0, 1, created, created);

    // Grades: every student in every item (the essay once graded), the course total the sum
    // (natural aggregation).
    for (size_t j = 0; j < students.size(); ++j) {
      const Marks& m = marks[j];
      double total = 0;
      int64_t t = start + r.Between(20, 60) * kDay;
      for (const auto& it : items) {
        double g = static_cast<double>(r.Between(8, 20));  // the manual item
        if (it.module == "assign") {
          if (!m.submitted) continue;
          g = m.assign;
        } else if (it.module == "quiz") {
          g = m.quiz;
        } else if (it.module == "lesson") {
          g = m.lesson;
        } else if (it.module == "scorm") {
          g = m.scorm;
        }
        total += g;
        grade_grades_->Add(it.id, students[j]->id, g, it.max, 0.0, teacher, g, t, t, "used");
      }
      grade_grades_->Add(course_item, students[j]->id, std::nullopt, course_max, 0.0, std::nullopt,
                         total, t, t, "unknown");
    }

    // Completion: criteria (the essay), aggregation, per-student progress.
    std::optional<int64_t> criteria;
    if (Activity* assign = by_key.count("assign") ? by_key["assign"] : nullptr) {
      criteria = completion_criteria_->Add(cid, 4, "assign", assign->cm);
    }
    completion_aggr_->Add(cid, std::nullopt, 1);
    for (size_t j = 0; j < students.size(); ++j) {
      const Member* s = students[j];
      bool done = marks[j].submitted && r.Percent(40);
      int64_t t = start + r.Between(60, 110) * kDay;
      course_completions_->Add(s->id, cid, start, start + r.Below(3 * kDay),
                               done ? Val(t) : Val(std::nullopt), 0);
      if (done && criteria) completion_crit_compl_->Add(s->id, cid, *criteria, t);
      if (!o_.activities) continue;
      for (const char* mod : {"assign", "quiz", "choice", "forum"}) {
        auto it = by_key.find(mod);
        if (it == by_key.end() || !r.Percent(done ? 100 : 60)) continue;
        int state = 1;
        if (std::string(mod) == "quiz") state = marks[j].quiz >= 5 ? 2 : 3;  // pass / fail
        if (std::string(mod) == "assign" && !marks[j].submitted) continue;
        cm_completion_->Add(it->second->cm, s->id, state, start + r.Between(10, 90) * kDay);
      }
    }
  }

  // Writes the activity instance and its user data; returns the instance id.
  int64_t AddActivity(const Activity& a, int64_t cid, int64_t created, int64_t start, int64_t due,
                      Rng& r, const std::vector<Member>& members,
                      const std::vector<const Member*>& students, const std::vector<Marks>& marks,
                      int64_t group_a, int64_t group_b) {
    const std::string mod = a.module;
    const int64_t teacher = members.empty() ? admin_ : members[0].id;
    const std::string intro = "<p>Demo activity.</p>";
    auto when = [&](int64_t lo_days, int64_t hi_days) {
      return start + r.Between(lo_days * kDay, hi_days * kDay);
    };

    if (mod == "forum") {
      int64_t id =
          forum_->Add(cid, "general", "Discussion forum", intro, kFormatHtml, 0, 1, 1, created);
      std::vector<int64_t> repliers_a, repliers_b;
      for (size_t i = 0; i < students.size(); ++i) {
        (i % 2 ? repliers_b : repliers_a).push_back(students[i]->id);
      }
      auto [first, first_post] =
          AddDiscussion(cid, id, teacher, "Questions about week 1", "Ask your questions here.",
                        start + kDay, repliers_a, r);
      if (students.size() >= 2) {
        AddDiscussion(cid, id, students[0]->id, "Study group?", "Anyone up for a study group?",
                      start + 3 * kDay, repliers_b, r);
      }
      for (size_t i = 0; i < students.size(); ++i) {
        int64_t uid = students[i]->id;
        forum_subscriptions_->Add(uid, id);
        int64_t t = when(2, 20);
        forum_read_->Add(uid, id, first, first_post, t, t);
        if (i % 5 == 0) forum_digests_->Add(uid, id, 1);
        if (i % 7 == 0) forum_track_prefs_->Add(uid, id);
      }
      return id;
    }
    if (mod == "assign") {
      int64_t id = assign_->Add(cid, "Essay", intro, kFormatHtml, 1, 0, due, start, 100, created, 1,
                                0, due + kWeek, "untilpass", 1);
      for (size_t i = 0; i < students.size(); ++i) {
        int64_t uid = students[i]->id;
        int64_t t = when(5, 28);
        assign_submission_->Add(id, uid, t, t, std::nullopt,
                                marks[i].submitted ? "submitted" : "new", 0, 0, 1);
        if (marks[i].submitted) {
          int64_t g = due + r.Below(7 * kDay);
          assign_grades_->Add(id, uid, g, g, teacher, marks[i].assign, 0);
        }
        if (i % 4 == 3) assign_user_flags_->Add(uid, id, 0, 0, due + kWeek, 0);
      }
      return id;
    }
    if (mod == "quiz") {
      int64_t id =
          quiz_->Add(cid, "Weekly quiz", intro, kFormatHtml, start + kWeek, start + 2 * kWeek, 1800,
                     "deferredfeedback", 0, 1, 1, 1, 10.0, 10.0, created, created, "", "", "-");
      for (size_t i = 0; i < students.size(); ++i) {
        int64_t t = when(7, 13);
        // sumgrades and grade are both 10: the attempt's marks are the quiz grade.
        quiz_attempts_->Add(id, students[i]->id, 1, ++quiz_uniqueid_, "1,2,0,3,4,0", 0, 0,
                            "finished", t, t + r.Between(300, 1800), t + 1800, marks[i].quiz);
        quiz_grades_->Add(id, students[i]->id, marks[i].quiz, t + 1800);
      }
      return id;
    }
    if (mod == "glossary") {
      int64_t id = glossary_->Add(cid, "Course glossary", intro, kFormatHtml, "dictionary", created,
                                  created);
      glossary_entries_->Add(id, teacher, "Syllabus", "The plan of the course.", kFormatHtml, "",
                             created, created, 1, 1);
      for (const Member* s : students) {
        if (!r.Percent(60)) continue;
        int64_t t = when(3, 60);
        glossary_entries_->Add(id, s->id, std::string(r.Pick(kConcepts)) + " " + Num(s->id),
                               "A definition.", kFormatHtml, "", t, t, 0, r.Percent(90) ? 1 : 0);
      }
      return id;
    }
    if (mod == "data") {
      int64_t id = data_->Add(cid, "Shared resources", intro, kFormatHtml, created);
      int64_t title = data_fields_->Add(id, "text", "Title", "", 1);
      int64_t notes = data_fields_->Add(id, "textarea", "Notes", "", 0);
      for (const Member* s : students) {
        int64_t t = when(3, 60);
        int64_t rec = data_records_->Add(s->id, 0, id, t, t, 1);
        data_content_->Add(title, rec, "Resource " + Num(rec));
        data_content_->Add(notes, rec, "Useful for the essay.");
      }
      return id;
    }
    if (mod == "choice") {
      int64_t id = choice_->Add(cid, "Pick a project topic", intro, kFormatHtml, 1, created, 1);
      int64_t options[3];
      for (int i = 0; i < 3; ++i)
        options[i] = choice_options_->Add(id, kChoiceOptions[i], 0, created);
      for (const Member* s : students) {
        choice_answers_->Add(id, s->id, options[r.Below(3)], when(1, 14));
      }
      return id;
    }
    if (mod == "lesson") {
      int64_t id =
          lesson_->Add(cid, "Getting started", intro, kFormatHtml, "",
                       "{\"timespent\":0,\"completed\":0,\"gradebetterthan\":0}", 100, "", created);
      for (size_t i = 0; i < students.size(); ++i) {
        const int64_t uid = students[i]->id;
        int64_t t = when(2, 30);
        // No lesson_pages table in this schema: page and answer ids are 0.
        lesson_attempts_->Add(id, 0, uid, 0, 0, marks[i].lesson >= 70 ? 1 : 0, "B", t);
        lesson_grades_->Add(id, uid, marks[i].lesson, 0, t + 600);
        lesson_timer_->Add(id, uid, t, 600 + r.Below(1200), 1);
      }
      return id;
    }
    if (mod == "scorm") {
      int64_t id = scorm_->Take();
      scorm_scoes_->Add(id, "demo_manifest", "", "/", "demo_org", "", "", "Demo organisation", 1);
      const int64_t sco = scorm_scoes_->Add(id, "demo_manifest", "demo_org", "demo_org", "item_1",
                                            "index.html", "sco", "Module 1", 2);
      scorm_->AddWithId(id, cid, "SCORM package", "local", "package.zip", intro, kFormatHtml,
                        "SCORM_1.2", 100.0, 1, "", 1, sco, "", created);
      for (size_t i = 0; i < students.size(); ++i) {
        int64_t t = when(5, 50);
        int64_t attempt = scorm_attempt_->Add(students[i]->id, id, 1);
        // scorm_element is not in this schema: 1 = cmi.core.lesson_status, 2 = score.raw.
        scorm_values_->Add(sco, attempt, 1, marks[i].scorm >= 50 ? "passed" : "failed", t);
        scorm_values_->Add(sco, attempt, 2, Num(static_cast<int64_t>(marks[i].scorm)), t);
      }
      return id;
    }
    if (mod == "survey") {
      // Template 5 is Moodle's "Critical incidents" survey (its questions are site-wide).
      int64_t id = survey_->Add(cid, 5, 0, created, created, "Critical incidents", intro,
                                kFormatHtml, "65,66,67,68,69");
      for (const Member* s : students) {
        int64_t t = when(30, 60);
        survey_answers_->Add(s->id, id, 65, t, "The group work.", "");
        survey_answers_->Add(s->id, id, 66, t, "The long lectures.", "");
        survey_analysis_->Add(id, s->id, "");
      }
      return id;
    }
    if (mod == "chat") {
      int64_t id =
          chat_->Add(cid, "Chat room", intro, kFormatHtml, 0, 0, start + 10 * kDay, 0, created);
      for (size_t i = 0; i < members.size(); ++i) {
        if (i != 0 && !members[i].student) continue;  // the editing teacher and the students
        int64_t t = start + 10 * kDay + static_cast<int64_t>(i) * 60;
        chat_messages_->Add(id, members[i].id, members[i].student ? (i % 2 ? group_b : group_a) : 0,
                            0, i == 0 ? "Hello everyone" : "Hi!", t);
      }
      return id;
    }
    throw std::logic_error("demo: unexpected module " + mod);
  }

  // A discussion with its first post and one reply per replier; returns the ids of the
  // discussion and of its first post.
  std::pair<int64_t, int64_t> AddDiscussion(int64_t cid, int64_t forum, int64_t author,
                                            const std::string& subject, const std::string& message,
                                            int64_t t, const std::vector<int64_t>& repliers,
                                            Rng& r) {
    const int64_t d = forum_discussions_->Take();
    const int64_t first = forum_posts_->Take();
    const int64_t words = 1 + static_cast<int64_t>(std::count(message.begin(), message.end(), ' '));
    forum_posts_->AddWithId(first, d, 0, author, t, t, 1, subject, message, kFormatHtml, 0, "", 0,
                            0, 0, 0, words, static_cast<int64_t>(message.size()));
    int64_t last = t;
    for (int64_t uid : repliers) {
      last += 3600 + r.Below(kDay);
      forum_posts_->Add(d, first, uid, last, last, 1, "Re: " + subject, "I agree.", kFormatHtml, 0,
                        "", 0, 0, 0, 0, 2, 8);
    }
    forum_discussions_->AddWithId(d, cid, forum, subject, first, author, -1, 1, last, author, 0, 0,
                                  0);
    return {d, first};
  }

  store::Db& db_;
  const DemoOptions& o_;
  DemoStats stats_;
  int64_t base_time_ = kEpoch;
  int64_t per_course_ = 0;
  int64_t rows_ = 0;
  int64_t admin_ = 2;
  int64_t quiz_uniqueid_ = 0;
  ContextRef system_;
  std::map<std::string, int64_t> roles_;
  std::map<std::string, int64_t> modules_;
  std::vector<Leaf> leaves_;
  std::vector<int64_t> pool_;
  std::vector<int64_t> course_numbers_;
  std::vector<std::unique_ptr<Table>> owned_;
  std::vector<Table*> all_;
  Table *context_ = nullptr, *user_ = nullptr, *course_ = nullptr, *sections_ = nullptr,
        *format_options_ = nullptr, *enrol_ = nullptr, *user_enrolments_ = nullptr,
        *role_assignments_ = nullptr, *role_capabilities_ = nullptr, *role_names_ = nullptr,
        *user_lastaccess_ = nullptr, *groups_ = nullptr, *groupings_ = nullptr,
        *groupings_groups_ = nullptr, *groups_members_ = nullptr, *event_ = nullptr,
        *log_ = nullptr, *post_ = nullptr, *blog_association_ = nullptr, *comments_ = nullptr,
        *grade_categories_ = nullptr, *grade_items_ = nullptr, *grade_grades_ = nullptr,
        *course_completions_ = nullptr, *completion_criteria_ = nullptr,
        *completion_aggr_ = nullptr, *completion_crit_compl_ = nullptr, *course_modules_ = nullptr,
        *cm_completion_ = nullptr, *forum_ = nullptr, *forum_discussions_ = nullptr,
        *forum_posts_ = nullptr, *forum_subscriptions_ = nullptr, *forum_digests_ = nullptr,
        *forum_track_prefs_ = nullptr, *forum_read_ = nullptr, *assign_ = nullptr,
        *assign_submission_ = nullptr, *assign_grades_ = nullptr, *assign_user_flags_ = nullptr,
        *quiz_ = nullptr, *quiz_attempts_ = nullptr, *quiz_grades_ = nullptr, *glossary_ = nullptr,
        *glossary_entries_ = nullptr, *data_ = nullptr, *data_fields_ = nullptr,
        *data_records_ = nullptr, *data_content_ = nullptr, *choice_ = nullptr,
        *choice_options_ = nullptr, *choice_answers_ = nullptr, *lesson_ = nullptr,
        *lesson_attempts_ = nullptr, *lesson_grades_ = nullptr, *lesson_timer_ = nullptr,
        *scorm_ = nullptr, *scorm_scoes_ = nullptr, *scorm_attempt_ = nullptr,
        *scorm_values_ = nullptr, *survey_ = nullptr, *survey_answers_ = nullptr,
        *survey_analysis_ = nullptr, *chat_ = nullptr, *chat_messages_ = nullptr;
};

}  // namespace

int64_t DemoUsersPerCourse(const DemoOptions& o) {
  if (o.users_per_course > 0) return std::min(o.users_per_course, o.users);
  int64_t k = std::min(o.users, kMaxAutoUsersPerCourse);
  if (o.courses > 0) {
    k = std::min(k, std::max(kMinAutoUsersPerCourse, kAutoEnrolmentBudget / o.courses));
  }
  return std::min(k, o.users);
}

DemoStats RunDemo(store::Db& db, const DemoOptions& o) {
  if (o.courses < 0 || o.users < 0 || o.users_per_course < 0 || o.sections < 0) {
    throw std::invalid_argument("demo: counts must not be negative");
  }
  if (o.sections > 52) throw std::invalid_argument("demo: at most 52 sections");
  // A bigger SQLite page cache for the run (restored afterwards): a large run dirties far more
  // pages than the default cache holds, and spilling them to the WAL only to read them back
  // costs more than the memory (about 16 KiB per course).
  struct CacheGuard {
    store::Db& db;
    std::optional<int64_t> old;
    ~CacheGuard() {
      if (!old) return;
      try {
        db.Exec("PRAGMA cache_size = " + std::to_string(*old));
      } catch (...) {
      }
    }
  } cache{db, std::nullopt};
  if (db.dialect() == store::Dialect::kSqlite) {
    const int64_t want_kib = std::min<int64_t>(2 << 20, 65536 + o.courses * 16);
    std::optional<int64_t> now = db.QueryInt("PRAGMA cache_size");
    // Negative values are KiB, positive ones pages (4 KiB by default).
    int64_t now_kib = !now ? 0 : (*now < 0 ? -*now : *now * 4);
    if (now && now_kib < want_kib) {
      cache.old = now;
      db.Exec("PRAGMA cache_size = -" + std::to_string(want_kib));
    }
  }
  // One transaction for the whole run (joined when the caller already holds one).
  std::optional<store::Transaction> tx;
  if (!db.InTransaction()) tx.emplace(db);
  DemoRun run(db, o);
  DemoStats stats = run.Run();
  if (tx) tx->Commit();
  return stats;
}

}  // namespace cs::sync
