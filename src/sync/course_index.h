// Every course of the site held in memory for a run, so identifiers are looked up in batches
// (one query) rather than one query per line: by id, shortname or idnumber.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/db.h"

namespace cs::sync {

constexpr int64_t kSiteCourseId = 1;

struct CourseRow {
  int64_t id = 0;
  std::string shortname;
  std::string idnumber;
  std::string fullname;
  int64_t category = 0;
};

struct Lookup {
  const CourseRow* course = nullptr;  // set when exactly one course matches
  std::string error;                  // why not: "no course with shortname 'X'", ambiguity...
};

class CourseIndex {
 public:
  explicit CourseIndex(store::Db& db);
  // kind: "id", "shortname" or "idnumber". An empty value never matches. An idnumber shared by
  // several courses is an error naming them. The site course is found (callers refuse it).
  Lookup Find(const std::string& kind, const std::string& value) const;
  const CourseRow* ById(int64_t id) const;
  std::vector<const CourseRow*> ByShortname(const std::string& s) const;
  std::vector<const CourseRow*> ByIdnumber(const std::string& s) const;
  void Add(const CourseRow& row);
  void Remove(int64_t id);
  // Replace the indexed identifiers of a course after an update.
  void Update(const CourseRow& row);
  size_t size() const { return by_id_.size(); }
  // Number of courses excluding the site course.
  size_t CountNonSite() const { return by_id_.size() - (by_id_.count(kSiteCourseId) ? 1 : 0); }

 private:
  using Multi = std::unordered_multimap<std::string_view, const CourseRow*>;
  static std::vector<const CourseRow*> Collect(const Multi& m, std::string_view k);
  static void Erase(Multi& m, std::string_view k, const CourseRow* row);
  // Rows live in a deque (stable addresses); the maps point into them, keyed by views of the
  // rows' own strings, so a lookup allocates nothing. Removed rows stay as unreferenced slots.
  std::deque<CourseRow> rows_;
  std::unordered_map<int64_t, const CourseRow*> by_id_;
  Multi by_shortname_;
  Multi by_idnumber_;
};

}  // namespace cs::sync
