// End-to-end tests of the coursesync binary: exit codes, messages and JSON (contract §1-§5).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "sync/test_support.h"

namespace cs::cli {
namespace {

using cs::testing::CliResult;
using cs::testing::MakeTempDir;
using cs::testing::RunCoursesync;
namespace fs = std::filesystem;

class CliTest : public ::testing::Test {
 protected:
  fs::path dir = MakeTempDir("cs-clitest");
  // "" on SQLite; --db with a fresh database when the suite runs against PostgreSQL.
  std::string db_arg = cs::testing::TestDbArg();
  std::string data() const { return (dir / "data").string(); }
  CliResult Run(const std::string& args, const std::string& input = "") {
    return RunCoursesync("--data " + data() + " " + db_arg + " " + args, input);
  }
  fs::path Write(const std::string& name, const std::string& content) {
    fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

TEST_F(CliTest, HelpEverywhere) {
  for (std::string cmd : {"", "init", "config", "config set", "create", "courses", "categories"}) {
    auto r = Run(cmd + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd << r.out;
  }
}

TEST_F(CliTest, UsageErrorsAreOneLineAndExit2) {
  struct Case {
    std::string args, expect;
  };
  for (const Case& c : std::vector<Case>{{"frobnicate", "frobnicate"},
                                         {"create --bogus", "--bogus"},
                                         {"config get", "KEY"},
                                         {"config set csvseparator", "VALUE"},
                                         {"--format xml courses", "xml"},
                                         {"create --identifier email x.csv", "email"},
                                         {"", "subcommand"}}) {
    auto r = Run(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.args << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(CliTest, InitTwiceIsANoOp) {
  auto a = Run("init");
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_NE(a.out.find("initialised"), std::string::npos);
  auto b = Run("init");
  EXPECT_EQ(b.exit_code, 0);
  EXPECT_NE(b.out.find("already"), std::string::npos);
  if (db_arg.empty()) {
    EXPECT_TRUE(fs::exists(dir / "data" / "coursesync.db"));
  }
  EXPECT_TRUE(fs::is_directory(dir / "data" / "files" / "archives"));
}

TEST_F(CliTest, ConfigGetSetListAndValidation) {
  EXPECT_EQ(Run("config get csvseparator").out, ";\n");
  EXPECT_EQ(Run("config get courses_deletethreshold").out, "10\n");
  auto s = Run("config set csvseparator tab");
  EXPECT_EQ(s.exit_code, 0);
  EXPECT_EQ(Run("config get csvseparator").out, "tab\n");
  auto bad = Run("config set csvseparator '|'");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("csvseparator"), std::string::npos);
  EXPECT_EQ(Run("config get csvseparator").out, "tab\n");
  auto unknown = Run("config get nosuchkey");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown setting 'nosuchkey'"), std::string::npos);
  auto loc = Run("config set courses_fileuploadlocation ../../etc/passwd");
  EXPECT_EQ(loc.exit_code, 2);
  auto list = Run("--format json config list");
  auto j = nlohmann::json::parse(list.out);
  EXPECT_EQ(j["encoding"], "UTF-8");
  EXPECT_EQ(j["courses_fileuploadidentifier"], "shortname");
  EXPECT_EQ(j.size(), 24u);  // every key of contract §4
}

TEST_F(CliTest, CreateJsonFollowsTheContract) {
  auto f = Write("c.csv", "shortname;fullname;category\nC1;One;A/B\nC2;;A\n");
  auto r = Run("create " + f.string() + " --format json");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["task"], "create");
  EXPECT_EQ(j["simulate"], false);
  EXPECT_EQ(j["totals"]["read"], 2);
  EXPECT_EQ(j["totals"]["created"], 1);
  EXPECT_EQ(j["totals"]["failed"], 1);
  ASSERT_EQ(j["lines"].size(), 2u);
  EXPECT_EQ(j["lines"][0]["line"], 2);
  EXPECT_EQ(j["lines"][0]["identifier"], "C1");
  EXPECT_EQ(j["lines"][0]["status"], "created");
  EXPECT_TRUE(j["lines"][0]["id"].is_number());
  EXPECT_EQ(j["lines"][1]["line"], 3);
  EXPECT_EQ(j["lines"][1]["status"], "failed");
  EXPECT_TRUE(j["report"].is_string());
  EXPECT_EQ(j["report"].get<std::string>().rfind("files/reports/", 0), 0u);
  EXPECT_EQ(j["tryback"].get<std::string>().rfind("files/failed/", 0), 0u);
  EXPECT_TRUE(fs::exists(dir / "data" / j["tryback"].get<std::string>()));
  // A file from outside the data folder is copied into the archive, never moved.
  EXPECT_TRUE(fs::exists(f));

  auto courses = nlohmann::json::parse(Run("--format json courses").out);
  ASSERT_EQ(courses.size(), 1u);
  for (const char* k :
       {"id", "shortname", "idnumber", "fullname", "category", "categorypath", "visible", "format",
        "startdate", "enddate", "summary", "sections", "enrol"}) {
    EXPECT_TRUE(courses[0].contains(k)) << k;
  }
  EXPECT_EQ(courses[0]["categorypath"], "A/B");
  EXPECT_EQ(courses[0]["enrol"][0]["enrol"], "manual");
  auto cats = nlohmann::json::parse(Run("categories --format json").out);
  for (const auto& c : cats) {
    for (const char* k :
         {"id", "name", "idnumber", "parent", "path", "depth", "visible", "coursecount"}) {
      EXPECT_TRUE(c.contains(k)) << k;
    }
  }
}

TEST_F(CliTest, ExitCodes) {
  // 0: everything applied; global options after the command.
  auto ok = Write("ok.csv", "shortname;fullname\nE1;One\n");
  EXPECT_EQ(Run("create " + ok.string()).exit_code, 0);
  // 0 again: skipped is a normal no-op.
  EXPECT_EQ(Run("create " + ok.string() + " --quiet").exit_code, 0);
  // 2: missing file, rejected header, wrong separator, bad encoding name.
  auto missing = Run("create /nonexistent/file.csv");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("file not found"), std::string::npos);
  auto none = Run("create");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("uploadcourses.csv not found"), std::string::npos);
  auto bad = Write("bad.csv", "shortname;fullname;nonsense\nX;Y;Z\n");
  auto rb = Run("--format json create " + bad.string());
  EXPECT_EQ(rb.exit_code, 2);
  EXPECT_NE(nlohmann::json::parse(rb.out)["error"].get<std::string>().find("nonsense"),
            std::string::npos);
  auto comma = Write("comma.csv", "shortname,fullname\nX,Y\n");
  auto rc = Run("create " + comma.string());
  EXPECT_EQ(rc.exit_code, 2);
  EXPECT_NE(rc.err.find("invalid separator"), std::string::npos);
  EXPECT_EQ(Run("create " + comma.string() + " --separator ,").exit_code, 0);
  EXPECT_EQ(Run("create " + ok.string() + " --encoding EBCDIC").exit_code, 2);
  // stdin.
  EXPECT_EQ(Run("create -", "shortname;fullname\nSTDIN1;From stdin\n").exit_code, 0);
  EXPECT_NE(Run("courses").out.find("STDIN1"), std::string::npos);
}

TEST_F(CliTest, LockHeldByAnotherRunExits3) {
  ASSERT_EQ(Run("init").exit_code, 0);
  fs::create_directories(dir / "data" / "locks");
  int fd = ::open((dir / "data" / "locks" / "create.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  auto f = Write("l.csv", "shortname;fullname\nL1;One\n");
  auto r = Run("create " + f.string());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("in progress"), std::string::npos);
  ::close(fd);
  EXPECT_EQ(Run("create " + f.string()).exit_code, 0);
}

TEST_F(CliTest, DataFolderFromEnvironment) {
  std::string env = "COURSESYNC_DATA=" + (dir / "envdata").string();
  int rc =
      std::system((env + " " + cs::testing::CoursesyncBinary() + " init >/dev/null 2>&1").c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 0);
  EXPECT_TRUE(fs::exists(dir / "envdata" / "coursesync.db"));
}

}  // namespace
}  // namespace cs::cli
