// The creation file's sort-order plan (create_sortorder_plan.h): it foresees where new categories
// and courses end up, so the repair after the lines renumbers nothing, and it never changes the
// result: a run from a file (planned) and the same run from standard input (never planned) leave
// the same categories, courses and contexts, whatever the file holds.
#include "sync/create_sortorder_plan.h"

#include <gtest/gtest.h>

#include <sstream>

#include "sync/settings.h"
#include "sync/tasks.h"
#include "sync/test_support.h"

namespace cs::sync {
namespace {

using cs::testing::TempSite;

// What the sort order decides, and what a category's creation writes.
std::string Layout(store::Db& db) {
  std::string out;
  auto add = [&](const std::string& sql) {
    auto st = db.Prepare(sql);
    while (st->Step()) {
      for (int i = 0; i < st->ColumnCount(); ++i) out += (st->IsNull(i) ? "-" : st->Text(i)) + "|";
      out += "\n";
    }
  };
  add("SELECT id, name, parent, sortorder, coursecount, depth, path, visible FROM "
      "{course_categories} ORDER BY id");
  add("SELECT id, shortname, category, sortorder, visible FROM {course} ORDER BY id");
  add("SELECT id, contextlevel, instanceid, path, depth FROM {context} ORDER BY id");
  return out;
}

RunReport CreateFrom(TempSite& site, const std::string& content, bool through_stdin) {
  TaskOptions o;
  std::istringstream in(content);
  if (through_stdin) {
    o.file = "-";
    o.stdin_stream = &in;
  } else {
    o.file = site.WriteFile("plan.csv", content).string();
  }
  return RunCreate(*site.db, *site.area, o);
}

// Runs `setup` then `file` on two sites, `file` from a file on one and from standard input on
// the other; both must end the same, line results included.
void ExpectSameAsWithoutPlan(const std::string& setup, const std::string& file,
                             const std::string& forceupdate = "0") {
  TempSite planned, unplanned;
  for (TempSite* s : {&planned, &unplanned}) {
    Settings(*s->db).Set("courses_forceupdate", forceupdate);
    if (!setup.empty()) CreateFrom(*s, setup, false);
  }
  RunReport a = CreateFrom(planned, file, false);
  RunReport b = CreateFrom(unplanned, file, true);
  EXPECT_EQ(Layout(*planned.db), Layout(*unplanned.db)) << file;
  ASSERT_EQ(a.lines.size(), b.lines.size());
  for (size_t i = 0; i < a.lines.size(); ++i) {
    EXPECT_EQ(a.lines[i].status, b.lines[i].status) << a.lines[i].line;
    EXPECT_EQ(a.lines[i].message, b.lines[i].message) << a.lines[i].line;
  }
}

const char* kHeader = "shortname;fullname;category;startdate;template\n";

TEST(CreateSortorderPlanTest, ForeseesTheFinalPlaceOfNewCategoriesAndTheirCourses) {
  TempSite site;
  std::string file = kHeader;
  for (int i = 0; i < 60; ++i) {
    file += "P" + std::to_string(i) + ";Course " + std::to_string(i) + ";Faculty " +
            std::to_string(i % 3) + "/Dept " + std::to_string(i % 4) + ";;\n";
  }
  file += "Q1;In an existing category;1;;\nQ2;Default;;;\n";
  CourseIndex courses(*site.db);
  CategoryTree cats(*site.db);
  std::istringstream in(file);
  csv::Reader reader(in, "plan.csv", {});
  std::vector<std::string> names = {"shortname", "fullname", "category", "startdate", "template"};
  SortorderPlan plan = PlanCreationSortorder(reader, ParseCreateHeader(names, "plan.csv", 1),
                                             "shortname", courses, cats, "idname");
  EXPECT_EQ(plan.category_sortorder.size(), 3u + 12u);
  EXPECT_EQ(plan.new_courses.size(), 12u);  // the leaves; existing categories are not planned
  CreateFrom(site, file, false);
  CategoryTree after(*site.db);
  for (const auto& [key, sortorder] : plan.category_sortorder) {
    std::vector<std::string> parts;
    std::stringstream ks(key);
    for (std::string p; std::getline(ks, p, '\0');) parts.push_back(p);
    const Category* c = after.FindPath(parts);
    ASSERT_NE(c, nullptr) << key;
    EXPECT_EQ(c->sortorder, sortorder) << key;
    auto n = plan.new_courses.find(key);
    EXPECT_EQ(c->coursecount, n == plan.new_courses.end() ? 0 : n->second) << key;
  }
}

// Records every change of a course's or a category's sort order made through `db` (a SQLite
// temp trigger: the connection's own).
void CountRenumbering(store::Db& db) {
  db.Exec(
      "CREATE TEMP TABLE renumbered(what TEXT);"
      "CREATE TEMP TRIGGER course_moved AFTER UPDATE OF sortorder ON main.mdl_course "
      "BEGIN INSERT INTO renumbered VALUES ('course'); END;"
      "CREATE TEMP TRIGGER category_moved AFTER UPDATE OF sortorder ON main.mdl_course_categories "
      "BEGIN INSERT INTO renumbered VALUES ('category'); END;");
}

TEST(CreateSortorderPlanTest, NothingIsRenumberedAfterTheLinesWhenThePlanHolds) {
  TempSite planned, unplanned;
  if (planned.postgres()) GTEST_SKIP() << "counts UPDATEs with a SQLite temp trigger";
  std::string file = "shortname;fullname;category\n";
  for (int i = 0; i < 300; ++i) {
    file += "N" + std::to_string(i) + ";New " + std::to_string(i) + ";Zeta " +
            std::to_string(i % 5) + "/Term " + std::to_string(i % 7) + "\n";
  }
  for (TempSite* s : {&planned, &unplanned}) {
    CreateFrom(*s, "shortname;fullname;category\nOLD;Old;Existing/Tree\n", false);
    CountRenumbering(*s->db);
  }
  EXPECT_EQ(CreateFrom(planned, file, false).Count(Status::kCreated), 300);
  EXPECT_EQ(planned.db->QueryInt("SELECT COUNT(*) FROM renumbered"), 0);
  // The same file from standard input (no plan): every new course is renumbered.
  CreateFrom(unplanned, file, true);
  EXPECT_EQ(unplanned.db->QueryInt("SELECT COUNT(*) FROM renumbered WHERE what = 'course'"), 300);
  EXPECT_EQ(Layout(*planned.db), Layout(*unplanned.db));
}

TEST(CreateSortorderPlanTest, NewCategoriesAndCoursesEndAsWithoutAPlan) {
  std::string file = kHeader;
  for (int i = 0; i < 40; ++i) {
    file += "C" + std::to_string(i) + ";Course;Top " + std::to_string(i % 3) + "/Sub " +
            std::to_string(i % 2) + "/Leaf;;\n";
  }
  ExpectSameAsWithoutPlan("", file);
}

TEST(CreateSortorderPlanTest, FailedLinesTemplatesAndTwoSpellingsEndAsWithoutAPlan) {
  std::string file = kHeader;
  // The first line naming "Gone" fails, so "Gone" is created later (or never, for "Never").
  file += "F1;Fails;Never/Made;2026-13-45;\n";
  file += "F2;Fails;Gone;2026-13-45;\n";
  file += "A1;Ok;Other;;\n";
  file += "A2;Ok;Gone;;\n";
  file += "A3;Ok; Other / Deeper ;;\n";
  file += "A4;Ok;Other/Deeper;;\n";
  file += "T1;From a template;;;A1\n";          // the template's category, not counted
  file += "T2;From a template;Gone/Kid;;A1\n";  // a template with a category of its own
  file += "A1;Duplicate identifier;Other;;\n";
  file += "B1;Bad path;A//B;;\n";
  file += "B2;Unknown id;999;;\n";
  file += "A5;By id;1;;\n";
  file += "A6;Default;;;\n";
  ExpectSameAsWithoutPlan("", file);
}

TEST(CreateSortorderPlanTest, AnExistingTreeWithCoursesEndsAsWithoutAPlan) {
  // Existing categories with courses, and siblings after the place where new categories go.
  std::string setup = kHeader;
  setup += "E1;One;Alpha/Beta;;\nE2;Two;Alpha/Gamma;;\nE3;Three;Omega;;\nE4;Four;Alpha;;\n";
  std::string file = kHeader;
  file += "N1;New;Alpha/Delta;;\nN2;New;Alpha/Beta;;\nN3;New;Alpha/Beta/Inner;;\n";
  file += "N4;New;Omega/Sub;;\nN5;New;Zulu;;\nN6;New;Alpha;;\nE1;Again;Alpha/Beta;;\n";
  ExpectSameAsWithoutPlan(setup, file);
  ExpectSameAsWithoutPlan(setup, file, "1");  // E1 updated (and moved) instead of skipped
}

TEST(CreateSortorderPlanTest, ATreeNotNumberedAsTheRepairWouldIsLeftToIt) {
  std::string setup = std::string(kHeader) + "E1;One;Alpha;;\nE2;Two;Beta;;\n";
  std::string file = std::string(kHeader) + "N1;New;Alpha/Kid;;\nN2;New;Beta/Kid;;\n";
  TempSite planned, unplanned;
  for (TempSite* s : {&planned, &unplanned}) {
    CreateFrom(*s, setup, false);
    // Gaps and a category out of order, as a site edited by hand may have.
    s->db->Exec("UPDATE {course_categories} SET sortorder = sortorder * 3 + 7");
  }
  CreateFrom(planned, file, false);
  CreateFrom(unplanned, file, true);
  EXPECT_EQ(Layout(*planned.db), Layout(*unplanned.db));
}

}  // namespace
}  // namespace cs::sync
