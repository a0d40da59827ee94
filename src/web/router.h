// Route registration with the access rules built in: every page needs a session, every POST of
// the console also needs the session's CSRF token (form field `csrf` or header X-CSRF-Token), and
// every `/api/v1/` route needs `Authorization: Bearer <token>`. A handler receives a Ctx with the
// request, its session or token, a database connection opened for this request, and the
// response helpers. Exceptions become error responses (Rejected 400, LockBusy 409, DbError 503).
#pragma once

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "store/db.h"
#include "web/sessions.h"
#include "web/web_app.h"

namespace cs::web {

class Ctx {
 public:
  Ctx(const httplib::Request& req, httplib::Response& res, WebApp& app)
      : req(req), res(res), app(app) {}
  const httplib::Request& req;
  httplib::Response& res;
  WebApp& app;
  std::optional<Session> session;  // console routes
  std::optional<int64_t> token;    // API routes
  bool api = false;                // errors as JSON

  // This request's own connection, opened on first use.
  store::Db& db();
  // A query, urlencoded or multipart field; "" when absent.
  std::string Param(const std::string& name) const;
  bool Has(const std::string& name) const;
  // An integer parameter; `fallback` when absent or not a number.
  int64_t IntParam(const std::string& name, int64_t fallback) const;
  // Every value of a repeated parameter (name=a&name=b).
  std::vector<std::string> Params(const std::string& name) const;
  // An uploaded file of a multipart form, or nullptr when absent or empty.
  const httplib::MultipartFormData* Upload(const std::string& name) const;
  // A path segment captured by the route pattern (1-based), as an integer; -1 when not one.
  int64_t MatchId(size_t index = 1) const;

  // Sends a whole page (body is trusted markup built with html.h helpers).
  void Page(const std::string& title, const std::string& active, const std::string& body,
            int status = 200);
  // 303 See Other to `location` (a local path), with an optional flash for the next page.
  void Redirect(const std::string& location, const std::string& flash_kind = "",
                const std::string& flash_text = "");
  void Json(const nlohmann::json& j, int status = 200);
  // An error answer: JSON {"error": message} on the API, a page elsewhere.
  void Fail(int status, const std::string& message);
  const std::string& csrf() const;

 private:
  std::unique_ptr<store::Db> db_;
};

using Handler = std::function<void(Ctx&)>;

class Router {
 public:
  Router(httplib::Server& server, WebApp& app);
  // No authentication (login page, static files).
  void PublicGet(const std::string& pattern, Handler h);
  void PublicPost(const std::string& pattern, Handler h);
  // A console page (GET): needs a session.
  void Page(const std::string& pattern, Handler h);
  // A console form (POST): needs a session and its CSRF token.
  void Action(const std::string& pattern, Handler h);
  // An API route: needs a valid API token. `method` is GET, POST, PUT, PATCH or DELETE.
  void Api(const std::string& method, const std::string& pattern, Handler h);

  // The deny-by-default gate run before routing: refuses any request to a non-public path
  // without a session (console) or token (API), whatever the route.
  static bool IsPublicPath(const std::string& path);

 private:
  httplib::Server::Handler Wrap(Handler h, int kind);
  httplib::Server& server_;
  WebApp& app_;
};

// The session named by the request's cookie, if live.
std::optional<Session> SessionOf(WebApp& app, const httplib::Request& req);
// The token id of a valid `Authorization: Bearer` header, if any.
std::optional<int64_t> TokenOf(WebApp& app, const httplib::Request& req);
// The value of one cookie of the request, or "".
std::string CookieValue(const httplib::Request& req, const std::string& name);
// Installs the gate, security headers, error pages and the access log on `server`.
void InstallGuards(httplib::Server& server, WebApp& app);

}  // namespace cs::web
