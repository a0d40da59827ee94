// Tests of the course creation/update file (issue 3).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "store/sqlite_db.h"
#include "sync/categories.h"
#include "sync/errors.h"
#include "sync/settings.h"
#include "sync/tasks.h"
#include "sync/test_support.h"
#include "sync/values.h"

namespace cs::sync {
namespace {

using cs::testing::TempSite;

class CreateTest : public ::testing::Test {
 protected:
  TempSite site;

  RunReport Run(const std::string& content, TaskOptions o = {}) {
    auto p = site.WriteFile("in.csv", content);
    if (o.file.empty()) o.file = p.string();
    return RunCreate(*site.db, *site.area, o);
  }
  void Set(const std::string& k, const std::string& v) { Settings(*site.db).Set(k, v); }
  std::string Str(const std::string& sql) {
    auto st = site.db->Prepare(sql);
    return st->Step() ? st->Text(0) : "<none>";
  }
  int64_t Int(const std::string& sql) { return site.db->QueryInt(sql).value_or(-1); }
  int64_t CourseId(const std::string& shortname) {
    return Int("SELECT id FROM {course} WHERE shortname='" + shortname + "'");
  }
  std::string ReadFile(const std::string& rel) {
    std::ifstream f(site.dir / rel, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  // Moodle's category and context invariants, checked over the whole site.
  void ExpectInvariants() {
    auto st = site.db->Prepare(
        "SELECT c.id, c.parent, c.depth, c.path, x.path, x.depth, p.path, p.depth, px.path "
        "FROM {course_categories} c JOIN {context} x ON x.contextlevel=40 AND x.instanceid=c.id "
        "LEFT JOIN {course_categories} p ON p.id=c.parent "
        "LEFT JOIN {context} px ON px.contextlevel=40 AND px.instanceid=c.parent");
    int n = 0;
    while (st->Step()) {
      ++n;
      int64_t id = st->Int(0);
      if (st->Int(1) == 0) {
        EXPECT_EQ(st->Text(3), "/" + std::to_string(id));
        EXPECT_EQ(st->Int(2), 1);
        EXPECT_EQ(st->Int(5), 2);
      } else {
        EXPECT_EQ(st->Text(3), st->Text(6) + "/" + std::to_string(id));
        EXPECT_EQ(st->Int(2), st->Int(7) + 1);
        EXPECT_EQ(st->Text(4).rfind(st->Text(8) + "/", 0), 0u) << st->Text(4);
      }
    }
    EXPECT_EQ(n, site.Count("course_categories"));
    // coursecount right, every course has a context under its category's and a section 0, and
    // sort orders inside the category's block.
    EXPECT_EQ(Int("SELECT COUNT(*) FROM {course_categories} c WHERE coursecount <> (SELECT "
                  "COUNT(*) FROM {course} WHERE category=c.id)"),
              0);
    EXPECT_EQ(
        Int("SELECT COUNT(*) FROM {course} c WHERE c.id<>1 AND NOT EXISTS (SELECT 1 FROM "
            "{context} x JOIN {context} cx ON cx.contextlevel=40 AND cx.instanceid=c.category "
            "WHERE x.contextlevel=50 AND x.instanceid=c.id AND x.path = cx.path || '/' || "
            "x.id AND x.depth = cx.depth + 1)"),
        0);
    EXPECT_EQ(Int("SELECT COUNT(*) FROM {course} c WHERE NOT EXISTS (SELECT 1 FROM "
                  "{course_sections} s WHERE s.course=c.id AND s.section=0)"),
              0);
    EXPECT_EQ(Int("SELECT COUNT(*) FROM {course} c JOIN {course_categories} cc ON "
                  "cc.id=c.category WHERE c.sortorder <= cc.sortorder OR c.sortorder > "
                  "cc.sortorder + 10000"),
              0);
    EXPECT_EQ(Int("SELECT COUNT(*) FROM (SELECT sortorder FROM {course} GROUP BY sortorder "
                  "HAVING COUNT(*) > 1) d"),
              0);
  }
};

TEST_F(CreateTest, CreatesCoursesWithEverythingMoodleCreates) {
  auto r =
      Run("shortname;fullname;category;idnumber;summary;format;startdate;enddate;visible;topic1;"
          "topic3\n"
          "C1;Course one;Sciences/Physics;ID1;Intro;weeks;2026-09-01;2027-06-30;0;Basics|First "
          "steps;Waves\n");
  ASSERT_EQ(r.Count(Status::kCreated), 1) << r.ToText();
  EXPECT_EQ(r.ExitCode(), 0);
  int64_t id = CourseId("C1");
  EXPECT_EQ(r.lines[0].id, id);
  EXPECT_EQ(Str("SELECT fullname || '|' || idnumber || '|' || summary || '|' || format || '|' || "
                "visible FROM {course} WHERE shortname='C1'"),
            "Course one|ID1|Intro|weeks|0");
  EXPECT_EQ(Int("SELECT startdate FROM {course} WHERE shortname='C1'"), *ParseDate("2026-09-01"));
  EXPECT_EQ(Int("SELECT enddate FROM {course} WHERE shortname='C1'"), *ParseDate("2027-06-30"));
  // Sections 0..4 (site default 4, topic3 inside it), named from the topic columns.
  EXPECT_EQ(site.Count("course_sections", "course=" + std::to_string(id)), 5);
  EXPECT_EQ(Str("SELECT name || '|' || summary FROM {course_sections} WHERE course=" +
                std::to_string(id) + " AND section=1"),
            "Basics|First steps");
  EXPECT_EQ(Str("SELECT name FROM {course_sections} WHERE course=" + std::to_string(id) +
                " AND section=3"),
            "Waves");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {course_sections} WHERE course=" + std::to_string(id) +
                " AND section=2 AND name IS NULL"),
            1);
  // Moodle's default enrolment instances: manual on, guest and self off.
  std::string instances;
  auto en =
      site.db->Prepare("SELECT enrol, status FROM {enrol} WHERE courseid=? ORDER BY sortorder");
  for (bool row = en->Run(id); row; row = en->Step()) {
    instances += (instances.empty() ? "" : ",") + en->Text(0) + std::to_string(en->Int(1));
  }
  EXPECT_EQ(instances, "manual0,guest1,self1");
  EXPECT_GE(site.Count("course_format_options", "courseid=" + std::to_string(id)), 2);
  ExpectInvariants();
}

// Rows written in batches on the writer thread, sections and default enrolment instances
// expanded by their statements: every column as Moodle's create_course() writes it.
TEST_F(CreateTest, DefaultSectionsAndEnrolmentInstancesHaveMoodlesValues) {
  std::string file = "shortname;fullname;numsections;self;guest\n";
  for (int i = 0; i < 150; ++i) {  // more than one batch
    file += "D" + std::to_string(i) + ";Course " + std::to_string(i) + ";" +
            std::to_string(i % 3 == 0 ? 0 : (i % 3 == 1 ? 52 : 7)) + ";" + std::to_string(i % 2) +
            ";" + std::to_string((i / 2) % 2) + "\n";
  }
  auto r = Run(file);
  ASSERT_EQ(r.Count(Status::kCreated), 150) << r.ToText();
  int64_t student = Int("SELECT id FROM {role} WHERE shortname='student'");
  for (int i : {0, 1, 2, 3, 149}) {
    std::string id = std::to_string(CourseId("D" + std::to_string(i)));
    int64_t last = i % 3 == 0 ? 0 : (i % 3 == 1 ? 52 : 7);
    EXPECT_EQ(site.Count("course_sections", "course=" + id), last + 1) << i;
    EXPECT_EQ(Int("SELECT COUNT(*) FROM {course_sections} WHERE course=" + id +
                  " AND section BETWEEN 0 AND " + std::to_string(last) +
                  " AND name IS NULL AND summary='' AND summaryformat=1 AND sequence='' AND "
                  "visible=1 AND timemodified > 0"),
              last + 1)
        << i;
    auto e = site.db->Prepare(
        "SELECT enrol, status, sortorder, CASE WHEN name IS NULL THEN 1 ELSE 0 END, enrolperiod, "
        "enrolstartdate, "
        "enrolenddate, expirynotify, expirythreshold, notifyall, COALESCE(password, 'NULL'), "
        "roleid, COALESCE(customint1, -1), COALESCE(customint2, -1), COALESCE(customint3, -1), "
        "COALESCE(customint4, -1), COALESCE(customint5, -1), COALESCE(customint6, -1), "
        "CASE WHEN timecreated = timemodified AND timecreated > 0 THEN 1 ELSE 0 END FROM {enrol} "
        "WHERE courseid=? ORDER BY "
        "sortorder");
    std::string rows;
    for (bool row = e->Run(int64_t{std::stoll(id)}); row; row = e->Step()) {
      for (int c = 0; c < e->ColumnCount(); ++c) rows += e->Text(c) + (c + 1 < 19 ? "," : ";");
    }
    std::string s = std::to_string(student);
    std::string self = i % 2 ? "0" : "1", guest = (i / 2) % 2 ? "0" : "1";
    EXPECT_EQ(rows, "manual,0,0,1,0,0,0,0,86400,0,NULL," + s + ",-1,-1,-1,-1,-1,-1,1;" + "guest," +
                        guest + ",1,1,0,0,0,0,0,0,,0,-1,-1,-1,-1,-1,-1,1;" + "self," + self +
                        ",2,1,0,0,0,0,86400,0,NULL," + s + ",0,0,0,1,0,1,1;")
        << i;
  }
  ExpectInvariants();
}

// A reading error after several batches went to the writer thread: the file is rejected and
// nothing of it stays (the writer stops before the rollback).
TEST_F(CreateTest, AFileRejectedAfterManyBatchesChangesNothing) {
  std::string before = site.Dump();
  std::string file = "shortname;fullname;category\n";
  for (int i = 0; i < 2000; ++i) {
    file += "R" + std::to_string(i) + ";Course " + std::to_string(i) + ";Cat " +
            std::to_string(i % 7) + "\n";
  }
  file += "R2000;\"unclosed quote;X\n";
  EXPECT_THROW(Run(file), Rejected);
  EXPECT_EQ(site.Dump(), before);
}

// A statement that fails on the writer thread fails the whole run (exit 1): nothing is
// committed, not even the batches written before it.
TEST_F(CreateTest, AWriteFailureOnTheWriterThreadFailsTheWholeRun) {
  if (site.postgres()) GTEST_SKIP() << "the failure is injected with a SQLite trigger";
  site.db->Exec(
      "CREATE TRIGGER cs_test_boom BEFORE INSERT ON mdl_course_sections WHEN NEW.course > 0 AND "
      "NEW.section = 9 BEGIN SELECT RAISE(FAIL, 'injected failure'); END");
  std::string before = site.Dump();
  std::string file = "shortname;fullname;numsections\n";
  for (int i = 0; i < 1000; ++i) file += "W" + std::to_string(i) + ";Course;3\n";
  file += "W1000;Course;9\n";
  for (int i = 1001; i < 1100; ++i) file += "W" + std::to_string(i) + ";Course;3\n";
  try {
    Run(file);
    FAIL() << "the run should fail";
  } catch (const Rejected&) {
    FAIL() << "a write failure is not a rejected file";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("injected failure"), std::string::npos) << e.what();
  }
  EXPECT_EQ(site.Dump(), before);
}

// The writer's jobs size SQLite's page cache to the growing database (Db::SizeCacheForBulkInsert);
// once the run is over, failed or not, the connection has its default cache again.
TEST_F(CreateTest, TheBulkInsertCacheIsPutBackAfterTheRun) {
  if (site.postgres()) GTEST_SKIP() << "PostgreSQL's cache is the server's";
  std::string file = "shortname;fullname\n";
  for (int i = 0; i < 300; ++i) file += "K" + std::to_string(i) + ";Course\n";
  EXPECT_EQ(Run(file).Count(Status::kCreated), 300);
  EXPECT_EQ(Int("PRAGMA cache_size"), -store::kSqliteCacheKib);
  site.db->Exec(
      "CREATE TRIGGER cs_test_boom BEFORE INSERT ON mdl_course WHEN NEW.shortname = 'L299' BEGIN "
      "SELECT RAISE(FAIL, 'injected failure'); END");
  for (char& c : file) c = c == 'K' ? 'L' : c;
  EXPECT_THROW(Run(file), std::exception);
  EXPECT_EQ(Int("PRAGMA cache_size"), -store::kSqliteCacheKib);
}

TEST_F(CreateTest, SecondRunSkipsEverythingAndChangesNothing) {
  std::string file =
      "shortname;fullname;category\nA1;Alpha;Fac/Dept\nA2;Beta;Fac/Dept\nA3;Gamma;Other\n";
  auto r1 = Run(file);
  EXPECT_EQ(r1.Count(Status::kCreated), 3);
  std::string before = site.Dump();
  auto r2 = Run(file);
  EXPECT_EQ(r2.Count(Status::kSkipped), 3);
  EXPECT_EQ(r2.Count(Status::kCreated), 0);
  EXPECT_EQ(r2.ExitCode(), 0);
  EXPECT_EQ(site.Dump(), before);
}

TEST_F(CreateTest, NewCoursesGoToTheTopOfTheirCategoryNewestFirst) {
  Run("shortname;fullname;category\nS1;One;Cat\nS2;Two;Cat\n");
  Run("shortname;fullname;category\nS3;Three;Cat\n");
  int64_t base = Int("SELECT sortorder FROM {course_categories} WHERE name='Cat'");
  EXPECT_EQ(Int("SELECT sortorder FROM {course} WHERE shortname='S3'"), base + 1);
  EXPECT_EQ(Int("SELECT sortorder FROM {course} WHERE shortname='S2'"), base + 2);
  EXPECT_EQ(Int("SELECT sortorder FROM {course} WHERE shortname='S1'"), base + 3);
  EXPECT_EQ(Int("SELECT coursecount FROM {course_categories} WHERE name='Cat'"), 3);
  ExpectInvariants();
}

TEST_F(CreateTest, BadLinesGoToTheTrybackWhichRerunsCleanlyOnceFixed) {
  auto r =
      Run("shortname;fullname;startdate;visible\n"
          "G1;Good one;2026-01-05;1\n"
          "B1;Bad date;2026-13-45;1\n"
          "G2;Good two;;\n"
          "B2;Bad visible;;maybe\n"
          "B3;Too many;;1;extra\n");
  EXPECT_EQ(r.Count(Status::kCreated), 2);
  EXPECT_EQ(r.Count(Status::kFailed), 3);
  EXPECT_EQ(r.ExitCode(), 1);
  EXPECT_EQ(CourseId("B1"), -1);
  EXPECT_EQ(CourseId("B2"), -1);
  // Messages name the line and column.
  EXPECT_EQ(r.lines[1].line, 3);
  EXPECT_NE(r.lines[1].message.find("column 3 (startdate)"), std::string::npos)
      << r.lines[1].message;
  EXPECT_EQ(r.lines[3].line, 5);
  EXPECT_NE(r.lines[3].message.find("column 4 (visible)"), std::string::npos);
  EXPECT_NE(r.lines[4].message.find("5 values found, 4 expected"), std::string::npos);
  ASSERT_TRUE(r.tryback_path.has_value());
  std::string tb = ReadFile(*r.tryback_path);
  EXPECT_EQ(tb,
            "shortname;fullname;startdate;visible\nB1;Bad date;2026-13-45;1\nB2;Bad "
            "visible;;maybe\nB3;Too many;;1;extra\n");
  // Fix the tryback and run it: everything goes through.
  auto fixed = site.WriteFile("fixed.csv",
                              "shortname;fullname;startdate;visible\nB1;Bad "
                              "date;2026-12-25;1\nB2;Bad visible;;0\nB3;Too many;;1\n");
  TaskOptions o;
  o.file = fixed.string();
  auto r2 = RunCreate(*site.db, *site.area, o);
  EXPECT_EQ(r2.Count(Status::kCreated), 3);
  EXPECT_EQ(r2.ExitCode(), 0);
  EXPECT_FALSE(r2.tryback_path.has_value());
}

TEST_F(CreateTest, QuotedValuesBomAndLatin1) {
  auto r =
      Run("\xEF\xBB\xBFshortname;fullname;summary\n"
          "Q1;\"Semi; colon\";\"Line one\nline two with \"\"quotes\"\"\"\n");
  ASSERT_EQ(r.Count(Status::kCreated), 1) << r.ToText();
  EXPECT_EQ(Str("SELECT fullname FROM {course} WHERE shortname='Q1'"), "Semi; colon");
  EXPECT_EQ(Str("SELECT summary FROM {course} WHERE shortname='Q1'"),
            "Line one\nline two with \"quotes\"");
  TaskOptions o;
  o.encoding = "ISO-8859-1";
  auto r2 =
      Run("shortname;fullname;category\nL1;Fran\xE7"
          "ais \xE9l\xE9mentaire;Lettres/\xC9tudes\n",
          o);
  ASSERT_EQ(r2.Count(Status::kCreated), 1) << r2.ToText();
  EXPECT_EQ(Str("SELECT fullname FROM {course} WHERE shortname='L1'"), "Français élémentaire");
  EXPECT_EQ(Str("SELECT name FROM {course_categories} WHERE name LIKE '%tudes'"), "Études");
}

TEST_F(CreateTest, InvalidUtf8RejectsTheWholeFile) {
  std::string before = site.Dump();
  EXPECT_THROW(Run("shortname;fullname\nU1;ok\nU2;caf\xE9\n"), Rejected);
  EXPECT_EQ(site.Dump(), before);
}

TEST_F(CreateTest, CategoryPathsTrimEscapeAndReuse) {
  auto r =
      Run("shortname;fullname;category\n"
          "P1;One; Arts / Music\\/Dance /Year 1\n"
          "P2;Two;Arts/Music\\/Dance/Year 1\n"
          "P3;Three;Arts//Bad\n"
          "P4;Four;\n");
  EXPECT_EQ(r.Count(Status::kCreated), 3) << r.ToText();
  EXPECT_EQ(r.Count(Status::kFailed), 1);
  EXPECT_NE(r.lines[2].message.find("empty category name"), std::string::npos);
  CategoryTree tree(*site.db);
  int64_t c1 = Int("SELECT category FROM {course} WHERE shortname='P1'");
  EXPECT_EQ(c1, Int("SELECT category FROM {course} WHERE shortname='P2'"));
  EXPECT_EQ(tree.PathOf(c1), "Arts/Music\\/Dance/Year 1");
  EXPECT_EQ(Str("SELECT name FROM {course_categories} WHERE id=(SELECT parent FROM "
                "{course_categories} WHERE id=" +
                std::to_string(c1) + ")"),
            "Music/Dance");
  // An empty category goes to the default category.
  EXPECT_EQ(Int("SELECT category FROM {course} WHERE shortname='P4'"), 1);
  ExpectInvariants();
}

TEST_F(CreateTest, NewCategoriesVisibility) {
  Set("courses_newcategoriesvisible", "0");
  Run("shortname;fullname;category\nH1;Hidden;Hidden cat/Sub\n");
  EXPECT_EQ(Int("SELECT visible FROM {course_categories} WHERE name='Hidden cat'"), 0);
  EXPECT_EQ(Int("SELECT visible FROM {course_categories} WHERE name='Sub'"), 0);
  EXPECT_EQ(Int("SELECT visible FROM {course} WHERE shortname='H1'"), 0);
}

TEST_F(CreateTest, CategoryByIdAndByIdnumber) {
  auto r = Run("shortname;fullname;category\nN1;One;1\nN2;Two;999\n");
  EXPECT_EQ(r.Count(Status::kCreated), 1);
  EXPECT_NE(r.lines[1].message.find("no category with id 999"), std::string::npos);
  site.db->Execute("UPDATE {course_categories} SET idnumber='CAT-A' WHERE id=1");
  Set("courses_coursecategoryidentifier", "idnumber");
  auto r2 = Run("shortname;fullname;category\nN3;Three;CAT-A\nN4;Four;CAT-B\n");
  EXPECT_EQ(r2.Count(Status::kCreated), 1);
  EXPECT_NE(r2.lines[1].message.find("no category with idnumber 'CAT-B'"), std::string::npos);
  EXPECT_EQ(Int("SELECT category FROM {course} WHERE shortname='N3'"), 1);
}

TEST_F(CreateTest, HeaderErrorsRejectTheFileBeforeAnyChange) {
  std::string before = site.Dump();
  for (const std::string& f :
       {std::string("shortname;fullname;colour\nX;Y;red\n"),
        std::string("shortname;fullname;shortname\nX;Y;Z\n"),
        std::string("shortname;category\nX;Y\n"), std::string("shortname,fullname\nX,Y\n"),
        std::string("shortname;;fullname\nX;;Y\n"), std::string(""),
        std::string("# only a comment\n"),
        std::string("shortname;fullname;teacher1_role\nX;Y;student\n")}) {
    EXPECT_THROW(Run(f), Rejected) << f;
  }
  EXPECT_EQ(site.Dump(), before);
  try {
    Run("shortname;fullname;colour\nX;Y;red\n");
  } catch (const Rejected& e) {
    EXPECT_NE(std::string(e.what()).find("column 3: unknown column 'colour'"), std::string::npos)
        << e.what();
  }
}

TEST_F(CreateTest, IdentifierIdnumberCollisionsAndDuplicates) {
  Set("courses_fileuploadidentifier", "idnumber");
  auto r =
      Run("idnumber;shortname;fullname\n"
          "I1;SN1;One\n"
          "I2;SN1;Same shortname\n"
          "I1;SN3;Duplicate identifier\n");
  EXPECT_EQ(r.Count(Status::kCreated), 1);
  EXPECT_NE(r.lines[1].message.find("shortname 'SN1' is already used"), std::string::npos);
  EXPECT_NE(r.lines[2].message.find("already appears on line 2"), std::string::npos);
  // Without the identifier column the file is refused.
  EXPECT_THROW(Run("shortname;fullname\nZ;Z\n"), Rejected);
  // idnumber collisions when identified by shortname.
  Set("courses_fileuploadidentifier", "shortname");
  auto r2 = Run("shortname;fullname;idnumber\nSN9;Nine;I1\n");
  EXPECT_EQ(r2.Count(Status::kFailed), 1);
  EXPECT_NE(r2.lines[0].message.find("idnumber 'I1' is already used"), std::string::npos);
}

TEST_F(CreateTest, UpdateChangesOnlyPresentColumns) {
  Run("shortname;fullname;summary;idnumber;self;guest;category\nU1;Old name;Keep me;IDU;1;1;A\n");
  int64_t id = CourseId("U1");
  std::string before = site.Dump();
  // Force update off: skipped.
  auto r0 = Run("shortname;fullname\nU1;New name\n");
  EXPECT_EQ(r0.Count(Status::kSkipped), 1);
  EXPECT_EQ(site.Dump(), before);
  Set("courses_forceupdate", "1");
  auto r = Run("shortname;fullname\nU1;New name\n");
  EXPECT_EQ(r.Count(Status::kUpdated), 1) << r.ToText();
  EXPECT_EQ(r.lines[0].id, id);
  EXPECT_EQ(Str("SELECT fullname || '|' || summary || '|' || idnumber FROM {course} WHERE id=" +
                std::to_string(id)),
            "New name|Keep me|IDU");
  // self/guest untouched when absent; changed when present.
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {enrol} WHERE status=0 AND courseid=" + std::to_string(id)),
            3);
  Run("shortname;fullname;guest\nU1;New name;0\n");
  EXPECT_EQ(
      Int("SELECT status FROM {enrol} WHERE enrol='guest' AND courseid=" + std::to_string(id)), 1);
  EXPECT_EQ(Int("SELECT status FROM {enrol} WHERE enrol='self' AND courseid=" + std::to_string(id)),
            0);
  // The same line again: nothing to change.
  auto r2 = Run("shortname;fullname;guest\nU1;New name;0\n");
  EXPECT_EQ(r2.Count(Status::kSkipped), 1);
}

TEST_F(CreateTest, UpdateMovesCourseUnlessCategoryProtected) {
  Run("shortname;fullname;category\nM1;Move me;From\n");
  Set("courses_forceupdate", "1");
  Set("courses_protectcategory", "1");
  auto r = Run("shortname;fullname;category\nM1;Move me;To/Here\n");
  int64_t from = Int("SELECT id FROM {course_categories} WHERE name='From'");
  EXPECT_EQ(Int("SELECT category FROM {course} WHERE shortname='M1'"), from);
  EXPECT_EQ(r.Count(Status::kSkipped), 1) << r.ToText();
  Set("courses_protectcategory", "0");
  auto r2 = Run("shortname;fullname;category\nM1;Move me;To/Here\n");
  EXPECT_EQ(r2.Count(Status::kUpdated), 1);
  int64_t to = Int("SELECT id FROM {course_categories} WHERE name='Here'");
  EXPECT_EQ(Int("SELECT category FROM {course} WHERE shortname='M1'"), to);
  EXPECT_EQ(Int("SELECT coursecount FROM {course_categories} WHERE id=" + std::to_string(from)), 0);
  EXPECT_EQ(Int("SELECT coursecount FROM {course_categories} WHERE id=" + std::to_string(to)), 1);
  ExpectInvariants();
}

TEST_F(CreateTest, SimulateGivesTheSameReportAndChangesNothing) {
  std::string file = "shortname;fullname;category\nS1;One;New/Cat\nS2;Two;New/Cat\nS3;;New\n";
  std::string before = site.Dump();
  TaskOptions o;
  o.simulate = true;
  auto sim = Run(file, o);
  EXPECT_TRUE(sim.simulate);
  EXPECT_EQ(site.Dump(), before);
  EXPECT_FALSE(sim.tryback_path.has_value());
  EXPECT_FALSE(sim.report_path.has_value());
  EXPECT_TRUE(std::filesystem::exists(site.area->files_dir() / "in.csv"));
  auto real = Run(file);
  ASSERT_EQ(sim.lines.size(), real.lines.size());
  for (size_t i = 0; i < sim.lines.size(); ++i) {
    EXPECT_EQ(sim.lines[i].status, real.lines[i].status);
    EXPECT_EQ(sim.lines[i].message, real.lines[i].message);
  }
}

TEST_F(CreateTest, SamplesOfTheOriginalSpec) {
  // tool_sync.md §2.1.14: TEMPLATE must exist; FAILED does not.
  Run("shortname;fullname;numsections;topic1\nTEMPLATE;Template course;2;Welcome|Read me\n");
  auto r =
      Run("shortname;category;fullname;format;template\n"
          "TESTCOURSE1;Miscellaneous/Tests;Test course for creation 1;topics;\n"
          "TESTCOURSE3;Miscellaneous/Tests;Test course for creation 4;topics;TEMPLATE\n"
          "TESTCOURSE4;Miscellaneous/Tests;Test course for creation on failed "
          "template;topics;FAILED\n");
  EXPECT_EQ(r.Count(Status::kCreated), 2);
  EXPECT_EQ(r.Count(Status::kFailed), 1);
  EXPECT_NE(r.lines[2].message.find("no template course with shortname 'FAILED'"),
            std::string::npos);
  int64_t t3 = CourseId("TESTCOURSE3");
  EXPECT_EQ(site.Count("course_sections", "course=" + std::to_string(t3)), 3);
  EXPECT_EQ(
      Str("SELECT name FROM {course_sections} WHERE section=1 AND course=" + std::to_string(t3)),
      "Welcome");
  // Quoted values and a trailing empty line (course_create_sample_newcats.csv).
  auto r2 = Run("shortname;category;fullname\nNEWCAT1;\"Miscellaneous/TestsNew1\";New cat\n\n");
  EXPECT_EQ(r2.Count(Status::kCreated), 1);
  EXPECT_EQ(Str("SELECT name FROM {course_categories} WHERE name='TestsNew1'"), "TestsNew1");
}

TEST_F(CreateTest, TeachersAreEnrolledWithTheirRole) {
  site.db->Execute(
      "INSERT INTO {user} (auth, confirmed, mnethostid, username, password, firstname, lastname, "
      "email, deleted) VALUES ('manual', 1, 1, 'jdoe', '', 'Jane', 'Doe', 'jane@example.org', 0)");
  auto r =
      Run("shortname;fullname;teacher1_account;teacher1_role;teacher2_account\n"
          "T1;With teachers;jdoe;teacher;admin\n"
          "T2;Unknown teacher;nobody;;\n");
  EXPECT_EQ(r.Count(Status::kCreated), 1) << r.ToText();
  EXPECT_NE(r.lines[1].message.find("no user matches 'nobody'"), std::string::npos);
  int64_t id = CourseId("T1");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {user_enrolments} ue JOIN {enrol} e ON e.id=ue.enrolid "
                "WHERE e.enrol='manual' AND e.courseid=" +
                std::to_string(id)),
            2);
  EXPECT_EQ(Str("SELECT r.shortname FROM {role_assignments} ra JOIN {role} r ON r.id=ra.roleid "
                "JOIN {user} u ON u.id=ra.userid JOIN {context} x ON x.id=ra.contextid WHERE "
                "u.username='jdoe' AND x.contextlevel=50 AND x.instanceid=" +
                std::to_string(id)),
            "teacher");
  EXPECT_EQ(Str("SELECT r.shortname FROM {role_assignments} ra JOIN {role} r ON r.id=ra.roleid "
                "WHERE ra.userid=2"),
            "editingteacher");
}

TEST_F(CreateTest, InputInTheFileAreaIsArchivedAfterCommit) {
  site.WriteFile("uploadcourses.csv", "shortname;fullname\nAR1;Archived\n");
  auto r = RunCreate(*site.db, *site.area, TaskOptions{});
  EXPECT_EQ(r.Count(Status::kCreated), 1);
  EXPECT_FALSE(std::filesystem::exists(site.area->files_dir() / "uploadcourses.csv"));
  int archived = 0;
  for (auto& e : std::filesystem::directory_iterator(site.area->archives_dir())) {
    archived += e.path().filename().string().find("_uploadcourses.csv") != std::string::npos;
  }
  EXPECT_EQ(archived, 1);
  ASSERT_TRUE(r.report_path.has_value());
  EXPECT_TRUE(std::filesystem::exists(site.dir / *r.report_path));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {tool_sync_runs} WHERE task='create' AND status='completed'"),
            1);
  // No file: exit 2.
  EXPECT_THROW(RunCreate(*site.db, *site.area, TaskOptions{}), Rejected);
}

// The update path reads the courses of a chunk of lines (256) with one query on PostgreSQL: a
// file longer than a chunk, a template that is itself updated earlier or later in the same file,
// and sections added after a template's, give the same result as one course at a time.
TEST_F(CreateTest, UpdatesAcrossChunksWithTemplatesUpdatedInTheSameFile) {
  std::string create = "shortname;fullname;numsections\nTPL;Template;2\n";
  for (int i = 0; i < 600; ++i)
    create += "C" + std::to_string(i) + ";Course " + std::to_string(i) + ";3\n";
  ASSERT_EQ(Run(create).Count(Status::kCreated), 601);
  Set("courses_forceupdate", "1");
  Set("courses_template_mode", "1");  // a template adds its sections after the course's
  std::string update = "shortname;fullname;numsections;template\n";
  for (int i = 0; i < 600; ++i) {
    std::string n = std::to_string(i);
    // Line 300 names the template after lines using it; line 0 before.
    if (i == 300) update += "TPL;Template v2;4;\n";
    update += "C" + n + ";Course " + n + " v2;" + (i % 2 ? "5" : "3") + ";" +
              (i % 100 == 7 ? "TPL" : "") + "\n";
  }
  auto r = Run(update);
  EXPECT_EQ(r.failed(), 0) << r.ToText();
  EXPECT_EQ(r.Count(Status::kUpdated), 601) << r.ToText();
  EXPECT_EQ(Str("SELECT fullname FROM {course} WHERE shortname='TPL'"), "Template v2");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM {course} WHERE fullname LIKE '% v2'"), 601);
  // Odd courses widened to 5 sections; the template to 4; C7, C107 ... got the template's
  // sections (1..2 before line 300, 1..4 after) after their own, then numsections applied.
  EXPECT_EQ(Int("SELECT MAX(section) FROM {course_sections} s JOIN {course} c ON c.id=s.course "
                "WHERE c.shortname='C1'"),
            5);
  EXPECT_EQ(Int("SELECT MAX(section) FROM {course_sections} s JOIN {course} c ON c.id=s.course "
                "WHERE c.shortname='C2'"),
            3);
  EXPECT_EQ(Int("SELECT MAX(section) FROM {course_sections} s JOIN {course} c ON c.id=s.course "
                "WHERE c.shortname='TPL'"),
            4);
  EXPECT_EQ(Int("SELECT MAX(section) FROM {course_sections} s JOIN {course} c ON c.id=s.course "
                "WHERE c.shortname='C7'"),
            5);
  EXPECT_EQ(Int("SELECT MAX(section) FROM {course_sections} s JOIN {course} c ON c.id=s.course "
                "WHERE c.shortname='C407'"),
            7);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM (SELECT course, section FROM {course_sections} GROUP BY "
                "course, section HAVING COUNT(*) > 1) d"),
            0);
  ExpectInvariants();
}

}  // namespace
}  // namespace cs::sync
