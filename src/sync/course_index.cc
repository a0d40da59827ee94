#include "sync/course_index.h"

#include <algorithm>

#include "sync/values.h"

namespace cs::sync {

CourseIndex::CourseIndex(store::Db& db) {
  size_t n = static_cast<size_t>(db.QueryInt("SELECT COUNT(*) FROM {course}").value_or(0));
  by_id_.reserve(n + 16);
  by_shortname_.reserve(n + 16);
  by_idnumber_.reserve(n + 16);
  auto st = db.Prepare("SELECT id, shortname, idnumber, fullname, category FROM {course}");
  while (st->Step()) {
    Add(CourseRow{st->Int(0), st->Text(1), st->Text(2), st->Text(3), st->Int(4)});
  }
}

void CourseIndex::Add(const CourseRow& row) {
  Remove(row.id);
  const CourseRow& r = rows_.emplace_back(row);
  by_id_[r.id] = &r;
  by_shortname_.emplace(r.shortname, &r);
  if (!r.idnumber.empty()) by_idnumber_.emplace(r.idnumber, &r);
}

void CourseIndex::Erase(Multi& m, std::string_view k, const CourseRow* row) {
  auto [b, e] = m.equal_range(k);
  for (auto it = b; it != e; ++it) {
    if (it->second == row) {
      m.erase(it);
      return;
    }
  }
}

void CourseIndex::Remove(int64_t id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  const CourseRow* row = it->second;
  Erase(by_shortname_, row->shortname, row);
  if (!row->idnumber.empty()) Erase(by_idnumber_, row->idnumber, row);
  by_id_.erase(it);
}

void CourseIndex::Update(const CourseRow& row) { Add(row); }

const CourseRow* CourseIndex::ById(int64_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::vector<const CourseRow*> CourseIndex::Collect(const Multi& m, std::string_view k) {
  std::vector<const CourseRow*> out;
  auto [b, e] = m.equal_range(k);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id < b->id; });
  return out;
}

std::vector<const CourseRow*> CourseIndex::ByShortname(const std::string& s) const {
  return Collect(by_shortname_, s);
}

std::vector<const CourseRow*> CourseIndex::ByIdnumber(const std::string& s) const {
  return Collect(by_idnumber_, s);
}

Lookup CourseIndex::Find(const std::string& kind, const std::string& value) const {
  Lookup r;
  if (value.empty()) {
    r.error = "empty " + kind;
    return r;
  }
  if (kind == "id") {
    auto n = ParseId(value);  // "007" is not course 7
    if (!n) {
      r.error = "'" + Excerpt(value) + "' is not a course id";
      return r;
    }
    r.course = ById(*n);
    if (!r.course) r.error = "no course with id '" + value + "'";
    return r;
  }
  const Multi& m = kind == "idnumber" ? by_idnumber_ : by_shortname_;
  auto [b, e] = m.equal_range(value);
  if (b == e) {
    r.error = "no course with " + kind + " '" + Excerpt(value) + "'";
  } else if (std::next(b) == e) {
    r.course = b->second;  // the common case: no allocation
  } else {
    auto found = Collect(m, value);
    r.error = std::to_string(found.size()) + " courses have " + kind + " '" + value + "' (ids";
    for (auto* c : found) r.error += " " + std::to_string(c->id);
    r.error += "): ambiguous";
  }
  return r;
}

}  // namespace cs::sync
