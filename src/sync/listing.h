// What the site holds, for `courses` / `categories` and the console (contract §5).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace cs::sync {

struct CourseFilter {
  std::optional<int64_t> category;  // with its subcategories
  std::string match;                // glob on shortname (fnmatch), empty = all
  std::vector<int64_t> ids;         // explicit ids, empty = all
  bool include_site = false;
};

// Courses in category-tree order, as the contract's JSON objects.
nlohmann::json ListCourses(store::Db& db, const CourseFilter& filter);
nlohmann::json ListCategories(store::Db& db);
// Resolve a --category argument: a numeric id, or a path A/B/C. Throws Rejected when unknown.
int64_t ResolveCategoryArg(store::Db& db, const std::string& arg);
// Plain-text renderings (one line per row).
std::string CoursesText(const nlohmann::json& courses);
std::string CategoriesText(const nlohmann::json& categories);

}  // namespace cs::sync
