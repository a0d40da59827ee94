// The console pages end to end, in-process: login, settings, a run from an upload, the course
// browser and generators, the existence test, clean-up of categories, files, history, tokens.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sync/listing.h"
#include "sync/settings.h"
#include "sync/utilities.h"
#include "web/web_test_support.h"

namespace fs = std::filesystem;

namespace cs::web {
namespace {

using testing::WebTest;

const char kCsv[] =
    "shortname;fullname;category;idnumber\n"
    "W-1;Web one;Web/Alpha;W1\n"
    "W-2;Web two;Web/Alpha;W2\n"
    "W-3;Web three;Web/Beta;W3\n";

class PagesTest : public WebTest {};

TEST_F(PagesTest, LoginLogout) {
  EXPECT_EQ(Login("wrong password"), 401);
  EXPECT_TRUE(session.empty());
  EXPECT_EQ(Login(), 303);
  ASSERT_FALSE(session.empty());
  ASSERT_EQ(csrf.size(), 64u);
  auto run = Get("/run");
  ASSERT_EQ(run->status, 200);
  EXPECT_NE(run->body.find("Manual operations"), std::string::npos);
  auto out = PostForm("/logout", {});
  EXPECT_EQ(out->status, 303);
  EXPECT_EQ(Get("/run")->status, 303);  // back to the login page
}

TEST_F(PagesTest, LoginRedirectsToTheRequestedPageOnly) {
  auto page = client->Get("/login?next=/history");
  std::string cookie = testing::SetCookieValue(page, "cs_login");
  auto r = client->Post("/login", {{"Cookie", "cs_login=" + cookie}},
                        httplib::Params{{"csrf", testing::CsrfOf(page->body)},
                                        {"username", "admin"},
                                        {"password", testing::kPassword},
                                        {"next", "//evil.example/"}});
  ASSERT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/run");
}

TEST_F(PagesTest, LockoutAfterFiveFailures) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Login("bad password"), 401);
  EXPECT_EQ(Login(), 429);  // even the right password is refused now
  EXPECT_TRUE(session.empty());
}

TEST_F(PagesTest, SettingsShowsEverySettingAndSavesOnlyOwnedChangedKeys) {
  ASSERT_EQ(Login(), 303);
  // A key the page does not own must survive a save (the original wiped it).
  site.db->Execute(
      "INSERT INTO {config_plugins} (plugin, name, value) VALUES ('tool_sync', 'foreign', 'keep')");
  auto page = Get("/settings");
  ASSERT_EQ(page->status, 200);
  for (const auto& d : sync::Settings::Defs()) {
    EXPECT_NE(page->body.find("name=\"" + d.key + "\""), std::string::npos) << d.key;
  }
  EXPECT_NE(page->body.find("Course files"), std::string::npos);
  EXPECT_NE(page->body.find("type=\"text\" id=\"f-courses_fileuploadlocation\" "
                            "name=\"courses_fileuploadlocation\" value=\"uploadcourses.csv\""),
            std::string::npos);
  EXPECT_NE(page->body.find("type=\"number\" id=\"f-fileareacleanupdelay\""), std::string::npos);
  EXPECT_LT(page->body.find("courses_fileuploadlocation"), page->body.find("csvseparator"));

  auto bad = PostForm("/settings", {{"courses_forceupdate", "1"},
                                    {"fileareacleanupdelay", "soon"},
                                    {"courses_deletethreshold", "500"}});
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("id=\"e-fileareacleanupdelay\""), std::string::npos);
  EXPECT_NE(bad->body.find("id=\"e-courses_deletethreshold\""), std::string::npos);
  EXPECT_NE(bad->body.find("value=\"soon\""), std::string::npos);
  EXPECT_EQ(sync::Settings(*site.db).Get("courses_forceupdate"), "0");  // nothing saved

  auto ok = PostForm("/settings", {{"courses_forceupdate", "1"}, {"csvseparator", ";"}});
  EXPECT_EQ(ok->status, 303);
  EXPECT_EQ(sync::Settings(*site.db).Get("courses_forceupdate"), "1");
  EXPECT_EQ(site.Count("config_plugins", "plugin='tool_sync' AND name='foreign' AND value='keep'"),
            1);
  // Unchanged keys are not written.
  EXPECT_EQ(site.Count("config_plugins", "plugin='tool_sync' AND name='csvseparator'"), 0);
  auto again = Get("/settings");
  EXPECT_NE(again->body.find("Settings saved (1 changed)"), std::string::npos);
}

TEST_F(PagesTest, RunAnUploadedCreationFileLiveAndSeeTheReport) {
  ASSERT_EQ(Login(), 303);
  int64_t id = RunCreateUpload(kCsv);
  auto status = Get("/run/jobs/" + std::to_string(id) + "/status");
  auto j = nlohmann::json::parse(status->body);
  EXPECT_EQ(j["outcome"], "completed") << status->body;
  EXPECT_EQ(j["totals"]["created"], 3);
  auto page = Get("/run/jobs/" + std::to_string(id));
  EXPECT_NE(page->body.find("W-3"), std::string::npos);
  EXPECT_NE(page->body.find("No line failed"), std::string::npos);
  EXPECT_EQ(site.Count("course", "shortname LIKE 'W-%'"), 3);
  // The upload was archived like any processed input.
  EXPECT_FALSE(fs::exists(site.area->files_dir() / "uploads" / "courses.csv"));
  // History lists the run, with the chart.
  auto hist = Get("/history");
  EXPECT_NE(hist->body.find("<svg"), std::string::npos);
  EXPECT_NE(hist->body.find("uploads/courses.csv"), std::string::npos);
  auto runs = sync::History(*site.db, {});
  ASSERT_FALSE(runs.empty());
  auto one = Get("/history/" + std::to_string(runs[0]["id"].get<int64_t>()));
  EXPECT_EQ(one->status, 200);
  EXPECT_NE(one->body.find("W-2"), std::string::npos);
}

TEST_F(PagesTest, SimulateChangesNothingAndAFailedLineIsListed) {
  ASSERT_EQ(Login(), 303);
  int64_t id = RunCreateUpload("shortname;fullname\nS-1;Sim one\n;no shortname\n", true);
  auto j = nlohmann::json::parse(Get("/run/jobs/" + std::to_string(id) + "/status")->body);
  EXPECT_EQ(j["outcome"], "failed");
  EXPECT_EQ(site.Count("course", "shortname = 'S-1'"), 0);
  auto page = Get("/run/jobs/" + std::to_string(id));
  EXPECT_NE(page->body.find("Failed lines"), std::string::npos);
  EXPECT_NE(page->body.find("Simulation"), std::string::npos);
}

TEST_F(PagesTest, RunWithoutAFileIsRefusedAndTheConfiguredFileIsUsed) {
  ASSERT_EQ(Login(), 303);
  auto r = PostMultipart("/run", {{"task", "create", "", ""}, {"source", "upload", "", ""}});
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("Choose a file"), std::string::npos);
  // The configured file, absent: the job is rejected (exit 2) with the reason.
  auto r2 = PostMultipart("/run", {{"task", "create", "", ""}, {"source", "configured", "", ""}});
  ASSERT_EQ(r2->status, 303);
  std::string loc = r2->get_header_value("Location");
  auto j = WaitJob(std::stoll(loc.substr(loc.rfind('/') + 1)));
  EXPECT_EQ(j["outcome"], "rejected");
  EXPECT_EQ(j["exit"], 2);
  site.WriteFile("uploadcourses.csv", kCsv);
  auto r3 = PostMultipart("/run", {{"task", "create", "", ""}, {"source", "configured", "", ""}});
  loc = r3->get_header_value("Location");
  j = WaitJob(std::stoll(loc.substr(loc.rfind('/') + 1)));
  EXPECT_EQ(j["outcome"], "completed");
  EXPECT_EQ(site.Count("course", "shortname LIKE 'W-%'"), 3);
}

TEST_F(PagesTest, GeneratorBrowsesPagesAndWritesTheDeletionFile) {
  ASSERT_EQ(Login(), 303);
  std::string csv = "shortname;fullname;category\n";
  for (int i = 0; i < 120; ++i) {
    csv += "G-" + std::to_string(1000 + i) + ";Gen " + std::to_string(i) + ";Gen/" +
           (i % 2 ? "Odd" : "Even") + "\n";
  }
  RunCreateUpload(csv);
  auto page = Get("/utilities/generate?kind=delete");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<strong>120</strong> course(s) match; page 1 of 3"),
            std::string::npos);
  auto search = Get("/utilities/generate?kind=delete&q=g-101");
  EXPECT_NE(search->body.find("<strong>10</strong> course(s)"), std::string::npos);
  auto p3 = Get("/utilities/generate?kind=delete&page=3");
  EXPECT_NE(p3->body.find("page 3 of 3"), std::string::npos);

  // Ticked courses.
  auto ids = sync::ListCourses(*site.db, {std::nullopt, "G-100?", {}, false});
  ASSERT_EQ(ids.size(), 10u);
  httplib::Params p = {{"kind", "delete"}, {"mode", "selected"}};
  p.emplace("ids", std::to_string(ids[0]["id"].get<int64_t>()));
  p.emplace("ids", std::to_string(ids[1]["id"].get<int64_t>()));
  auto gen = PostForm("/utilities/generate", p);
  ASSERT_EQ(gen->status, 200);
  EXPECT_NE(gen->body.find("with 2 course(s)"), std::string::npos) << gen->body;
  std::ifstream f(site.area->files_dir() / "deletecourses.csv");
  std::string content((std::istreambuf_iterator<char>(f)), {});
  EXPECT_NE(content.find(ids[0]["shortname"].get<std::string>()), std::string::npos);

  // Every course matching a filter (search).
  auto all =
      PostForm("/utilities/generate", {{"kind", "reset"}, {"mode", "filter"}, {"q", "G-11"}});
  EXPECT_NE(all->body.find("with 20 course(s)"), std::string::npos);  // G-1100 ... G-1119
  EXPECT_TRUE(fs::exists(site.area->files_dir() / "resetcourses.csv"));
  // Nothing ticked.
  auto none = PostForm("/utilities/generate", {{"kind", "delete"}, {"mode", "selected"}});
  EXPECT_NE(none->body.find("Tick at least one course"), std::string::npos);
}

TEST_F(PagesTest, ExistenceTestFromAPastedList) {
  ASSERT_EQ(Login(), 303);
  RunCreateUpload(kCsv);
  auto r = PostMultipart("/utilities/check", {{"list", "W-1\nNOPE-9\nW-3\n", "", ""}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("Missing or failed (1)"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("Found (2)"), std::string::npos);
  EXPECT_NE(r->body.find("NOPE-9"), std::string::npos);
  auto empty = PostMultipart("/utilities/check", {{"list", "  ", "", ""}});
  EXPECT_EQ(empty->status, 400);
}

TEST_F(PagesTest, CleanEmptyCategoriesPreviewThenConfirm) {
  ASSERT_EQ(Login(), 303);
  RunCreateUpload("shortname;fullname;category\nK-1;Kept;Keep/Here\n");
  // Two empty branches next to a kept one.
  RunCreateUpload("shortname;fullname;category\nTMP-1;Temp;Empty/Leaf\n");
  site.WriteFile("deletecourses.csv", "TMP-1\n");
  auto del = PostMultipart(
      "/run",
      {{"task", "delete", "", ""}, {"source", "configured", "", ""}, {"force", "1", "", ""}});
  std::string loc = del->get_header_value("Location");
  auto j = WaitJob(std::stoll(loc.substr(loc.rfind('/') + 1)));
  ASSERT_EQ(j["outcome"], "completed") << j.dump();

  auto preview = Get("/utilities/cleancats");
  ASSERT_EQ(preview->status, 200);
  EXPECT_NE(preview->body.find("<li>Empty/Leaf</li>"), std::string::npos) << preview->body;
  EXPECT_NE(preview->body.find("<li>Empty</li>"), std::string::npos);
  EXPECT_EQ(preview->body.find("<li>Keep"), std::string::npos);
  int64_t before = site.Count("course_categories");
  auto confirm = PostForm("/utilities/cleancats", {});
  ASSERT_EQ(confirm->status, 200);
  EXPECT_NE(confirm->body.find("2 empty categories deleted"), std::string::npos) << confirm->body;
  EXPECT_EQ(site.Count("course_categories"), before - 2);
  EXPECT_NE(confirm->body.find("There is no empty category here"), std::string::npos);
}

TEST_F(PagesTest, FileManagerUploadViewDownloadDelete) {
  ASSERT_EQ(Login(), 303);
  auto up = PostMultipart("/files/upload",
                          {{"dir", "", "", ""}, {"file", "a;b\n1;2\n", "my list.csv", "text/csv"}});
  ASSERT_EQ(up->status, 303);
  EXPECT_TRUE(fs::exists(site.area->files_dir() / "my list.csv"));
  auto list = Get("/files");
  EXPECT_NE(list->body.find("my list.csv"), std::string::npos);
  auto view = Get("/files/view?path=my%20list.csv");
  EXPECT_EQ(view->status, 200);
  EXPECT_NE(view->body.find("1;2"), std::string::npos);
  auto dl = Get("/files/download?path=my%20list.csv");
  EXPECT_EQ(dl->status, 200);
  EXPECT_EQ(dl->body, "a;b\n1;2\n");
  EXPECT_NE(dl->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(Get("/files/view?path=none.csv")->status, 404);
  auto del = PostForm("/files/delete", {{"path", "my list.csv"}});
  EXPECT_EQ(del->status, 303);
  EXPECT_FALSE(fs::exists(site.area->files_dir() / "my list.csv"));
  for (const char* dir : {"archives", "failed", "reports", "uploads"}) {
    EXPECT_EQ(Get(std::string("/files?dir=") + dir)->status, 200);
  }
}

TEST_F(PagesTest, TokensAreCreatedShownOnceAndRevoked) {
  ASSERT_EQ(Login(), 303);
  auto r = PostForm("/tokens", {{"name", "robot <1>"}});
  ASSERT_EQ(r->status, 200);
  std::smatch m;
  std::regex re("id=\"new-token\">(cst_[0-9a-f]{64})<");
  ASSERT_TRUE(std::regex_search(r->body, m, re)) << r->body;
  std::string secret = m[1];
  EXPECT_NE(r->body.find("robot &lt;1&gt;"), std::string::npos);
  auto api = client->Get("/api/v1/categories", {{"Authorization", "Bearer " + secret}});
  EXPECT_EQ(api->status, 200);
  EXPECT_EQ(Get("/tokens")->body.find(secret), std::string::npos);  // never shown again
  int64_t id = ListApiTokens(*site.db)[0].id;
  EXPECT_EQ(PostForm("/tokens/" + std::to_string(id) + "/revoke", {})->status, 303);
  EXPECT_EQ(client->Get("/api/v1/categories", {{"Authorization", "Bearer " + secret}})->status,
            401);
}

TEST_F(PagesTest, AccountPasswordChange) {
  ASSERT_EQ(Login(), 303);
  EXPECT_EQ(PostForm("/account/password", {{"current", "wrong"},
                                           {"password", "new password 1"},
                                           {"confirm", "new password 1"}})
                ->status,
            400);
  EXPECT_EQ(PostForm("/account/password", {{"current", testing::kPassword},
                                           {"password", "new password 1"},
                                           {"confirm", "new password 1"}})
                ->status,
            303);
  EXPECT_TRUE(CheckAdminLogin(*site.db, "admin", "new password 1"));
}

TEST_F(PagesTest, EveryPageRendersForALoggedInAdmin) {
  ASSERT_EQ(Login(), 303);
  for (const char* path : {"/run", "/settings", "/utilities", "/utilities/generate?kind=reset",
                           "/utilities/check", "/utilities/cleancats", "/files", "/history",
                           "/tokens", "/account", "/static/style.css", "/static/app.js"}) {
    auto r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
  }
  EXPECT_EQ(Get("/")->get_header_value("Location"), "/run");
  EXPECT_EQ(Get("/run/jobs/999")->status, 404);
  EXPECT_EQ(Get("/history/999")->status, 404);
}

TEST(ServerStop, WaitsForRunningJobs) {
  cs::testing::TempSite site;
  WebConfig cfg;
  cfg.data_dir = site.dir.string();
  cfg.db_url = site.db_url;
  cfg.port = 0;
  std::vector<std::string> log;
  std::mutex mu;
  cfg.access_log = [&](const std::string& line) {
    std::lock_guard<std::mutex> lock(mu);
    log.push_back(line);
  };
  auto server = std::make_unique<WebServer>(cfg);
  int port = server->StartInBackground();
  httplib::Client c("127.0.0.1", port);
  EXPECT_EQ(c.Get("/healthz")->status, 200);
  site.WriteFile("uploadcourses.csv", kCsv);
  JobRequest req;
  req.task = "create";
  int64_t id = server->app().jobs().Start(req);
  server->Stop();
  auto job = server->app().jobs().Get(id);
  ASSERT_TRUE(job);
  EXPECT_TRUE(job->done());
  EXPECT_EQ(job->outcome, "completed");
  EXPECT_FALSE(c.Get("/healthz"));  // no longer listening
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log[0].find("\"GET /healthz HTTP/1.1\" 200"), std::string::npos) << log[0];
}

}  // namespace
}  // namespace cs::web
