// The course creation/update file (tool_sync.md §2.1 with its Recommendations; moodle_core.md
// §2.1, §2.2, §2.5). Streams the file: each line is validated whole, then applied at once, so
// memory is bounded by the site, not the file. Existing courses are found by the configured
// identifier in an in-memory index; categories come from an in-memory tree; statements are
// prepared once per run. The run is one transaction (RunFileTask); the sort order is fixed once
// at the end, as Moodle's fix_course_sortorder() would after each course.
#include <algorithm>
#include <array>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "sync/background_writer.h"
#include "sync/categories.h"
#include "sync/contexts.h"
#include "sync/course_index.h"
#include "sync/create_columns.h"
#include "sync/create_sortorder_plan.h"
#include "sync/errors.h"
#include "sync/flat_index.h"
#include "sync/row_batch.h"
#include "sync/tasks.h"
#include "sync/values.h"

namespace cs::sync {
namespace {

// A value that fails validation: the line is rejected with this column and reason.
struct LineError {
  size_t column;  // 0-based index in the record
  std::string message;
};

struct Teacher {
  int64_t userid = 0;
  int64_t roleid = 0;
  std::string account;
};

// The validated values of one line; absent optional = column absent or cell empty.
struct CourseValues {
  std::string shortname, fullname;
  std::optional<std::string> idnumber, summary, format, lang, theme, tmpl, category;
  std::optional<int64_t> id, startdate, enddate, visible, showgrades, newsitems, maxbytes,
      showreports, groupmode, groupmodeforce, enablecompletion, self, guest, numsections, marker,
      legacyfiles, visibleold, coursedisplay, hiddensections, defaultgroupingid, timecreated,
      timemodified, sortorder;
  std::map<int, std::pair<std::string, std::string>> topics;  // N -> (name, summary)
  std::vector<Teacher> teachers;
  size_t category_col = 0, template_col = 0, idnumber_col = 0, shortname_col = 0;
};

// The site's course defaults ({config_plugins} plugin 'moodlecourse').
struct Defaults {
  std::string format = "topics";
  int64_t numsections = 4, newsitems = 5, showgrades = 1, showreports = 0, maxbytes = 0,
          groupmode = 0, groupmodeforce = 0, visible = 1, enablecompletion = 1, hiddensections = 0,
          coursedisplay = 0, courseenddateenabled = 1, courseduration = 365 * 86400;
  std::string lang;
};

Defaults LoadDefaults(store::Db& db) {
  Defaults d;
  auto st = db.Prepare("SELECT name, value FROM {config_plugins} WHERE plugin='moodlecourse'");
  while (st->Step()) {
    std::string n = st->Text(0), v = st->Text(1);
    auto i = ParseInt(v);
    if (n == "format" && std::count(CourseFormats().begin(), CourseFormats().end(), v))
      d.format = v;
    if (n == "lang") d.lang = v;
    if (!i) continue;
    if (n == "numsections") d.numsections = std::clamp<int64_t>(*i, 0, 52);
    if (n == "newsitems") d.newsitems = *i;
    if (n == "showgrades") d.showgrades = *i;
    if (n == "showreports") d.showreports = *i;
    if (n == "maxbytes") d.maxbytes = *i;
    if (n == "groupmode") d.groupmode = *i;
    if (n == "groupmodeforce") d.groupmodeforce = *i;
    if (n == "visible") d.visible = *i;
    if (n == "enablecompletion") d.enablecompletion = *i;
    if (n == "hiddensections") d.hiddensections = *i;
    if (n == "coursedisplay") d.coursedisplay = *i;
    if (n == "courseenddateenabled") d.courseenddateenabled = *i;
    if (n == "courseduration") d.courseduration = *i;
  }
  return d;
}

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

int64_t TodayMidnight() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return static_cast<int64_t>(std::mktime(&tm));
}

constexpr std::array<std::string_view, 7> kTextColumns = {
    "fullname", "shortname", "idnumber", "summary", "format", "lang", "theme"};
constexpr std::array<std::string_view, 16> kNumColumns = {
    "startdate",      "enddate",           "visible",     "showgrades",
    "newsitems",      "maxbytes",          "showreports", "groupmode",
    "groupmodeforce", "enablecompletion",  "marker",      "legacyfiles",
    "visibleold",     "defaultgroupingid", "timecreated", "timemodified"};

template <size_t N>
constexpr size_t IndexOf(const std::array<std::string_view, N>& a, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (a[i] == name) return i;
  }
  return N;  // not reached for the names used below
}

// A course as stored, for updates and templates (flat arrays: no allocation per column).
struct StoredCourse {
  int64_t id = 0, category = 0;
  std::array<std::string, kTextColumns.size()> text;
  std::array<int64_t, kNumColumns.size()> num{};
  // The course's last section number (-1: none), when read with the row (Creator::Prefetch).
  std::optional<int64_t> max_section;
  const std::string& T(std::string_view c) const { return text.at(IndexOf(kTextColumns, c)); }
  int64_t N(std::string_view c) const { return num.at(IndexOf(kNumColumns, c)); }
};

class Creator {
 public:
  Creator(TaskContext& ctx)
      : ctx_(ctx),
        db_direct_(ctx.db),
        courses_(ctx.db),
        cats_(ctx.db),
        contexts_(ctx.db),
        defaults_(LoadDefaults(ctx.db)),
        force_update_(ctx.settings.Bool("courses_forceupdate")),
        protect_category_(ctx.settings.Bool("courses_protectcategory")),
        new_cats_visible_(ctx.settings.Bool("courses_newcategoriesvisible")),
        category_mode_(ctx.settings.Get("courses_coursecategoryidentifier")),
        template_mode_(ctx.settings.Int("courses_template_mode")) {
    auto st = db().Prepare("SELECT id, shortname FROM {role}");
    while (st->Step()) roles_[st->Text(1)] = st->Int(0);
  }

  void Run() {
    csv::Record rec;
    if (!ctx_.reader.Next(rec))
      throw Rejected(ctx_.reader.name() + ": the file is empty (no header)");
    if (char f = csv::DetectForeignSeparator(rec, ctx_.csv.separator)) {
      throw Rejected(ctx_.reader.name() + ": line " + std::to_string(rec.line) +
                     ": invalid separator detected: the header holds '" + csv::SeparatorName(f) +
                     "' but the separator is '" + csv::SeparatorName(ctx_.csv.separator) +
                     "' (set csvseparator or --separator)");
    }
    header_ = ParseCreateHeader(rec.fields, ctx_.reader.name(), rec.line);
    ctx_.tryback.SetHeader(rec.fields);
    std::string ident = ctx_.identifier;
    bool has_ident_col = std::any_of(header_.begin(), header_.end(),
                                     [&](const HeaderColumn& h) { return h.name == ident; });
    if (!has_ident_col) {
      throw Rejected(ctx_.reader.name() + ": line " + std::to_string(rec.line) +
                     ": the course identifier is '" + ident + "' but the file has no '" + ident +
                     "' column");
    }
    if (!ctx_.input_path.empty()) PlanSortorders();
    int64_t n = 0;
    // Lines are read a chunk at a time so that the courses they update are loaded with one query
    // (Prefetch) instead of one round trip each. A reading error rejects the whole file anyway.
    std::vector<csv::Record> chunk;
    bool more = true;
    while (more) {
      chunk.clear();
      while (chunk.size() < kChunkLines && (more = ctx_.reader.Next(rec))) {
        chunk.push_back(std::move(rec));
      }
      Prefetch(chunk);
      for (const csv::Record& line : chunk) {
        ++ctx_.report.read;
        HandleLine(line);
        if (ctx_.progress && (++n % 2000) == 0) ctx_.progress(n);
      }
    }
    prefetched_.clear();
    if (ctx_.progress) ctx_.progress(n);
    Sync();
    // Only a run that created or moved a course changes the sort order or the counts.
    if (ctx_.report.Count(Status::kCreated) > 0 || moved_ > 0 || categories_created_ > 0) {
      FixCourseSortorder(db());
    }
    if (categories_created_ > 0) {
      ctx_.report.notes.push_back(std::to_string(categories_created_) + " categor" +
                                  (categories_created_ == 1 ? "y" : "ies") + " created");
    }
    ctx_.report.summary = {{"categories_created", categories_created_}};
  }

 private:
  std::string ColName(size_t i) const { return i < header_.size() ? header_[i].name : "?"; }

  void Fail(const csv::Record& rec, const std::string& identifier, const std::string& msg) {
    LineResult r;
    r.line = rec.line;
    r.identifier = identifier;
    r.status = Status::kFailed;
    r.message = msg;
    ctx_.report.Add(std::move(r));
    ctx_.tryback.Add(rec.fields);
  }

  // The identifier value of a line ("" when none or when the line has the wrong width).
  std::string IdentifierOf(const csv::Record& rec) const {
    std::string identifier;
    if (rec.fields.size() != header_.size()) return identifier;
    for (size_t i = 0; i < header_.size(); ++i) {
      if (header_[i].name == ctx_.identifier) identifier = Trim(rec.fields[i]);
    }
    return identifier;
  }

  // Loads, with one query per chunk, the stored row and last section number of every existing
  // course the chunk's lines name, for Load() to hand out (each entry once). Only a course's own
  // line changes its row or sections before that line's Load(), so an entry is current when
  // used; a template is read by Load() too, and takes the entry only when its line has not come
  // yet. Entries not used by the chunk are dropped.
  void Prefetch(const std::vector<csv::Record>& chunk) {
    prefetched_.clear();
    if (!force_update_) return;  // existing courses are skipped without being read
    // SQLite has no round trip to save: one query per course measured the same or better there.
    if (db().dialect() == store::Dialect::kSqlite) return;
    std::vector<int64_t> ids;
    for (const csv::Record& rec : chunk) {
      std::string identifier = IdentifierOf(rec);
      if (identifier.empty()) continue;
      Lookup l = courses_.Find(ctx_.identifier, identifier);
      if (l.course && l.course->id != kSiteCourseId) ids.push_back(l.course->id);
    }
    if (ids.empty()) return;
    Sync();  // a course created by this run may be named again (e.g. as a template)
    if (!prefetch_) {
      std::string sql = "SELECT " + LoadColumns() +
                        "category, id, (SELECT COALESCE(MAX(section), -1) FROM {course_sections} s "
                        "WHERE s.course = {course}.id) FROM {course} WHERE id IN (";
      for (size_t i = 0; i < kChunkLines; ++i) sql += i ? ", ?" : "?";
      prefetch_ = db().Prepare(sql + ")");
    }
    prefetch_->Reset();
    for (size_t i = 0; i < kChunkLines; ++i) {
      prefetch_->BindInt(static_cast<int>(i + 1), i < ids.size() ? ids[i] : ids[0]);
    }
    while (prefetch_->Step()) {
      StoredCourse c = ReadCourse(*prefetch_);
      c.max_section = prefetch_->Int(kTextColumns.size() + kNumColumns.size() + 2);
      prefetched_.insert_or_assign(c.id, std::move(c));
    }
    prefetch_->Reset();
  }

  void HandleLine(const csv::Record& rec) {
    if (rec.fields.size() != header_.size()) {
      Fail(rec, "",
           std::to_string(rec.fields.size()) + " values found, " + std::to_string(header_.size()) +
               " expected");
      return;
    }
    const std::string identifier = IdentifierOf(rec);
    if (!identifier.empty()) {
      int64_t first = 0;
      seen_.ForEach(identifier, [&](int64_t line) { first = line; });
      if (first) {
        Fail(rec, identifier,
             ctx_.identifier + " '" + identifier + "' already appears on line " +
                 std::to_string(first) + " of this file");
        return;
      }
      seen_.Insert(seen_keys_.Store(identifier), rec.line);
    }
    const CourseRow* existing = nullptr;
    if (!identifier.empty()) {
      Lookup l = courses_.Find(ctx_.identifier, identifier);
      if (l.course) {
        existing = l.course;
      } else if (l.error.find("ambiguous") != std::string::npos) {
        Fail(rec, identifier, l.error);
        return;
      } else if (ctx_.identifier == "id") {
        Fail(rec, identifier, l.error + ": a new course cannot be given an id (leave id empty)");
        return;
      }
    }
    if (existing && existing->id == kSiteCourseId) {
      Fail(rec, identifier, "the site course cannot be changed by the creation file");
      return;
    }
    if (existing && !force_update_) {
      // Nothing of the line is applied, so its values need no validation (the fast path of a
      // nightly re-run).
      LineResult r{rec.line,
                   identifier,
                   Status::kSkipped,
                   existing->id,
                   "course already exists (force update is off)",
                   nullptr,
                   {}};
      ctx_.report.Add(std::move(r));
      return;
    }
    CourseValues v;
    try {
      v = Validate(rec);
    } catch (const LineError& e) {
      Fail(rec, identifier,
           "column " + std::to_string(e.column + 1) + " (" + ColName(e.column) + "): " + e.message);
      return;
    }
    try {
      if (!existing) {
        Create(rec, identifier, v);
      } else {
        Update(rec, identifier, v, *existing);
      }
    } catch (const LineError& e) {
      Fail(rec, identifier,
           "column " + std::to_string(e.column + 1) + " (" + ColName(e.column) + "): " + e.message);
    }
  }

  const std::string& PathOf(int64_t category) {
    auto it = paths_.find(category);
    if (it == paths_.end()) it = paths_.emplace(category, cats_.PathOf(category)).first;
    return it->second;
  }

  // ---- validation ----

  CourseValues Validate(const csv::Record& rec) {
    CourseValues v;
    std::map<int, Teacher> teachers;
    std::map<int, size_t> teacher_cols;
    for (size_t i = 0; i < header_.size(); ++i) {
      const HeaderColumn& h = header_[i];
      std::string val = Trim(rec.fields[i]);
      auto err = [&](const std::string& m) { return LineError{i, m}; };
      auto text = [&](size_t maxlen) -> std::string {
        if (Utf8Length(val) > maxlen) {
          throw err("longer than " + std::to_string(maxlen) + " characters");
        }
        return val;
      };
      auto integer = [&](int64_t lo, int64_t hi) -> int64_t {
        auto n = ParseInt(val);
        if (!n || *n < lo || *n > hi) {
          throw err("'" + val + "' is not a whole number from " + std::to_string(lo) + " to " +
                    std::to_string(hi));
        }
        return *n;
      };
      auto boolean = [&]() -> int64_t {
        auto b = ParseBool(val);
        if (!b) throw err("'" + val + "' is not 0 or 1");
        return *b ? 1 : 0;
      };
      auto date = [&]() -> int64_t {
        auto d = ParseDate(val);
        if (!d) {
          throw err("'" + val +
                    "' is not a date (YYYY-MM-DD, YYYY-MM-DD hh:mm[:ss] or a Unix timestamp)");
        }
        return *d;
      };
      switch (h.col) {
        case CreateCol::kShortname:
          if (val.empty()) throw err("shortname is required");
          v.shortname = text(255);
          v.shortname_col = i;
          continue;
        case CreateCol::kFullname:
          if (val.empty()) throw err("fullname is required");
          v.fullname = text(1333);
          continue;
        case CreateCol::kTopic:
          // An empty topic cell leaves the section as it is.
          if (!val.empty()) {
            size_t bar = val.find('|');
            std::string name = Trim(val.substr(0, bar));
            std::string summary = bar == std::string::npos ? "" : Trim(val.substr(bar + 1));
            if (Utf8Length(name) > 1333) throw err("section name longer than 1333 characters");
            v.topics[h.index] = {name, summary};
          }
          continue;
        default:
          break;
      }
      if (val.empty()) continue;  // an empty optional cell means "not given"
      switch (h.col) {
        case CreateCol::kIdnumber:
          v.idnumber = text(100);
          v.idnumber_col = i;
          break;
        case CreateCol::kId:
          v.id = integer(1, INT64_MAX / 2);
          break;
        case CreateCol::kCategory:
          v.category = val;
          v.category_col = i;
          break;
        case CreateCol::kSummary:
          v.summary = val;
          break;
        case CreateCol::kFormat: {
          std::string f = Lower(val);
          if (!std::count(CourseFormats().begin(), CourseFormats().end(), f)) {
            throw err("unknown course format '" + val +
                      "' (topics, weeks, social, singleactivity)");
          }
          v.format = f;
          break;
        }
        case CreateCol::kStartdate:
          v.startdate = date();
          break;
        case CreateCol::kEnddate:
          v.enddate = date();
          break;
        case CreateCol::kTimecreated:
          v.timecreated = date();
          break;
        case CreateCol::kTimemodified:
          v.timemodified = date();
          break;
        case CreateCol::kVisible:
          v.visible = boolean();
          break;
        case CreateCol::kShowgrades:
          v.showgrades = boolean();
          break;
        case CreateCol::kShowreports:
          v.showreports = boolean();
          break;
        case CreateCol::kGroupmodeforce:
          v.groupmodeforce = boolean();
          break;
        case CreateCol::kEnablecompletion:
          v.enablecompletion = boolean();
          break;
        case CreateCol::kSelf:
          v.self = boolean();
          break;
        case CreateCol::kGuest:
          v.guest = boolean();
          break;
        case CreateCol::kLegacyfiles:
          v.legacyfiles = boolean();
          break;
        case CreateCol::kVisibleold:
          v.visibleold = boolean();
          break;
        case CreateCol::kCoursedisplay:
          v.coursedisplay = boolean();
          break;
        case CreateCol::kHiddensections:
          v.hiddensections = boolean();
          break;
        case CreateCol::kNewsitems:
          v.newsitems = integer(0, 10);
          break;
        case CreateCol::kMaxbytes:
          v.maxbytes = integer(0, INT64_MAX / 2);
          break;
        case CreateCol::kGroupmode:
          v.groupmode = integer(0, 2);
          break;
        case CreateCol::kNumsections:
          v.numsections = integer(0, 52);
          break;
        case CreateCol::kMarker:
          v.marker = integer(0, 52);
          break;
        case CreateCol::kSortorder:
          v.sortorder = integer(0, 4294967295LL);
          break;
        case CreateCol::kDefaultgroupingid:
          v.defaultgroupingid = integer(0, INT64_MAX / 2);
          break;
        case CreateCol::kLang: {
          std::string l = text(30);
          bool ok = std::all_of(l.begin(), l.end(), [](unsigned char c) {
            return std::islower(c) || std::isdigit(c) || c == '_';
          });
          if (!ok) throw err("'" + val + "' is not a language code (e.g. en, fr, pt_br)");
          v.lang = l;
          break;
        }
        case CreateCol::kTheme: {
          std::string t = text(50);
          bool ok = std::all_of(t.begin(), t.end(), [](unsigned char c) {
            return std::islower(c) || std::isdigit(c) || c == '_';
          });
          if (!ok) throw err("'" + val + "' is not a theme name");
          v.theme = t;
          break;
        }
        case CreateCol::kTemplate:
          v.tmpl = val;
          v.template_col = i;
          break;
        case CreateCol::kTeacherAccount: {
          Teacher& t = teachers[h.index];
          t.account = val;
          t.userid = FindUser(val, i);
          teacher_cols[h.index] = i;
          break;
        }
        case CreateCol::kTeacherRole: {
          auto it = roles_.find(Lower(val));
          if (it == roles_.end()) throw err("unknown role '" + val + "'");
          if (!CourseRole(it->first)) {
            throw err("role '" + val + "' cannot be assigned in a course");
          }
          teachers[h.index].roleid = it->second;
          break;
        }
        default:
          break;
      }
    }
    if (v.startdate && v.enddate && *v.enddate > 0 && *v.enddate < *v.startdate) {
      for (size_t i = 0; i < header_.size(); ++i) {
        if (header_[i].col == CreateCol::kEnddate) throw LineError{i, "end date before start date"};
      }
    }
    for (auto& [n, t] : teachers) {
      if (t.userid == 0) {
        // A role with an empty account cell: nothing to enrol, but the intent is unclear.
        for (size_t i = 0; i < header_.size(); ++i) {
          if (header_[i].col == CreateCol::kTeacherAccount && header_[i].index == n) {
            throw LineError{i, "teacher" + std::to_string(n) + "_role is given but teacher" +
                                   std::to_string(n) + "_account is empty"};
          }
        }
      }
      if (t.roleid == 0) t.roleid = RoleId("editingteacher");
      v.teachers.push_back(t);
    }
    return v;
  }

  static bool CourseRole(const std::string& shortname) {
    return shortname == "manager" || shortname == "editingteacher" || shortname == "teacher" ||
           shortname == "student" || shortname == "coursecreator";
  }

  int64_t RoleId(const std::string& shortname) {
    auto it = roles_.find(shortname);
    return it == roles_.end() ? 0 : it->second;
  }

  // A user by id, username, email or "firstname lastname" (each must match exactly one live user).
  int64_t FindUser(const std::string& account, size_t col) {
    auto cached = user_cache_.find(account);
    if (cached != user_cache_.end()) {
      if (cached->second > 0) return cached->second;
      throw LineError{col, user_errors_[account]};
    }
    Sync();  // the statements below are used without db()
    if (!user_by_id_) {
      user_by_id_ = db().Prepare("SELECT id FROM {user} WHERE id=? AND deleted=0");
      user_by_username_ =
          db().Prepare("SELECT id FROM {user} WHERE username=? AND deleted=0 AND mnethostid=1");
      user_by_email_ =
          db().Prepare("SELECT id FROM {user} WHERE lower(email)=lower(?) AND deleted=0 LIMIT 2");
      user_by_name_ = db().Prepare(
          "SELECT id FROM {user} WHERE lower(firstname || ' ' || lastname)=lower(?) AND deleted=0 "
          "LIMIT 2");
    }
    auto collect = [](store::Stmt& st, auto... args) {
      std::vector<int64_t> ids;
      bool row = st.Run(args...);
      while (row) {
        ids.push_back(st.Int(0));
        row = st.Step();
      }
      return ids;
    };
    std::vector<int64_t> ids;
    if (auto n = ParseId(account)) {
      ids = collect(*user_by_id_, *n);
    } else {
      ids = collect(*user_by_username_, account);
      if (ids.empty()) ids = collect(*user_by_email_, account);
      if (ids.empty()) ids = collect(*user_by_name_, account);
    }
    std::string error;
    if (ids.empty()) error = "no user matches '" + account + "' (id, username, email or full name)";
    if (ids.size() > 1) error = "'" + account + "' matches several users: give the username";
    if (!error.empty()) {
      user_cache_[account] = 0;
      user_errors_[account] = error;
      throw LineError{col, error};
    }
    user_cache_[account] = ids[0];
    return ids[0];
  }

  // ---- categories ----

  // A first pass over the file (create_sortorder_plan.h): new categories and the courses put in
  // them are written where FixCourseSortorder would put them.
  void PlanSortorders() {
    std::ifstream in(ctx_.input_path, std::ios::binary);
    if (!in) return;
    csv::Reader reader(in, ctx_.reader.name(), ctx_.csv);
    SortorderPlan plan =
        PlanCreationSortorder(reader, header_, ctx_.identifier, courses_, cats_, category_mode_);
    for (const auto& [key, sortorder] : plan.category_sortorder) {
      auto n = plan.new_courses.find(key);
      if (n != plan.new_courses.end()) planned_courses_[key] = {sortorder, n->second, 0};
      cats_.PlanSortorder(key, sortorder);
    }
  }

  // The sort order of a new course in `category`: the next planned slot (newest lowest, as the
  // repair orders them), or the category's own, which the repair moves to the top.
  int64_t NewCourseSortorder(int64_t category, int64_t category_sortorder) {
    auto it = planned_by_id_.find(category);
    if (it == planned_by_id_.end() || it->second.used >= it->second.count) {
      return category_sortorder;
    }
    Slots& s = it->second;
    return s.base + s.count - s.used++;
  }
  struct Slots {
    int64_t base = 0, count = 0, used = 0;
  };
  std::unordered_map<std::string, Slots> planned_courses_;  // new category path key -> slots
  std::unordered_map<int64_t, Slots> planned_by_id_;        // ... once the category exists

  // The category a line asks for; nullopt when the line has no category value.
  std::optional<int64_t> ResolveCategory(const CourseValues& v) {
    if (!v.category) return std::nullopt;
    const std::string& raw = *v.category;
    size_t col = v.category_col;
    if (category_mode_ == "idnumber") {
      auto found = cats_.ByIdnumber(raw);
      if (found.empty()) throw LineError{col, "no category with idnumber '" + raw + "'"};
      if (found.size() > 1) {
        throw LineError{col, std::to_string(found.size()) + " categories have idnumber '" + raw +
                                 "': ambiguous"};
      }
      return found[0]->id;
    }
    if (auto id = ParseId(raw)) {  // "0042" is a name, not category 42
      if (!cats_.Get(*id)) throw LineError{col, "no category with id " + raw};
      return *id;
    }
    std::vector<std::string> parts;
    try {
      parts = CategoryTree::SplitPath(raw);
    } catch (const std::invalid_argument& e) {
      throw LineError{col, e.what()};
    }
    if (const Category* found = cats_.FindPath(parts)) return found->id;
    Sync();  // the missing categories are inserted now
    int64_t id = cats_.EnsurePath(parts, new_cats_visible_, &categories_created_).id;
    if (!planned_courses_.empty()) {
      auto it = planned_courses_.find(CategoryTree::PathKey(parts, parts.size()));
      if (it != planned_courses_.end()) {
        planned_by_id_.emplace(id, it->second);
        planned_courses_.erase(it);
      }
    }
    return id;
  }

  // ---- create ----

  void Create(const csv::Record& rec, const std::string& identifier, const CourseValues& v) {
    if (courses_.CountShortname(v.shortname) > 0) {
      throw LineError{v.shortname_col,
                      "shortname '" + v.shortname + "' is already used by course id " +
                          std::to_string(courses_.ByShortname(v.shortname)[0]->id)};
    }
    if (v.idnumber && courses_.CountIdnumber(*v.idnumber) > 0) {
      throw LineError{v.idnumber_col, "idnumber '" + *v.idnumber +
                                          "' is already used by course id " +
                                          std::to_string(courses_.ByIdnumber(*v.idnumber)[0]->id)};
    }
    const StoredCourse* tmpl = nullptr;
    if (v.tmpl) tmpl = &Template(*v.tmpl, v.template_col);

    int64_t category = ResolveCategory(v).value_or(tmpl ? tmpl->category : cats_.DefaultId());
    const Category* cat = cats_.Get(category);
    if (!cat) throw LineError{v.category_col, "no default category: create one first"};

    auto tnum = [&](const char* k, int64_t def) { return tmpl ? tmpl->N(k) : def; };
    auto ttext = [&](const char* k, const std::string& def) { return tmpl ? tmpl->T(k) : def; };
    int64_t now = Now();
    std::string format = v.format.value_or(ttext("format", defaults_.format));
    int64_t startdate = v.startdate.value_or(tnum("startdate", today_));
    int64_t enddate = v.enddate.value_or(
        tmpl ? tnum("enddate", 0)
             : (defaults_.courseenddateenabled ? startdate + defaults_.courseduration : 0));
    if (enddate > 0 && enddate < startdate) {
      enddate = 0;  // a template's end date before the new start date would be invalid
    }
    int64_t visible = v.visible.value_or(tnum("visible", defaults_.visible));
    if (!cat->visible) visible = 0;  // a course in a hidden category is hidden (Moodle)
    int64_t timecreated = v.timecreated.value_or(now);

    int64_t id = TakeId(course_ids_);
    Batches().course.Add(
        {category,
         NewCourseSortorder(category, cat->sortorder),
         v.fullname,
         v.shortname,
         v.idnumber.value_or(""),
         v.summary.value_or(ttext("summary", "")),
         format,
         v.showgrades.value_or(tnum("showgrades", defaults_.showgrades)),
         v.newsitems.value_or(tnum("newsitems", defaults_.newsitems)),
         startdate,
         enddate,
         v.marker.value_or(0),
         v.maxbytes.value_or(tnum("maxbytes", defaults_.maxbytes)),
         v.legacyfiles.value_or(0),
         v.showreports.value_or(tnum("showreports", defaults_.showreports)),
         visible,
         v.visibleold.value_or(visible),
         v.groupmode.value_or(tnum("groupmode", defaults_.groupmode)),
         v.groupmodeforce.value_or(tnum("groupmodeforce", defaults_.groupmodeforce)),
         v.defaultgroupingid.value_or(0),
         v.lang.value_or(ttext("lang", defaults_.lang)),
         v.theme.value_or(ttext("theme", "")),
         timecreated,
         v.timemodified.value_or(timecreated),
         v.enablecompletion.value_or(tnum("enablecompletion", defaults_.enablecompletion)),
         now,
         id});

    ContextRef ctx = Contexts::Child(cat->context, TakeId(context_ids_));
    Batches().context.Add({ctx.id, int64_t{kContextCourse}, id, ctx.path, ctx.depth});

    // Sections 0..n: from the template, else the site default, widened by the topic columns.
    if (!tmpl && v.topics.empty()) {
      // Unnamed sections 0..n: one row of the batch, which its statement expands.
      int64_t n = std::max<int64_t>(0, v.numsections.value_or(defaults_.numsections));
      Batches().plain_sections.Add({id, n, now});
    } else {
      AddSections(id, SectionsOf(v, tmpl), now);
    }

    // Format options.
    std::vector<std::pair<std::string, std::string>> options;
    if (tmpl && tmpl->T("format") == format) {
      options = TemplateFormatOptions(tmpl->id);
    } else if (format == "topics" || format == "weeks") {
      options = {
          {"hiddensections", std::to_string(v.hiddensections.value_or(defaults_.hiddensections))},
          {"coursedisplay", std::to_string(v.coursedisplay.value_or(defaults_.coursedisplay))}};
      if (format == "weeks") options.emplace_back("automaticenddate", v.enddate ? "0" : "1");
    } else if (format == "social") {
      options = {{"numdiscussions", "10"}};
    } else if (format == "singleactivity") {
      options = {{"activitytype", "forum"}};
    }
    AddFormatOptions(id, format, options);

    // Enrolment instances: the template's, else Moodle's defaults (manual on, guest and self off).
    int64_t manual = 0;  // looked up by Enrol() only when a teacher needs it
    if (tmpl) {
      Sync();
      manual = CopyEnrolInstances(id, tmpl->id, v, now);
    } else {
      // One row of the batch: its statement writes the three instances.
      Batches().default_enrol.Add({id, int64_t{v.guest.value_or(0) ? 0 : 1},
                                   int64_t{v.self.value_or(0) ? 0 : 1}, RoleId("student"), now});
    }
    if (++batched_courses_ >= kBatchCourses) FlushBatch();
    for (const Teacher& t : v.teachers) Enrol(id, ctx, manual, t, now);

    CourseRow row{id, v.shortname, v.idnumber.value_or(""), v.fullname, category};
    courses_.Add(row);
    LineResult r{
        rec.line,
        identifier.empty() ? v.shortname : identifier,
        Status::kCreated,
        id,
        "created in " + PathOf(category) + (tmpl ? " from template " + tmpl->T("shortname") : ""),
        nullptr,
        {}};
    ctx_.report.Add(std::move(r));
  }

  using SectionTexts = std::map<int64_t, std::pair<std::optional<std::string>, std::string>>;

  // The sections (number -> name, summary) of a new course made from a template or given topic
  // columns.
  SectionTexts SectionsOf(const CourseValues& v, const StoredCourse* tmpl) {
    SectionTexts sections;
    if (tmpl) {
      sections = TemplateSections(tmpl->id);
    } else {
      int64_t n = v.numsections.value_or(defaults_.numsections);
      for (int64_t s = 0; s <= n; ++s) sections[s] = {std::nullopt, ""};
    }
    if (v.numsections && tmpl) {
      for (int64_t s = 0; s <= *v.numsections; ++s) sections.try_emplace(s, std::nullopt, "");
    }
    sections.try_emplace(0, std::nullopt, "");
    for (const auto& [n, t] : v.topics) {
      for (int64_t s = 0; s <= n; ++s) sections.try_emplace(s, std::nullopt, "");
      sections[n] = {t.first.empty() ? std::nullopt : std::optional<std::string>(t.first),
                     t.second};
    }
    return sections;
  }

  // Queues sections (number -> name, summary) of `course` in the batch of new rows.
  void AddSections(int64_t course, const SectionTexts& s, int64_t now) {
    for (const auto& [num, ns] : s) {
      Batches().section.Add({course, num, RowBatch::Opt(ns.first), ns.second, now});
    }
  }

  void AddFormatOptions(int64_t course, const std::string& format,
                        const std::vector<std::pair<std::string, std::string>>& options) {
    for (const auto& [name, value] : options) {
      Batches().option.Add({course, format, name, value});
    }
  }

  // The same for an existing course, written at once (the update path reads them back).
  void InsertSections(int64_t course, const SectionTexts& s, int64_t now) {
    AddSections(course, s, now);
    Sync();
  }

  void InsertFormatOptions(int64_t course, const std::string& format,
                           const std::vector<std::pair<std::string, std::string>>& options) {
    AddFormatOptions(course, format, options);
    Sync();
  }

  int64_t CopyEnrolInstances(int64_t course, int64_t from, const CourseValues& v, int64_t now) {
    // Every column but id/courseid/timestamps is copied; meta links are not (they name a child
    // course of the template, not of the new course).
    db().Execute(
        "INSERT INTO {enrol} (enrol, status, courseid, sortorder, name, enrolperiod, "
        "enrolstartdate, enrolenddate, expirynotify, expirythreshold, notifyall, password, cost, "
        "currency, roleid, customint1, customint2, customint3, customint4, customint5, "
        "customint6, customint7, customint8, customchar1, customchar2, customchar3, customdec1, "
        "customdec2, customtext1, customtext2, customtext3, customtext4, timecreated, "
        "timemodified) SELECT enrol, status, ?, sortorder, name, enrolperiod, enrolstartdate, "
        "enrolenddate, expirynotify, expirythreshold, notifyall, password, cost, currency, roleid, "
        "customint1, customint2, customint3, customint4, customint5, customint6, customint7, "
        "customint8, customchar1, customchar2, customchar3, customdec1, customdec2, customtext1, "
        "customtext2, customtext3, customtext4, ?, ? FROM {enrol} WHERE courseid=? AND enrol NOT "
        "IN "
        "('meta') ORDER BY sortorder, id",
        course, now, now, from);
    auto has = db().Prepare("SELECT id FROM {enrol} WHERE courseid=? AND enrol=? ORDER BY id");
    if (!has->Run(course, "manual")) {
      db().Execute(
          "INSERT INTO {enrol} (enrol, status, courseid, sortorder, expirythreshold, roleid, "
          "timecreated, timemodified) VALUES ('manual', 0, ?, 0, 86400, ?, ?, ?)",
          course, RoleId("student"), now, now);
    }
    ApplySelfGuest(course, v, now);
    return has->RunInt(course, "manual").value_or(0);
  }

  // self/guest columns, when present: enable or disable the instance (adding one to enable).
  // Returns a description of what changed.
  std::string ApplySelfGuest(int64_t course, const CourseValues& v, int64_t now) {
    std::string changed;
    for (const auto& [name, val] :
         {std::pair<std::string, std::optional<int64_t>>{"self", v.self}, {"guest", v.guest}}) {
      if (!val) continue;
      int64_t want = *val ? 0 : 1;
      auto& st =
          db().Cached("SELECT id, status FROM {enrol} WHERE courseid=? AND enrol=? ORDER BY id");
      if (st.Run(course, name)) {
        int64_t id = st.Int(0), status = st.Int(1);
        st.Reset();
        if (status != want) {
          db().Execute("UPDATE {enrol} SET status=?, timemodified=? WHERE id=?", want, now, id);
          changed += std::string(changed.empty() ? "" : ", ") + name + (*val ? " on" : " off");
        }
      } else if (*val) {
        int64_t sortorder =
            db().QueryInt("SELECT COALESCE(MAX(sortorder), -1) + 1 FROM {enrol} WHERE courseid=?",
                          course)
                .value_or(0);
        db().Execute(
            "INSERT INTO {enrol} (enrol, status, courseid, sortorder, expirythreshold, roleid, "
            "customint1, customint2, customint3, customint4, customint5, customint6, password, "
            "timecreated, timemodified) VALUES (?, 0, ?, ?, 86400, ?, 0, 0, 0, 1, 0, 1, ?, ?, ?)",
            name, course, sortorder, name == "self" ? RoleId("student") : 0,
            name == "guest" ? std::optional<std::string>("") : std::nullopt, now, now);
        changed += std::string(changed.empty() ? "" : ", ") + name + " on";
      }
    }
    return changed;
  }

  // Enrols a teacher through the manual instance with the role (no duplicates).
  bool Enrol(int64_t course, const ContextRef& ctx, int64_t manual, const Teacher& t, int64_t now) {
    Sync();  // reads the course's enrolment instances
    if (!manual) {
      manual =
          db().QueryInt("SELECT id FROM {enrol} WHERE courseid=? AND enrol='manual' ORDER BY id",
                        course)
              .value_or(0);
    }
    if (!manual) {
      manual = db().QueryInt(
                       "INSERT INTO {enrol} (enrol, status, courseid, sortorder, expirythreshold, "
                       "roleid, timecreated, timemodified) VALUES ('manual', 0, ?, 0, 86400, ?, ?, "
                       "?) RETURNING id",
                       course, RoleId("student"), now, now)
                   .value_or(0);
    }
    if (!ue_exists_) {
      ue_exists_ = db().Prepare("SELECT 1 FROM {user_enrolments} WHERE enrolid=? AND userid=?");
      ue_insert_ = db().Prepare(
          "INSERT INTO {user_enrolments} (status, enrolid, userid, timestart, timeend, modifierid, "
          "timecreated, timemodified) VALUES (0, ?, ?, 0, 0, 2, ?, ?)");
      ra_exists_ = db().Prepare(
          "SELECT 1 FROM {role_assignments} WHERE roleid=? AND contextid=? AND userid=? AND "
          "component='' AND itemid=0");
      ra_insert_ = db().Prepare(
          "INSERT INTO {role_assignments} (roleid, contextid, userid, timemodified, modifierid, "
          "component, itemid, sortorder) VALUES (?, ?, ?, ?, 2, '', 0, 0)");
    }
    bool changed = false;
    if (!ue_exists_->Run(manual, t.userid)) {
      ue_insert_->Run(manual, t.userid, now, now);
      changed = true;
    }
    ue_exists_->Reset();
    if (!ra_exists_->Run(t.roleid, ctx.id, t.userid)) {
      ra_insert_->Run(t.roleid, ctx.id, t.userid, now);
      changed = true;
    }
    ra_exists_->Reset();
    return changed;
  }

  // ---- templates ----

  const StoredCourse& Template(const std::string& shortname, size_t col) {
    auto it = templates_.find(shortname);
    if (it != templates_.end()) return it->second;
    auto found = courses_.ByShortname(shortname);
    if (found.empty())
      throw LineError{col, "no template course with shortname '" + shortname + "'"};
    if (found[0]->id == kSiteCourseId) throw LineError{col, "the site course is not a template"};
    return templates_.emplace(shortname, Load(found[0]->id)).first->second;
  }

  static std::string LoadColumns() {
    std::string cols;
    for (auto c : kTextColumns) cols += std::string(c) + ", ";
    for (auto c : kNumColumns) cols += std::string(c) + ", ";
    return cols;
  }

  // A row of LoadColumns() + category + id.
  static StoredCourse ReadCourse(store::Stmt& st) {
    StoredCourse s;
    int i = 0;
    for (auto& t : s.text) t = st.Text(i++);
    for (auto& n : s.num) n = st.Int(i++);
    s.category = st.Int(i++);
    s.id = st.Int(i);
    return s;
  }

  StoredCourse Load(int64_t id) {
    if (auto it = prefetched_.find(id); it != prefetched_.end()) {
      StoredCourse s = std::move(it->second);
      prefetched_.erase(it);
      return s;
    }
    Sync();  // the course (or template) may have been created by this run
    if (!load_) {
      load_ = db().Prepare("SELECT " + LoadColumns() + "category, id FROM {course} WHERE id=?");
    }
    if (!load_->Run(id)) throw store::DbError("course " + std::to_string(id) + " vanished");
    StoredCourse s = ReadCourse(*load_);
    load_->Reset();
    return s;
  }

  std::map<int64_t, std::pair<std::optional<std::string>, std::string>> TemplateSections(
      int64_t from) {
    std::map<int64_t, std::pair<std::optional<std::string>, std::string>> out;
    Sync();
    auto& st = db().Cached("SELECT section, name, summary FROM {course_sections} WHERE course=?");
    bool row = st.Run(from);
    while (row) {
      out[st.Int(0)] = {st.IsNull(1) ? std::nullopt : std::optional<std::string>(st.Text(1)),
                        st.Text(2)};
      row = st.Step();
    }
    return out;
  }

  std::vector<std::pair<std::string, std::string>> TemplateFormatOptions(int64_t from) {
    std::vector<std::pair<std::string, std::string>> out;
    Sync();
    auto st = db().Prepare(
        "SELECT name, value FROM {course_format_options} WHERE courseid=? AND sectionid=0 ORDER BY "
        "id");
    bool row = st->Run(from);
    while (row) {
      out.emplace_back(st->Text(0), st->Text(1));
      row = st->Step();
    }
    return out;
  }

  // ---- update ----

  void Update(const csv::Record& rec, const std::string& identifier, const CourseValues& v,
              const CourseRow& existing) {
    Sync();  // contexts_ and cats_ reach the database without db()
    StoredCourse cur = Load(existing.id);
    int64_t now = Now();
    std::vector<std::string> changes;
    std::vector<std::pair<std::string, std::string>> set_text;
    std::vector<std::pair<std::string, int64_t>> set_num;
    auto text = [&](const char* col, const std::optional<std::string>& val) {
      if (val && cur.T(col) != *val) {
        set_text.emplace_back(col, *val);
        changes.push_back(col);
      }
    };
    auto num = [&](const char* col, const std::optional<int64_t>& val) {
      if (val && cur.N(col) != *val) {
        set_num.emplace_back(col, *val);
        changes.push_back(col);
      }
    };
    // The identifier column itself is not a change; shortname/idnumber renames are checked.
    if (ctx_.identifier != "shortname" && v.shortname != cur.T("shortname")) {
      auto other = courses_.ByShortname(v.shortname);
      if (!other.empty()) {
        throw LineError{v.shortname_col, "shortname '" + v.shortname +
                                             "' is already used by course id " +
                                             std::to_string(other[0]->id)};
      }
    }
    if (ctx_.identifier != "idnumber" && v.idnumber && *v.idnumber != cur.T("idnumber")) {
      auto other = courses_.ByIdnumber(*v.idnumber);
      if (!other.empty()) {
        throw LineError{v.idnumber_col, "idnumber '" + *v.idnumber +
                                            "' is already used by course id " +
                                            std::to_string(other[0]->id)};
      }
    }
    text("shortname", v.shortname);
    text("fullname", v.fullname);
    text("idnumber", v.idnumber);
    text("summary", v.summary);
    text("format", v.format);
    text("lang", v.lang);
    text("theme", v.theme);
    num("startdate", v.startdate);
    num("enddate", v.enddate);
    num("visible", v.visible);
    num("showgrades", v.showgrades);
    num("newsitems", v.newsitems);
    num("maxbytes", v.maxbytes);
    num("showreports", v.showreports);
    num("groupmode", v.groupmode);
    num("groupmodeforce", v.groupmodeforce);
    num("enablecompletion", v.enablecompletion);
    num("marker", v.marker);
    num("legacyfiles", v.legacyfiles);
    num("visibleold", v.visibleold);
    num("defaultgroupingid", v.defaultgroupingid);
    num("timecreated", v.timecreated);
    int64_t start = v.startdate.value_or(cur.N("startdate"));
    int64_t end = v.enddate.value_or(cur.N("enddate"));
    if (end > 0 && end < start) {
      size_t col = 0;
      for (size_t k = 0; k < header_.size(); ++k) {
        if (header_[k].col == CreateCol::kEnddate || header_[k].col == CreateCol::kStartdate)
          col = k;
      }
      throw LineError{col, "the end date would be before the start date"};
    }
    // Category move.
    int64_t new_category = cur.category;
    if (!protect_category_) {
      if (auto c = ResolveCategory(v)) new_category = *c;
    }
    bool moved = new_category != cur.category;
    if (moved) {
      const Category* cat = cats_.Get(new_category);
      auto ctx = contexts_.Find(kContextCourse, cur.id);
      if (ctx) contexts_.Move(*ctx, cat->context);
      db().Execute("UPDATE {course} SET category=?, sortorder=? WHERE id=?", new_category,
                   cat->sortorder, cur.id);
      ++moved_;
      changes.push_back("category " + cats_.PathOf(cur.category) + " -> " +
                        cats_.PathOf(new_category));
      if (!cat->visible && v.visible.value_or(cur.N("visible")) != 0) {
        set_num.emplace_back("visible", 0);  // moving into a hidden category hides the course
      }
    }
    if (v.visible && cur.N("visible") != *v.visible && !v.visibleold) {
      set_num.emplace_back("visibleold", *v.visible);
    }
    if (!set_text.empty() || !set_num.empty()) {
      std::string sql = "UPDATE {course} SET ";
      for (const auto& [c, val] : set_text) sql += c + "=?, ";
      for (const auto& [c, val] : set_num) sql += c + "=?, ";
      sql += "timemodified=?, cacherev=? WHERE id=?";
      auto& st = update_stmts_[sql];
      if (!st) st = db().Prepare(sql);
      st->Reset();
      int i = 0;
      for (const auto& [c, val] : set_text) st->Bind(++i, val);
      for (const auto& [c, val] : set_num) st->Bind(++i, val);
      st->Bind(++i, v.timemodified.value_or(now));
      st->Bind(++i, now);
      st->Bind(++i, cur.id);
      st->SendBound();  // pipelined on PostgreSQL: nothing of this line reads the row back
    }
    if (v.format && *v.format != cur.T("format")) {
      // Moodle drops the old format's options when the format changes.
      db().Execute("DELETE FROM {course_format_options} WHERE courseid=? AND format=?", cur.id,
                   cur.T("format"));
    }
    // Format options given in the file.
    for (const auto& [name, val] :
         {std::pair<std::string, std::optional<int64_t>>{"hiddensections", v.hiddensections},
          {"coursedisplay", v.coursedisplay}}) {
      if (!val) continue;
      std::string format = v.format.value_or(cur.T("format"));
      auto& st = db().Cached(
          "SELECT id, value FROM {course_format_options} WHERE courseid=? AND format=? AND "
          "sectionid=0 AND name=?");
      if (st.Run(cur.id, format, name)) {
        int64_t oid = st.Int(0);
        std::string old = st.Text(1);
        st.Reset();
        if (old != std::to_string(*val)) {
          db().Execute("UPDATE {course_format_options} SET value=? WHERE id=?",
                       std::to_string(*val), oid);
          changes.push_back(name);
        }
      } else {
        InsertFormatOptions(cur.id, format, {{name, std::to_string(*val)}});
        changes.push_back(name);
      }
    }
    std::string sg = ApplySelfGuest(cur.id, v, now);
    if (!sg.empty()) changes.push_back(sg);
    // Sections: topic columns name/summarise sections (created when missing); a template adds
    // or replaces sections per courses_template_mode.
    if (v.tmpl) {
      const StoredCourse& t = Template(*v.tmpl, v.template_col);
      std::string what = ApplyTemplateToExisting(cur.id, t.id, now);
      if (!what.empty()) changes.push_back(what);
    }
    if (!v.topics.empty() || v.numsections) {
      // A template may just have added or removed sections: the prefetched number is then old.
      std::optional<int64_t> max_section;
      if (!v.tmpl && cur.max_section) max_section = *cur.max_section;
      if (UpdateSections(cur.id, v, now, max_section)) changes.push_back("sections");
    }
    if (!v.teachers.empty()) {
      auto ctx = contexts_.Find(kContextCourse, cur.id);
      if (ctx) {
        for (const Teacher& t : v.teachers) {
          if (Enrol(cur.id, *ctx, 0, t, now)) changes.push_back("teacher " + t.account);
        }
      }
    }
    CourseRow row{cur.id, v.shortname, v.idnumber.value_or(cur.T("idnumber")), v.fullname,
                  new_category};
    courses_.Update(row);
    LineResult r;
    r.line = rec.line;
    r.identifier = identifier;
    r.id = cur.id;
    if (changes.empty()) {
      r.status = Status::kSkipped;
      r.message = "already up to date";
    } else {
      r.status = Status::kUpdated;
      std::string msg = "updated: ";
      for (size_t k = 0; k < changes.size(); ++k) msg += (k ? ", " : "") + changes[k];
      r.message = msg;
    }
    ctx_.report.Add(std::move(r));
  }

  // `known_max`: the course's last section number when already read (-1: none).
  bool UpdateSections(int64_t course, const CourseValues& v, int64_t now,
                      std::optional<int64_t> known_max) {
    bool changed = false;
    int64_t max_existing =
        known_max
            ? *known_max
            : db().QueryInt(
                      "SELECT COALESCE(MAX(section), -1) FROM {course_sections} WHERE course=?",
                      course)
                  .value_or(-1);
    int64_t want_max = v.numsections.value_or(-1);
    for (const auto& [n, t] : v.topics) want_max = std::max<int64_t>(want_max, n);
    std::map<int64_t, std::pair<std::optional<std::string>, std::string>> missing;
    for (int64_t s = max_existing + 1; s <= want_max; ++s) missing[s] = {std::nullopt, ""};
    for (const auto& [n, t] : v.topics) {
      std::optional<std::string> name =
          t.first.empty() ? std::nullopt : std::optional<std::string>(t.first);
      if (n > max_existing) {
        missing[n] = {name, t.second};
        continue;
      }
      auto& st = db().Cached(
          "SELECT id, name, summary FROM {course_sections} WHERE course=? AND section=?");
      if (st.Run(course, static_cast<int64_t>(n))) {
        int64_t sid = st.Int(0);
        std::optional<std::string> old_name =
            st.IsNull(1) ? std::nullopt : std::optional<std::string>(st.Text(1));
        std::string old_summary = st.Text(2);
        st.Reset();
        if (old_name != name || old_summary != t.second) {
          db().Execute("UPDATE {course_sections} SET name=?, summary=?, timemodified=? WHERE id=?",
                       name, t.second, now, sid);
          changed = true;
        }
      } else {
        missing[n] = {name, t.second};
      }
    }
    if (!missing.empty()) {
      InsertSections(course, missing, now);
      changed = true;
    }
    return changed;
  }

  std::string ApplyTemplateToExisting(int64_t course, int64_t from, int64_t now) {
    if (template_mode_ == 0) return "";
    auto tsections = TemplateSections(from);
    if (template_mode_ == 1) {
      int64_t next =
          db().QueryInt(
                  "SELECT COALESCE(MAX(section), 0) + 1 FROM {course_sections} WHERE course=?",
                  course)
              .value_or(1);
      std::map<int64_t, std::pair<std::optional<std::string>, std::string>> add;
      for (const auto& [n, s] : tsections) {
        if (n == 0) continue;
        add[next++] = s;
      }
      if (add.empty()) return "";
      InsertSections(course, add, now);
      return "template sections added (" + std::to_string(add.size()) + ")";
    }
    // Mode 2: the course's sections take the template's names and summaries; sections the
    // template does not have are removed when they hold no activity.
    int changed = 0;
    for (const auto& [n, s] : tsections) {
      auto& st = db().Cached("SELECT id FROM {course_sections} WHERE course=? AND section=?");
      if (st.Run(course, n)) {
        int64_t sid = st.Int(0);
        st.Reset();
        db().Execute("UPDATE {course_sections} SET name=?, summary=?, timemodified=? WHERE id=?",
                     s.first, s.second, now, sid);
      } else {
        InsertSections(course, {{n, s}}, now);
      }
      ++changed;
    }
    int64_t tmax = tsections.empty() ? 0 : tsections.rbegin()->first;
    db().Execute(
        "DELETE FROM {course_sections} WHERE course=? AND section>? AND NOT EXISTS (SELECT 1 FROM "
        "{course_modules} cm WHERE cm.section = {course_sections}.id)",
        course, tmax);
    return "sections replaced from template (" + std::to_string(changed) + ")";
  }

  TaskContext& ctx_;
  // The connection: through db() (which first waits for the writer thread), or from a writer job.
  store::Db& db_direct_;
  CourseIndex courses_;
  CategoryTree cats_;
  Contexts contexts_;
  Defaults defaults_;
  bool force_update_, protect_category_, new_cats_visible_;
  std::string category_mode_;
  int template_mode_;
  std::vector<HeaderColumn> header_;
  FlatMultiIndex<int64_t> seen_;  // identifier -> its first line (keys in seen_keys_)
  StringArena seen_keys_;
  std::map<std::string, int64_t> roles_;
  std::map<std::string, StoredCourse> templates_;
  std::unordered_map<std::string, int64_t> user_cache_;
  std::unordered_map<std::string, std::string> user_errors_;
  int categories_created_ = 0;
  int64_t moved_ = 0;
  int64_t today_ = TodayMidnight();
  std::unordered_map<int64_t, std::string> paths_;
  // New courses' rows, written kBatchCourses courses at a time (multi-row inserts).
  static constexpr size_t kBatchCourses = 64;
  struct NewCourseRows {
    explicit NewCourseRows(store::Db& db)
        : course(
              db,
              "INSERT OR FAIL INTO {course} (category, sortorder, fullname, shortname, idnumber, "
              "summary, summaryformat, format, showgrades, newsitems, startdate, enddate, "
              "marker, maxbytes, legacyfiles, showreports, visible, visibleold, groupmode, "
              "groupmodeforce, defaultgroupingid, lang, calendartype, theme, timecreated, "
              "timemodified, enablecompletion, cacherev, id) VALUES ",
              "(?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, "
              "?, ?, ?)",
              kBatchCourses),
          context(db,
                  "INSERT OR FAIL INTO {context} (id, contextlevel, instanceid, path, depth, "
                  "locked) VALUES ",
                  "(?, ?, ?, ?, ?, 0)", kBatchCourses),
          section(db,
                  "INSERT OR FAIL INTO {course_sections} (course, section, name, summary, "
                  "summaryformat, sequence, visible, timemodified) VALUES ",
                  "(?, ?, ?, ?, 1, '', 1, ?)", 16 * kBatchCourses),
          option(db,
                 "INSERT OR FAIL INTO {course_format_options} (courseid, format, sectionid, name, "
                 "value) VALUES ",
                 "(?, ?, 0, ?, ?)", 4 * kBatchCourses),
          // Sections 0..last without names: one row per course (id, last, time), expanded.
          plain_sections(db, "WITH RECURSIVE v(c, last, t) AS (VALUES ",
                         "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))", kBatchCourses,
                         "), n(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM n WHERE n < (SELECT "
                         "MAX(last) FROM v)) "
                         "INSERT OR FAIL INTO {course_sections} (course, section, name, summary, "
                         "summaryformat, sequence, visible, timemodified) SELECT v.c, n.n, NULL, "
                         "'', 1, '', 1, v.t FROM v JOIN n ON n.n <= v.last"),
          // Moodle's default instances: manual (on), guest and self (status given), one row per
          // course (id, guest status, self status, student role, time), expanded to three.
          default_enrol(
              db, "WITH v(c, g, s, r, t) AS (VALUES ",
              "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), "
              "CAST(? AS BIGINT))",
              kBatchCourses,
              "), e(enrol, so, thr, pw, ci1, ci2, ci3, ci4, ci5, ci6) AS (VALUES ('manual', 0, "
              "86400, NULL, NULL, NULL, NULL, NULL, NULL, NULL), ('guest', 1, 0, '', NULL, NULL, "
              "NULL, NULL, NULL, NULL), ('self', 2, 86400, NULL, 0, 0, 0, 1, 0, 1)) "
              "INSERT OR FAIL INTO {enrol} (enrol, status, courseid, sortorder, name, "
              "enrolperiod, enrolstartdate, enrolenddate, expirynotify, expirythreshold, "
              "notifyall, password, roleid, customint1, customint2, customint3, customint4, "
              "customint5, customint6, timecreated, timemodified) SELECT e.enrol, CASE e.so WHEN "
              "1 THEN v.g WHEN 2 THEN v.s ELSE 0 END, v.c, e.so, NULL, 0, 0, 0, 0, e.thr, 0, "
              "e.pw, CASE e.so WHEN 1 THEN 0 ELSE v.r END, e.ci1, e.ci2, e.ci3, e.ci4, e.ci5, "
              "e.ci6, v.t, v.t FROM v CROSS JOIN e") {
      // Written by the writer thread only (FlushBatch), never by Add().
      for (RowBatch* b : All()) b->DeferWrites();
    }
    RowBatch course, context, section, option, plain_sections, default_enrol;
    std::array<RowBatch*, 6> All() {
      return {&course, &context, &section, &option, &plain_sections, &default_enrol};
    }
  };
  NewCourseRows& Batches() {
    if (!batches_) batches_ = std::make_unique<NewCourseRows>(db_direct_);
    return *batches_;
  }
  // Hands the batched rows to the writer thread, which writes them while the next lines are
  // read and checked (the two overlap on 2 cores).
  void FlushBatch() {
    batched_courses_ = 0;
    if (!batches_) return;
    auto all = batches_->All();
    if (std::none_of(all.begin(), all.end(), [](RowBatch* b) { return b->pending() > 0; })) return;
    auto rows = std::make_shared<std::vector<std::vector<RowBatch::Value>>>();
    for (RowBatch* b : all) rows->push_back(b->Take());
    writer_.Post([b = batches_.get(), rows, &db = db_direct_] {
      db.SizeCacheForBulkInsert(true);  // as the database grows
      auto all = b->All();
      for (size_t i = 0; i < all.size(); ++i) all[i]->Write((*rows)[i]);
    });
  }
  // Writes every batched row and waits for the writer: before this thread reads or writes
  // the database (db() does it).
  void Sync() {
    FlushBatch();
    writer_.Drain();
  }
  store::Db& db() {
    Sync();
    return db_direct_;
  }
  std::unique_ptr<NewCourseRows> batches_;
  size_t batched_courses_ = 0;

  // Ids of new courses and of their contexts, taken from Db::NextId a block at a time so that
  // queuing a course does not wait for the writer (on PostgreSQL NextId may query the sequence).
  // Blocks grow from 64 to 4,096: a small run leaves few unused ids in PostgreSQL's sequences.
  struct IdBlock {
    const char* table;
    std::vector<int64_t> ids;
    size_t used = 0;
  };
  int64_t TakeId(IdBlock& b) {
    if (b.used == b.ids.size()) {
      size_t n = std::clamp<size_t>(b.ids.size() * 2, 64, 4096);
      store::Db& d = db();
      b.ids.clear();
      b.used = 0;
      for (size_t i = 0; i < n; ++i) b.ids.push_back(d.NextId(b.table));
    }
    return b.ids[b.used++];
  }
  IdBlock course_ids_{"course", {}, 0}, context_ids_{"context", {}, 0};

  // Lines read ahead per chunk, and the courses they update, loaded at once (Prefetch).
  static constexpr size_t kChunkLines = 256;
  std::unordered_map<int64_t, StoredCourse> prefetched_;
  std::unique_ptr<store::Stmt> prefetch_;
  std::unique_ptr<store::Stmt> load_, ue_exists_, ue_insert_,

      ra_exists_, ra_insert_, user_by_id_, user_by_username_, user_by_email_, user_by_name_;
  std::map<std::string, std::unique_ptr<store::Stmt>> update_stmts_;
  // Puts the page cache that the writer's jobs size back to the default, once the writer has
  // stopped (members are destroyed in reverse order).
  struct BulkCacheReset {
    store::Db& db;
    ~BulkCacheReset() {
      try {
        db.SizeCacheForBulkInsert(false);
      } catch (...) {  // a failed run rolls back anyway; the cache size is no reason to fail
      }
    }
  } bulk_cache_reset_{db_direct_};
  // Last: destroyed first, so a job never outlives what it writes (batches_).
  BackgroundWriter writer_;
};

}  // namespace

RunReport RunCreate(store::Db& db, const FileArea& area, const TaskOptions& options) {
  TaskSpec spec{"create", "courses_fileuploadlocation", "courses_fileuploadidentifier", true};
  return RunFileTask(db, area, spec, options, [](TaskContext& ctx) { Creator(ctx).Run(); });
}

}  // namespace cs::sync
