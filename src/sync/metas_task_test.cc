// Tests of the metacourse binding file (`coursesync metas`).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "sync/categories.h"
#include "sync/contexts.h"
#include "sync/errors.h"
#include "sync/settings.h"
#include "sync/tasks_more.h"
#include "sync/test_support.h"

namespace cs::sync {
namespace {

using cs::testing::TempSite;

constexpr int64_t kStudent = 5, kTeacher = 4, kEditingTeacher = 3;

class MetasTaskTest : public ::testing::Test {
 protected:
  TempSite site;

  struct C {
    int64_t id = 0, ctx = 0, manual = 0;
  };

  C Course(const std::string& shortname) {
    C c;
    c.id = *site.db->QueryInt(
        "INSERT INTO {course} (category, fullname, shortname, idnumber) VALUES (1, ?, ?, ?) "
        "RETURNING id",
        "Course " + shortname, shortname, "ID-" + shortname);
    Contexts contexts(*site.db);
    c.ctx = contexts.Create(kContextCourse, c.id, *contexts.Find(kContextCoursecat, 1)).id;
    c.manual = *site.db->QueryInt(
        "INSERT INTO {enrol} (enrol, status, courseid, sortorder) VALUES ('manual', 0, ?, 0) "
        "RETURNING id",
        c.id);
    return c;
  }
  int64_t User(const std::string& username) {
    return *site.db->QueryInt(
        "INSERT INTO {user} (username, mnethostid, confirmed, firstname, lastname) "
        "VALUES (?, 1, 1, ?, 'X') RETURNING id",
        username, username);
  }
  void Enrol(const C& c, int64_t user, int64_t role, int64_t status = 0, int64_t start = 0,
             int64_t end = 0) {
    site.db->Execute(
        "INSERT INTO {user_enrolments} (status, enrolid, userid, timestart, timeend) "
        "VALUES (?, ?, ?, ?, ?)",
        status, c.manual, user, start, end);
    if (role) {
      site.db->Execute(
          "INSERT INTO {role_assignments} (roleid, contextid, userid, component, itemid) "
          "VALUES (?, ?, ?, '', 0)",
          role, c.ctx, user);
    }
  }
  RunReport Run(const std::string& content, TaskOptions o = {}) {
    auto p = site.WriteFile("metacourses.csv", content);
    if (o.file.empty()) o.file = p.string();
    return RunMetas(*site.db, *site.area, o);
  }
  int64_t Int(const std::string& sql) { return site.db->QueryInt(sql).value_or(-1); }
  std::string ReadFile(const std::string& rel) {
    std::ifstream f(site.dir / rel, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  // The meta instance of parent for child, or -1.
  int64_t Instance(const C& parent, const C& child) {
    return Int("SELECT id FROM {enrol} WHERE enrol='meta' AND courseid=" +
               std::to_string(parent.id) + " AND customint1=" + std::to_string(child.id));
  }
  // Rows of a query joined with ' ', the columns of a row with ':'.
  std::string Rows(const std::string& sql) {
    auto st = site.db->Prepare(sql);
    std::string out;
    while (st->Step()) {
      std::string row;
      for (int i = 0; i < st->ColumnCount(); ++i) row += (i ? ":" : "") + st->Text(i);
      out += (out.empty() ? "" : " ") + row;
    }
    return out;
  }
  // "user:status:start:end" of the instance's enrolments, by user id.
  std::string MetaEnrolments(int64_t inst) {
    return Rows("SELECT userid, status, timestart, timeend FROM {user_enrolments} WHERE enrolid=" +
                std::to_string(inst) + " ORDER BY userid");
  }
  // "user:role" of the instance's role assignments in the parent context.
  std::string MetaRoles(int64_t inst, const C& parent) {
    return Rows(
        "SELECT userid, roleid FROM {role_assignments} WHERE component='enrol_meta' AND "
        "itemid=" +
        std::to_string(inst) + " AND contextid=" + std::to_string(parent.ctx) +
        " ORDER BY userid, roleid");
  }

  // Child M with: u1 student (active), u2 teacher + editing teacher (active, dated), u3 student
  // (suspended), u4 enrolled only through a meta link of M itself (must not flow on), u5 with a
  // role in M but no enrolment (not mirrored). Parent P.
  void Populate() {
    m = Course("M");
    p = Course("P");
    other = Course("OTHER");
    u1 = User("u1");
    u2 = User("u2");
    u3 = User("u3");
    u4 = User("u4");
    u5 = User("u5");
    Enrol(m, u1, kStudent);
    Enrol(m, u2, kTeacher, 0, 1000, 5000);
    site.db->Execute(
        "INSERT INTO {role_assignments} (roleid, contextid, userid, component, itemid) "
        "VALUES (?, ?, ?, '', 0)",
        kEditingTeacher, m.ctx, u2);
    Enrol(m, u3, kStudent, 1);
    int64_t in_m = *site.db->QueryInt(
        "INSERT INTO {enrol} (enrol, status, courseid, customint1) VALUES ('meta', 0, ?, ?) "
        "RETURNING id",
        m.id, other.id);
    site.db->Execute("INSERT INTO {user_enrolments} (enrolid, userid) VALUES (?, ?)", in_m, u4);
    site.db->Execute(
        "INSERT INTO {role_assignments} (roleid, contextid, userid, component, itemid) "
        "VALUES (?, ?, ?, 'enrol_meta', ?)",
        kStudent, m.ctx, u4, in_m);
    site.db->Execute(
        "INSERT INTO {role_assignments} (roleid, contextid, userid, component, itemid) "
        "VALUES (?, ?, ?, '', 0)",
        kTeacher, m.ctx, u5);
  }

  C m, p, other;
  int64_t u1 = 0, u2 = 0, u3 = 0, u4 = 0, u5 = 0;
};

TEST_F(MetasTaskTest, AddCreatesTheMetaInstanceAndSyncsItLikeMoodle) {
  Populate();
  auto r = Run("master;meta\nM;P\n");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].status, Status::kLinked) << r.ToText();
  EXPECT_EQ(r.lines[0].identifier, "M -> P");
  EXPECT_EQ(r.ExitCode(), 0);
  int64_t inst = Instance(p, m);
  ASSERT_GT(inst, 0);
  EXPECT_EQ(r.lines[0].id, inst);
  EXPECT_EQ(Rows("SELECT status, roleid, customint2, sortorder FROM {enrol} WHERE id=" +
                 std::to_string(inst)),
            "0:0:0:1");
  // u1 active, u2 active with the child's dates, u3 suspended; not u4 (meta), not u5.
  EXPECT_EQ(MetaEnrolments(inst), std::to_string(u1) + ":0:0:0 " + std::to_string(u2) +
                                      ":0:1000:5000 " + std::to_string(u3) + ":1:0:0");
  EXPECT_EQ(MetaRoles(inst, p), std::to_string(u1) + ":5 " + std::to_string(u2) + ":3 " +
                                    std::to_string(u2) + ":4 " + std::to_string(u3) + ":5");
  EXPECT_NE(r.lines[0].message.find("created"), std::string::npos);
  EXPECT_EQ(r.summary["enrolments_added"], 3);
  EXPECT_EQ(r.summary["roles_added"], 4);
}

TEST_F(MetasTaskTest, ReRunningTheSameFileChangesNothing) {
  Populate();
  Run("master;meta;cmd\nM;P;add\nOTHER;P\n");
  std::string after_first = site.Dump();
  auto r = Run("master;meta;cmd\nM;P;add\nOTHER;P\n");
  EXPECT_EQ(r.Count(Status::kSkipped), 2) << r.ToText();
  EXPECT_EQ(r.lines[0].message, "already linked");
  EXPECT_EQ(site.Dump(), after_first);
  // The same for del.
  Run("master;meta;cmd\nM;P;del\n");
  std::string after_del = site.Dump();
  auto r2 = Run("master;meta;cmd\nM;P;del\n");
  EXPECT_EQ(r2.lines[0].status, Status::kSkipped);
  EXPECT_EQ(site.Dump(), after_del);
  // And for a pair that was never linked.
  auto r3 = Run("master;meta;cmd\nP;OTHER;del\n");
  EXPECT_EQ(r3.lines[0].status, Status::kSkipped);
  EXPECT_EQ(r3.lines[0].message, "not linked");
}

TEST_F(MetasTaskTest, DelDisablesTheLinkAndRemovesWhatItBrought) {
  Populate();
  // u1 is also enrolled in P by hand, with a role there.
  Enrol(p, u1, kStudent);
  Run("master;meta\nM;P\n");
  int64_t inst = Instance(p, m);
  auto r = Run("master;meta;cmd\nM;P;del\n");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].status, Status::kUnlinked) << r.ToText();
  EXPECT_EQ(r.lines[0].id, inst);
  EXPECT_EQ(Int("SELECT status FROM {enrol} WHERE id=" + std::to_string(inst)), 1);
  EXPECT_EQ(site.Count("user_enrolments", "enrolid=" + std::to_string(inst)), 0);
  EXPECT_EQ(
      site.Count("role_assignments", "component='enrol_meta' AND itemid=" + std::to_string(inst)),
      0);
  // u1 keeps the manual enrolment and its role; u2 and u3 have no role left in P.
  EXPECT_EQ(site.Count("user_enrolments", "enrolid=" + std::to_string(p.manual)), 1);
  EXPECT_EQ(site.Count("role_assignments", "contextid=" + std::to_string(p.ctx)), 1);
  EXPECT_EQ(site.Count("role_assignments",
                       "contextid=" + std::to_string(p.ctx) + " AND userid=" + std::to_string(u1)),
            1);
  // The child is untouched.
  EXPECT_EQ(site.Count("user_enrolments", "enrolid=" + std::to_string(m.manual)), 3);
  EXPECT_NE(r.lines[0].message.find("3 enrolment(s) and 4 role assignment(s) removed"),
            std::string::npos)
      << r.lines[0].message;
}

TEST_F(MetasTaskTest, AddReEnablesADisabledLinkAndResyncs) {
  Populate();
  Run("master;meta\nM;P\n");
  int64_t inst = Instance(p, m);
  Run("master;meta;cmd\nM;P;del\n");
  // Meanwhile u3's child enrolment becomes active and u1 leaves the child.
  site.db->Execute("UPDATE {user_enrolments} SET status=0 WHERE userid=? AND enrolid=?", u3,
                   m.manual);
  site.db->Execute("DELETE FROM {user_enrolments} WHERE userid=? AND enrolid=?", u1, m.manual);
  auto r = Run("master;meta\nM;P\n");
  EXPECT_EQ(r.lines[0].status, Status::kLinked) << r.ToText();
  EXPECT_NE(r.lines[0].message.find("re-enabled"), std::string::npos);
  EXPECT_EQ(Instance(p, m), inst);
  EXPECT_EQ(site.Count("enrol", "enrol='meta' AND courseid=" + std::to_string(p.id)), 1);
  EXPECT_EQ(Int("SELECT status FROM {enrol} WHERE id=" + std::to_string(inst)), 0);
  EXPECT_EQ(MetaEnrolments(inst),
            std::to_string(u2) + ":0:1000:5000 " + std::to_string(u3) + ":0:0:0");
  EXPECT_EQ(MetaRoles(inst, p),
            std::to_string(u2) + ":3 " + std::to_string(u2) + ":4 " + std::to_string(u3) + ":5");
}

TEST_F(MetasTaskTest, ReEnablingAlignsLeftoverEnrolmentsAndRoles) {
  Populate();
  Run("master;meta\nM;P\n");
  int64_t inst = Instance(p, m);
  // The link was disabled elsewhere (as Moodle's UI does), leaving its rows behind; then the
  // child changed: u1 left, u2 lost the editing teacher role.
  site.db->Execute("UPDATE {enrol} SET status=1 WHERE id=?", inst);
  site.db->Execute("DELETE FROM {user_enrolments} WHERE userid=? AND enrolid=?", u1, m.manual);
  site.db->Execute("DELETE FROM {role_assignments} WHERE userid=? AND contextid=? AND roleid=?", u2,
                   m.ctx, kEditingTeacher);
  auto r = Run("master;meta\nM;P\n");
  EXPECT_EQ(r.lines[0].status, Status::kLinked) << r.ToText();
  // u1 is suspended (Moodle's default unenrol action) and loses the roles of the link.
  EXPECT_EQ(MetaEnrolments(inst), std::to_string(u1) + ":1:0:0 " + std::to_string(u2) +
                                      ":0:1000:5000 " + std::to_string(u3) + ":1:0:0");
  EXPECT_EQ(MetaRoles(inst, p), std::to_string(u2) + ":4 " + std::to_string(u3) + ":5");
  EXPECT_EQ(r.summary["enrolments_suspended"], 1);
  EXPECT_EQ(r.summary["roles_removed"], 2);
}

TEST_F(MetasTaskTest, InvalidLinesFailWithAClearReasonAndGoToTheTryback) {
  Populate();
  Run("master;meta\nM;P\n");  // P receives M
  auto r =
      Run("master;meta;cmd\n"
          "M;M\n"            // self
          "NOPE;P\n"         // unknown master
          "M;NOPE\n"         // unknown meta
          "P;M\n"            // cycle: M would receive P, which already receives M
          "M;P;purge\n"      // bad cmd
          ";P\n"             // empty master
          "M;OTHER;add;x\n"  // too many values
          "OTHER;M\n");      // fine (M already receives OTHER through its own meta link: skipped)
  ASSERT_EQ(r.lines.size(), 8u) << r.ToText();
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ(r.lines[i].status, Status::kFailed) << i;
  EXPECT_EQ(r.lines[0].message, "a course cannot be linked to itself ('M')");
  EXPECT_EQ(r.lines[1].message, "master: no course with shortname 'NOPE'");
  EXPECT_EQ(r.lines[2].message, "meta: no course with shortname 'NOPE'");
  EXPECT_EQ(r.lines[3].message,
            "linking would make a cycle: 'P' is already a metacourse of 'M' (P > M)");
  EXPECT_EQ(r.lines[4].message, "unknown cmd 'purge': expected add or del");
  EXPECT_EQ(r.lines[5].message, "empty master (shortname)");
  EXPECT_EQ(r.lines[6].message, "4 values found, 3 expected");
  EXPECT_EQ(r.lines[7].status, Status::kSkipped);
  EXPECT_EQ(r.ExitCode(), 1);
  ASSERT_TRUE(r.tryback_path.has_value());
  EXPECT_EQ(ReadFile(*r.tryback_path),
            "master;meta;cmd\nM;M\nNOPE;P\nM;NOPE\nP;M\nM;P;purge\n;P\nM;OTHER;add;x\n");
}

TEST_F(MetasTaskTest, SiteCourseAndLongCycles) {
  Populate();
  C a = Course("A"), b = Course("B"), c = Course("C");
  TaskOptions o;
  o.identifier = "id";
  auto site_line = Run("master;meta\n1;" + std::to_string(p.id) + "\n", o);
  EXPECT_EQ(site_line.lines[0].status, Status::kFailed);
  EXPECT_EQ(site_line.lines[0].message, "master: the site course cannot be part of a meta link");
  // A receives B, B receives C; C receiving A would close the loop.
  auto r = Run("master;meta\nB;A\nC;B\nA;C\n");
  EXPECT_EQ(r.lines[0].status, Status::kLinked);
  EXPECT_EQ(r.lines[1].status, Status::kLinked);
  EXPECT_EQ(r.lines[2].status, Status::kFailed);
  EXPECT_EQ(r.lines[2].message,
            "linking would make a cycle: 'A' is already a metacourse of 'C' (A > B > C)");
  // Once B -> C is disabled the same link is fine.
  auto r2 = Run("master;meta;cmd\nC;B;del\nA;C;add\n");
  EXPECT_EQ(r2.lines[0].status, Status::kUnlinked);
  EXPECT_EQ(r2.lines[1].status, Status::kLinked) << r2.ToText();
  EXPECT_GT(Instance(c, a), 0);
  (void)b;
}

TEST_F(MetasTaskTest, HeaderIsRequiredAndChecked) {
  Populate();
  std::string before = site.Dump();
  auto rejected = [&](const std::string& content, const std::string& expect) {
    try {
      Run(content);
      ADD_FAILURE() << "not rejected: " << content;
    } catch (const Rejected& e) {
      EXPECT_NE(std::string(e.what()).find(expect), std::string::npos) << e.what();
    }
  };
  rejected("M;P\n", "unknown column(s) 'M', 'P'");
  rejected("master;meta;course\nM;P\n", "unknown column(s) 'course'");
  rejected("master;meta;Meta\nM;P\n", "duplicate column(s) 'meta'");
  rejected("master;cmd\nM;add\n", "missing required column(s) 'meta'");
  rejected("master,meta\nM,P\n", "invalid separator detected");
  rejected("", "empty");
  EXPECT_EQ(site.Dump(), before);
  // Names are trimmed and case-insensitive; the columns may come in any order.
  auto r = Run(" CMD ; Meta ;MASTER\nadd;P;M\n");
  EXPECT_EQ(r.lines[0].status, Status::kLinked) << r.ToText();
}

TEST_F(MetasTaskTest, IdentifierSettingAppliesToBothColumns) {
  Populate();
  Settings(*site.db).Set("courses_filemetabindingidentifier", "idnumber");
  auto r = Run("master;meta\nID-M;ID-P\n");
  EXPECT_EQ(r.lines[0].status, Status::kLinked) << r.ToText();
  EXPECT_GT(Instance(p, m), 0);
}

TEST_F(MetasTaskTest, SimulateGivesTheSameReportAndChangesNothing) {
  Populate();
  Run("master;meta\nOTHER;P\n");
  std::string before = site.Dump();
  std::string file = "master;meta;cmd\nM;P\nOTHER;P;del\nM;M\nM;P\n";
  TaskOptions o;
  o.simulate = true;
  auto sim = Run(file, o);
  EXPECT_EQ(site.Dump(), before);
  EXPECT_FALSE(sim.tryback_path.has_value());
  EXPECT_FALSE(sim.report_path.has_value());
  auto real = Run(file);
  ASSERT_EQ(sim.lines.size(), real.lines.size());
  for (size_t i = 0; i < sim.lines.size(); ++i) {
    EXPECT_EQ(sim.lines[i].status, real.lines[i].status) << i;
    EXPECT_EQ(sim.lines[i].message, real.lines[i].message) << i;
  }
  EXPECT_EQ(sim.Totals(), real.Totals());
  EXPECT_EQ(real.lines[3].status, Status::kSkipped);  // linked by line 2 of the same run
}

TEST_F(MetasTaskTest, PrintsTheContractJson) {
  Populate();
  auto r = Run("master;meta\nM;P\nM;M\n");
  nlohmann::json j = r.ToJson();
  EXPECT_EQ(j["task"], "metas");
  EXPECT_EQ(j["file"], "metacourses.csv");
  EXPECT_EQ(j["totals"], nlohmann::json({{"read", 2}, {"linked", 1}, {"failed", 1}}));
  EXPECT_EQ(j["lines"][0]["line"], 2);
  EXPECT_EQ(j["lines"][0]["status"], "linked");
  EXPECT_EQ(j["lines"][1]["status"], "failed");
  EXPECT_TRUE(j["report"].is_string());
  EXPECT_TRUE(j["tryback"].is_string());
}

}  // namespace
}  // namespace cs::sync
