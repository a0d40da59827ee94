// Security: nothing answers without a session or token, every POST needs the CSRF token, data is
// escaped, uploads and file names stay inside the file area, cookies and headers are strict.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sync/settings.h"
#include "web/web_test_support.h"

namespace fs = std::filesystem;

namespace cs::web {
namespace {

using testing::WebTest;

const std::vector<std::string>& ConsoleGets() {
  static const std::vector<std::string> p = {"/",
                                             "/run",
                                             "/run/jobs/1",
                                             "/run/jobs/1/status",
                                             "/settings",
                                             "/utilities",
                                             "/utilities/generate",
                                             "/utilities/check",
                                             "/utilities/cleancats",
                                             "/files",
                                             "/files/view?path=x",
                                             "/files/download?path=x",
                                             "/history",
                                             "/history/1",
                                             "/tokens",
                                             "/account",
                                             "/no/such/page"};
  return p;
}

const std::vector<std::string>& ConsolePosts() {
  static const std::vector<std::string> p = {"/run",
                                             "/settings",
                                             "/utilities/generate",
                                             "/utilities/check",
                                             "/utilities/cleancats",
                                             "/files/upload",
                                             "/files/delete",
                                             "/tokens",
                                             "/tokens/1/revoke",
                                             "/account/password",
                                             "/logout"};
  return p;
}

class SecurityTest : public WebTest {};

TEST_F(SecurityTest, NoPageAnswersWithoutASession) {
  for (const auto& path : ConsoleGets()) {
    auto r = client->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 303) << path;
    EXPECT_EQ(r->get_header_value("Location").rfind("/login", 0), 0u) << path;
    EXPECT_EQ(r->body.find("<main"), std::string::npos) << path;
  }
  // A made-up session cookie is no session.
  for (const auto& path : ConsoleGets()) {
    auto r = client->Get(path, {{"Cookie", "cs_session=" + std::string(64, 'a')}});
    EXPECT_EQ(r->status, 303) << path;
  }
  for (const auto& path : ConsolePosts()) {
    auto r = client->Post(path, httplib::Params{{"csrf", "x"}, {"name", "t"}});
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 403) << path;
  }
  EXPECT_EQ(site.Count("tool_sync_tokens"), 0);
  // Public: the login page, static files, the health check.
  EXPECT_EQ(client->Get("/login")->status, 200);
  EXPECT_EQ(client->Get("/static/style.css")->status, 200);
  EXPECT_EQ(client->Get("/healthz")->status, 200);
}

TEST_F(SecurityTest, EveryPostWithoutTheCsrfTokenIsRefused) {
  ASSERT_EQ(Login(), 303);
  for (const auto& path : ConsolePosts()) {
    auto none =
        client->Post(path, H(), httplib::Params{{"name", "t"}, {"courses_forceupdate", "1"}});
    ASSERT_TRUE(none) << path;
    EXPECT_EQ(none->status, 403) << path;
    EXPECT_NE(none->body.find("CSRF"), std::string::npos) << path;
    auto wrong =
        client->Post(path, H(), httplib::Params{{"csrf", std::string(64, '0')}, {"name", "t"}});
    EXPECT_EQ(wrong->status, 403) << path;
    auto multipart =
        client->Post(path, H(), httplib::MultipartFormDataItems{{"name", "t", "", ""}});
    EXPECT_EQ(multipart->status, 403) << path;
  }
  EXPECT_EQ(sync::Settings(*site.db).Get("courses_forceupdate"), "0");
  EXPECT_EQ(site.Count("tool_sync_tokens"), 0);
  EXPECT_EQ(Get("/run")->status, 200);  // still logged in: logout was refused too
  // The header form is accepted.
  auto hdr = client->Post("/tokens", H({{"X-CSRF-Token", csrf}}), httplib::Params{{"name", "t"}});
  EXPECT_EQ(hdr->status, 200);
  EXPECT_EQ(site.Count("tool_sync_tokens"), 1);
}

TEST_F(SecurityTest, LoginNeedsItsCsrfToken) {
  auto r = client->Post("/login",
                        httplib::Params{{"username", "admin"}, {"password", testing::kPassword}});
  EXPECT_EQ(r->status, 403);
  EXPECT_TRUE(testing::SetCookieValue(r, kSessionCookie).empty());
  auto page = client->Get("/login");
  auto r2 = client->Post("/login", {{"Cookie", "cs_login=other"}},
                         httplib::Params{{"csrf", testing::CsrfOf(page->body)},
                                         {"username", "admin"},
                                         {"password", testing::kPassword}});
  EXPECT_EQ(r2->status, 403);
}

TEST_F(SecurityTest, SessionCookieIsHttpOnlyAndSameSiteStrict) {
  auto page = client->Get("/login");
  std::string cookie = testing::SetCookieValue(page, "cs_login");
  auto r = client->Post("/login", {{"Cookie", "cs_login=" + cookie}},
                        httplib::Params{{"csrf", testing::CsrfOf(page->body)},
                                        {"username", "admin"},
                                        {"password", testing::kPassword}});
  std::string h = testing::SetCookieHeader(r, kSessionCookie);
  EXPECT_NE(h.find("HttpOnly"), std::string::npos) << h;
  EXPECT_NE(h.find("SameSite=Strict"), std::string::npos) << h;
  EXPECT_NE(h.find("Path=/"), std::string::npos) << h;
}

TEST_F(SecurityTest, SecurityHeaders) {
  auto r = client->Get("/login");
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
}

TEST_F(SecurityTest, ACourseNamedScriptIsShownAsText) {
  ASSERT_EQ(Login(), 303);
  const std::string evil = "<script>alert(1)</script>";
  int64_t id = RunCreateUpload("shortname;fullname;category;idnumber\n" + evil + ";" + evil + ";" +
                               "<img src=x onerror=alert(2)>;" + evil + "\n");
  auto pages = {Get("/run/jobs/" + std::to_string(id)), Get("/utilities/generate?kind=delete"),
                Get("/utilities/cleancats"), Get("/history"), Get("/run")};
  for (const auto& r : pages) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body.find(evil), std::string::npos);
    EXPECT_EQ(r->body.find("<img src=x"), std::string::npos);
  }
  auto gen = Get("/utilities/generate?kind=delete");
  EXPECT_NE(gen->body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  auto job = Get("/run/jobs/" + std::to_string(id));
  EXPECT_NE(job->body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  // An evil setting value comes back escaped too.
  auto s = PostForm("/settings", {{"courses_fileuploadlocation", "\"><script>x</script>"}});
  EXPECT_EQ(s->body.find("<script>x"), std::string::npos);
  // And an evil file name in the file manager.
  site.WriteFile("<b>x</b>.csv", "a");
  EXPECT_EQ(Get("/files")->body.find("<b>x</b>"), std::string::npos);
}

TEST_F(SecurityTest, UploadsAndFileNamesStayInsideTheFileArea) {
  ASSERT_EQ(Login(), 303);
  auto up = PostMultipart("/files/upload",
                          {{"dir", "", "", ""}, {"file", "evil", "../../x", "text/plain"}});
  EXPECT_EQ(up->status, 303);
  EXPECT_TRUE(fs::exists(site.area->files_dir() / "x"));
  EXPECT_FALSE(fs::exists(site.dir / "x"));
  EXPECT_FALSE(fs::exists(site.dir.parent_path() / "x"));
  // A folder outside the list falls back to files/.
  auto up2 = PostMultipart("/files/upload",
                           {{"dir", "../..", "", ""}, {"file", "evil2", "y.csv", "text/plain"}});
  EXPECT_EQ(up2->status, 303);
  EXPECT_TRUE(fs::exists(site.area->files_dir() / "y.csv"));
  // Run uploads too.
  auto run = PostMultipart("/run", {{"task", "check", "", ""},
                                    {"source", "upload", "", ""},
                                    {"simulate", "1", "", ""},
                                    {"file", "X\n", "../../../run.csv", "text/csv"}});
  EXPECT_EQ(run->status, 303);
  EXPECT_FALSE(fs::exists(site.dir / "run.csv"));
  EXPECT_FALSE(fs::exists(site.dir.parent_path() / "run.csv"));
  // Reading, downloading and deleting outside files/ is refused.
  std::ofstream(site.dir / "secret.txt") << "secret";
  for (const std::string p :
       {"../secret.txt", "/etc/passwd", "..%2Fsecret.txt", "reports/../../secret.txt"}) {
    EXPECT_EQ(Get("/files/view?path=" + p)->status, 400) << p;
    EXPECT_EQ(Get("/files/download?path=" + p)->status, 400) << p;
  }
  EXPECT_EQ(PostForm("/files/delete", {{"path", "../secret.txt"}})->status, 400);
  EXPECT_TRUE(fs::exists(site.dir / "secret.txt"));
  // A symbolic link leading out is refused as well.
  fs::create_symlink(site.dir / "secret.txt", site.area->files_dir() / "link.txt");
  EXPECT_EQ(Get("/files/download?path=link.txt")->status, 400);
}

TEST_F(SecurityTest, ApiUploadsStayInside) {
  std::string token = NewToken();
  auto r =
      client->Post("/api/v1/runs", {{"Authorization", "Bearer " + token}},
                   httplib::MultipartFormDataItems{{"task", "check", "", ""},
                                                   {"simulate", "1", "", ""},
                                                   {"file", "X\n", "../../api.csv", "text/csv"}});
  EXPECT_EQ(r->status, 202) << r->body;
  EXPECT_FALSE(fs::exists(site.dir / "api.csv"));
  EXPECT_FALSE(fs::exists(site.dir.parent_path() / "api.csv"));
}

}  // namespace
}  // namespace cs::web
