// The columns of the course creation/update file (tool_sync.md §2.1.2, with its bugs fixed):
// header parsing and per-value validation. A bad header rejects the file; a bad value rejects
// its line with the line, column and reason.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cs::sync {

enum class CreateCol {
  kShortname,
  kFullname,
  kIdnumber,
  kId,
  kCategory,
  kSummary,
  kFormat,
  kStartdate,
  kEnddate,
  kVisible,
  kShowgrades,
  kNewsitems,
  kMaxbytes,
  kShowreports,
  kGroupmode,
  kGroupmodeforce,
  kLang,
  kTheme,
  kEnablecompletion,
  kSelf,
  kGuest,
  kTemplate,
  kNumsections,
  kMarker,
  kLegacyfiles,
  kVisibleold,
  kCoursedisplay,
  kHiddensections,
  kDefaultgroupingid,
  kTimecreated,
  kTimemodified,
  kSortorder,
  kTopic,           // topicN, index = N
  kTeacherAccount,  // teacherN_account, index = N
  kTeacherRole,     // teacherN_role, index = N
};

struct HeaderColumn {
  CreateCol col;
  int index = 0;     // N of topicN / teacherN_*
  std::string name;  // as normalised (lowercase)
};

// Parses the header fields (the header is on physical line `line`, after any comment lines);
// throws Rejected naming the file, line, column number and problem for an empty, unknown or
// duplicated name, or a missing shortname/fullname.
std::vector<HeaderColumn> ParseCreateHeader(const std::vector<std::string>& fields,
                                            const std::string& file, int64_t line = 1);

// The course formats a course may use (the site format is not one of them).
const std::vector<std::string>& CourseFormats();

}  // namespace cs::sync
