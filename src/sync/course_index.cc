#include "sync/course_index.h"

#include <algorithm>

namespace cs::sync {
namespace {

void EraseValue(std::unordered_multimap<std::string, int64_t>& m, const std::string& k,
                int64_t id) {
  auto [b, e] = m.equal_range(k);
  for (auto it = b; it != e; ++it) {
    if (it->second == id) {
      m.erase(it);
      return;
    }
  }
}

std::vector<const CourseRow*> Collect(const std::unordered_multimap<std::string, int64_t>& m,
                                      const std::string& k, const CourseIndex& idx) {
  std::vector<const CourseRow*> out;
  auto [b, e] = m.equal_range(k);
  for (auto it = b; it != e; ++it) out.push_back(idx.ById(it->second));
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id < b->id; });
  return out;
}

}  // namespace

CourseIndex::CourseIndex(store::Db& db) {
  auto st = db.Prepare("SELECT id, shortname, idnumber, fullname, category FROM {course}");
  while (st->Step()) {
    Add(CourseRow{st->Int(0), st->Text(1), st->Text(2), st->Text(3), st->Int(4)});
  }
}

void CourseIndex::Add(const CourseRow& row) {
  rows_[row.id] = row;
  by_shortname_.emplace(row.shortname, row.id);
  if (!row.idnumber.empty()) by_idnumber_.emplace(row.idnumber, row.id);
}

void CourseIndex::Remove(int64_t id) {
  auto it = rows_.find(id);
  if (it == rows_.end()) return;
  EraseValue(by_shortname_, it->second.shortname, id);
  EraseValue(by_idnumber_, it->second.idnumber, id);
  rows_.erase(it);
}

void CourseIndex::Update(const CourseRow& row) {
  Remove(row.id);
  Add(row);
}

const CourseRow* CourseIndex::ById(int64_t id) const {
  auto it = rows_.find(id);
  return it == rows_.end() ? nullptr : &it->second;
}

std::vector<const CourseRow*> CourseIndex::ByShortname(const std::string& s) const {
  return Collect(by_shortname_, s, *this);
}

std::vector<const CourseRow*> CourseIndex::ByIdnumber(const std::string& s) const {
  return Collect(by_idnumber_, s, *this);
}

Lookup CourseIndex::Find(const std::string& kind, const std::string& value) const {
  Lookup r;
  if (value.empty()) {
    r.error = "empty " + kind;
    return r;
  }
  std::vector<const CourseRow*> found;
  if (kind == "id") {
    bool digits = value.size() <= 18 &&
                  std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits) {
      r.error = "'" + value + "' is not a course id";
      return r;
    }
    if (const CourseRow* c = ById(std::stoll(value))) found.push_back(c);
  } else if (kind == "idnumber") {
    found = ByIdnumber(value);
  } else {
    found = ByShortname(value);
  }
  if (found.empty()) {
    r.error = "no course with " + kind + " '" + value + "'";
  } else if (found.size() > 1) {
    r.error = std::to_string(found.size()) + " courses have " + kind + " '" + value + "' (ids";
    for (auto* c : found) r.error += " " + std::to_string(c->id);
    r.error += "): ambiguous";
  } else {
    r.course = found.front();
  }
  return r;
}

}  // namespace cs::sync
