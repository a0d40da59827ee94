// Every course of the site held in memory for a run, so identifiers are looked up in batches
// (one query) rather than one query per line: by id, shortname or idnumber.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"
#include "sync/flat_index.h"

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
  // How many courses have that shortname / idnumber (no allocation: the hot path's check).
  size_t CountShortname(std::string_view s) const { return Count(by_shortname_, s); }
  size_t CountIdnumber(std::string_view s) const { return Count(by_idnumber_, s); }
  void Add(const CourseRow& row);
  void Remove(int64_t id);
  // Replace the indexed identifiers of a course after an update.
  void Update(const CourseRow& row);
  size_t size() const { return by_id_.size(); }
  // Number of courses excluding the site course.
  size_t CountNonSite() const { return by_id_.size() - (ById(kSiteCourseId) ? 1 : 0); }

 private:
  using Multi = FlatMultiIndex<const CourseRow*>;
  static std::vector<const CourseRow*> Collect(const Multi& m, std::string_view k);
  static size_t Count(const Multi& m, std::string_view k) {
    size_t n = 0;
    m.ForEach(k, [&](const CourseRow*) { ++n; });
    return n;
  }
  CourseRow& NewRow(const CourseRow& row);
  // Rows live in fixed-size chunks (stable addresses); the indexes point into them, keyed by
  // views of the rows' own strings, so a lookup allocates nothing. Removed rows stay as
  // unreferenced slots.
  static constexpr size_t kChunk = 4096;
  std::vector<std::unique_ptr<CourseRow[]>> chunks_;
  size_t rows_ = 0;
  FlatIdIndex<const CourseRow*> by_id_;
  Multi by_shortname_;
  Multi by_idnumber_;
};

}  // namespace cs::sync
