// A first pass over a creation file (when it is a regular file, not standard input): where the
// categories the run will create, and the courses it will put in them, sit once Moodle's
// fix_course_sortorder() has run, so that they are written there and FixCourseSortorder, run
// after the lines as always, has nothing to renumber (100,000 new courses: 0.3 s of UPDATEs).
//
// The plan only chooses the sort order values written before that repair; the repair decides
// the final state. A plan that turns out wrong (a line that fails, a template's category, a
// category path written two ways) costs the UPDATEs it was meant to save, never a different
// result: categories take a planned value only above their siblings' (CategoryTree keeps them
// in creation order), and a category's new courses take decreasing values in creation order,
// the order the repair gives them (newest first).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "csv/reader.h"
#include "sync/categories.h"
#include "sync/course_index.h"
#include "sync/create_columns.h"

namespace cs::sync {

struct SortorderPlan {
  // New categories, by CategoryTree::PathKey: the sort order FixCourseSortorder will give them.
  std::unordered_map<std::string, int64_t> category_sortorder;
  // New categories, by path key: how many of the file's new courses go there (fewer than
  // kMaxCoursesInCategory; a category with more is left to the repair).
  std::unordered_map<std::string, int64_t> new_courses;
};

// Reads `reader` (positioned at the start of the file: its header is read again and skipped).
// A line counts as a new course when it has the header's width, an identifier that no course has
// and no earlier line gave, no template without a category, and a category path (idname mode)
// naming at least one missing category. Empty plan when the existing tree is not numbered as
// FixCourseSortorder numbers it (the repair then renumbers anyway), in idnumber mode (no
// category is created), or on a reading error (the main pass reports it).
SortorderPlan PlanCreationSortorder(csv::Reader& reader, const std::vector<HeaderColumn>& header,
                                    const std::string& identifier, const CourseIndex& courses,
                                    const CategoryTree& cats, const std::string& category_mode);

}  // namespace cs::sync
