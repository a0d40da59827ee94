#include "sync/categories.h"

#include <algorithm>
#include <ctime>
#include <functional>
#include <stdexcept>

#include "sync/row_batch.h"
#include "sync/values.h"

namespace cs::sync {
namespace {

std::string TrimSpaces(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

CategoryTree::CategoryTree(store::Db& db) : db_(db), contexts_(db) {
  auto st = db_.Prepare(
      "SELECT c.id, c.name, c.idnumber, c.parent, c.sortorder, c.coursecount, c.visible, c.depth, "
      "c.path, x.id, x.path, x.depth FROM {course_categories} c "
      "LEFT JOIN {context} x ON x.contextlevel = 40 AND x.instanceid = c.id");
  while (st->Step()) {
    Category c;
    c.id = st->Int(0);
    c.name = st->Text(1);
    c.idnumber = st->Text(2);
    c.parent = st->Int(3);
    c.sortorder = st->Int(4);
    c.coursecount = st->Int(5);
    c.visible = static_cast<int>(st->Int(6));
    c.depth = st->Int(7);
    c.path = st->Text(8);
    if (!st->IsNull(9)) c.context = ContextRef{st->Int(9), st->Text(10), st->Int(11)};
    max_sortorder_ = std::max(max_sortorder_, c.sortorder);
    int64_t& sibling_max = max_child_sortorder_[c.parent];
    sibling_max = std::max(sibling_max, c.sortorder);
    by_parent_name_[{c.parent, c.name}] = c.id;
    if (!c.idnumber.empty()) by_idnumber_.emplace(c.idnumber, c.id);
    cats_.emplace(c.id, std::move(c));
  }
}

const Category* CategoryTree::Get(int64_t id) const {
  auto it = cats_.find(id);
  return it == cats_.end() ? nullptr : &it->second;
}

std::vector<const Category*> CategoryTree::ByIdnumber(const std::string& idnumber) const {
  std::vector<const Category*> out;
  auto [b, e] = by_idnumber_.equal_range(idnumber);
  for (auto it = b; it != e; ++it) out.push_back(Get(it->second));
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id < b->id; });
  return out;
}

const Category* CategoryTree::FindChild(int64_t parent, const std::string& name) const {
  auto it = by_parent_name_.find({parent, name});
  return it == by_parent_name_.end() ? nullptr : Get(it->second);
}

std::vector<const Category*> CategoryTree::Children(int64_t parent) const {
  std::vector<const Category*> out;
  for (const auto& [id, c] : cats_) {
    if (c.parent == parent) out.push_back(&c);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) {
    return std::tie(a->sortorder, a->id) < std::tie(b->sortorder, b->id);
  });
  return out;
}

std::vector<int64_t> CategoryTree::Descendants(int64_t id) const {
  std::vector<int64_t> out;
  std::function<void(int64_t)> walk = [&](int64_t p) {
    for (const Category* c : Children(p)) {
      out.push_back(c->id);
      walk(c->id);
    }
  };
  walk(id);
  return out;
}

std::vector<const Category*> CategoryTree::All() const {
  std::vector<const Category*> out;
  std::function<void(int64_t)> walk = [&](int64_t p) {
    for (const Category* c : Children(p)) {
      out.push_back(c);
      walk(c->id);
    }
  };
  walk(0);
  // Orphans (parent missing) last, so nothing is hidden from listings.
  if (out.size() != cats_.size()) {
    for (const auto& [id, c] : cats_) {
      if (std::find(out.begin(), out.end(), &c) == out.end()) out.push_back(&c);
    }
  }
  return out;
}

const Category& CategoryTree::Create(int64_t parent, const std::string& name, bool visible,
                                     int64_t planned_sortorder) {
  const Category* p = parent ? Get(parent) : nullptr;
  if (parent && !p)
    throw std::invalid_argument("parent category " + std::to_string(parent) + " does not exist");
  if (!insert_) {
    insert_ = db_.Prepare(
        "INSERT INTO {course_categories} (id, name, idnumber, description, descriptionformat, "
        "parent, sortorder, coursecount, visible, visibleold, timemodified, depth, path) "
        "VALUES (?, ?, NULL, NULL, 0, ?, ?, 0, ?, 1, ?, ?, ?)");
  }
  Category c;
  c.id = db_.NextId("course_categories");
  c.name = name;
  c.parent = parent;
  c.depth = p ? p->depth + 1 : 1;
  c.visible = (visible && (!p || p->visible)) ? 1 : 0;
  // Appended (FixCourseSortorder renumbers), or at its planned place when that is above every
  // sibling's: siblings, which FixCourseSortorder orders by sort order, stay in creation order.
  int64_t& sibling_max = max_child_sortorder_[parent];
  if (planned_sortorder > sibling_max) {
    c.sortorder = planned_sortorder;
    max_sortorder_ = std::max(max_sortorder_, planned_sortorder);
  } else {
    max_sortorder_ += kMaxCoursesInCategory;
    c.sortorder = max_sortorder_;
  }
  sibling_max = std::max(sibling_max, c.sortorder);
  c.path = (p ? p->path : std::string()) + "/" + std::to_string(c.id);
  insert_->Send(c.id, name, parent, c.sortorder, static_cast<int64_t>(c.visible),
                static_cast<int64_t>(std::time(nullptr)), c.depth, c.path);
  ContextRef parent_ctx = p ? p->context : contexts_.System();
  c.context = contexts_.Create(kContextCoursecat, c.id, parent_ctx);
  by_parent_name_[{c.parent, c.name}] = c.id;
  auto [it, ok] = cats_.emplace(c.id, std::move(c));
  return it->second;
}

const Category& CategoryTree::EnsurePath(const std::vector<std::string>& parts, bool visible,
                                         int* created) {
  if (parts.empty()) throw std::invalid_argument("empty category path");
  int64_t parent = 0;
  const Category* cur = nullptr;
  for (size_t i = 0; i < parts.size(); ++i) {
    cur = FindChild(parent, parts[i]);
    if (!cur) {
      int64_t planned = 0;
      if (!planned_.empty()) {
        auto it = planned_.find(PathKey(parts, i + 1));
        if (it != planned_.end()) planned = it->second;
      }
      cur = &Create(parent, parts[i], visible, planned);
      if (created) ++*created;
    }
    parent = cur->id;
  }
  return *cur;
}

void CategoryTree::PlanSortorder(std::string path_key, int64_t sortorder) {
  planned_[std::move(path_key)] = sortorder;
}

std::string CategoryTree::PathKey(const std::vector<std::string>& parts, size_t n) {
  std::string key;
  for (size_t i = 0; i < n && i < parts.size(); ++i) {
    if (i) key += '\0';
    key += parts[i];
  }
  return key;
}

const Category* CategoryTree::FindPath(const std::vector<std::string>& parts) const {
  int64_t parent = 0;
  const Category* cur = nullptr;
  for (const auto& part : parts) {
    cur = FindChild(parent, part);
    if (!cur) return nullptr;
    parent = cur->id;
  }
  return cur;
}

void CategoryTree::Remove(int64_t id) {
  const Category* c = Get(id);
  if (!c) return;
  if (c->context.id) contexts_.DeleteSubtree(c->context);
  db_.Execute("DELETE FROM {course_categories} WHERE id=?", id);
  by_parent_name_.erase({c->parent, c->name});
  auto [b, e] = by_idnumber_.equal_range(c->idnumber);
  for (auto it = b; it != e; ++it) {
    if (it->second == id) {
      by_idnumber_.erase(it);
      break;
    }
  }
  cats_.erase(id);
}

std::string CategoryTree::EscapeName(const std::string& name) {
  std::string out;
  for (char ch : name) {
    if (ch == '/') out += '\\';
    out += ch;
  }
  return out;
}

std::string CategoryTree::PathOf(int64_t id) const {
  std::vector<const Category*> chain;
  for (const Category* c = Get(id); c && chain.size() < 1000;
       c = c->parent ? Get(c->parent) : nullptr) {
    chain.push_back(c);
  }
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!out.empty()) out += '/';
    out += EscapeName((*it)->name);
  }
  return out;
}

int64_t CategoryTree::DefaultId() const {
  if (Get(1)) return 1;
  int64_t best = 0;
  for (const auto& [id, c] : cats_) {
    if (c.parent == 0 && (best == 0 || id < best)) best = id;
  }
  return best;
}

std::vector<std::string> CategoryTree::SplitPath(std::string_view path) {
  std::vector<std::string> parts;
  std::string cur;
  bool any = false;
  auto flush = [&](bool last) {
    std::string t = TrimSpaces(cur);
    cur.clear();
    if (t.empty()) {
      // Leading/trailing '/' are ignored; an empty part elsewhere is an error.
      if ((parts.empty() && !any) || last) return;
      throw std::invalid_argument("empty category name in path '" + Excerpt(path) + "'");
    }
    if (t.size() > 255) {
      throw std::invalid_argument("category name longer than 255 bytes in path");
    }
    parts.push_back(std::move(t));
  };
  for (size_t i = 0; i < path.size(); ++i) {
    char ch = path[i];
    if (ch == '\\' && i + 1 < path.size() && path[i + 1] == '/') {
      cur += '/';
      any = true;
      ++i;
    } else if (ch == '/') {
      flush(false);
    } else {
      cur += ch;
      if (ch != ' ' && ch != '\t') any = true;
    }
  }
  flush(true);
  if (parts.empty()) throw std::invalid_argument("empty category path");
  if (parts.size() > static_cast<size_t>(kMaxCategoryDepth)) {
    throw std::invalid_argument("category path of " + std::to_string(parts.size()) +
                                " levels: at most " + std::to_string(kMaxCategoryDepth) +
                                " are allowed (Moodle's context paths hold 255 characters)");
  }
  return parts;
}

void FixCourseSortorder(store::Db& db) {
  struct Cat {
    int64_t id, parent, sortorder, depth;
    std::string path;
  };
  std::unordered_map<int64_t, Cat> cats;
  {
    auto st = db.Prepare("SELECT id, parent, sortorder, depth, path FROM {course_categories}");
    while (st->Step()) {
      Cat c{st->Int(0), st->Int(1), st->Int(2), st->Int(3), st->Text(4)};
      cats.emplace(c.id, c);
    }
  }
  std::unordered_map<int64_t, std::vector<int64_t>> children;
  for (auto& [id, c] : cats) {
    int64_t parent = (c.parent && cats.count(c.parent)) ? c.parent : 0;
    children[parent].push_back(id);
  }
  auto key = [&](int64_t id) {
    const Cat& c = cats.at(id);
    return std::make_pair(
        c.sortorder == 0 ? kMaxCoursesInCategory * kMaxCoursesInCategory : c.sortorder, id);
  };
  for (auto& [p, v] : children) {
    std::sort(v.begin(), v.end(), [&](int64_t a, int64_t b) { return key(a) < key(b); });
  }
  auto upd_cat = db.Prepare(
      "UPDATE {course_categories} SET sortorder=?, parent=?, depth=?, path=? WHERE id=?");
  std::unordered_map<int64_t, int64_t> new_sort;
  int64_t counter = 0;
  bool paths_changed = false;
  std::function<void(int64_t, int64_t, const std::string&)> walk =
      [&](int64_t parent, int64_t depth, const std::string& ppath) {
        auto it = children.find(parent);
        if (it == children.end()) return;
        for (int64_t id : it->second) {
          Cat& c = cats.at(id);
          int64_t so = ++counter * kMaxCoursesInCategory;
          std::string path = ppath + "/" + std::to_string(id);
          if (c.sortorder != so || c.parent != parent || c.depth != depth || c.path != path) {
            if (c.path != path || c.parent != parent) paths_changed = true;
            upd_cat->Send(so, parent, depth, path, id);
          }
          new_sort[id] = so;
          walk(id, depth + 1, path);
        }
      };
  walk(0, 1, "");

  if (paths_changed) {
    // Rebuild category context paths top-down (rare: only after a broken tree was repaired).
    Contexts ctx(db);
    auto sys = ctx.System();
    std::function<void(int64_t, const ContextRef&)> fixctx = [&](int64_t parent,
                                                                 const ContextRef& pctx) {
      auto it = children.find(parent);
      if (it == children.end()) return;
      for (int64_t id : it->second) {
        auto c = ctx.Find(kContextCoursecat, id);
        ContextRef moved = c ? ctx.Move(*c, pctx) : ctx.Create(kContextCoursecat, id, pctx);
        fixctx(id, moved);
      }
    };
    fixctx(0, sys);
  }

  // Courses: category 0 is only for the site course.
  int64_t first_top = children.count(0) && !children[0].empty() ? children[0].front() : 0;
  struct Course {
    int64_t id, category, sortorder;
  };
  std::vector<Course> courses;
  {
    auto st = db.Prepare("SELECT id, category, sortorder FROM {course}");
    while (st->Step()) courses.push_back({st->Int(0), st->Int(1), st->Int(2)});
  }
  auto upd_course = db.Prepare("UPDATE {course} SET sortorder=? WHERE id=?");
  auto move_course = db.Prepare("UPDATE {course} SET category=?, sortorder=? WHERE id=?");
  std::unordered_map<int64_t, std::vector<std::pair<int64_t, int64_t>>> per_cat;  // eff, id
  std::unordered_map<int64_t, int64_t> current;
  for (auto& c : courses) {
    current[c.id] = c.sortorder;
    if (c.category == 0 || !new_sort.count(c.category)) {
      if (c.id == 1) {
        if (c.sortorder != 1) upd_course->Send(int64_t{1}, c.id);
        continue;
      }
      if (!first_top) continue;
      c.category = first_top;
      move_course->Send(first_top, new_sort[first_top], c.id);
      current[c.id] = new_sort[first_top];
      c.sortorder = new_sort[first_top];
    }
    int64_t base = new_sort[c.category];
    int64_t eff = c.sortorder;
    if (eff <= base || eff > base + kMaxCoursesInCategory) {
      eff = c.sortorder % kMaxCoursesInCategory + base;
    }
    per_cat[c.category].emplace_back(eff, c.id);
  }
  auto upd_count = db.Prepare("UPDATE {course_categories} SET coursecount=? WHERE id=?");
  std::unordered_map<int64_t, int64_t> counts;
  {
    auto st = db.Prepare("SELECT id, coursecount FROM {course_categories}");
    while (st->Step()) counts[st->Int(0)] = st->Int(1);
  }
  // New sort orders, many courses per statement (a run that creates thousands of courses
  // renumbers thousands).
  RowBatch renumber(db, "WITH v(id, s) AS (VALUES ", "(CAST(? AS BIGINT), CAST(? AS BIGINT))", 256,
                    ") UPDATE {course} SET sortorder = v.s FROM v WHERE {course}.id = v.id");
  std::vector<std::pair<int64_t, int64_t>> changes;  // id, new sortorder
  for (auto& [cat, list] : per_cat) {
    // Sortorder ascending, newest first among equals (a new course goes to the top).
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second > b.second;
    });
    int64_t base = new_sort[cat];
    int64_t i = 0;
    for (const auto& [eff, id] : list) {
      int64_t want = base + (++i);
      if (current[id] != want) changes.emplace_back(id, want);
    }
  }
  // In id order: the course rows are visited page after page instead of a category's courses
  // (spread over the whole table) at a time, which re-read pages the cache had let go.
  std::sort(changes.begin(), changes.end());
  for (const auto& [id, want] : changes) renumber.Add({id, want});
  renumber.Flush();
  for (const auto& [id, n] : counts) {
    auto it = per_cat.find(id);
    int64_t want = it == per_cat.end() ? 0 : static_cast<int64_t>(it->second.size());
    if (n != want) upd_count->Send(want, id);
  }
}

}  // namespace cs::sync
