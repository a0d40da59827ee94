// The JSON API: every endpoint with a valid token, without one, and with a revoked one.
#include <gtest/gtest.h>

#include "sync/settings.h"
#include "web/web_test_support.h"

namespace cs::web {
namespace {

class ApiTest : public testing::WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    token = NewToken();
  }
  httplib::Headers Auth(const std::string& t) const { return {{"Authorization", "Bearer " + t}}; }
  httplib::Headers Auth() const { return Auth(token); }
  nlohmann::json WaitRun(int64_t id) {
    for (int i = 0; i < 600; ++i) {
      auto r = client->Get("/api/v1/runs/" + std::to_string(id), Auth());
      auto j = nlohmann::json::parse(r->body);
      if (j["state"] == "done") return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "run did not finish";
    return {};
  }
  std::string token;
};

struct Endpoint {
  std::string method, path;
};

const std::vector<Endpoint>& Endpoints() {
  static const std::vector<Endpoint> e = {{"GET", "/api/v1"},
                                          {"POST", "/api/v1/runs"},
                                          {"GET", "/api/v1/runs"},
                                          {"GET", "/api/v1/runs/1"},
                                          {"GET", "/api/v1/runs/1/report"},
                                          {"GET", "/api/v1/settings"},
                                          {"PUT", "/api/v1/settings"},
                                          {"PATCH", "/api/v1/settings"},
                                          {"GET", "/api/v1/courses"},
                                          {"GET", "/api/v1/categories"},
                                          {"GET", "/api/v1/history"}};
  return e;
}

httplib::Result Send(httplib::Client& c, const Endpoint& e, const httplib::Headers& h) {
  if (e.method == "GET") return c.Get(e.path, h);
  if (e.method == "POST") return c.Post(e.path, h, R"({"task":"check"})", "application/json");
  if (e.method == "PUT") return c.Put(e.path, h, R"({"simulate":"1"})", "application/json");
  return c.Patch(e.path, h, R"({"simulate":"1"})", "application/json");
}

TEST_F(ApiTest, EveryEndpointRefusesAMissingBadOrRevokedToken) {
  std::string revoked = NewToken("old");
  RevokeApiToken(*site.db, ListApiTokens(*site.db).back().id);
  const std::vector<httplib::Headers> bad = {{},
                                             Auth("cst_" + std::string(64, 'a')),
                                             Auth("not-a-token"),
                                             {{"Authorization", "Basic YWRtaW46eA=="}},
                                             Auth(revoked)};
  for (const auto& e : Endpoints()) {
    for (const auto& h : bad) {
      auto r = Send(*client, e, h);
      ASSERT_TRUE(r) << e.path;
      EXPECT_EQ(r->status, 401) << e.method << " " << e.path;
      EXPECT_NE(r->body.find("API token"), std::string::npos);
      EXPECT_EQ(r->body.find("\"task\""), std::string::npos);
    }
  }
  // A console session is no API credential.
  ASSERT_EQ(Login(), 303);
  EXPECT_EQ(client->Get("/api/v1/settings", H())->status, 401);
  // Nothing ran, nothing changed.
  EXPECT_EQ(site.Count("tool_sync_runs"), 0);
  EXPECT_EQ(sync::Settings(*site.db).Get("simulate"), "0");
}

TEST_F(ApiTest, Index) {
  auto r = client->Get("/api/v1", Auth());
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(nlohmann::json::parse(r->body)["version"], 1);
}

TEST_F(ApiTest, RunOnAnUploadedFilePollAndFetchTheReport) {
  httplib::MultipartFormDataItems items = {
      {"task", "create", "", ""},
      {"file", "shortname;fullname\nAPI-1;Api one\nAPI-2;Api two\n", "api.csv", "text/csv"}};
  auto r = client->Post("/api/v1/runs", Auth(), items);
  ASSERT_EQ(r->status, 202) << r->body;
  auto j = nlohmann::json::parse(r->body);
  int64_t id = j["id"];
  EXPECT_EQ(r->get_header_value("Location"), "/api/v1/runs/" + std::to_string(id));
  EXPECT_EQ(j["links"]["report"], "/api/v1/runs/" + std::to_string(id) + "/report");
  auto done = WaitRun(id);
  EXPECT_EQ(done["outcome"], "completed");
  EXPECT_EQ(done["exit"], 0);
  EXPECT_EQ(done["totals"]["created"], 2);
  auto rep = client->Get("/api/v1/runs/" + std::to_string(id) + "/report", Auth());
  ASSERT_EQ(rep->status, 200);
  auto report = nlohmann::json::parse(rep->body);
  EXPECT_EQ(report["task"], "create");
  EXPECT_EQ(report["lines"].size(), 2u);
  EXPECT_EQ(report["lines"][0]["status"], "created");
  EXPECT_EQ(site.Count("course", "shortname LIKE 'API-%'"), 2);
  auto list = nlohmann::json::parse(client->Get("/api/v1/runs", Auth())->body);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["id"], id);
  EXPECT_EQ(site.Count("tool_sync_runs", "startedby LIKE 'api:%'"), 1);
}

TEST_F(ApiTest, RunFromJsonOnTheConfiguredFileAndSimulate) {
  site.WriteFile("uploadcourses.csv", "shortname;fullname\nJ-1;Json one\n");
  auto r = client->Post("/api/v1/runs", Auth(), R"({"task":"create","simulate":true})",
                        "application/json");
  ASSERT_EQ(r->status, 202);
  auto done = WaitRun(nlohmann::json::parse(r->body)["id"]);
  EXPECT_EQ(done["outcome"], "completed");
  EXPECT_TRUE(done["simulate"].get<bool>());
  EXPECT_EQ(site.Count("course", "shortname = 'J-1'"), 0);
  // A named file of the file area.
  site.WriteFile("other.csv", "shortname;fullname\nJ-2;Json two\n");
  auto r2 = client->Post("/api/v1/runs", Auth(), R"({"task":"create","file":"other.csv"})",
                         "application/json");
  ASSERT_EQ(r2->status, 202);
  EXPECT_EQ(WaitRun(nlohmann::json::parse(r2->body)["id"])["outcome"], "completed");
  EXPECT_EQ(site.Count("course", "shortname = 'J-2'"), 1);
}

TEST_F(ApiTest, BadRunRequests) {
  EXPECT_EQ(
      client->Post("/api/v1/runs", Auth(), R"({"task":"explode"})", "application/json")->status,
      400);
  EXPECT_EQ(client->Post("/api/v1/runs", Auth(), "not json", "application/json")->status, 400);
  EXPECT_EQ(
      client->Post("/api/v1/runs", Auth(), R"({"task":"create","file":"../x"})", "application/json")
          ->status,
      400);
  EXPECT_EQ(client
                ->Post("/api/v1/runs", Auth(), R"({"task":"create","file":"absent.csv"})",
                       "application/json")
                ->status,
            400);
  EXPECT_EQ(client->Get("/api/v1/runs/42", Auth())->status, 404);
  EXPECT_EQ(client->Get("/api/v1/runs/42/report", Auth())->status, 404);
  // A rejected run (no configured file) reports why.
  auto r = client->Post("/api/v1/runs", Auth(), R"({"task":"delete"})", "application/json");
  auto done = WaitRun(nlohmann::json::parse(r->body)["id"]);
  EXPECT_EQ(done["outcome"], "rejected");
  EXPECT_EQ(done["exit"], 2);
  EXPECT_NE(done["message"].get<std::string>().find("not found"), std::string::npos);
  auto rep =
      client->Get("/api/v1/runs/" + std::to_string(done["id"].get<int64_t>()) + "/report", Auth());
  EXPECT_EQ(rep->status, 200);
  EXPECT_EQ(nlohmann::json::parse(rep->body)["exit"], 2);
}

TEST_F(ApiTest, ReadAndChangeSettings) {
  auto r = client->Get("/api/v1/settings", Auth());
  ASSERT_EQ(r->status, 200);
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j.size(), sync::Settings::Defs().size());
  EXPECT_EQ(j["csvseparator"], ";");

  auto bad = client->Put("/api/v1/settings", Auth(),
                         R"({"courses_forceupdate":"1","encoding":"EBCDIC","nosuchkey":"1"})",
                         "application/json");
  EXPECT_EQ(bad->status, 400);
  auto err = nlohmann::json::parse(bad->body);
  EXPECT_TRUE(err["fields"].contains("encoding"));
  EXPECT_TRUE(err["fields"].contains("nosuchkey"));
  EXPECT_FALSE(err["fields"].contains("courses_forceupdate"));
  EXPECT_EQ(sync::Settings(*site.db).Get("courses_forceupdate"), "0");

  auto ok = client->Patch("/api/v1/settings", Auth(),
                          R"({"courses_forceupdate":true,"csvseparator":",","simulate":0})",
                          "application/json");
  ASSERT_EQ(ok->status, 200) << ok->body;
  auto res = nlohmann::json::parse(ok->body);
  EXPECT_EQ(res["settings"]["courses_forceupdate"], "1");
  EXPECT_EQ(res["settings"]["csvseparator"], ",");
  EXPECT_EQ(res["changed"].size(), 2u);  // simulate was already 0
  EXPECT_EQ(client->Put("/api/v1/settings", Auth(), "[1]", "application/json")->status, 400);
}

TEST_F(ApiTest, ListCoursesAndCategories) {
  site.WriteFile(
      "uploadcourses.csv",
      "shortname;fullname;category\nL-1;List one;Api/A\nL-2;List two;Api/B\nM-1;Other;Api/B\n");
  auto r = client->Post("/api/v1/runs", Auth(), R"({"task":"create"})", "application/json");
  WaitRun(nlohmann::json::parse(r->body)["id"]);

  auto all = client->Get("/api/v1/courses", Auth());
  ASSERT_EQ(all->status, 200);
  EXPECT_EQ(nlohmann::json::parse(all->body).size(), 3u);
  EXPECT_EQ(all->get_header_value("X-Total-Count"), "3");
  auto match = nlohmann::json::parse(client->Get("/api/v1/courses?match=L-*", Auth())->body);
  EXPECT_EQ(match.size(), 2u);
  auto cat = nlohmann::json::parse(client->Get("/api/v1/courses?category=Api/B", Auth())->body);
  EXPECT_EQ(cat.size(), 2u);
  EXPECT_EQ(cat[0]["categorypath"], "Api/B");
  auto paged = nlohmann::json::parse(client->Get("/api/v1/courses?offset=1&limit=1", Auth())->body);
  EXPECT_EQ(paged.size(), 1u);
  int64_t id = match[0]["id"];
  auto byid =
      nlohmann::json::parse(client->Get("/api/v1/courses?ids=" + std::to_string(id), Auth())->body);
  ASSERT_EQ(byid.size(), 1u);
  EXPECT_EQ(byid[0]["id"], id);
  EXPECT_EQ(client->Get("/api/v1/courses?category=No/Such", Auth())->status, 400);
  EXPECT_EQ(client->Get("/api/v1/courses?ids=x", Auth())->status, 400);

  auto cats = nlohmann::json::parse(client->Get("/api/v1/categories", Auth())->body);
  bool found = false;
  for (const auto& c : cats) found = found || c["path"] == "Api/B";
  EXPECT_TRUE(found);
}

TEST_F(ApiTest, History) {
  site.WriteFile("uploadcourses.csv", "shortname;fullname\nH-1;Hist\n");
  auto r = client->Post("/api/v1/runs", Auth(), R"({"task":"create"})", "application/json");
  WaitRun(nlohmann::json::parse(r->body)["id"]);
  auto h = client->Get("/api/v1/history?task=create", Auth());
  ASSERT_EQ(h->status, 200);
  auto j = nlohmann::json::parse(h->body);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["task"], "create");
  EXPECT_EQ(j[0]["totals"]["created"], 1);
  EXPECT_EQ(nlohmann::json::parse(client->Get("/api/v1/history?task=delete", Auth())->body).size(),
            0u);
}

TEST_F(ApiTest, RunReportIs409WhileRunning) {
  // A long creation file: the report is not available before the run is done.
  std::string csv = "shortname;fullname\n";
  for (int i = 0; i < 3000; ++i)
    csv += "LONG-" + std::to_string(i) + ";Long " + std::to_string(i) + "\n";
  auto r = client->Post("/api/v1/runs", Auth(),
                        httplib::MultipartFormDataItems{{"task", "create", "", ""},
                                                        {"file", csv, "long.csv", "text/csv"}});
  ASSERT_EQ(r->status, 202);
  int64_t id = nlohmann::json::parse(r->body)["id"];
  auto rep = client->Get("/api/v1/runs/" + std::to_string(id) + "/report", Auth());
  auto status =
      nlohmann::json::parse(client->Get("/api/v1/runs/" + std::to_string(id), Auth())->body);
  if (status["state"] != "done" && rep->status != 200) {
    EXPECT_EQ(rep->status, 409);
  }
  EXPECT_EQ(WaitRun(id)["outcome"], "completed");
  EXPECT_EQ(client->Get("/api/v1/runs/" + std::to_string(id) + "/report", Auth())->status, 200);
}

}  // namespace
}  // namespace cs::web
