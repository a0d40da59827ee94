#include "sync/site_init.h"

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/schema.h"

namespace cs::sync {
namespace {

// A value to insert: NULL, an integer or text.
class Val {
 public:
  Val(std::nullopt_t) {}  // NOLINT: implicit by design
  Val(int v) : kind_(kInt), int_(v) {}
  Val(int64_t v) : kind_(kInt), int_(v) {}
  Val(const char* v) : kind_(kText), text_(v) {}
  Val(std::string v) : kind_(kText), text_(std::move(v)) {}

  void BindTo(store::Stmt& st, int idx) const {
    switch (kind_) {
      case kNull:
        st.BindNull(idx);
        break;
      case kInt:
        st.BindInt(idx, int_);
        break;
      case kText:
        st.BindText(idx, text_);
        break;
    }
  }

 private:
  enum Kind { kNull, kInt, kText };
  Kind kind_ = kNull;
  int64_t int_ = 0;
  std::string text_;
};

using Row = std::vector<std::pair<const char*, Val>>;

void Insert(store::Db& db, const std::string& table, const Row& row) {
  std::string cols, marks;
  for (const auto& [name, value] : row) {
    if (!cols.empty()) {
      cols += ", ";
      marks += ", ";
    }
    cols += name;
    marks += "?";
  }
  auto st = db.Prepare("INSERT INTO {" + table + "} (" + cols + ") VALUES (" + marks + ")");
  int idx = 0;
  for (const auto& [name, value] : row) value.BindTo(*st, ++idx);
  st->Step();
}

constexpr int kContextSystem = 10;
constexpr int kContextUser = 30;
constexpr int kContextCoursecat = 40;
constexpr int kContextCourse = 50;
constexpr int kContextModule = 70;

void Context(store::Db& db, int64_t id, int level, int64_t instance, const std::string& path,
             int depth) {
  Insert(db, "context",
         {{"id", id},
          {"contextlevel", level},
          {"instanceid", instance},
          {"path", path},
          {"depth", depth},
          {"locked", 0}});
}

void SeedStructure(store::Db& db, int64_t now) {
  // System context (SYSCONTEXTID).
  Context(db, 1, kContextSystem, 0, "/1", 1);

  // The site course (SITEID), "Site home", and its context, section 0 and format option.
  Insert(db, "course",
         {{"id", 1},
          {"category", 0},
          {"sortorder", 1},
          {"fullname", "Site home"},
          {"shortname", "site"},
          {"idnumber", ""},
          {"summary", ""},
          {"summaryformat", 0},
          {"format", "site"},
          {"showgrades", 1},
          {"newsitems", 3},
          {"startdate", 0},
          {"enddate", 0},
          {"visible", 1},
          {"visibleold", 1},
          {"lang", ""},
          {"calendartype", ""},
          {"theme", ""},
          {"timecreated", now},
          {"timemodified", now}});
  Context(db, 2, kContextCourse, 1, "/1/2", 2);
  Insert(db, "course_sections",
         {{"id", 1},
          {"course", 1},
          {"section", 0},
          {"name", std::nullopt},
          {"summary", ""},
          {"summaryformat", 1},
          {"sequence", ""},
          {"visible", 1},
          {"availability", std::nullopt},
          {"timemodified", now}});
  Insert(db, "course_format_options",
         {{"id", 1},
          {"courseid", 1},
          {"format", "site"},
          {"sectionid", 0},
          {"name", "numsections"},
          {"value", "1"}});

  // The default category (get_string('defaultcategoryname')).
  Insert(db, "course_categories",
         {{"id", 1},
          {"name", "Category 1"},
          {"idnumber", std::nullopt},
          {"description", std::nullopt},
          {"descriptionformat", 1},
          {"parent", 0},
          {"sortorder", 10000},
          {"coursecount", 0},
          {"visible", 1},
          {"visibleold", 1},
          {"timemodified", now},
          {"depth", 1},
          {"path", "/1"},
          {"theme", std::nullopt}});
  Context(db, 3, kContextCoursecat, 1, "/1/3", 2);

  // Users: 1 guest, 2 admin (install.php throws unless these are the ids), then their contexts.
  Insert(
      db, "user",
      {{"id", 1},
       {"auth", "manual"},
       {"confirmed", 1},
       {"mnethostid", 1},
       {"username", "guest"},
       {"password", ""},
       {"idnumber", ""},
       {"firstname", "Guest user"},
       {"lastname", " "},
       {"email", "root@localhost"},
       {"description", "This user is a special user that allows read-only access to some courses."},
       {"lang", "en"},
       {"timecreated", now},
       {"timemodified", now}});
  Insert(db, "user",
         {{"id", 2},
          {"auth", "manual"},
          {"confirmed", 1},
          {"mnethostid", 1},
          {"username", "admin"},
          {"password", "adminsetuppending"},
          {"idnumber", ""},
          {"firstname", "Admin"},
          {"lastname", "User"},
          {"email", ""},
          {"lang", "en"},
          {"maildisplay", 1},
          {"lastip", "0.0.0.0"},
          {"timecreated", now},
          {"timemodified", now}});
  Context(db, 4, kContextUser, 1, "/1/4", 2);
  Context(db, 5, kContextUser, 2, "/1/5", 2);
}

void SeedRoles(store::Db& db) {
  struct RoleSeed {
    const char* shortname;
    std::vector<int> levels;  // where the role may be assigned (set_role_contextlevels)
  };
  const std::vector<RoleSeed> roles = {
      {"manager", {kContextSystem, kContextCoursecat, kContextCourse}},
      {"coursecreator", {kContextSystem, kContextCoursecat}},
      {"editingteacher", {kContextCourse, kContextModule}},
      {"teacher", {kContextCourse, kContextModule}},
      {"student", {kContextCourse, kContextModule}},
      {"guest", {}},
      {"user", {}},
      {"frontpage", {}},
  };
  int64_t level_id = 0;
  for (size_t i = 0; i < roles.size(); ++i) {
    const int64_t id = static_cast<int64_t>(i) + 1;
    // name and description stay '': Moodle localises them from the shortname.
    Insert(db, "role",
           {{"id", id},
            {"name", ""},
            {"shortname", roles[i].shortname},
            {"description", ""},
            {"sortorder", id},
            {"archetype", roles[i].shortname}});
    for (int level : roles[i].levels) {
      Insert(db, "role_context_levels",
             {{"id", ++level_id}, {"roleid", id}, {"contextlevel", level}});
    }
  }
}

void SeedModules(store::Db& db) {
  // The standard activity modules, installed in directory order as Moodle does.
  const char* const kModules[] = {
      "assign",   "bigbluebuttonbn", "book",  "chat",     "choice",      "data",
      "feedback", "folder",          "forum", "glossary", "h5pactivity", "imscp",
      "label",    "lesson",          "lti",   "page",     "quiz",        "resource",
      "scorm",    "survey",          "url",   "wiki",     "workshop"};
  int64_t id = 0;
  for (const char* name : kModules) {
    Insert(db, "modules",
           {{"id", ++id},
            {"name", name},
            {"cron", 0},
            {"lastcron", 0},
            {"search", ""},
            {"visible", 1}});
  }
}

void SeedSettings(store::Db& db) {
  // Core settings ({config}) pointing at the seeded ids (moodle_schema.md §10.5).
  const std::pair<const char*, const char*> kConfig[] = {
      {"siteadmins", "2"},        {"siteguest", "1"},
      {"mnet_localhost_id", "1"}, {"defaultrequestcategory", "1"},
      {"defaultuserroleid", "7"}, {"guestroleid", "6"},
      {"notloggedinroleid", "6"}, {"defaultfrontpageroleid", "8"},
      {"creatornewroleid", "3"},  {"restorernewroleid", "3"},
      {"gradebookroles", "5"},    {"enrol_plugins_enabled", "manual,guest,self,cohort,meta"},
      {"enablecompletion", "1"},  {"lang", "en"},
  };
  for (const auto& [name, value] : kConfig) {
    Insert(db, "config", {{"name", name}, {"value", value}});
  }

  // Plugin settings: the site's course defaults and the enrolment plugins' defaults.
  const char* const kPluginConfig[][3] = {
      {"moodlecourse", "format", "topics"},
      {"moodlecourse", "numsections", "4"},
      {"moodlecourse", "hiddensections", "0"},
      {"moodlecourse", "newsitems", "5"},
      {"moodlecourse", "showgrades", "1"},
      {"moodlecourse", "showreports", "0"},
      {"moodlecourse", "maxbytes", "0"},
      {"moodlecourse", "groupmode", "0"},
      {"moodlecourse", "groupmodeforce", "0"},
      {"moodlecourse", "visible", "1"},
      {"moodlecourse", "lang", ""},
      {"moodlecourse", "enablecompletion", "1"},
      {"moodlecourse", "coursedisplay", "0"},
      {"moodlecourse", "courseenddateenabled", "1"},
      {"moodlecourse", "courseduration", "31536000"},
      // Manual: added to new courses, enabled, student role.
      {"enrol_manual", "defaultenrol", "1"},
      {"enrol_manual", "status", "0"},
      {"enrol_manual", "roleid", "5"},
      // Guest and self: added to new courses, disabled.
      {"enrol_guest", "defaultenrol", "1"},
      {"enrol_guest", "status", "1"},
      {"enrol_self", "defaultenrol", "1"},
      {"enrol_self", "status", "1"},
      {"enrol_self", "roleid", "5"},
      {"enrol_cohort", "roleid", "5"},
  };
  for (const auto& row : kPluginConfig) {
    Insert(db, "config_plugins", {{"plugin", row[0]}, {"name", row[1]}, {"value", row[2]}});
  }
}

// PostgreSQL sequences do not follow explicit ids: move them past the seeded rows, never back
// (ids already handed out stay taken). (SQLite's AUTOINCREMENT sequence already does.)
void AdvanceSequences(store::Db& db) {
  if (db.dialect() != store::Dialect::kPostgres) return;
  for (const char* table :
       {"context", "course", "course_sections", "course_format_options", "course_categories",
        "user", "role", "role_context_levels", "modules"}) {
    std::string full = db.prefix() + table;
    db.Prepare("SELECT setval('" + full + "_id_seq', GREATEST((SELECT MAX(id) FROM " + full +
               "), (SELECT last_value FROM " + full + "_id_seq)))")
        ->Step();
  }
}

}  // namespace

bool IsSeeded(store::Db& db) {
  if (!db.TableExists("course")) return false;
  return db.QueryInt("SELECT 1 FROM {course} WHERE id = 1").has_value();
}

InitResult InitSite(store::Db& db) {
  store::InstallOrUpgradeSchema(db);
  if (IsSeeded(db)) return InitResult{false};

  std::optional<store::Transaction> tx;
  if (!db.InTransaction()) tx.emplace(db);
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  SeedStructure(db, now);
  SeedRoles(db);
  SeedModules(db);
  SeedSettings(db);
  AdvanceSequences(db);
  if (tx) tx->Commit();
  return InitResult{true};
}

void EnsureSite(store::Db& db) {
  auto recorded = store::InstalledSchemaVersion(db);
  if (recorded && *recorded == store::SchemaVersion() && IsSeeded(db)) return;
  InitSite(db);
}

}  // namespace cs::sync
