// The course category tree, held in memory for a run: lookups by id, idnumber and path, creation
// with Moodle's invariants (path /1/5/9, depth, context, sortorder block), and Moodle's
// fix_course_sortorder() (moodle_core.md §2.5), the single repair routine run after changes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/db.h"
#include "sync/contexts.h"

namespace cs::sync {

constexpr int64_t kMaxCoursesInCategory = 10000;
// The deepest category a path may name. A context's path (/1/<category contexts>/<course>/<module>)
// is a VARCHAR(255): 20 levels leave room for the course and module contexts below with ids of up
// to 9 digits.
constexpr int kMaxCategoryDepth = 20;

struct Category {
  int64_t id = 0;
  std::string name;
  std::string idnumber;
  int64_t parent = 0;
  int64_t sortorder = 0;
  int64_t coursecount = 0;
  int visible = 1;
  int64_t depth = 0;
  std::string path;
  ContextRef context;
};

class CategoryTree {
 public:
  explicit CategoryTree(store::Db& db);

  const Category* Get(int64_t id) const;
  // Every category with this idnumber (more than one is an ambiguity the caller reports).
  std::vector<const Category*> ByIdnumber(const std::string& idnumber) const;
  const Category* FindChild(int64_t parent, const std::string& name) const;
  std::vector<const Category*> Children(int64_t parent) const;
  // Every category below `id` (not including it), depth first.
  std::vector<int64_t> Descendants(int64_t id) const;
  std::vector<const Category*> All() const;

  // Resolves a split path from the top level, creating the missing categories (visible per
  // `visible`, hidden when the parent is hidden). `created` is incremented per category made.
  const Category& EnsurePath(const std::vector<std::string>& parts, bool visible, int* created);
  // Looks a split path up without creating anything; nullptr when any part is missing.
  const Category* FindPath(const std::vector<std::string>& parts) const;
  // `planned_sortorder` (0: none): see PlanSortorder.
  const Category& Create(int64_t parent, const std::string& name, bool visible,
                         int64_t planned_sortorder = 0);
  // The sort order to give the category at `path_key` (PathKey of its path) when EnsurePath
  // creates it: its place once FixCourseSortorder has run, foreseen by a first pass over a file.
  // Used only when it is above every sibling's sort order (siblings stay in creation order);
  // otherwise the category is appended, as without a plan.
  void PlanSortorder(std::string path_key, int64_t sortorder);
  // The first `n` parts of a split path as one key (parts joined with '\0').
  static std::string PathKey(const std::vector<std::string>& parts, size_t n);
  // Deletes an empty category (no course, no child) with its context.
  void Remove(int64_t id);

  // Names from the top joined with '/', a '/' inside a name written '\/'.
  std::string PathOf(int64_t id) const;
  // The default category: id 1 when it exists, else the lowest top-level id, else 0.
  int64_t DefaultId() const;

  // Splits "A / B\/C / D" into {"A", "B/C", "D"}: parts trimmed, "\/" a literal slash, leading
  // and trailing '/' ignored. Throws std::invalid_argument on an empty part, a part longer than
  // 255 bytes, or more than kMaxCategoryDepth parts.
  static std::vector<std::string> SplitPath(std::string_view path);
  static std::string EscapeName(const std::string& name);

 private:
  store::Db& db_;
  Contexts contexts_;
  std::unordered_map<int64_t, Category> cats_;
  std::map<std::pair<int64_t, std::string>, int64_t> by_parent_name_;
  std::unordered_multimap<std::string, int64_t> by_idnumber_;
  int64_t max_sortorder_ = 0;
  std::unordered_map<std::string, int64_t> planned_;  // path key -> sort order (PlanSortorder)
  std::unordered_map<int64_t, int64_t> max_child_sortorder_;  // parent -> its children's largest
  std::unique_ptr<store::Stmt> insert_;
};

// Moodle's fix_course_sortorder(): category sortorders renumbered depth-first (10000 apart),
// depth/path/parent repaired, coursecount recomputed, course sortorders put in their category's
// block (new courses, inserted at their category's sortorder, come first, newest first).
void FixCourseSortorder(store::Db& db);

}  // namespace cs::sync
