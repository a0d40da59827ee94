#include "web/course_browser.h"

namespace cs::web {
namespace {

// LIKE pattern for a substring, with % _ and \ escaped (ESCAPE '\').
std::string LikePattern(const std::string& s) {
  std::string out = "%";
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

struct Where {
  std::string sql;
  std::vector<std::string> params;
};

Where BuildWhere(store::Db& db, const CourseQuery& q) {
  Where w;
  w.sql = " FROM {course} c WHERE c.category <> 0";
  if (q.category) {
    std::string path = "/" + std::to_string(*q.category);
    auto st = db.Prepare("SELECT path FROM {course_categories} WHERE id = ?");
    if (st->Run(*q.category)) path = st->Text(0);
    st->Reset();
    // The id is an integer, written inline; the path pattern is bound.
    w.sql += " AND c.category IN (SELECT id FROM {course_categories} WHERE id = " +
             std::to_string(*q.category) + " OR path LIKE ? ESCAPE '\\')";
    std::string like;
    for (char ch : path) {
      if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
      like += ch;
    }
    w.params.push_back(like + "/%");
  }
  if (!q.search.empty()) {
    w.sql +=
        " AND (LOWER(c.shortname) LIKE LOWER(?) ESCAPE '\\' OR LOWER(c.fullname) LIKE LOWER(?) "
        "ESCAPE '\\' OR LOWER(c.idnumber) LIKE LOWER(?) ESCAPE '\\')";
    std::string p = LikePattern(q.search);
    w.params.insert(w.params.end(), {p, p, p});
  }
  return w;
}

void BindAll(store::Stmt& st, const std::vector<std::string>& params) {
  int i = 0;
  for (const auto& p : params) st.BindText(++i, p);
}

}  // namespace

CoursePage BrowseCourses(store::Db& db, const CourseQuery& q) {
  Where w = BuildWhere(db, q);
  CoursePage page;
  {
    auto st = db.Prepare("SELECT COUNT(*)" + w.sql);
    BindAll(*st, w.params);
    if (st->Step()) page.total = st->Int(0);
  }
  auto st = db.Prepare("SELECT c.id, c.shortname, c.fullname, c.idnumber, c.category, c.visible" +
                       w.sql + " ORDER BY c.sortorder, c.id LIMIT ? OFFSET ?");
  BindAll(*st, w.params);
  int n = static_cast<int>(w.params.size());
  st->BindInt(n + 1, q.limit);
  st->BindInt(n + 2, q.offset);
  while (st->Step()) {
    page.rows.push_back(
        {st->Int(0), st->Text(1), st->Text(2), st->Text(3), st->Int(4), st->Int(5) != 0});
  }
  return page;
}

std::vector<int64_t> MatchingCourseIds(store::Db& db, const CourseQuery& q) {
  Where w = BuildWhere(db, q);
  auto st = db.Prepare("SELECT c.id" + w.sql + " ORDER BY c.sortorder, c.id");
  BindAll(*st, w.params);
  std::vector<int64_t> ids;
  while (st->Step()) ids.push_back(st->Int(0));
  return ids;
}

}  // namespace cs::web
