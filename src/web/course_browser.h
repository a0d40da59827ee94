// The course browser of the generator pages: one page of courses at a time straight from SQL
// (category with its subcategories, a search on shortname, full name and idnumber), so that it
// stays quick with 100,000 courses; the site course is never listed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace cs::web {

struct CourseQuery {
  std::optional<int64_t> category;  // with its subcategories
  std::string search;               // substring, case-insensitive (ASCII)
  int64_t offset = 0;
  int64_t limit = 50;
};

struct CourseRow {
  int64_t id = 0;
  std::string shortname, fullname, idnumber;
  int64_t category = 0;
  bool visible = true;
};

struct CoursePage {
  int64_t total = 0;
  std::vector<CourseRow> rows;
};

CoursePage BrowseCourses(store::Db& db, const CourseQuery& q);
// The ids of every course the query matches (no paging), for "select all on this filter".
std::vector<int64_t> MatchingCourseIds(store::Db& db, const CourseQuery& q);

}  // namespace cs::web
