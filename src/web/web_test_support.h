// Test helpers of the web layer (header only, used by *_test.cc): a real server started
// in-process on 127.0.0.1 with an ephemeral port over a throw-away seeded site, an httplib client
// that keeps the session cookie, login, the CSRF token of the session, and waiting for jobs.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "sync/test_support.h"
#include "web/admin_account.h"
#include "web/api_tokens.h"
#include "web/server.h"

namespace cs::web::testing {

inline constexpr char kPassword[] = "correct horse battery";

// The value of cookie `name` set by a response, or "".
inline std::string SetCookieValue(const httplib::Result& r, const std::string& name) {
  if (!r) return "";
  auto range = r->headers.equal_range("Set-Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    const std::string& v = it->second;
    if (v.rfind(name + "=", 0) == 0)
      return v.substr(name.size() + 1, v.find(';') - name.size() - 1);
  }
  return "";
}

// The full Set-Cookie header for cookie `name`, or "".
inline std::string SetCookieHeader(const httplib::Result& r, const std::string& name) {
  if (!r) return "";
  auto range = r->headers.equal_range("Set-Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second.rfind(name + "=", 0) == 0) return it->second;
  }
  return "";
}

// The value of the first hidden csrf field of a page.
inline std::string CsrfOf(const std::string& html) {
  std::smatch m;
  static const std::regex re("name=\"csrf\" value=\"([0-9a-f]+)\"");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

class WebTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetAdminPassword(*site.db, kPassword);
    WebConfig cfg;
    cfg.data_dir = site.dir.string();
    cfg.db_url = site.db_url;
    cfg.host = "127.0.0.1";
    cfg.port = 0;
    Configure(cfg);
    server = std::make_unique<WebServer>(cfg);
    port = server->StartInBackground();
    client = NewClient();
  }
  void TearDown() override {
    client.reset();
    server.reset();
  }
  virtual void Configure(WebConfig&) {}

  std::unique_ptr<httplib::Client> NewClient() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
    c->set_connection_timeout(10);
    c->set_read_timeout(60);
    return c;
  }

  // Headers carrying the session cookie (when logged in) plus `extra`.
  httplib::Headers H(httplib::Headers extra = {}) const {
    if (!session.empty()) extra.emplace("Cookie", std::string(kSessionCookie) + "=" + session);
    return extra;
  }

  // Logs in as admin; fills `session` and `csrf`. Returns the POST /login response status.
  int Login(const std::string& password = kPassword, const std::string& user = "admin") {
    auto page = client->Get("/login");
    EXPECT_TRUE(page);
    std::string login_cookie = SetCookieValue(page, "cs_login");
    std::string token = CsrfOf(page->body);
    httplib::Params p = {{"csrf", token}, {"username", user}, {"password", password}};
    auto r = client->Post("/login", {{"Cookie", "cs_login=" + login_cookie}}, p);
    EXPECT_TRUE(r);
    if (!r) return 0;
    std::string s = SetCookieValue(r, kSessionCookie);
    if (!s.empty()) {
      session = s;
      auto run = client->Get("/run", H());
      csrf = CsrfOf(run->body);
    }
    return r->status;
  }

  httplib::Result Get(const std::string& path) { return client->Get(path, H()); }
  // A form POST with the CSRF token added.
  httplib::Result PostForm(const std::string& path, httplib::Params p, bool with_csrf = true) {
    if (with_csrf) p.emplace("csrf", csrf);
    return client->Post(path, H(), p);
  }
  httplib::Result PostMultipart(const std::string& path, httplib::MultipartFormDataItems items,
                                bool with_csrf = true) {
    if (with_csrf) items.push_back({"csrf", csrf, "", ""});
    return client->Post(path, H(), items);
  }

  std::string NewToken(const std::string& name = "tests") {
    return CreateApiToken(*site.db, name).secret;
  }

  // Polls a console job until it is done; returns its status JSON.
  nlohmann::json WaitJob(int64_t id) {
    for (int i = 0; i < 600; ++i) {
      auto r = Get("/run/jobs/" + std::to_string(id) + "/status");
      if (r && r->status == 200) {
        auto j = nlohmann::json::parse(r->body);
        if (j["state"] == "done") return j;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "job " << id << " did not finish";
    return {};
  }

  // Runs a creation file through the console (upload) and waits; returns the job id.
  int64_t RunCreateUpload(const std::string& csv, bool simulate = false) {
    httplib::MultipartFormDataItems items = {{"task", "create", "", ""},
                                             {"source", "upload", "", ""},
                                             {"file", csv, "courses.csv", "text/csv"}};
    if (simulate) items.push_back({"simulate", "1", "", ""});
    auto r = PostMultipart("/run", items);
    EXPECT_TRUE(r);
    if (!r) return 0;
    EXPECT_EQ(r->status, 303) << r->body;
    std::string loc = r->get_header_value("Location");
    int64_t id = std::stoll(loc.substr(loc.rfind('/') + 1));
    WaitJob(id);
    return id;
  }

  cs::testing::TempSite site;
  std::unique_ptr<WebServer> server;
  int port = 0;
  std::unique_ptr<httplib::Client> client;
  std::string session, csrf;
};

}  // namespace cs::web::testing
