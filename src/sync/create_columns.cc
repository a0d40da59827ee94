#include "sync/create_columns.h"

#include <set>

#include "sync/errors.h"
#include "sync/values.h"

namespace cs::sync {
namespace {

const std::map<std::string, CreateCol>& Plain() {
  static const std::map<std::string, CreateCol> m = {
      {"shortname", CreateCol::kShortname},
      {"fullname", CreateCol::kFullname},
      {"idnumber", CreateCol::kIdnumber},
      {"id", CreateCol::kId},
      {"category", CreateCol::kCategory},
      {"summary", CreateCol::kSummary},
      {"format", CreateCol::kFormat},
      {"startdate", CreateCol::kStartdate},
      {"enddate", CreateCol::kEnddate},
      {"visible", CreateCol::kVisible},
      {"showgrades", CreateCol::kShowgrades},
      {"newsitems", CreateCol::kNewsitems},
      {"maxbytes", CreateCol::kMaxbytes},
      {"showreports", CreateCol::kShowreports},
      {"groupmode", CreateCol::kGroupmode},
      {"groupmodeforce", CreateCol::kGroupmodeforce},
      {"lang", CreateCol::kLang},
      {"theme", CreateCol::kTheme},
      {"enablecompletion", CreateCol::kEnablecompletion},
      {"self", CreateCol::kSelf},
      {"guest", CreateCol::kGuest},
      {"template", CreateCol::kTemplate},
      {"numsections", CreateCol::kNumsections},
      {"marker", CreateCol::kMarker},
      {"legacyfiles", CreateCol::kLegacyfiles},
      {"visibleold", CreateCol::kVisibleold},
      {"coursedisplay", CreateCol::kCoursedisplay},
      {"hiddensections", CreateCol::kHiddensections},
      {"defaultgroupingid", CreateCol::kDefaultgroupingid},
      {"timecreated", CreateCol::kTimecreated},
      {"timemodified", CreateCol::kTimemodified},
      {"sortorder", CreateCol::kSortorder},
  };
  return m;
}

// "12" -> 12, rejecting leading zeros and non-digits; -1 when not a number.
int SmallNumber(const std::string& s) {
  if (s.empty() || s.size() > 4 || (s.size() > 1 && s[0] == '0')) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

const std::vector<std::string>& CourseFormats() {
  static const std::vector<std::string> f = {"topics", "weeks", "social", "singleactivity"};
  return f;
}

std::vector<HeaderColumn> ParseCreateHeader(const std::vector<std::string>& fields,
                                            const std::string& file, int64_t line) {
  const std::string at_line = file + ": line " + std::to_string(line);
  std::vector<HeaderColumn> cols;
  std::set<std::string> seen;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string name = Lower(Trim(fields[i]));
    std::string where = at_line + ", column " + std::to_string(i + 1) + ": ";
    if (name.empty()) throw Rejected(where + "empty column name in the header");
    if (!seen.insert(name).second) {
      throw Rejected(where + "column '" + Excerpt(name) + "' appears twice");
    }
    HeaderColumn hc;
    hc.name = name;
    auto it = Plain().find(name);
    if (it != Plain().end()) {
      hc.col = it->second;
    } else if (name.rfind("topic", 0) == 0 && SmallNumber(name.substr(5)) >= 0 &&
               SmallNumber(name.substr(5)) <= 52) {
      hc.col = CreateCol::kTopic;
      hc.index = SmallNumber(name.substr(5));
    } else if (name.rfind("teacher", 0) == 0 && name.find('_') != std::string::npos) {
      size_t us = name.find('_');
      int n = SmallNumber(name.substr(7, us - 7));
      std::string suffix = name.substr(us + 1);
      if (n < 1 || (suffix != "account" && suffix != "role")) {
        throw Rejected(where + "unknown column '" + Excerpt(fields[i]) + "'");
      }
      hc.col = suffix == "account" ? CreateCol::kTeacherAccount : CreateCol::kTeacherRole;
      hc.index = n;
    } else {
      throw Rejected(where + "unknown column '" + Excerpt(Trim(fields[i])) +
                     "' (see docs/FILES.md for the columns of the creation file)");
    }
    cols.push_back(hc);
  }
  for (const char* req : {"shortname", "fullname"}) {
    if (!seen.count(req)) {
      throw Rejected(at_line + ": required column '" + std::string(req) + "' is missing");
    }
  }
  // A teacher role without its account is meaningless.
  for (const auto& c : cols) {
    if (c.col == CreateCol::kTeacherRole &&
        !seen.count("teacher" + std::to_string(c.index) + "_account")) {
      throw Rejected(at_line + ": column '" + c.name + "' needs a column 'teacher" +
                     std::to_string(c.index) + "_account'");
    }
  }
  return cols;
}

}  // namespace cs::sync
