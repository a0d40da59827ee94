// The JSON API under /api/v1/ (token authentication, no CSRF): run a task (optionally on an
// uploaded file), poll it, fetch its report; read and change settings; list courses,
// categories and the run history.
#include <map>

#include "sync/errors.h"
#include "sync/listing.h"
#include "sync/settings.h"
#include "sync/utilities.h"
#include "web/pages.h"
#include "web/uploads.h"

namespace cs::web {
namespace {

nlohmann::json Links(int64_t id) {
  std::string base = "/api/v1/runs/" + std::to_string(id);
  return {{"status", base}, {"report", base + "/report"}};
}

bool Truthy(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<int64_t>() != 0;
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    return s == "1" || s == "true" || s == "yes" || s == "on";
  }
  return false;
}

// The run request from a JSON body or from form/multipart fields.
JobRequest RunRequest(Ctx& c) {
  JobRequest req;
  nlohmann::json body = nlohmann::json::object();
  std::string type = c.req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) == 0) {
    body = nlohmann::json::parse(c.req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      throw sync::Rejected("the body is not a JSON object");
  } else {
    for (const char* k : {"task", "simulate", "force", "category", "file"}) {
      if (c.Has(k)) body[k] = c.Param(k);
    }
  }
  req.task = body.value("task", std::string());
  if (!JobManager::IsTask(req.task)) {
    std::string list;
    for (const auto& t : JobManager::Tasks()) list += (list.empty() ? "" : ", ") + t;
    throw sync::Rejected("task must be one of: " + list);
  }
  req.simulate = body.contains("simulate") && Truthy(body["simulate"]);
  req.force = body.contains("force") && Truthy(body["force"]);
  if (body.contains("category") && !body["category"].is_null()) {
    const auto& v = body["category"];
    int64_t id = 0;
    try {
      id = v.is_number_integer() ? v.get<int64_t>() : std::stoll("0" + v.get<std::string>());
    } catch (const std::exception&) {
      throw sync::Rejected("category must be a category id");
    }
    if (id > 0) req.category = id;
  }
  req.started_by = "api:" + std::to_string(*c.token);
  if (const auto* f = c.Upload("file")) {
    req.file = SaveUpload(c.app.area(), "uploads", f->filename, f->content, true).string();
  } else if (body.contains("file") && body["file"].is_string() &&
             !body["file"].get<std::string>().empty()) {
    auto p = c.app.area().SafePath(body["file"].get<std::string>());
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) {
      throw sync::Rejected("no file " + body["file"].get<std::string>() + " in the file area");
    }
    req.file = p.string();
  }
  return req;
}

nlohmann::json SettingsJson(store::Db& db) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : sync::Settings(db).List()) j[k] = v;
  return j;
}

void UpdateSettings(Ctx& c) {
  nlohmann::json body = nlohmann::json::parse(c.req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    c.Json({{"error", "the body must be a JSON object of setting: value"}}, 400);
    return;
  }
  std::map<std::string, std::string> normalised;
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [k, v] : body.items()) {
    std::string raw = v.is_string()    ? v.get<std::string>()
                      : v.is_boolean() ? (v.get<bool>() ? "1" : "0")
                                       : v.dump();
    try {
      normalised[k] = sync::Settings::Validate(k, raw);
    } catch (const sync::Rejected& e) {
      errors[k] = e.what();
    }
  }
  if (!errors.empty()) {
    c.Json({{"error", "invalid settings: nothing was saved"}, {"fields", errors}}, 400);
    return;
  }
  sync::Settings settings(c.db());
  store::Transaction tx(c.db());
  nlohmann::json changed = nlohmann::json::array();
  for (const auto& [k, v] : normalised) {
    if (settings.Get(k) == v) continue;
    settings.Set(k, v);
    changed.push_back(k);
  }
  tx.Commit();
  c.Json({{"changed", changed}, {"settings", SettingsJson(c.db())}});
}

}  // namespace

void RegisterApi(Router& r) {
  r.Api("GET", "/api/v1", [](Ctx& c) {
    c.Json({{"version", 1},
            {"endpoints",
             {"POST /api/v1/runs", "GET /api/v1/runs", "GET /api/v1/runs/{id}",
              "GET /api/v1/runs/{id}/report", "GET /api/v1/settings", "PUT /api/v1/settings",
              "PATCH /api/v1/settings", "GET /api/v1/courses", "GET /api/v1/categories",
              "GET /api/v1/history"}}});
  });

  r.Api("POST", "/api/v1/runs", [](Ctx& c) {
    JobRequest req = RunRequest(c);
    int64_t id = c.app.jobs().Start(req);
    auto job = c.app.jobs().Get(id);
    nlohmann::json j = job->ToJson(false);
    j["links"] = Links(id);
    c.res.set_header("Location", "/api/v1/runs/" + std::to_string(id));
    c.Json(j, 202);
  });

  r.Api("GET", "/api/v1/runs", [](Ctx& c) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& j : c.app.jobs().List(
             static_cast<size_t>(std::clamp<int64_t>(c.IntParam("limit", 50), 1, 1000)))) {
      nlohmann::json o = j.ToJson(false);
      o["links"] = Links(j.id);
      list.push_back(o);
    }
    c.Json(list);
  });

  r.Api("GET", R"(/api/v1/runs/(\d+))", [](Ctx& c) {
    auto job = c.app.jobs().Get(c.MatchId());
    if (!job) {
      c.Fail(404, "no such run");
      return;
    }
    nlohmann::json j = job->ToJson(false);
    j["links"] = Links(job->id);
    c.Json(j);
  });

  r.Api("GET", R"(/api/v1/runs/(\d+)/report)", [](Ctx& c) {
    auto job = c.app.jobs().Get(c.MatchId());
    if (!job) {
      c.Fail(404, "no such run");
      return;
    }
    if (!job->done()) {
      c.Json(
          {{"error", "the run is not finished"}, {"state", job->state}, {"records", job->records}},
          409);
      return;
    }
    if (job->result.is_null()) {
      c.Json({{"outcome", job->outcome}, {"exit", job->exit_code}, {"error", job->message}});
      return;
    }
    c.Json(job->result);
  });

  r.Api("GET", "/api/v1/settings", [](Ctx& c) { c.Json(SettingsJson(c.db())); });
  r.Api("PUT", "/api/v1/settings", UpdateSettings);
  r.Api("PATCH", "/api/v1/settings", UpdateSettings);

  r.Api("GET", "/api/v1/courses", [](Ctx& c) {
    sync::CourseFilter f;
    if (!c.Param("category").empty())
      f.category = sync::ResolveCategoryArg(c.db(), c.Param("category"));
    f.match = c.Param("match");
    std::string ids = c.Param("ids");
    size_t pos = 0;
    while (pos < ids.size()) {
      size_t comma = ids.find(',', pos);
      if (comma == std::string::npos) comma = ids.size();
      std::string part = ids.substr(pos, comma - pos);
      try {
        if (!part.empty()) f.ids.push_back(std::stoll(part));
      } catch (const std::exception&) {
        throw sync::Rejected("ids must be a comma-separated list of course ids");
      }
      pos = comma + 1;
    }
    nlohmann::json all = sync::ListCourses(c.db(), f);
    int64_t total = static_cast<int64_t>(all.size());
    int64_t offset = std::clamp<int64_t>(c.IntParam("offset", 0), 0, total);
    int64_t limit = std::clamp<int64_t>(c.IntParam("limit", total), 0, total);
    c.res.set_header("X-Total-Count", std::to_string(total));
    if (offset == 0 && limit == total) {
      c.Json(all);
      return;
    }
    nlohmann::json page = nlohmann::json::array();
    for (int64_t i = offset; i < total && i < offset + limit; ++i) page.push_back(all[i]);
    c.Json(page);
  });

  r.Api("GET", "/api/v1/categories", [](Ctx& c) { c.Json(sync::ListCategories(c.db())); });

  r.Api("GET", "/api/v1/history", [](Ctx& c) {
    sync::HistoryFilter f;
    f.task = c.Param("task");
    f.status = c.Param("status");
    f.limit = std::clamp<int64_t>(c.IntParam("limit", 50), 1, 1000);
    c.Json(sync::History(c.db(), f));
  });
}

}  // namespace cs::web
