// Moodle's tables, declared once (moodle_schema.md): the table list Tables() returns. Cold code,
// run once per process, so CMakeLists.txt builds this file unoptimised: at -O2 -g it was the
// longest compile of the project (its initialiser lists), for a function that runs in
// microseconds either way.
#include "store/schema_tables.h"

#include <algorithm>
#include <set>
#include <utility>

namespace cs::store {
namespace {

// ---------------------------------------------------------------------------------------------
// A small DSL mirroring XMLDB field declarations.

constexpr bool kNN = true;     // NOTNULL="true"
constexpr bool kNull = false;  // NOTNULL="false"
using Default = std::optional<std::string>;

ColumnDef I(std::string name, int length, bool notnull, Default def = std::nullopt) {
  return ColumnDef{std::move(name), ColumnType::kInt, length, 0, notnull, std::move(def), false};
}
// int, NOT NULL, DEFAULT 0: the most common Moodle column.
ColumnDef I0(std::string name, int length = 10) { return I(std::move(name), length, kNN, "0"); }
ColumnDef N(std::string name, int length, int decimals, bool notnull, Default def = std::nullopt) {
  return ColumnDef{std::move(name), ColumnType::kNumber, length, decimals,
                   notnull,         std::move(def),      false};
}
ColumnDef F(std::string name, bool notnull, Default def = std::nullopt) {
  return ColumnDef{std::move(name), ColumnType::kFloat, 0, 0, notnull, std::move(def), false};
}
ColumnDef C(std::string name, int length, bool notnull, Default def = std::nullopt) {
  return ColumnDef{std::move(name), ColumnType::kChar, length, 0, notnull, std::move(def), false};
}
ColumnDef T(std::string name, bool notnull) {
  return ColumnDef{std::move(name), ColumnType::kText, 0, 0, notnull, std::nullopt, false};
}
// A non-unique index; also used for XMLDB foreign keys (Moodle emulates them with an index).
IndexDef Ix(std::string name, std::vector<std::string> columns) {
  return IndexDef{std::move(name), std::move(columns), false, false, {}};
}
// A unique index or XMLDB unique key.
IndexDef Uix(std::string name, std::vector<std::string> columns) {
  return IndexDef{std::move(name), std::move(columns), true, false, {}};
}
TableDef Tbl(std::string name, std::vector<ColumnDef> columns, std::vector<IndexDef> indexes) {
  ColumnDef id{"id", ColumnType::kInt, 10, 0, kNN, std::nullopt, true};
  columns.insert(columns.begin(), std::move(id));
  return TableDef{std::move(name), std::move(columns), std::move(indexes)};
}

// ---------------------------------------------------------------------------------------------
// Core tables (moodle_schema.md §2–§9, main branch after 5.1).

void AddCoreTables(std::vector<TableDef>& t) {
  t.push_back(Tbl("config", {C("name", 255, kNN), T("value", kNN)}, {Uix("name", {"name"})}));

  t.push_back(Tbl("config_plugins",
                  {C("plugin", 100, kNN, "core"), C("name", 100, kNN), T("value", kNN)},
                  {Uix("plugin_name", {"plugin", "name"})}));

  t.push_back(Tbl("cache_flags",
                  {C("flagtype", 255, kNN), C("name", 255, kNN), I0("timemodified"),
                   T("value", kNN), I("expiry", 10, kNN)},
                  {Ix("flagtype", {"flagtype"}), Ix("name", {"name"})}));

  t.push_back(Tbl("course",
                  {I0("category"),
                   I0("sortorder"),
                   C("fullname", 1333, kNN),
                   C("shortname", 255, kNN),
                   C("idnumber", 100, kNN),
                   T("summary", kNull),
                   I0("summaryformat", 2),
                   C("format", 21, kNN, "topics"),
                   I("showgrades", 2, kNN, "1"),
                   I("newsitems", 5, kNN, "1"),
                   I0("startdate"),
                   I0("enddate"),
                   I0("relativedatesmode", 1),
                   I0("marker"),
                   I0("maxbytes"),
                   I0("legacyfiles", 4),
                   I0("showreports", 4),
                   I("visible", 1, kNN, "1"),
                   I("visibleold", 1, kNN, "1"),
                   I("downloadcontent", 1, kNull),
                   I0("groupmode", 4),
                   I0("groupmodeforce", 4),
                   I0("defaultgroupingid"),
                   C("lang", 30, kNN),
                   C("calendartype", 30, kNN),
                   C("theme", 50, kNN),
                   I0("timecreated"),
                   I0("timemodified"),
                   I0("requested", 1),
                   I0("enablecompletion", 1),
                   I0("completionnotify", 1),
                   I0("cacherev"),
                   I("originalcourseid", 10, kNull),
                   I("showactivitydates", 1, kNN, "1"),
                   I("showcompletionconditions", 1, kNull),
                   C("pdfexportfont", 50, kNull),
                   I("enableaitools", 1, kNull)},
                  {Ix("originalcourseid", {"originalcourseid"}), Ix("category", {"category"}),
                   Ix("idnumber", {"idnumber"}), Ix("shortname", {"shortname"}),
                   Ix("sortorder", {"sortorder"})}));

  t.push_back(Tbl("course_categories",
                  {C("name", 255, kNN), C("idnumber", 100, kNull), T("description", kNull),
                   I0("descriptionformat", 2), I0("parent"), I0("sortorder"), I0("coursecount"),
                   I("visible", 1, kNN, "1"), I("visibleold", 1, kNN, "1"), I0("timemodified"),
                   I0("depth"), C("path", 255, kNN), C("theme", 50, kNull)},
                  // Beyond Moodle: categories are looked up by idnumber
                  // (courses_coursecategoryidentifier = idnumber).
                  {Ix("parent", {"parent"}), Ix("idnumber", {"idnumber"})}));

  t.push_back(
      Tbl("course_completion_aggr_methd",
          {I0("course"), I("criteriatype", 10, kNull), I0("method", 1), N("value", 10, 5, kNull)},
          {Ix("course", {"course"}), Ix("criteriatype", {"criteriatype"}),
           Uix("coursecriteriatype", {"course", "criteriatype"})}));

  t.push_back(Tbl(
      "course_completion_criteria",
      {I0("course"), I0("criteriatype"), C("module", 100, kNull), I("moduleinstance", 10, kNull),
       I("courseinstance", 10, kNull), I("enrolperiod", 10, kNull), I("timeend", 10, kNull),
       N("gradepass", 10, 5, kNull), I("role", 10, kNull)},
      {Ix("course", {"course"})}));

  t.push_back(Tbl("course_completion_crit_compl",
                  {I0("userid"), I0("course"), I0("criteriaid"), N("gradefinal", 10, 5, kNull),
                   I("unenroled", 10, kNull), I("timecompleted", 10, kNull)},
                  {Ix("userid", {"userid"}), Ix("course", {"course"}),
                   Ix("criteriaid", {"criteriaid"}), Ix("timecompleted", {"timecompleted"}),
                   Uix("useridcoursecriteriaid", {"userid", "course", "criteriaid"})}));

  t.push_back(
      Tbl("course_completions",
          {I0("userid"), I0("course"), I0("timeenrolled"), I0("timestarted"),
           I("timecompleted", 10, kNull), I0("reaggregate")},
          {Ix("userid", {"userid"}), Ix("course", {"course"}),
           Ix("timecompleted", {"timecompleted"}), Uix("useridcourse", {"userid", "course"})}));

  t.push_back(Tbl("enrol",
                  {C("enrol", 20, kNN),
                   I0("status"),
                   I("courseid", 10, kNN),
                   I0("sortorder"),
                   C("name", 255, kNull),
                   I("enrolperiod", 10, kNull, "0"),
                   I("enrolstartdate", 10, kNull, "0"),
                   I("enrolenddate", 10, kNull, "0"),
                   I("expirynotify", 1, kNull, "0"),
                   I("expirythreshold", 10, kNull, "0"),
                   I("notifyall", 1, kNull, "0"),
                   C("password", 50, kNull),
                   C("cost", 20, kNull),
                   C("currency", 3, kNull),
                   I("roleid", 10, kNull, "0"),
                   I("customint1", 10, kNull),
                   I("customint2", 10, kNull),
                   I("customint3", 10, kNull),
                   I("customint4", 10, kNull),
                   I("customint5", 10, kNull),
                   I("customint6", 10, kNull),
                   I("customint7", 10, kNull),
                   I("customint8", 10, kNull),
                   C("customchar1", 255, kNull),
                   C("customchar2", 255, kNull),
                   C("customchar3", 1333, kNull),
                   N("customdec1", 12, 7, kNull),
                   N("customdec2", 12, 7, kNull),
                   T("customtext1", kNull),
                   T("customtext2", kNull),
                   T("customtext3", kNull),
                   T("customtext4", kNull),
                   I0("timecreated"),
                   I0("timemodified")},
                  {Ix("courseid", {"courseid"}), Ix("roleid", {"roleid"}), Ix("enrol", {"enrol"}),
                   // Beyond Moodle: "the manual/meta/cohort instance of course X".
                   Ix("courseid-enrol", {"courseid", "enrol"})}));

  t.push_back(Tbl("course_modules",
                  {I0("course"),
                   I0("module"),
                   I0("instance"),
                   I0("section"),
                   C("idnumber", 100, kNull),
                   I0("added"),
                   I0("score", 4),
                   I0("indent", 5),
                   I("visible", 1, kNN, "1"),
                   I("visibleoncoursepage", 1, kNN, "1"),
                   I("visibleold", 1, kNN, "1"),
                   I0("groupmode", 4),
                   I0("groupingid"),
                   I0("completion", 1),
                   I("completiongradeitemnumber", 10, kNull),
                   I0("completionview", 1),
                   I0("completionexpected"),
                   I0("completionpassgrade", 1),
                   I0("showdescription", 1),
                   T("availability", kNull),
                   I0("deletioninprogress", 1),
                   I("downloadcontent", 1, kNull, "1"),
                   C("lang", 30, kNull),
                   I("enableaitools", 1, kNull),
                   T("enabledaiactions", kNull)},
                  {Ix("groupingid", {"groupingid"}), Ix("visible", {"visible"}),
                   Ix("course", {"course"}), Ix("module", {"module"}), Ix("instance", {"instance"}),
                   Ix("idnumber-course", {"idnumber", "course"})}));

  t.push_back(Tbl("course_modules_completion",
                  {I("coursemoduleid", 10, kNN), I("userid", 10, kNN), I("completionstate", 1, kNN),
                   I("overrideby", 10, kNull), I("timemodified", 10, kNN)},
                  {Ix("coursemoduleid", {"coursemoduleid"}),
                   Uix("userid-coursemoduleid", {"userid", "coursemoduleid"})}));

  t.push_back(Tbl("course_sections",
                  {I0("course"), I0("section"), C("name", 1333, kNull), T("summary", kNull),
                   I0("summaryformat", 2), T("sequence", kNull), I("visible", 1, kNN, "1"),
                   T("availability", kNull), C("component", 100, kNull), I("itemid", 10, kNull),
                   I0("timemodified")},
                  {Uix("course_section", {"course", "section"}),
                   Ix("component_itemid", {"component", "itemid"})}));

  t.push_back(Tbl("course_format_options",
                  {I("courseid", 10, kNN), C("format", 21, kNN), I0("sectionid"),
                   C("name", 100, kNN), T("value", kNull)},
                  {Ix("courseid", {"courseid"}),
                   Uix("formatoption", {"courseid", "format", "sectionid", "name"})}));
}

void AddEventUserRoleTables(std::vector<TableDef>& t) {
  t.push_back(
      Tbl("event",
          {T("name", kNN),
           T("description", kNN),
           I0("format", 4),
           I0("categoryid"),
           I0("courseid"),
           I0("groupid"),
           I0("userid"),
           I0("repeatid"),
           C("component", 100, kNull),
           C("modulename", 20, kNN),
           I0("instance"),
           I0("type", 4),
           C("eventtype", 20, kNN),
           I0("timestart"),
           I0("timeduration"),
           I("timesort", 10, kNull),
           I("visible", 4, kNN, "1"),
           C("uuid", 255, kNN),
           I("sequence", 10, kNN, "1"),
           I0("timemodified"),
           I("subscriptionid", 10, kNull),
           I("priority", 10, kNull),
           T("location", kNull)},
          {Ix("categoryid", {"categoryid"}), Ix("subscriptionid", {"subscriptionid"}),
           Ix("courseid", {"courseid"}), Ix("userid", {"userid"}), Ix("timestart", {"timestart"}),
           Ix("timeduration", {"timeduration"}), Ix("uuid", {"uuid"}),
           Ix("type-timesort", {"type", "timesort"}),
           Ix("groupid-courseid-categoryid-visible-userid",
              {"groupid", "courseid", "categoryid", "visible", "userid"}),
           Ix("eventtype", {"eventtype"}), Ix("component", {"component", "eventtype", "instance"}),
           Ix("modulename-instance-eventtype", {"modulename", "instance", "eventtype"})}));

  t.push_back(Tbl("modules",
                  {C("name", 20, kNN), I0("cron"), I0("lastcron"), C("search", 255, kNN),
                   I("visible", 1, kNN, "1")},
                  {Ix("name", {"name"})}));

  t.push_back(Tbl(
      "user",
      {C("auth", 20, kNN, "manual"),
       I0("confirmed", 1),
       I0("policyagreed", 1),
       I0("deleted", 1),
       I0("suspended", 1),
       I0("mnethostid"),
       C("username", 100, kNN),
       C("password", 255, kNN),
       C("idnumber", 255, kNN),
       C("firstname", 100, kNN),
       C("lastname", 100, kNN),
       C("email", 100, kNN),
       I0("emailstop", 1),
       C("phone1", 20, kNN),
       C("phone2", 20, kNN),
       C("institution", 255, kNN),
       C("department", 255, kNN),
       C("address", 255, kNN),
       C("city", 120, kNN),
       C("country", 2, kNN),
       C("lang", 30, kNN, "en"),
       C("calendartype", 30, kNN, "gregorian"),
       C("theme", 50, kNN),
       C("timezone", 100, kNN, "99"),
       I0("firstaccess"),
       I0("lastaccess"),
       I0("lastlogin"),
       I0("currentlogin"),
       C("lastip", 45, kNN),
       C("secret", 15, kNN),
       I0("picture"),
       T("description", kNull),
       I("descriptionformat", 2, kNN, "1"),
       I("mailformat", 1, kNN, "1"),
       I0("maildigest", 1),
       I("maildisplay", 2, kNN, "2"),
       I("autosubscribe", 1, kNN, "1"),
       I0("trackforums", 1),
       I0("timecreated"),
       I0("timemodified"),
       I0("trustbitmask"),
       C("imagealt", 255, kNull),
       C("lastnamephonetic", 255, kNull),
       C("firstnamephonetic", 255, kNull),
       C("middlename", 255, kNull),
       C("alternatename", 255, kNull),
       C("moodlenetprofile", 255, kNull)},
      {Uix("username", {"mnethostid", "username"}), Ix("deleted", {"deleted"}),
       Ix("confirmed", {"confirmed"}), Ix("firstname", {"firstname"}), Ix("lastname", {"lastname"}),
       Ix("city", {"city"}), Ix("country", {"country"}), Ix("lastaccess", {"lastaccess"}),
       Ix("email", {"email"}), Ix("auth", {"auth"}), Ix("idnumber", {"idnumber"}),
       Ix("firstnamephonetic", {"firstnamephonetic"}), Ix("lastnamephonetic", {"lastnamephonetic"}),
       Ix("middlename", {"middlename"}), Ix("alternatename", {"alternatename"})}));

  t.push_back(Tbl("user_lastaccess", {I0("userid"), I0("courseid"), I0("timeaccess")},
                  {Uix("userid-courseid", {"userid", "courseid"}), Ix("userid", {"userid"}),
                   Ix("courseid", {"courseid"})}));

  t.push_back(
      Tbl("post",
          {C("module", 20, kNN), I0("userid"), I0("courseid"), I0("groupid"), I0("moduleid"),
           I0("coursemoduleid"), C("subject", 128, kNN), T("summary", kNull), T("content", kNull),
           C("uniquehash", 255, kNN), I0("rating"), I0("format"), I0("summaryformat", 2),
           C("attachment", 100, kNull), C("publishstate", 20, kNN, "draft"), I0("lastmodified"),
           I0("created"), I("usermodified", 10, kNull)},
          {Ix("usermodified", {"usermodified"}), Ix("courseid", {"courseid"}),
           Ix("coursemoduleid", {"coursemoduleid"}), Uix("id-userid", {"id", "userid"}),
           Ix("lastmodified", {"lastmodified"}), Ix("module", {"module"}),
           Ix("subject", {"subject"})}));

  t.push_back(Tbl("role",
                  {C("name", 255, kNN), C("shortname", 100, kNN), T("description", kNN),
                   I0("sortorder"), C("archetype", 30, kNN)},
                  {Uix("sortorder", {"sortorder"}), Uix("shortname", {"shortname"})}));

  IndexDef path = Ix("path", {"path"});
  path.pattern_ops = true;
  t.push_back(Tbl("context",
                  {I0("contextlevel"), I0("instanceid"), C("path", 255, kNull), I0("depth", 2),
                   I0("locked", 2)},
                  {Uix("contextlevel-instanceid", {"contextlevel", "instanceid"}),
                   Ix("instanceid", {"instanceid"}), path}));

  t.push_back(
      Tbl("role_assignments",
          {I0("roleid"), I0("contextid"), I0("userid"), I0("timemodified"), I0("modifierid"),
           C("component", 100, kNN), I0("itemid"), I0("sortorder")},
          {Ix("roleid", {"roleid"}), Ix("contextid", {"contextid"}), Ix("userid", {"userid"}),
           Ix("sortorder", {"sortorder"}), Ix("rolecontext", {"roleid", "contextid"}),
           Ix("usercontextrole", {"userid", "contextid", "roleid"}),
           Ix("component-itemid-userid", {"component", "itemid", "userid"})}));

  t.push_back(Tbl("role_capabilities",
                  {I0("contextid"), I0("roleid"), C("capability", 255, kNN), I0("permission"),
                   I0("timemodified"), I0("modifierid")},
                  {Ix("roleid", {"roleid"}), Ix("contextid", {"contextid"}),
                   Ix("modifierid", {"modifierid"}), Ix("capability", {"capability"}),
                   Uix("roleid-contextid-capability", {"roleid", "contextid", "capability"})}));

  t.push_back(Tbl("role_names", {I0("roleid"), I0("contextid"), C("name", 255, kNN)},
                  {Ix("roleid", {"roleid"}), Ix("contextid", {"contextid"}),
                   Uix("roleid-contextid", {"roleid", "contextid"})}));

  t.push_back(
      Tbl("role_context_levels", {I("roleid", 10, kNN), I("contextlevel", 10, kNN)},
          {Uix("contextlevel-roleid", {"contextlevel", "roleid"}), Ix("roleid", {"roleid"})}));

  t.push_back(
      Tbl("user_enrolments",
          {I0("status"), I("enrolid", 10, kNN), I("userid", 10, kNN), I0("timestart"),
           I("timeend", 10, kNN, "2147483647"), I0("modifierid"), I0("timecreated"),
           I0("timemodified")},
          {Ix("enrolid", {"enrolid"}), Ix("userid", {"userid"}), Ix("modifierid", {"modifierid"}),
           Uix("enrolid-userid", {"enrolid", "userid"})}));
}

void AddGradeTables(std::vector<TableDef>& t) {
  t.push_back(
      Tbl("grade_categories",
          {I("courseid", 10, kNN), I("parent", 10, kNull), I0("depth"), C("path", 255, kNull),
           C("fullname", 255, kNN), I0("aggregation"), I0("keephigh"), I0("droplow"),
           I0("aggregateonlygraded", 1), I0("aggregateoutcomes", 1), I("timecreated", 10, kNN),
           I("timemodified", 10, kNN), I0("hidden")},
          {Ix("courseid", {"courseid"}), Ix("parent", {"parent"})}));

  t.push_back(Tbl(
      "grade_items",
      {I("courseid", 10, kNull),
       I("categoryid", 10, kNull),
       C("itemname", 1333, kNull),
       C("itemtype", 30, kNN),
       C("itemmodule", 30, kNull),
       I("iteminstance", 10, kNull),
       I("itemnumber", 10, kNull),
       T("iteminfo", kNull),
       C("idnumber", 255, kNull),
       T("calculation", kNull),
       I("gradetype", 4, kNN, "1"),
       N("grademax", 10, 5, kNN, "100"),
       N("grademin", 10, 5, kNN, "0"),
       I("scaleid", 10, kNull),
       I("outcomeid", 10, kNull),
       N("gradepass", 10, 5, kNN, "0"),
       N("multfactor", 10, 5, kNN, "1.0"),
       N("plusfactor", 10, 5, kNN, "0"),
       N("aggregationcoef", 10, 5, kNN, "0"),
       N("aggregationcoef2", 10, 5, kNN, "0"),
       I0("sortorder"),
       I0("display"),
       I("decimals", 1, kNull),
       I0("hidden"),
       I0("locked"),
       I0("locktime"),
       I0("needsupdate"),
       I0("weightoverride", 1),
       I("timecreated", 10, kNull),
       I("timemodified", 10, kNull)},
      {Ix("courseid", {"courseid"}), Ix("categoryid", {"categoryid"}), Ix("scaleid", {"scaleid"}),
       Ix("outcomeid", {"outcomeid"}), Ix("locked-locktime", {"locked", "locktime"}),
       Ix("itemtype-needsupdate", {"itemtype", "needsupdate"}), Ix("gradetype", {"gradetype"}),
       Ix("idnumber-courseid", {"idnumber", "courseid"}),
       Ix("itemtype-mod-inst-course", {"itemtype", "itemmodule", "iteminstance", "courseid"})}));

  t.push_back(
      Tbl("grade_grades",
          {I("itemid", 10, kNN),
           I("userid", 10, kNN),
           N("rawgrade", 10, 5, kNull),
           N("rawgrademax", 10, 5, kNN, "100"),
           N("rawgrademin", 10, 5, kNN, "0"),
           I("rawscaleid", 10, kNull),
           I("usermodified", 10, kNull),
           N("finalgrade", 10, 5, kNull),
           I0("hidden"),
           I0("locked"),
           I0("locktime"),
           I0("exported"),
           I0("overridden"),
           I0("excluded"),
           T("feedback", kNull),
           I0("feedbackformat"),
           T("information", kNull),
           I0("informationformat"),
           I("timecreated", 10, kNull),
           I("timemodified", 10, kNull),
           C("aggregationstatus", 10, kNN, "unknown"),
           N("aggregationweight", 10, 5, kNull),
           N("deductedmark", 10, 5, kNN, "0")},
          {Ix("itemid", {"itemid"}), Ix("userid", {"userid"}), Ix("rawscaleid", {"rawscaleid"}),
           Ix("usermodified", {"usermodified"}), Uix("userid-itemid", {"userid", "itemid"}),
           Ix("locked-locktime", {"locked", "locktime"})}));

  t.push_back(Tbl(
      "grade_items_history",
      {I0("action"),
       I("oldid", 10, kNN),
       C("source", 255, kNull),
       I("timemodified", 10, kNull),
       I("loggeduser", 10, kNull),
       I("courseid", 10, kNull),
       I("categoryid", 10, kNull),
       C("itemname", 1333, kNull),
       C("itemtype", 30, kNN),
       C("itemmodule", 30, kNull),
       I("iteminstance", 10, kNull),
       I("itemnumber", 10, kNull),
       T("iteminfo", kNull),
       C("idnumber", 255, kNull),
       T("calculation", kNull),
       I("gradetype", 4, kNN, "1"),
       N("grademax", 10, 5, kNN, "100"),
       N("grademin", 10, 5, kNN, "0"),
       I("scaleid", 10, kNull),
       I("outcomeid", 10, kNull),
       N("gradepass", 10, 5, kNN, "0"),
       N("multfactor", 10, 5, kNN, "1.0"),
       N("plusfactor", 10, 5, kNN, "0"),
       N("aggregationcoef", 10, 5, kNN, "0"),
       N("aggregationcoef2", 10, 5, kNN, "0"),
       I0("sortorder"),
       I0("hidden"),
       I0("locked"),
       I0("locktime"),
       I0("needsupdate"),
       I0("display"),
       I("decimals", 1, kNull),
       I0("weightoverride", 1)},
      {Ix("oldid", {"oldid"}), Ix("courseid", {"courseid"}), Ix("categoryid", {"categoryid"}),
       Ix("scaleid", {"scaleid"}), Ix("outcomeid", {"outcomeid"}), Ix("loggeduser", {"loggeduser"}),
       Ix("action", {"action"}), Ix("timemodified", {"timemodified"})}));

  t.push_back(Tbl("grade_grades_history",
                  {I0("action"),
                   I("oldid", 10, kNN),
                   C("source", 255, kNull),
                   I("timemodified", 10, kNull),
                   I("loggeduser", 10, kNull),
                   I("itemid", 10, kNN),
                   I("userid", 10, kNN),
                   N("rawgrade", 10, 5, kNull),
                   N("rawgrademax", 10, 5, kNN, "100"),
                   N("rawgrademin", 10, 5, kNN, "0"),
                   I("rawscaleid", 10, kNull),
                   I("usermodified", 10, kNull),
                   N("finalgrade", 10, 5, kNull),
                   I0("hidden"),
                   I0("locked"),
                   I0("locktime"),
                   I0("exported"),
                   I0("overridden"),
                   I0("excluded"),
                   T("feedback", kNull),
                   I0("feedbackformat"),
                   T("information", kNull),
                   I0("informationformat")},
                  {Ix("oldid", {"oldid"}), Ix("itemid", {"itemid"}), Ix("userid", {"userid"}),
                   Ix("rawscaleid", {"rawscaleid"}), Ix("usermodified", {"usermodified"}),
                   Ix("loggeduser", {"loggeduser"}), Ix("action", {"action"}),
                   Ix("timemodified", {"timemodified"}),
                   Ix("userid-itemid-timemodified", {"userid", "itemid", "timemodified"})}));

  t.push_back(
      Tbl("grade_letters",
          {I("contextid", 10, kNN), N("lowerboundary", 10, 5, kNN), C("letter", 255, kNN)},
          {Uix("contextid-lowerboundary-letter", {"contextid", "lowerboundary", "letter"})}));
}

void AddGroupMiscTables(std::vector<TableDef>& t) {
  t.push_back(Tbl(
      "tag",
      {I("userid", 10, kNN), I("tagcollid", 10, kNN), C("name", 255, kNN), C("rawname", 255, kNN),
       I0("isstandard", 1), T("description", kNull), I0("descriptionformat", 2),
       I("flag", 4, kNull, "0"), I("timemodified", 10, kNull)},
      {Ix("userid", {"userid"}), Ix("tagcollid", {"tagcollid"}),
       Uix("tagcollname", {"tagcollid", "name"}), Ix("tagcolltype", {"tagcollid", "isstandard"})}));

  t.push_back(
      Tbl("tag_instance",
          {I("tagid", 10, kNN), C("component", 100, kNN), C("itemtype", 100, kNN),
           I("itemid", 10, kNN), I("contextid", 10, kNull), I0("tiuserid"),
           I("ordering", 10, kNull), I0("timecreated"), I0("timemodified")},
          {Ix("tagid", {"tagid"}), Ix("contextid", {"contextid"}),
           Uix("taggeditem", {"component", "itemtype", "itemid", "contextid", "tiuserid", "tagid"}),
           Ix("taglookup", {"itemtype", "component", "tagid", "contextid"})}));

  t.push_back(Tbl("groups",
                  {I("courseid", 10, kNN), C("idnumber", 100, kNN), C("name", 254, kNN),
                   T("description", kNull), I0("descriptionformat", 2),
                   C("enrolmentkey", 50, kNull), I0("picture"), I0("visibility", 1),
                   I("participation", 1, kNN, "1"), I0("timecreated"), I0("timemodified")},
                  {Ix("courseid", {"courseid"}), Ix("idnumber", {"idnumber"})}));

  t.push_back(Tbl(
      "groupings",
      {I0("courseid"), C("name", 255, kNN), C("idnumber", 100, kNN), T("description", kNull),
       I0("descriptionformat", 2), T("configdata", kNull), I0("timecreated"), I0("timemodified")},
      {Ix("courseid", {"courseid"}), Ix("idnumber", {"idnumber"})}));

  t.push_back(
      Tbl("groups_members",
          {I0("groupid"), I0("userid"), I0("timeadded"), C("component", 100, kNN), I0("itemid")},
          {Ix("groupid", {"groupid"}), Ix("userid", {"userid"}),
           Uix("useridgroupid", {"userid", "groupid"})}));

  t.push_back(Tbl("groupings_groups", {I0("groupingid"), I0("groupid"), I0("timeadded")},
                  {Ix("groupingid", {"groupingid"}), Ix("groupid", {"groupid"})}));

  t.push_back(Tbl("blog_association", {I("contextid", 10, kNN), I("blogid", 10, kNN)},
                  {Ix("contextid", {"contextid"}), Ix("blogid", {"blogid"})}));

  // comments.contextid lookups are served by ix_concomitem (contextid first).
  t.push_back(
      Tbl("comments",
          {I("contextid", 10, kNN), C("component", 255, kNull), C("commentarea", 255, kNN),
           I("itemid", 10, kNN), T("content", kNN), I0("format", 2), I("userid", 10, kNN),
           I("timecreated", 10, kNN)},
          {Ix("userid", {"userid"}), Ix("ix_concomitem", {"contextid", "commentarea", "itemid"})}));

  t.push_back(
      Tbl("block_instances",
          {C("blockname", 40, kNN), I("parentcontextid", 10, kNN), I("showinsubcontexts", 4, kNN),
           I0("requiredbytheme", 4), C("pagetypepattern", 64, kNN), C("subpagepattern", 16, kNull),
           C("defaultregion", 16, kNN), I("defaultweight", 10, kNN), T("configdata", kNull),
           I("timecreated", 10, kNN), I("timemodified", 10, kNN)},
          {Ix("parentcontextid", {"parentcontextid"}),
           Ix("parentcontextid-showinsubcontexts-pagetypepattern-subpagepattern",
              {"parentcontextid", "showinsubcontexts", "pagetypepattern", "subpagepattern"}),
           Ix("timemodified", {"timemodified"})}));

  t.push_back(Tbl(
      "files",
      {C("contenthash", 40, kNN), C("pathnamehash", 40, kNN), I("contextid", 10, kNN),
       C("component", 100, kNN), C("filearea", 50, kNN), I("itemid", 10, kNN),
       C("filepath", 255, kNN), C("filename", 255, kNN), I("userid", 10, kNull),
       I("filesize", 10, kNN), C("mimetype", 100, kNull), I0("status"), T("source", kNull),
       C("author", 255, kNull), C("license", 255, kNull), I("timecreated", 10, kNN),
       I("timemodified", 10, kNN), I0("sortorder"), I("referencefileid", 10, kNull)},
      {Ix("contextid", {"contextid"}), Ix("userid", {"userid"}),
       Ix("referencefileid", {"referencefileid"}),
       Ix("component-filearea-contextid-itemid", {"component", "filearea", "contextid", "itemid"}),
       Ix("contenthash", {"contenthash"}), Uix("pathnamehash", {"pathnamehash"}),
       Ix("license", {"license"}), Ix("filename", {"filename"})}));

  t.push_back(Tbl(
      "logstore_standard_log",
      {C("eventname", 255, kNN),   C("component", 100, kNN),        C("action", 100, kNN),
       C("target", 100, kNN),      C("objecttable", 50, kNull),     I("objectid", 10, kNull),
       C("crud", 1, kNN),          I("edulevel", 1, kNN),           I("contextid", 10, kNN),
       I("contextlevel", 10, kNN), I("contextinstanceid", 10, kNN), I("userid", 10, kNN),
       I("courseid", 10, kNull),   I("relateduserid", 10, kNull),   I0("anonymous", 1),
       T("other", kNull),          I("timecreated", 10, kNN),       C("origin", 10, kNull),
       C("ip", 45, kNull),         I("realuserid", 10, kNull)},
      {Ix("contextid", {"contextid"}), Ix("userid", {"userid"}), Ix("courseid", {"courseid"}),
       Ix("realuserid", {"realuserid"}), Ix("relateduserid", {"relateduserid"}),
       Ix("timecreated", {"timecreated"}),
       Ix("course-time", {"courseid", "anonymous", "timecreated"}),
       Ix("user-module",
          {"userid", "contextlevel", "contextinstanceid", "crud", "edulevel", "timecreated"})}));
}

// ---------------------------------------------------------------------------------------------
// Activity tables (moodle_schema.md §11 and the modules' install.xml files).

void AddForumTables(std::vector<TableDef>& t) {
  t.push_back(Tbl("forum",
                  {I0("course"),
                   C("type", 20, kNN, "general"),
                   C("name", 1333, kNN),
                   T("intro", kNN),
                   I0("introformat", 4),
                   I0("duedate"),
                   I0("cutoffdate"),
                   I0("assessed"),
                   I0("assesstimestart"),
                   I0("assesstimefinish"),
                   I0("scale"),
                   I0("grade_forum"),
                   I0("grade_forum_notify", 4),
                   I0("maxbytes"),
                   I("maxattachments", 10, kNN, "1"),
                   I0("forcesubscribe", 1),
                   I("trackingtype", 2, kNN, "1"),
                   I0("rsstype", 2),
                   I0("rssarticles", 2),
                   I0("timemodified"),
                   I0("warnafter"),
                   I0("blockafter"),
                   I0("blockperiod"),
                   I0("completiondiscussions", 9),
                   I0("completionreplies", 9),
                   I0("completionposts", 9),
                   I0("displaywordcount", 1),
                   I0("lockdiscussionafter"),
                   I0("showimmediately", 1)},
                  {Ix("course", {"course"})}));

  t.push_back(
      Tbl("forum_discussions",
          {I0("course"), I0("forum"), C("name", 255, kNN), I0("firstpost"), I0("userid"),
           I("groupid", 10, kNN, "-1"), I("assessed", 1, kNN, "1"), I0("timemodified"),
           I0("usermodified"), I0("timestart"), I0("timeend"), I0("pinned", 1), I0("timelocked")},
          {Ix("forum", {"forum"}), Ix("usermodified", {"usermodified"}), Ix("userid", {"userid"}),
           Ix("course", {"course"})}));

  t.push_back(Tbl(
      "forum_posts",
      {I0("discussion"), I0("parent"), I0("userid"), I0("created"), I0("modified"), I0("mailed", 2),
       C("subject", 255, kNN), T("message", kNN), I0("messageformat", 2), I0("messagetrust", 2),
       C("attachment", 100, kNN), I0("totalscore", 4), I0("mailnow"), I0("deleted", 1),
       I0("privatereplyto"), I("wordcount", 20, kNull), I("charcount", 20, kNull)},
      {Ix("discussion", {"discussion"}), Ix("parent", {"parent"}), Ix("userid", {"userid"}),
       Ix("created", {"created"}), Ix("mailed", {"mailed"}),
       Ix("privatereplyto", {"privatereplyto"})}));

  t.push_back(Tbl(
      "forum_subscriptions", {I0("userid"), I0("forum")},
      {Ix("forum", {"forum"}), Uix("useridforum", {"userid", "forum"}), Ix("userid", {"userid"})}));

  t.push_back(Tbl("forum_digests",
                  {I("userid", 10, kNN), I("forum", 10, kNN), I("maildigest", 1, kNN, "-1")},
                  {Ix("userid", {"userid"}), Ix("forum", {"forum"}),
                   Uix("forumdigest", {"forum", "userid", "maildigest"})}));

  t.push_back(Tbl("forum_track_prefs", {I0("userid"), I0("forumid")},
                  // Beyond Moodle: per-forum cleanup when a course is reset.
                  {Ix("userid-forumid", {"userid", "forumid"}), Ix("forumid", {"forumid"})}));

  t.push_back(Tbl("forum_read",
                  {I0("userid"), I0("forumid"), I0("discussionid"), I0("postid"), I0("firstread"),
                   I0("lastread")},
                  {Ix("forumid-userid", {"forumid", "userid"}),
                   Ix("discussionid-userid", {"discussionid", "userid"}),
                   Ix("postid-userid", {"postid", "userid"}), Ix("userid", {"userid"})}));
}

void AddAssignTables(std::vector<TableDef>& t) {
  t.push_back(
      Tbl("assign",
          {I0("course"),
           C("name", 1333, kNN),
           T("intro", kNN),
           I0("introformat", 4),
           I0("alwaysshowdescription", 2),
           I0("nosubmissions", 2),
           I0("submissiondrafts", 2),
           I0("sendnotifications", 2),
           I0("sendlatenotifications", 2),
           I0("duedate"),
           I0("allowsubmissionsfromdate"),
           I0("grade"),
           I0("timemodified"),
           I0("requiresubmissionstatement", 2),
           I0("completionsubmit", 2),
           I0("cutoffdate"),
           I0("gradingduedate"),
           I0("teamsubmission", 2),
           I0("requireallteammemberssubmit", 2),
           I0("teamsubmissiongroupingid"),
           I0("blindmarking", 2),
           I0("hidegrader", 2),
           I0("revealidentities", 2),
           C("attemptreopenmethod", 10, kNN, "untilpass"),
           I("maxattempts", 6, kNN, "1"),
           I0("markingworkflow", 2),
           I0("markingallocation", 2),
           I("markercount", 2, kNN, "1"),
           I0("optionalmarkercount", 2),
           C("multimarkmethod", 10, kNull),
           I("multimarkrounding", 2, kNull),
           I0("markinganonymous", 2),
           I("sendstudentnotifications", 2, kNN, "1"),
           I0("preventsubmissionnotingroup", 2),
           T("activity", kNull),
           I0("activityformat", 4),
           I0("timelimit"),
           I0("submissionattachments", 2),
           I0("gradepenalty", 2)},
          {Ix("course", {"course"}), Ix("teamsubmissiongroupingid", {"teamsubmissiongroupingid"}),
           Ix("gradepenalty", {"gradepenalty"})}));

  t.push_back(
      Tbl("assign_submission",
          {I0("assignment"), I0("userid"), I0("timecreated"), I0("timemodified"),
           I("timestarted", 10, kNull), C("status", 10, kNull), I0("groupid"), I0("attemptnumber"),
           I0("latest", 2)},
          {Ix("assignment", {"assignment"}), Ix("userid", {"userid"}),
           Ix("attemptnumber", {"attemptnumber"}),
           Uix("uniqueattemptsubmission", {"assignment", "userid", "groupid", "attemptnumber"}),
           Ix("latestattempt", {"assignment", "userid", "groupid", "latest"})}));

  t.push_back(
      Tbl("assign_grades",
          {I0("assignment"), I0("userid"), I0("timecreated"), I0("timemodified"), I0("grader"),
           N("grade", 10, 5, kNull, "0"), N("penalty", 10, 5, kNN, "0"), I0("attemptnumber")},
          {Ix("assignment", {"assignment"}), Ix("userid", {"userid"}),
           Ix("attemptnumber", {"attemptnumber"}),
           Uix("uniqueattemptgrade", {"assignment", "userid", "attemptnumber"})}));

  t.push_back(
      Tbl("assign_user_flags",
          {I0("userid"), I0("assignment"), I0("locked"), I0("mailed", 4), I0("extensionduedate"),
           C("workflowstate", 20, kNull), I0("allocatedmarker")},
          {Ix("userid", {"userid"}), Ix("assignment", {"assignment"}), Ix("mailed", {"mailed"})}));

  t.push_back(Tbl("assign_user_mapping", {I0("assignment"), I0("userid")},
                  {Ix("assignment", {"assignment"}), Ix("user", {"userid"})}));

  t.push_back(
      Tbl("assign_overrides",
          {I0("assignid"), I("groupid", 10, kNull), I("userid", 10, kNull),
           I("sortorder", 10, kNull), I("allowsubmissionsfromdate", 10, kNull),
           I("duedate", 10, kNull), I("cutoffdate", 10, kNull), I("timelimit", 10, kNull),
           T("reason", kNull), I0("reasonformat", 2)},
          {Ix("assignid", {"assignid"}), Ix("groupid", {"groupid"}), Ix("userid", {"userid"})}));
}

void AddQuizTables(std::vector<TableDef>& t) {
  t.push_back(Tbl("quiz",
                  {I0("course"),
                   C("name", 1333, kNN),
                   T("intro", kNN),
                   I0("introformat", 4),
                   I0("timeopen"),
                   I0("timeclose"),
                   I0("timelimit"),
                   C("overduehandling", 16, kNN, "autoabandon"),
                   I0("graceperiod"),
                   C("preferredbehaviour", 32, kNN),
                   I0("canredoquestions", 4),
                   I0("attempts", 6),
                   I0("attemptonlast", 4),
                   I("grademethod", 4, kNN, "1"),
                   I("decimalpoints", 4, kNN, "2"),
                   I("questiondecimalpoints", 4, kNN, "-1"),
                   I0("reviewattempt", 6),
                   I0("reviewcorrectness", 6),
                   I0("reviewmaxmarks", 6),
                   I0("reviewmarks", 6),
                   I0("reviewspecificfeedback", 6),
                   I0("reviewgeneralfeedback", 6),
                   I0("reviewrightanswer", 6),
                   I0("reviewoverallfeedback", 6),
                   I0("questionsperpage"),
                   C("navmethod", 16, kNN, "free"),
                   I0("shuffleanswers", 4),
                   N("sumgrades", 10, 5, kNN, "0"),
                   N("grade", 10, 5, kNN, "0"),
                   I0("timecreated"),
                   I0("timemodified"),
                   C("password", 255, kNN),
                   C("subnet", 255, kNN),
                   C("browsersecurity", 32, kNN),
                   I0("delay1"),
                   I0("delay2"),
                   I0("showuserpicture", 4),
                   I0("showblocks", 4),
                   I("completionattemptsexhausted", 1, kNull, "0"),
                   I0("completionminattempts"),
                   I("allowofflineattempts", 1, kNull, "0"),
                   I("precreateattempts", 1, kNull),
                   I0("duedate")},
                  {Ix("course", {"course"})}));

  t.push_back(Tbl("quiz_overrides",
                  {I0("quiz"), I("groupid", 10, kNull), I("userid", 10, kNull),
                   I("timeopen", 10, kNull), I("timeclose", 10, kNull), I("timelimit", 10, kNull),
                   I("attempts", 6, kNull), C("password", 255, kNull), T("reason", kNull),
                   I0("reasonformat", 2), I("duedate", 10, kNull)},
                  {Ix("quiz", {"quiz"}), Ix("groupid", {"groupid"}), Ix("userid", {"userid"})}));

  t.push_back(Tbl("quiz_attempts",
                  {I0("quiz"), I0("userid"), I0("attempt", 6), I0("uniqueid"), T("layout", kNN),
                   I0("currentpage"), I0("preview", 3), C("state", 16, kNN, "inprogress"),
                   I0("timestart"), I0("timefinish"), I0("timemodified"), I0("timemodifiedoffline"),
                   I("timecheckstate", 10, kNull, "0"), N("sumgrades", 10, 5, kNull),
                   I("gradednotificationsenttime", 10, kNull)},
                  {Ix("quiz", {"quiz"}), Ix("userid", {"userid"}), Uix("uniqueid", {"uniqueid"}),
                   Uix("quiz-userid-attempt", {"quiz", "userid", "attempt"}),
                   Ix("state-timecheckstate", {"state", "timecheckstate"})}));

  t.push_back(Tbl("quiz_grades",
                  {I0("quiz"), I0("userid"), N("grade", 10, 5, kNN, "0"), I0("timemodified")},
                  {Ix("quiz", {"quiz"}), Ix("userid", {"userid"})}));
}

void AddGlossaryTables(std::vector<TableDef>& t) {
  t.push_back(Tbl("glossary",
                  {I0("course"),
                   C("name", 1333, kNN),
                   T("intro", kNN),
                   I0("introformat", 4),
                   I0("allowduplicatedentries", 2),
                   C("displayformat", 50, kNN, "dictionary"),
                   I0("mainglossary", 2),
                   I("showspecial", 2, kNN, "1"),
                   I("showalphabet", 2, kNN, "1"),
                   I("showall", 2, kNN, "1"),
                   I0("allowcomments", 2),
                   I("allowprintview", 2, kNN, "1"),
                   I("usedynalink", 2, kNN, "1"),
                   I("defaultapproval", 2, kNN, "1"),
                   C("approvaldisplayformat", 50, kNN, "default"),
                   I0("globalglossary", 2),
                   I("entbypage", 3, kNN, "10"),
                   I0("editalways", 2),
                   I0("rsstype", 2),
                   I0("rssarticles", 2),
                   I0("assessed"),
                   I0("assesstimestart"),
                   I0("assesstimefinish"),
                   I0("scale"),
                   I0("timecreated"),
                   I0("timemodified"),
                   I0("completionentries", 9)},
                  {Ix("course", {"course"})}));

  t.push_back(Tbl(
      "glossary_entries",
      {I0("glossaryid"), I0("userid"), C("concept", 255, kNN), T("definition", kNN),
       I0("definitionformat", 2), I0("definitiontrust", 2), C("attachment", 100, kNN),
       I0("timecreated"), I0("timemodified"), I0("teacherentry", 2), I0("sourceglossaryid"),
       I("usedynalink", 2, kNN, "1"), I0("casesensitive", 2), I("fullmatch", 2, kNN, "1"),
       I("approved", 2, kNN, "1")},
      {Ix("glossaryid", {"glossaryid"}), Ix("userid", {"userid"}), Ix("concept", {"concept"})}));

  t.push_back(Tbl("glossary_categories",
                  {I0("glossaryid"), C("name", 255, kNN), I("usedynalink", 2, kNN, "1")},
                  {Ix("glossaryid", {"glossaryid"})}));

  t.push_back(Tbl("glossary_entries_categories", {I0("categoryid"), I0("entryid")},
                  {Ix("categoryid", {"categoryid"}), Ix("entryid", {"entryid"})}));
}

void AddDataTables(std::vector<TableDef>& t) {
  t.push_back(Tbl("data",
                  {I0("course"),
                   C("name", 1333, kNN),
                   T("intro", kNN),
                   I0("introformat", 4),
                   I0("comments", 4),
                   I0("timeavailablefrom"),
                   I0("timeavailableto"),
                   I0("timeviewfrom"),
                   I0("timeviewto"),
                   I0("requiredentries", 8),
                   I0("requiredentriestoview", 8),
                   I0("maxentries", 8),
                   I0("rssarticles", 4),
                   T("singletemplate", kNull),
                   T("listtemplate", kNull),
                   T("listtemplateheader", kNull),
                   T("listtemplatefooter", kNull),
                   T("addtemplate", kNull),
                   T("rsstemplate", kNull),
                   T("rsstitletemplate", kNull),
                   T("csstemplate", kNull),
                   T("jstemplate", kNull),
                   T("asearchtemplate", kNull),
                   I0("approval", 4),
                   I("manageapproved", 4, kNN, "1"),
                   I0("scale"),
                   I0("assessed"),
                   I0("assesstimestart"),
                   I0("assesstimefinish"),
                   I0("defaultsort"),
                   I0("defaultsortdir", 4),
                   I0("editany", 4),
                   I0("notification"),
                   I0("timemodified"),
                   T("config", kNull),
                   I("completionentries", 10, kNull, "0")},
                  {Ix("course", {"course"})}));

  t.push_back(Tbl("data_fields",
                  {I0("dataid"), C("type", 255, kNN), C("name", 255, kNN), T("description", kNN),
                   I0("required", 1), T("param1", kNull), T("param2", kNull), T("param3", kNull),
                   T("param4", kNull), T("param5", kNull), T("param6", kNull), T("param7", kNull),
                   T("param8", kNull), T("param9", kNull), T("param10", kNull)},
                  {Ix("dataid", {"dataid"}), Ix("type-dataid", {"type", "dataid"})}));

  t.push_back(Tbl("data_records",
                  {I0("userid"), I0("groupid"), I0("dataid"), I0("timecreated"), I0("timemodified"),
                   I0("approved", 4)},
                  {Ix("dataid", {"dataid"}), Ix("userid", {"userid"})}));

  t.push_back(Tbl("data_content",
                  {I0("fieldid"), I0("recordid"), T("content", kNull), T("content1", kNull),
                   T("content2", kNull), T("content3", kNull), T("content4", kNull)},
                  {Ix("recordid", {"recordid"}), Ix("fieldid", {"fieldid"})}));
}

void AddChoiceTables(std::vector<TableDef>& t) {
  t.push_back(
      Tbl("choice",
          {I0("course"), C("name", 1333, kNN), T("intro", kNN), I0("introformat", 4),
           I0("publish", 2), I0("showresults", 2), I0("display", 4), I0("allowupdate", 2),
           I0("allowmultiple", 2), I0("showunanswered", 2), I("includeinactive", 2, kNN, "1"),
           I0("limitanswers", 2), I0("timeopen"), I0("timeclose"), I0("showpreview", 2),
           I0("timemodified"), I0("completionsubmit", 1), I0("showavailable", 1)},
          {Ix("course", {"course"})}));

  t.push_back(
      Tbl("choice_options",
          {I0("choiceid"), T("text", kNull), I("maxanswers", 10, kNull, "0"), I0("timemodified")},
          {Ix("choiceid", {"choiceid"})}));

  t.push_back(
      Tbl("choice_answers", {I0("choiceid"), I0("userid"), I0("optionid"), I0("timemodified")},
          {Ix("choiceid", {"choiceid"}), Ix("optionid", {"optionid"}), Ix("userid", {"userid"})}));
}

void AddLessonTables(std::vector<TableDef>& t) {
  t.push_back(Tbl("lesson",
                  {I0("course"),
                   C("name", 1333, kNN),
                   T("intro", kNull),
                   I0("introformat", 4),
                   I0("practice", 3),
                   I0("modattempts", 3),
                   I0("usepassword", 3),
                   C("password", 32, kNN),
                   I0("dependency"),
                   T("conditions", kNN),
                   I0("grade"),
                   I0("custom", 3),
                   I0("ongoing", 3),
                   I0("usemaxgrade", 3),
                   I("maxanswers", 3, kNN, "4"),
                   I("maxattempts", 3, kNN, "5"),
                   I0("review", 3),
                   I0("nextpagedefault", 3),
                   I("feedback", 3, kNN, "1"),
                   I0("minquestions", 3),
                   I0("maxpages", 3),
                   I0("timelimit"),
                   I("retake", 3, kNN, "1"),
                   I0("activitylink"),
                   C("mediafile", 255, kNN),
                   I("mediaheight", 10, kNN, "100"),
                   I("mediawidth", 10, kNN, "650"),
                   I0("mediaclose", 3),
                   I0("slideshow", 3),
                   I("width", 10, kNN, "640"),
                   I("height", 10, kNN, "480"),
                   C("bgcolor", 7, kNN, "#FFFFFF"),
                   I0("displayleft", 3),
                   I0("displayleftif", 3),
                   I0("progressbar", 3),
                   I0("available"),
                   I0("deadline"),
                   I0("timemodified"),
                   I("completionendreached", 1, kNull, "0"),
                   I("completiontimespent", 11, kNull, "0"),
                   I("allowofflineattempts", 1, kNull, "0")},
                  {Ix("course", {"course"})}));

  t.push_back(Tbl("lesson_attempts",
                  {I0("lessonid"), I0("pageid"), I0("userid"), I0("answerid"), I0("retry", 3),
                   I0("correct"), T("useranswer", kNull), I0("timeseen")},
                  {Ix("lessonid", {"lessonid"}), Ix("pageid", {"pageid"}),
                   Ix("answerid", {"answerid"}), Ix("userid", {"userid"})}));

  t.push_back(
      Tbl("lesson_grades",
          {I0("lessonid"), I0("userid"), F("grade", kNN, "0"), I0("late", 3), I0("completed")},
          {Ix("lessonid", {"lessonid"}), Ix("userid", {"userid"})}));

  t.push_back(Tbl("lesson_timer",
                  {I0("lessonid"), I0("userid"), I0("starttime"), I0("lessontime"),
                   I("completed", 1, kNull, "0"), I0("timemodifiedoffline")},
                  {Ix("lessonid", {"lessonid"}), Ix("userid", {"userid"})}));

  t.push_back(
      Tbl("lesson_branch",
          {I0("lessonid"), I0("userid"), I0("pageid"), I0("retry"), I0("flag", 3), I0("timeseen"),
           I0("nextpageid")},
          {Ix("lessonid", {"lessonid"}), Ix("pageid", {"pageid"}), Ix("userid", {"userid"})}));

  t.push_back(Tbl(
      "lesson_overrides",
      {I0("lessonid"), I("groupid", 10, kNull), I("userid", 10, kNull), I("available", 10, kNull),
       I("deadline", 10, kNull), I("timelimit", 10, kNull), I("review", 3, kNull),
       I("maxattempts", 3, kNull), I("retake", 3, kNull), C("password", 32, kNull)},
      {Ix("lessonid", {"lessonid"}), Ix("groupid", {"groupid"}), Ix("userid", {"userid"})}));
}

void AddScormTables(std::vector<TableDef>& t) {
  t.push_back(Tbl("scorm",
                  {I0("course"),
                   C("name", 1333, kNN),
                   C("scormtype", 50, kNN, "local"),
                   C("reference", 255, kNN),
                   T("intro", kNN),
                   I0("introformat", 4),
                   C("version", 9, kNN),
                   F("maxgrade", kNN, "0"),
                   I0("grademethod", 2),
                   I0("whatgrade"),
                   I("maxattempt", 10, kNN, "1"),
                   I0("forcecompleted", 1),
                   I0("forcenewattempt", 1),
                   I0("lastattemptlock", 1),
                   I("masteryoverride", 1, kNN, "1"),
                   I("displayattemptstatus", 1, kNN, "1"),
                   I0("displaycoursestructure", 1),
                   I0("updatefreq", 1),
                   C("sha1hash", 40, kNull),
                   C("md5hash", 32, kNN),
                   I0("revision"),
                   I0("launch"),
                   I("skipview", 1, kNN, "1"),
                   I0("hidebrowse", 1),
                   I0("hidetoc", 1),
                   I("nav", 1, kNN, "1"),
                   I("navpositionleft", 10, kNull, "-100"),
                   I("navpositiontop", 10, kNull, "-100"),
                   I0("auto", 1),
                   I0("popup", 1),
                   C("options", 255, kNN),
                   I("width", 10, kNN, "100"),
                   I("height", 10, kNN, "600"),
                   I0("timeopen"),
                   I0("timeclose"),
                   I0("timemodified"),
                   I("completionstatusrequired", 1, kNull),
                   I("completionscorerequired", 10, kNull),
                   I("completionstatusallscos", 1, kNull),
                   I0("autocommit", 1)},
                  {Ix("course", {"course"})}));

  t.push_back(Tbl("scorm_scoes",
                  {I0("scorm"), C("manifest", 255, kNN), C("organization", 255, kNN),
                   C("parent", 255, kNN), C("identifier", 255, kNN), T("launch", kNN),
                   C("scormtype", 5, kNN), C("title", 255, kNN), I0("sortorder")},
                  {Ix("scorm", {"scorm"})}));

  t.push_back(Tbl("scorm_attempt",
                  {I("userid", 10, kNN), I("scormid", 10, kNN), I("attempt", 10, kNN, "1")},
                  {Ix("user", {"userid"}), Ix("scorm", {"scormid"})}));

  t.push_back(
      Tbl("scorm_scoes_value",
          {I("scoid", 10, kNN), I("attemptid", 10, kNN), I("elementid", 10, kNN), T("value", kNN),
           I0("timemodified")},
          {Ix("scoe", {"scoid"}), Ix("attempt", {"attemptid"}), Ix("element", {"elementid"})}));
}

void AddSurveyAndChatTables(std::vector<TableDef>& t) {
  t.push_back(Tbl("survey",
                  {I0("course"), I0("template"), I0("days", 6), I0("timecreated"),
                   I0("timemodified"), C("name", 255, kNN), T("intro", kNN), I0("introformat", 4),
                   C("questions", 255, kNN), I0("completionsubmit", 1)},
                  {Ix("course", {"course"})}));

  t.push_back(
      Tbl("survey_answers",
          {I0("userid"), I0("survey"), I0("question"), I0("time"), T("answer1", kNN),
           T("answer2", kNN)},
          {Ix("survey", {"survey"}), Ix("question", {"question"}), Ix("userid", {"userid"})}));

  t.push_back(Tbl("survey_analysis", {I0("survey"), I0("userid"), T("notes", kNN)},
                  {Ix("survey", {"survey"}), Ix("userid", {"userid"})}));

  t.push_back(Tbl(
      "chat",
      {I0("course"), C("name", 255, kNN), T("intro", kNN), I0("introformat", 4), I0("keepdays", 11),
       I0("studentlogs", 4), I0("chattime"), I0("schedule", 4), I0("timemodified")},
      {Ix("course", {"course"})}));

  for (const char* name : {"chat_messages", "chat_messages_current"}) {
    t.push_back(Tbl(name,
                    {I0("chatid"), I0("userid"), I0("groupid"), I0("system", 1), T("message", kNN),
                     I0("timestamp")},
                    {Ix("chatid", {"chatid"}), Ix("userid", {"userid"}), Ix("groupid", {"groupid"}),
                     Ix("timestamp-chatid", {"timestamp", "chatid"})}));
  }

  t.push_back(Tbl("chat_users",
                  {I0("chatid", 11), I0("userid", 11), I0("groupid", 11), C("version", 16, kNN),
                   C("ip", 45, kNN), I0("firstping"), I0("lastping"), I0("lastmessageping"),
                   C("sid", 32, kNN), I0("course"), C("lang", 30, kNN)},
                  {Ix("chatid", {"chatid"}), Ix("userid", {"userid"}), Ix("lastping", {"lastping"}),
                   Ix("groupid", {"groupid"})}));
}

// The tool's own table: one row per run of a task.
void AddToolTables(std::vector<TableDef>& t) {
  t.push_back(Tbl("tool_sync_runs",
                  {C("task", 20, kNN), C("filename", 255, kNN), C("startedby", 100, kNN),
                   I("timestart", 10, kNN), I0("timeend"), I0("simulate", 1),
                   // 'running', 'completed', 'failed', 'interrupted'
                   C("status", 20, kNN), I0("exitcode", 4), T("totals", kNN),  // JSON
                   C("report", 255, kNull), C("tryback", 255, kNull), T("message", kNull)},
                  {Ix("task", {"task"}), Ix("timestart", {"timestart"})}));
  // API tokens of the web console (src/web/api_tokens.h): only a SHA-256 of each token is kept.
  t.push_back(Tbl("tool_sync_tokens",
                  {C("name", 100, kNN), C("tokenhash", 64, kNN), I0("timecreated"), I0("lastused"),
                   I0("revoked", 1)},
                  {Uix("tokenhash", {"tokenhash"})}));
}

// Moodle's sql_generator::getNameForObject(): the first 4 characters of each `_`-separated part
// of the table name, `_`, the first 3 characters of each field.
std::string MoodleStem(const std::string& table, const std::vector<std::string>& columns) {
  std::string stem;
  size_t start = 0;
  while (start <= table.size()) {
    size_t end = table.find('_', start);
    if (end == std::string::npos) end = table.size();
    stem += table.substr(start, std::min<size_t>(4, end - start));
    start = end + 1;
  }
  stem += '_';
  for (const auto& c : columns) stem += c.substr(0, 3);
  return stem;
}

// Resolve physical index names across the whole schema in table order, appending a counter on
// collision exactly as Moodle does within one install (user: las, las2, las3).
void AssignStems(std::vector<TableDef>& tables) {
  std::set<std::string> used;
  for (auto& t : tables) {
    for (auto& idx : t.indexes) {
      std::string base = MoodleStem(t.name, idx.columns);
      std::string suffix = idx.unique ? "_uix" : "_ix";
      std::string stem = base;
      for (int counter = 2; used.count(stem + suffix); ++counter) {
        stem = base + std::to_string(counter);
      }
      used.insert(stem + suffix);
      idx.stem = stem;
    }
  }
}

}  // namespace

std::vector<TableDef> BuildTables() {
  std::vector<TableDef> t;
  AddCoreTables(t);
  AddEventUserRoleTables(t);
  AddGradeTables(t);
  AddGroupMiscTables(t);
  AddForumTables(t);
  AddAssignTables(t);
  AddQuizTables(t);
  AddGlossaryTables(t);
  AddDataTables(t);
  AddChoiceTables(t);
  AddLessonTables(t);
  AddScormTables(t);
  AddSurveyAndChatTables(t);
  AddToolTables(t);
  AssignStems(t);
  return t;
}

}  // namespace cs::store
