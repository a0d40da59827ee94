#include "sync/create_sortorder_plan.h"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <unordered_set>

#include "sync/values.h"

namespace cs::sync {
namespace {

// A category the file will create: under an existing one (parent_new < 0) or under another new
// one, in the order the file first names them.
struct NewCategory {
  std::string key;
  int64_t parent_id = 0;
  int parent_new = -1;
};

// The existing tree's children lists, ordered as FixCourseSortorder orders them, or empty when
// the tree is not already numbered the way FixCourseSortorder numbers it (depth first, 10000
// apart, every category reached from the top): the plan then could not foresee the numbers.
std::unordered_map<int64_t, std::vector<const Category*>> CanonicalChildren(
    const CategoryTree& cats) {
  std::unordered_map<int64_t, std::vector<const Category*>> kids;
  std::vector<const Category*> all = cats.All();
  for (const Category* c : all) kids[c->parent].push_back(c);
  for (auto& [parent, list] : kids) {
    std::sort(list.begin(), list.end(), [](const Category* a, const Category* b) {
      return std::tie(a->sortorder, a->id) < std::tie(b->sortorder, b->id);
    });
  }
  int64_t counter = 0;
  size_t reached = 0;
  bool canonical = true;
  std::function<void(int64_t)> walk = [&](int64_t parent) {
    auto it = kids.find(parent);
    if (it == kids.end()) return;
    for (const Category* c : it->second) {
      ++reached;
      if (c->sortorder != ++counter * kMaxCoursesInCategory) canonical = false;
      walk(c->id);
    }
  };
  walk(0);
  if (!canonical || reached != all.size()) kids.clear();
  return kids;
}

}  // namespace

SortorderPlan PlanCreationSortorder(csv::Reader& reader, const std::vector<HeaderColumn>& header,
                                    const std::string& identifier, const CourseIndex& courses,
                                    const CategoryTree& cats, const std::string& category_mode) {
  SortorderPlan plan;
  if (category_mode != "idname") return plan;
  size_t ident_col = header.size(), cat_col = header.size();
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i].name == identifier) ident_col = i;
    if (header[i].col == CreateCol::kCategory) cat_col = i;
  }
  if (ident_col == header.size() || cat_col == header.size()) return plan;
  auto kids = CanonicalChildren(cats);
  if (kids.empty()) return plan;

  std::vector<NewCategory> created;
  std::unordered_map<std::string, int> created_index;
  std::unordered_map<std::string, std::string> leaf_of_cell;  // category cell -> new leaf key
  std::unordered_set<std::string> seen;
  try {
    csv::Record rec;
    if (!reader.Next(rec)) return plan;  // the header, read again
    while (reader.Next(rec)) {
      if (rec.fields.size() != header.size()) continue;
      std::string id = Trim(rec.fields[ident_col]);
      std::string cell = Trim(rec.fields[cat_col]);
      // No category: the default one, or the template's (both exist already).
      if (id.empty() || cell.empty() || ParseId(cell)) continue;
      if (courses.Find(identifier, id).course || !seen.insert(id).second) continue;
      auto known = leaf_of_cell.find(cell);
      if (known == leaf_of_cell.end()) {
        std::vector<std::string> parts;
        try {
          parts = CategoryTree::SplitPath(cell);
        } catch (const std::invalid_argument&) {
          parts.clear();
        }
        std::string leaf;  // stays "" when the path exists (or is invalid)
        int64_t parent_id = 0;
        int parent_new = -1;
        for (size_t i = 0; i < parts.size(); ++i) {
          if (parent_new < 0) {
            if (const Category* c = cats.FindChild(parent_id, parts[i])) {
              parent_id = c->id;
              continue;
            }
          }
          std::string key = CategoryTree::PathKey(parts, i + 1);
          auto [it, added] = created_index.emplace(key, static_cast<int>(created.size()));
          if (added) created.push_back({key, parent_id, parent_new});
          parent_new = it->second;
          leaf = key;
        }
        known = leaf_of_cell.emplace(cell, std::move(leaf)).first;
      }
      if (!known->second.empty()) ++plan.new_courses[known->second];
    }
  } catch (const csv::CsvError&) {
    return {};  // the main pass rejects the file
  }

  // Number the tree the run will leave, as FixCourseSortorder will: depth first, the existing
  // children of a category first (in their order), then its new ones in the file's order (they
  // are appended, so their sort orders are above their siblings').
  std::unordered_map<int, std::vector<int>> new_kids_of_new;
  std::unordered_map<int64_t, std::vector<int>> new_kids_of_existing;
  for (int i = 0; i < static_cast<int>(created.size()); ++i) {
    if (created[i].parent_new >= 0) {
      new_kids_of_new[created[i].parent_new].push_back(i);
    } else {
      new_kids_of_existing[created[i].parent_id].push_back(i);
    }
  }
  int64_t counter = 0;
  std::function<void(int)> walk_new;
  std::function<void(int64_t)> walk_existing = [&](int64_t parent) {
    if (auto it = kids.find(parent); it != kids.end()) {
      for (const Category* c : it->second) {
        ++counter;
        walk_existing(c->id);
      }
    }
    if (auto it = new_kids_of_existing.find(parent); it != new_kids_of_existing.end()) {
      for (int i : it->second) walk_new(i);
    }
  };
  walk_new = [&](int i) {
    plan.category_sortorder[created[i].key] = ++counter * kMaxCoursesInCategory;
    if (auto it = new_kids_of_new.find(i); it != new_kids_of_new.end()) {
      for (int child : it->second) walk_new(child);
    }
  };
  walk_existing(0);
  for (auto it = plan.new_courses.begin(); it != plan.new_courses.end();) {
    it = it->second < kMaxCoursesInCategory ? std::next(it) : plan.new_courses.erase(it);
  }
  return plan;
}

}  // namespace cs::sync
