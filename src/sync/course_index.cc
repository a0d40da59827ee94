#include "sync/course_index.h"

#include <algorithm>

#include "sync/values.h"

namespace cs::sync {

CourseIndex::CourseIndex(store::Db& db) {
  size_t n = static_cast<size_t>(db.QueryInt("SELECT COUNT(*) FROM {course}").value_or(0));
  by_id_.Reserve(n + 16);
  by_shortname_.Reserve(n + 16);  // idnumbers are often empty: that index grows as needed
  auto st = db.Prepare("SELECT id, shortname, idnumber, fullname, category FROM {course}");
  while (st->Step()) {
    Add(CourseRow{st->Int(0), st->Text(1), st->Text(2), st->Text(3), st->Int(4)});
  }
}

CourseRow& CourseIndex::NewRow(const CourseRow& row) {
  if (rows_ % kChunk == 0) chunks_.push_back(std::make_unique<CourseRow[]>(kChunk));
  CourseRow& r = chunks_.back()[rows_ % kChunk];
  ++rows_;
  r = row;
  return r;
}

void CourseIndex::Add(const CourseRow& row) {
  Remove(row.id);
  const CourseRow& r = NewRow(row);
  by_id_.Set(r.id, &r);
  by_shortname_.Insert(r.shortname, &r);
  if (!r.idnumber.empty()) by_idnumber_.Insert(r.idnumber, &r);
}

void CourseIndex::Remove(int64_t id) {
  const CourseRow* const* found = by_id_.Find(id);
  if (!found) return;
  const CourseRow* row = *found;
  by_shortname_.Erase(row->shortname, row);
  if (!row->idnumber.empty()) by_idnumber_.Erase(row->idnumber, row);
  by_id_.Erase(id);
}

void CourseIndex::Update(const CourseRow& row) { Add(row); }

const CourseRow* CourseIndex::ById(int64_t id) const {
  const CourseRow* const* found = by_id_.Find(id);
  return found ? *found : nullptr;
}

std::vector<const CourseRow*> CourseIndex::Collect(const Multi& m, std::string_view k) {
  std::vector<const CourseRow*> out;
  m.ForEach(k, [&](const CourseRow* row) { out.push_back(row); });
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
  size_t matches = 0;
  m.ForEach(value, [&](const CourseRow* row) {
    if (++matches == 1) r.course = row;  // the common case: one match, no allocation
  });
  if (matches == 0) {
    r.error = "no course with " + kind + " '" + Excerpt(value) + "'";
  } else if (matches > 1) {
    r.course = nullptr;
    auto found = Collect(m, value);
    r.error = std::to_string(found.size()) + " courses have " + kind + " '" + value + "' (ids";
    for (auto* c : found) r.error += " " + std::to_string(c->id);
    r.error += "): ambiguous";
  }
  return r;
}

}  // namespace cs::sync
