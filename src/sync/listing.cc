#include "sync/listing.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "sync/categories.h"
#include "sync/errors.h"

namespace cs::sync {

int64_t ResolveCategoryArg(store::Db& db, const std::string& arg) {
  CategoryTree tree(db);
  bool digits =
      !arg.empty() && arg.size() < 18 &&
      std::all_of(arg.begin(), arg.end(), [](unsigned char c) { return std::isdigit(c); });
  if (digits) {
    if (!tree.Get(std::stoll(arg))) throw Rejected("no category with id " + arg);
    return std::stoll(arg);
  }
  std::vector<std::string> parts;
  try {
    parts = CategoryTree::SplitPath(arg);
  } catch (const std::invalid_argument& e) {
    throw Rejected(std::string("bad category path: ") + e.what());
  }
  const Category* c = tree.FindPath(parts);
  if (!c) throw Rejected("no category with path '" + arg + "'");
  return c->id;
}

nlohmann::json ListCourses(store::Db& db, const CourseFilter& filter) {
  CategoryTree tree(db);
  std::set<int64_t> cats;
  if (filter.category) {
    cats.insert(*filter.category);
    for (int64_t d : tree.Descendants(*filter.category)) cats.insert(d);
  }
  std::set<int64_t> ids(filter.ids.begin(), filter.ids.end());
  std::unordered_map<int64_t, int64_t> sections;
  {
    auto st = db.Prepare("SELECT course, COUNT(*) FROM {course_sections} GROUP BY course");
    while (st->Step()) sections[st->Int(0)] = st->Int(1);
  }
  std::unordered_map<int64_t, nlohmann::json> enrols;
  {
    auto st = db.Prepare(
        "SELECT courseid, enrol, status, customint1 FROM {enrol} ORDER BY courseid, sortorder, id");
    while (st->Step()) {
      nlohmann::json e;
      e["enrol"] = st->Text(1);
      e["status"] = st->Int(2);
      e["customint1"] = st->IsNull(3) ? nlohmann::json(nullptr) : nlohmann::json(st->Int(3));
      enrols[st->Int(0)].push_back(std::move(e));
    }
  }
  std::unordered_map<int64_t, std::string> paths;
  auto st = db.Prepare(
      "SELECT c.id, c.shortname, c.idnumber, c.fullname, c.category, c.visible, c.format, "
      "c.startdate, c.enddate, c.summary FROM {course} c "
      "LEFT JOIN {course_categories} cc ON cc.id = c.category ORDER BY cc.sortorder, c.sortorder, "
      "c.id");
  nlohmann::json out = nlohmann::json::array();
  while (st->Step()) {
    int64_t id = st->Int(0);
    if (id == 1 && !filter.include_site) continue;
    int64_t category = st->Int(4);
    if (filter.category && !cats.count(category)) continue;
    if (!ids.empty() && !ids.count(id)) continue;
    std::string shortname = st->Text(1);
    if (!filter.match.empty() && fnmatch(filter.match.c_str(), shortname.c_str(), 0) != 0) continue;
    auto pit = paths.find(category);
    if (pit == paths.end()) pit = paths.emplace(category, tree.PathOf(category)).first;
    nlohmann::json c;
    c["id"] = id;
    c["shortname"] = shortname;
    c["idnumber"] = st->Text(2);
    c["fullname"] = st->Text(3);
    c["category"] = category;
    c["categorypath"] = pit->second;
    c["visible"] = st->Int(5);
    c["format"] = st->Text(6);
    c["startdate"] = st->Int(7);
    c["enddate"] = st->Int(8);
    c["summary"] = st->Text(9);
    c["sections"] = sections.count(id) ? sections[id] : 0;
    auto eit = enrols.find(id);
    c["enrol"] = eit == enrols.end() ? nlohmann::json::array() : eit->second;
    out.push_back(std::move(c));
  }
  return out;
}

nlohmann::json ListCategories(store::Db& db) {
  CategoryTree tree(db);
  nlohmann::json out = nlohmann::json::array();
  for (const Category* c : tree.All()) {
    nlohmann::json j;
    j["id"] = c->id;
    j["name"] = c->name;
    j["idnumber"] = c->idnumber;
    j["parent"] = c->parent;
    j["path"] = tree.PathOf(c->id);
    j["depth"] = c->depth;
    j["visible"] = c->visible;
    j["coursecount"] = c->coursecount;
    out.push_back(std::move(j));
  }
  return out;
}

std::string CoursesText(const nlohmann::json& courses) {
  std::ostringstream o;
  for (const auto& c : courses) {
    o << c["id"].get<int64_t>() << "\t" << c["shortname"].get<std::string>() << "\t"
      << c["idnumber"].get<std::string>() << "\t" << c["fullname"].get<std::string>() << "\t"
      << c["categorypath"].get<std::string>() << (c["visible"].get<int64_t>() ? "" : "\t(hidden)")
      << "\n";
  }
  o << courses.size() << " course(s)\n";
  return o.str();
}

std::string CategoriesText(const nlohmann::json& categories) {
  std::ostringstream o;
  for (const auto& c : categories) {
    o << c["id"].get<int64_t>() << "\t" << c["path"].get<std::string>() << "\t"
      << c["coursecount"].get<int64_t>() << " course(s)"
      << (c["visible"].get<int64_t>() ? "" : "\t(hidden)") << "\n";
  }
  o << categories.size() << " categor" << (categories.size() == 1 ? "y" : "ies") << "\n";
  return o.str();
}

}  // namespace cs::sync
