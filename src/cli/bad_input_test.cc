// The bad-input corpus (issue 9): every command file fed what real exports get wrong (empty
// files, bare headers, binary data, NUL bytes, a 100 MB line, a wrong separator, mixed or invalid
// encodings, duplicate and unknown columns, overlong values, SQL and HTML, a 200-level category
// path, identifiers with leading zeros), through the real coursesync binary. Each case checks the
// exit status of the contract, a message naming the file (and the line and column where one
// applies), and, with a dump of the whole database, that a rejected file changed nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sync/settings.h"
#include "sync/tasks.h"
#include "sync/test_support.h"

namespace cs::cli {
namespace {

using cs::testing::CliResult;
using cs::testing::RunCoursesync;
using cs::testing::TempSite;
namespace fs = std::filesystem;

const std::vector<std::string> kTasks = {"create", "delete", "check", "reset", "metas"};

// A minimal valid header for the tasks that need one.
std::string HeaderOf(const std::string& task) {
  if (task == "create") return "shortname;fullname";
  if (task == "reset") return "shortname;events";
  if (task == "metas") return "master;meta";
  return "shortname";
}

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A few courses to find, delete, reset and link: C1..C3 (idnumbers I1..I3), and "7", whose
    // shortname and idnumber look like the leading-zero identifiers of the tests.
    std::string seed =
        "shortname;fullname;idnumber;category\nC1;One;I1;Cat\nC2;Two;I2;Cat/Sub\n"
        "C3;Three;I3;Cat\n7;Seven;7;Cat\n";
    sync::TaskOptions o;
    o.file = site.WriteFile("seed.csv", seed).string();
    ASSERT_EQ(sync::RunCreate(*site.db, *site.area, o).ExitCode(), 0);
    // A deletion of one course in four must not trip the safety threshold.
    sync::Settings(*site.db).Set("courses_deletethreshold", "100");
    fs::create_directories(site.dir / "in");
  }

  // Writes `content` to <site>/in/<name> (outside the file area: the run never moves it).
  fs::path Write(const std::string& name, const std::string& content) {
    fs::path p = site.dir / "in" / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  CliResult Run(const std::string& args) {
    return RunCoursesync("--data " + site.dir.string() + " " + site.DbArg() + " " + args);
  }

  // Runs `task` on a file holding `content`; expects exit 2, a one-line message on stderr naming
  // the file and holding every one of `expect`, and no change at all in the database.
  void ExpectRejected(const std::string& task, const std::string& name, const std::string& content,
                      const std::vector<std::string>& expect, const std::string& extra = "") {
    ExpectFileRejected(task, Write(name, content), expect, extra);
  }
  void ExpectFileRejected(const std::string& task, const fs::path& file,
                          const std::vector<std::string>& expect, const std::string& extra = "") {
    const std::string name = file.filename().string();
    SCOPED_TRACE(task + " " + name);
    std::string before = site.Dump();
    CliResult r = Run(task + " " + file.string() + " " + extra);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(name), std::string::npos) << r.err;
    for (const auto& e : expect) {
      EXPECT_NE(r.err.find(e), std::string::npos) << e << " in " << r.err;
    }
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_LT(r.err.size(), 1000u);
    EXPECT_EQ(site.Dump(), before);
  }

  // Runs `task` with --format json; expects `exit_code` and returns the report. `unchanged`:
  // the database must be as before (every line failed or was a no-op).
  nlohmann::json RunJson(const std::string& task, const std::string& name,
                         const std::string& content, int exit_code, bool unchanged,
                         const std::string& extra = "") {
    std::string before = unchanged ? site.Dump() : "";
    fs::path f = Write(name, content);
    CliResult r = Run("--format json " + task + " " + f.string() + " " + extra);
    EXPECT_EQ(r.exit_code, exit_code) << task << " " << name << ": " << r.out << r.err;
    if (unchanged) {
      EXPECT_EQ(site.Dump(), before) << task << " " << name;
    }
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    if (!j.is_discarded()) {
      EXPECT_NE(j.value("file", "").find(name), std::string::npos) << r.out;
    }
    return j;
  }

  std::string Text(const std::string& sql) {
    auto st = site.db->Prepare(sql);
    return st->Step() ? st->Text(0) : std::string("<no row>");
  }

  TempSite site;
};

TEST_F(BadInputTest, EmptyFile) {
  for (const std::string task : {"create", "reset", "metas"}) {
    ExpectRejected(task, task + "-empty.csv", "", {"empty"});
  }
  // The deletion and check files have an optional header: an empty one is a run with nothing to
  // do (exit 0), which says so.
  for (const std::string task : {"delete", "check"}) {
    auto j = RunJson(task, task + "-empty.csv", "", 0, true);
    EXPECT_EQ(j["totals"]["read"], 0) << task;
  }
  auto d = Run("delete " + Write("delete-empty2.csv", "").string());
  EXPECT_NE(d.out.find("holds no identifier"), std::string::npos) << d.out;
}

TEST_F(BadInputTest, HeaderOnly) {
  for (const auto& task : kTasks) {
    auto j = RunJson(task, task + "-header.csv", HeaderOf(task) + "\n", 0, true);
    EXPECT_EQ(j["totals"]["read"], 0) << task;
  }
}

TEST_F(BadInputTest, BinaryGarbage) {
  // The start of a PNG file, then random-looking bytes.
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0", 20);
  for (int i = 0; i < 200; ++i) png.push_back(static_cast<char>((i * 73 + 41) % 256));
  for (const auto& task : kTasks) {
    ExpectRejected(task, task + "-binary.csv", png, {"line 1, column 1", "0x89"});
  }
  // A UTF-16 file: told apart from other garbage.
  ExpectRejected("create", "utf16.csv", std::string("\xFF\xFEs\0h\0", 6), {"UTF-16"});
}

TEST_F(BadInputTest, NulBytes) {
  for (const auto& task : kTasks) {
    std::string content = HeaderOf(task) + "\nC1" + std::string("\0x", 2) + ";C2\n";
    ExpectRejected(task, task + "-nul.csv", content, {"line 2, column 3", "NUL byte"});
  }
}

TEST_F(BadInputTest, HundredMegabyteLine) {
  // One line of 100 MB, no line break: not a command file. Refused at once, without holding it.
  // (One file at a time on disk, removed at once.)
  fs::path huge = Write("huge.csv", std::string(100 << 20, 'A'));
  for (const auto& task : kTasks) ExpectFileRejected(task, huge, {"line 1", "longer than 16 MiB"});
  fs::remove(huge);
  // The same line after a good header and a good line: nothing of the file is applied.
  huge =
      Write("huge2.csv", "shortname;fullname\nH1;Fine\nH2;" + std::string(100 << 20, 'A') + "\n");
  ExpectFileRejected("create", huge, {"line 3", "longer than 16 MiB"});
  fs::remove(huge);
}

TEST_F(BadInputTest, WrongSeparator) {
  ExpectRejected("create", "create-sep.csv", "shortname,fullname\nX,Y\n",
                 {"line 1", "invalid separator", "','"});
  ExpectRejected("reset", "reset-sep.csv", "shortname,events\nC1,yes\n",
                 {"line 1", "invalid separator"});
  ExpectRejected("metas", "metas-sep.csv", "master\tmeta\nC1\tC2\n",
                 {"line 1", "invalid separator"});
  // Identifier files: a header naming the identifier, then another separator.
  ExpectRejected("delete", "delete-sep.csv", "shortname,comment\nC1,old\n",
                 {"line 1", "invalid separator"});
  ExpectRejected("check", "check-sep.csv", "idnumber:description\nI1:x\n",
                 {"line 1", "invalid separator"}, "--identifier idnumber");
  // The setting (or --separator) says comma: accepted.
  auto j = RunJson("check", "check-comma.csv", "shortname,description\nC1,x\n", 0, true,
                   "--separator ,");
  EXPECT_EQ(j["totals"]["found"], 1);
}

TEST_F(BadInputTest, MixedEncodings) {
  // A UTF-8 file with one line pasted from a Latin-1 export: rejected whole, though line 2 is
  // good.
  for (const auto& task : kTasks) {
    std::string value = task == "reset" ? "yes" : "\xC3\xA9t\xC3\xA9";  // a valid cell
    std::string content = HeaderOf(task) + "\nC1;" + value + "\nC2;\xC9t\xE9\n";
    if (task == "delete" || task == "check")
      content =
          "shortname\nC1\nC\xE9"
          "2\n";
    ExpectRejected(task, task + "-mixed.csv", content,
                   {"line 3", "invalid UTF-8 byte", "ISO-8859-1"});
  }
  // Windows-1252 has five undefined bytes.
  ExpectRejected("create", "create-cp1252.csv", "shortname;fullname\nW1;ok\x80\nW2;bad\x81\n",
                 {"line 3, column 7", "0x81", "Windows-1252"}, "--encoding Windows-1252");
  // The same bytes read as ISO-8859-1 are text: accepted, and stored as UTF-8.
  auto j = RunJson("create", "create-latin1.csv", "shortname;fullname\nL1;\xC9t\xE9\n", 0, false,
                   "--encoding ISO-8859-1");
  EXPECT_EQ(j["totals"]["created"], 1);
  EXPECT_EQ(Text("SELECT fullname FROM {course} WHERE shortname = 'L1'"), "\xC3\x89t\xC3\xA9");
}

TEST_F(BadInputTest, InvalidUtf8) {
  struct Case {
    std::string bytes, column;
  };
  // An overlong '/', a UTF-16 surrogate, a lone continuation byte, a sequence cut short.
  for (const Case& c : std::vector<Case>{{"ab\xC0\xAF", "column 6"},
                                         {"\xED\xA0\x80", "column 4"},
                                         {"x\x80y", "column 5"},
                                         {"\xE2\x82", "column 4"}}) {
    for (const auto& task : kTasks) {
      std::string content = HeaderOf(task) + "\nC1;" + c.bytes + "\n";
      if (task == "delete" || task == "check") content = "shortname\nC1;" + c.bytes + "\n";
      ExpectRejected(task, task + "-utf8.csv", content, {"line 2, " + c.column, "invalid UTF-8"});
    }
  }
}

TEST_F(BadInputTest, DuplicateColumns) {
  ExpectRejected("create", "create-dup.csv", "shortname;fullname;ShortName\nX;Y;Z\n",
                 {"line 1, column 3", "'shortname' appears twice"});
  ExpectRejected("reset", "reset-dup.csv", "shortname;events; EVENTS\nC1;yes;no\n",
                 {"line 1", "column 3", "'events' already appears in column 2"});
  ExpectRejected("metas", "metas-dup.csv", "master;meta;master\nC1;C2;C3\n",
                 {"line 1", "duplicate column(s) 'master'"});
  // The header may follow comment lines: the line named is the header's.
  ExpectRejected("create", "create-dup2.csv",
                 "# export of 2026-01-01\nshortname;fullname;fullname\n",
                 {"line 2, column 3", "appears twice"});
}

TEST_F(BadInputTest, UnknownColumns) {
  ExpectRejected("create", "create-unknown.csv", "shortname;fullname;colour\nX;Y;red\n",
                 {"line 1, column 3", "unknown column 'colour'"});
  ExpectRejected("reset", "reset-unknown.csv", "shortname;events;colour\nC1;yes;red\n",
                 {"line 1", "column 3", "unknown column 'colour'"});
  ExpectRejected("metas", "metas-unknown.csv", "master;meta;colour\nC1;C2;red\n",
                 {"line 1", "unknown column(s) 'colour'"});
  // An absurdly long column name is not echoed whole.
  ExpectRejected("create", "create-longcol.csv",
                 "shortname;fullname;" + std::string(5000, 'x') + "\n", {"unknown column"});
}

TEST_F(BadInputTest, OverlongValues) {
  std::string s256(256, 'S'), f1334(1334, 'F'), i101(101, '1'), c256(256, 'K');
  struct Case {
    std::string line, where;
  };
  for (const Case& c : std::vector<Case>{
           {s256 + ";Full;;", "column 1 (shortname): longer than 255 characters"},
           {"OK1;" + f1334 + ";;", "column 2 (fullname): longer than 1333 characters"},
           {"OK2;Full;" + i101 + ";", "column 3 (idnumber): longer than 100 characters"},
           {"OK3;Full;;A/" + c256, "column 4 (category): category name longer than 255"}}) {
    auto j = RunJson("create", "create-long.csv", "shortname;fullname;idnumber;category\n" + c.line,
                     1, true);
    ASSERT_EQ(j["lines"].size(), 1u);
    EXPECT_EQ(j["lines"][0]["line"], 2);
    EXPECT_EQ(j["lines"][0]["status"], "failed");
    EXPECT_NE(j["lines"][0]["message"].get<std::string>().find(c.where), std::string::npos)
        << j["lines"][0]["message"];
  }
  // Several characters per byte: the limit counts characters, so 255 'é' fit.
  std::string e255;
  for (int i = 0; i < 255; ++i) e255 += "\xC3\xA9";
  auto ok = RunJson("create", "create-long2.csv", "shortname;fullname\n" + e255 + ";x\n", 0, false);
  EXPECT_EQ(ok["totals"]["created"], 1);
  // An identifier longer than any course's names none of them.
  EXPECT_EQ(RunJson("delete", "delete-long.csv", s256 + "\n", 1, true)["lines"][0]["status"],
            "missing");
  EXPECT_EQ(RunJson("check", "check-long.csv", s256 + "\n", 0, true)["lines"][0]["status"],
            "missing");
  EXPECT_EQ(RunJson("reset", "reset-long.csv", "shortname;events\n" + s256 + ";yes\n", 1,
                    true)["lines"][0]["status"],
            "failed");
  EXPECT_EQ(RunJson("metas", "metas-long.csv", "master;meta\n" + s256 + ";C1\n", 1,
                    true)["lines"][0]["status"],
            "failed");
}

TEST_F(BadInputTest, SqlAndHtmlAreStoredVerbatim) {
  const std::string sn = "x'); DROP TABLE mdl_course;--";
  const std::string fn = "<script>alert('x')</script> & \"quoted\" \\ back\\slash";
  const std::string idn = "' OR '1'='1";
  const std::string summary = "<p onclick=\"evil()\">50% off_ %_ ;</p>\n-- comment /* c */";
  // ('/' separates categories: "<\\/b>" is the name "</b>".)
  const std::string cat = "Robert'); DELETE FROM mdl_course_categories;-- / <b>Bold<\\/b> &amp;";
  const std::string topic = "<i>Week</i> '1'|<img src=x onerror=alert(1)> \"2\"";
  auto quote = [](const std::string& v) {
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::string file = "shortname;fullname;idnumber;summary;category;topic1\n" + quote(sn) + ";" +
                     quote(fn) + ";" + quote(idn) + ";" + quote(summary) + ";" + quote(cat) + ";" +
                     quote(topic) + "\n";
  int64_t courses = site.Count("course");
  auto j = RunJson("create", "create-sql.csv", file, 0, false);
  EXPECT_EQ(j["totals"]["created"], 1) << j.dump();
  EXPECT_EQ(site.Count("course"), courses + 1);
  auto one = [&](const std::string& col) {
    auto st = site.db->Prepare("SELECT " + col + " FROM {course} WHERE idnumber = ?");
    st->Bind(1, idn);
    return st->Step() ? st->Text(0) : std::string("<no row>");
  };
  EXPECT_EQ(one("shortname"), sn);
  EXPECT_EQ(one("fullname"), fn);
  EXPECT_EQ(one("summary"), summary);
  EXPECT_EQ(Text("SELECT name FROM {course_categories} WHERE name LIKE 'Robert%'"),
            "Robert'); DELETE FROM mdl_course_categories;--");
  EXPECT_EQ(Text("SELECT name FROM {course_categories} WHERE name LIKE '<b>%'"),
            "<b>Bold</b> &amp;");
  EXPECT_EQ(Text("SELECT name FROM {course_sections} WHERE section = 1 AND name LIKE '<i>%'"),
            "<i>Week</i> '1'");
  EXPECT_EQ(Text("SELECT summary FROM {course_sections} WHERE section = 1 AND name LIKE '<i>%'"),
            "<img src=x onerror=alert(1)> \"2\"");
  // The listing prints the values as stored.
  auto listed = nlohmann::json::parse(Run("--format json courses").out);
  bool seen = false;
  for (const auto& c : listed) {
    if (c["shortname"] == sn) {
      seen = true;
      EXPECT_EQ(c["fullname"], fn);
      EXPECT_EQ(c["categorypath"],
                "Robert'); DELETE FROM mdl_course_categories;--/<b>Bold<\\/b> &amp;");
    }
  }
  EXPECT_TRUE(seen);

  // The same values as identifiers: found, reset and linked exactly; LIKE wildcards match nothing.
  auto chk =
      RunJson("check", "check-sql.csv",
              "shortname\n" + quote(sn) + "\n%\n_\nC%\n" + quote("' OR 1=1 --") + "\n", 0, true);
  EXPECT_EQ(chk["totals"]["found"], 1);
  EXPECT_EQ(chk["totals"]["missing"], 4);
  auto rs = RunJson("reset", "reset-sql.csv", "idnumber;events\n" + quote(idn) + ";yes\n", 0, false,
                    "--identifier idnumber");
  EXPECT_EQ(rs["totals"]["reset"], 1) << rs.dump();
  auto mt = RunJson("metas", "metas-sql.csv", "master;meta\nC1;" + quote(sn) + "\n", 0, false);
  EXPECT_EQ(mt["totals"]["linked"], 1) << mt.dump();
  // Deleting by a wildcard removes nothing; by the odd idnumber, exactly that course.
  EXPECT_EQ(RunJson("delete", "delete-wild.csv", "idnumber\n%\n", 1, true,
                    "--identifier idnumber")["totals"]["missing"],
            1);
  auto del = RunJson("delete", "delete-sql.csv", "idnumber\n" + quote(idn) + "\n", 0, false,
                     "--identifier idnumber");
  EXPECT_EQ(del["totals"]["deleted"], 1);
  EXPECT_EQ(site.Count("course"), courses);
  EXPECT_EQ(site.Count("course", "shortname = 'C1'"), 1);
}

TEST_F(BadInputTest, CategoryPathOf200Levels) {
  std::string path;
  for (int i = 1; i <= 200; ++i) path += (i > 1 ? "/L" : "L") + std::to_string(i);
  auto j = RunJson("create", "create-deep.csv",
                   "shortname;fullname;category\nD1;Deep;" + path + "\n", 1, true);
  ASSERT_EQ(j["lines"].size(), 1u);
  std::string msg = j["lines"][0]["message"];
  EXPECT_NE(msg.find("column 3 (category)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("200 levels"), std::string::npos) << msg;
  EXPECT_LT(msg.size(), 300u) << msg;
  // A deep but reasonable path is fine.
  auto ok =
      RunJson("create", "create-deep2.csv",
              "shortname;fullname;category\nD2;Deep;L1/L2/L3/L4/L5/L6/L7/L8/L9/L10\n", 0, false);
  EXPECT_EQ(ok["totals"]["created"], 1);
}

TEST_F(BadInputTest, LeadingZerosAreText) {
  auto j = RunJson("create", "create-zeros.csv",
                   "shortname;fullname;idnumber;category\n007;Bond;007;0042\n", 0, false);
  EXPECT_EQ(j["totals"]["created"], 1) << j.dump();
  EXPECT_EQ(Text("SELECT idnumber FROM {course} WHERE shortname = '007'"), "007");
  // '0042' is a category name, not category id 42.
  EXPECT_EQ(Text("SELECT c.name FROM {course} co JOIN {course_categories} c ON c.id = co.category "
                 "WHERE co.shortname = '007'"),
            "0042");
  // '007' names the course '007', never the course '7' (nor course id 7).
  auto chk = RunJson("check", "check-zeros.csv", "shortname\n007\n07\n", 0, true);
  EXPECT_EQ(chk["lines"][0]["status"], "found");
  EXPECT_EQ(chk["lines"][0]["details"]["shortname"], "007");
  EXPECT_EQ(chk["lines"][1]["status"], "missing");
  auto byid = RunJson("check", "check-zeros-id.csv", "id\n007\n", 0, true, "--identifier id");
  EXPECT_NE(byid["lines"][0]["status"], "found") << byid.dump();
  auto del =
      RunJson("delete", "delete-zeros.csv", "idnumber\n0007\n", 1, true, "--identifier idnumber");
  EXPECT_EQ(del["totals"]["missing"], 1);
  auto delid = RunJson("delete", "delete-zeros-id.csv", "id\n02\n", 1, true, "--identifier id");
  EXPECT_EQ(delid["totals"].value("deleted", 0), 0);
  EXPECT_EQ(delid["lines"][0]["message"], "'02' is not a course id") << delid.dump();
  EXPECT_EQ(site.Count("course", "shortname IN ('7', '007')"), 2);
}

}  // namespace
}  // namespace cs::cli
