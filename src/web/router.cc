#include "web/router.h"

#include <ctime>

#include "sync/errors.h"
#include "web/api_tokens.h"
#include "web/crypto.h"
#include "web/html.h"

namespace cs::web {
namespace {

enum Kind { kPublic = 0, kPage = 1, kAction = 2, kApi = 3 };

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

store::Db& Ctx::db() {
  if (!db_) db_ = app.OpenDb();
  return *db_;
}

std::string Ctx::Param(const std::string& name) const {
  if (req.has_param(name)) return req.get_param_value(name);
  if (req.has_file(name)) {
    const auto& f = req.get_file_value(name);
    if (f.filename.empty()) return f.content;
  }
  return "";
}

bool Ctx::Has(const std::string& name) const {
  return req.has_param(name) || (req.has_file(name) && req.get_file_value(name).filename.empty());
}

int64_t Ctx::IntParam(const std::string& name, int64_t fallback) const {
  std::string v = Trim(Param(name));
  if (v.empty() || v.size() > 18) return fallback;
  size_t i = v[0] == '-' ? 1 : 0;
  if (i == v.size()) return fallback;
  for (; i < v.size(); ++i) {
    if (v[i] < '0' || v[i] > '9') return fallback;
  }
  return std::stoll(v);
}

std::vector<std::string> Ctx::Params(const std::string& name) const {
  std::vector<std::string> out;
  auto range = req.params.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  auto files = req.files.equal_range(name);
  for (auto it = files.first; it != files.second; ++it) {
    if (it->second.filename.empty()) out.push_back(it->second.content);
  }
  return out;
}

const httplib::MultipartFormData* Ctx::Upload(const std::string& name) const {
  auto it = req.files.find(name);
  if (it == req.files.end() || it->second.filename.empty()) return nullptr;
  return &it->second;
}

int64_t Ctx::MatchId(size_t index) const {
  if (index >= req.matches.size()) return -1;
  std::string v = req.matches[index];
  if (v.empty() || v.size() > 18) return -1;
  for (char c : v) {
    if (c < '0' || c > '9') return -1;
  }
  return std::stoll(v);
}

const std::string& Ctx::csrf() const {
  static const std::string none;
  return session ? session->csrf : none;
}

void Ctx::Page(const std::string& title, const std::string& active, const std::string& body,
               int status) {
  Frame f;
  f.title = title;
  f.active = active;
  if (session) {
    f.user = session->user;
    f.csrf = session->csrf;
    auto [kind, text] = app.sessions().TakeFlash(session->id);
    f.flash_kind = kind;
    f.flash_text = text;
  }
  res.status = status;
  res.set_content(Layout(f, body), "text/html; charset=utf-8");
}

void Ctx::Redirect(const std::string& location, const std::string& flash_kind,
                   const std::string& flash_text) {
  if (session && !flash_text.empty()) app.sessions().SetFlash(session->id, flash_kind, flash_text);
  res.status = 303;
  res.set_header("Location", location);
}

void Ctx::Json(const nlohmann::json& j, int status) {
  res.status = status;
  res.set_content(j.dump(), "application/json");
}

void Ctx::Fail(int status, const std::string& message) {
  if (api) {
    Json({{"error", message}}, status);
    return;
  }
  std::string title = status == 403   ? "Forbidden"
                      : status == 404 ? "Not found"
                      : status == 409 ? "Busy"
                      : status >= 500 ? "Error"
                                      : "Refused";
  Page(title, "", Notice("error", message) + "<p><a href=\"/run\">Back to the console</a></p>",
       status);
}

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = Trim(header.substr(pos, end - pos));
    size_t eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    pos = end + 1;
  }
  return "";
}

std::optional<Session> SessionOf(WebApp& app, const httplib::Request& req) {
  return app.sessions().Find(CookieValue(req, kSessionCookie));
}

std::optional<int64_t> TokenOf(WebApp& app, const httplib::Request& req) {
  std::string h = req.get_header_value("Authorization");
  if (h.size() < 8 || h.compare(0, 7, "Bearer ") != 0) return std::nullopt;
  auto db = app.OpenDb();
  return VerifyApiToken(*db, Trim(h.substr(7)));
}

bool Router::IsPublicPath(const std::string& path) {
  return path == "/login" || path == "/healthz" || path == "/favicon.ico" ||
         path.rfind("/static/", 0) == 0;
}

Router::Router(httplib::Server& server, WebApp& app) : server_(server), app_(app) {}

httplib::Server::Handler Router::Wrap(Handler h, int kind) {
  // The router is a short-lived builder: handlers capture the application, not the router.
  WebApp* app = &app_;
  return [app, h, kind](const httplib::Request& req, httplib::Response& res) {
    Ctx ctx(req, res, *app);
    ctx.api = kind == kApi;
    try {
      if (kind == kPage || kind == kAction) {
        ctx.session = SessionOf(*app, req);
        if (!ctx.session) {
          if (kind == kPage) {
            ctx.Redirect("/login" + Query({{"next", req.path}}));
          } else {
            ctx.Fail(403, "not logged in");
          }
          return;
        }
        if (kind == kAction) {
          std::string token = req.has_header("X-CSRF-Token") ? req.get_header_value("X-CSRF-Token")
                                                             : ctx.Param("csrf");
          if (token.empty() || !SafeEqual(token, ctx.session->csrf)) {
            ctx.Fail(403, "missing or wrong CSRF token: reload the page and try again");
            return;
          }
        }
      } else if (kind == kApi) {
        ctx.token = TokenOf(*app, req);
        if (!ctx.token) {
          res.set_header("WWW-Authenticate", "Bearer realm=\"coursesync\"");
          ctx.Fail(401, "a valid API token is required (Authorization: Bearer <token>)");
          return;
        }
      }
      h(ctx);
    } catch (const sync::Rejected& e) {
      ctx.Fail(400, e.what());
    } catch (const sync::LockBusy& e) {
      ctx.Fail(409, e.what());
    } catch (const store::DbError& e) {
      ctx.Fail(503, std::string("database unavailable or busy: ") + e.what());
    } catch (const std::exception& e) {
      ctx.Fail(500, std::string("internal error: ") + e.what());
    }
  };
}

void Router::PublicGet(const std::string& pattern, Handler h) {
  server_.Get(pattern, Wrap(std::move(h), kPublic));
}
void Router::PublicPost(const std::string& pattern, Handler h) {
  server_.Post(pattern, Wrap(std::move(h), kPublic));
}
void Router::Page(const std::string& pattern, Handler h) {
  server_.Get(pattern, Wrap(std::move(h), kPage));
}
void Router::Action(const std::string& pattern, Handler h) {
  server_.Post(pattern, Wrap(std::move(h), kAction));
}
void Router::Api(const std::string& method, const std::string& pattern, Handler h) {
  auto w = Wrap(std::move(h), kApi);
  if (method == "GET") server_.Get(pattern, w);
  if (method == "POST") server_.Post(pattern, w);
  if (method == "PUT") server_.Put(pattern, w);
  if (method == "PATCH") server_.Patch(pattern, w);
  if (method == "DELETE") server_.Delete(pattern, w);
}

void InstallGuards(httplib::Server& server, WebApp& app) {
  httplib::Headers headers = {
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "same-origin"},
      {"Cache-Control", "no-store"}};
  if (app.config().tls()) {
    headers.emplace("Strict-Transport-Security", "max-age=31536000");
  }
  server.set_default_headers(headers);

  server.set_pre_routing_handler([&app](const httplib::Request& req, httplib::Response& res) {
    if (Router::IsPublicPath(req.path)) return httplib::Server::HandlerResponse::Unhandled;
    if (req.path == "/api" || req.path.rfind("/api/", 0) == 0) {
      if (TokenOf(app, req)) return httplib::Server::HandlerResponse::Unhandled;
      res.status = 401;
      res.set_header("WWW-Authenticate", "Bearer realm=\"coursesync\"");
      res.set_content(
          R"J({"error":"a valid API token is required (Authorization: Bearer <token>)"})J",
          "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (SessionOf(app, req)) return httplib::Server::HandlerResponse::Unhandled;
    if (req.method == "GET" || req.method == "HEAD") {
      res.status = 303;
      res.set_header("Location", "/login" + Query({{"next", req.path}}));
    } else {
      res.status = 403;
      res.set_content("not logged in\n", "text/plain; charset=utf-8");
    }
    return httplib::Server::HandlerResponse::Handled;
  });

  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string msg = res.status == 404 ? "not found" : "error " + std::to_string(res.status);
    if (req.path.rfind("/api/", 0) == 0) {
      res.set_content(nlohmann::json({{"error", msg}}).dump(), "application/json");
    } else {
      res.set_content(msg + "\n", "text/plain; charset=utf-8");
    }
  });

  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string msg = "internal error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          msg += std::string(": ") + e.what();
        } catch (...) {
        }
        res.status = 500;
        res.set_content(msg + "\n", "text/plain; charset=utf-8");
      });

  if (app.config().access_log) {
    server.set_logger([&app](const httplib::Request& req, const httplib::Response& res) {
      std::time_t t = std::time(nullptr);
      std::tm tm{};
      localtime_r(&t, &tm);
      char when[40];
      std::strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S %z", &tm);
      std::string who = "-";
      if (auto s = app.sessions().Find(CookieValue(req, kSessionCookie))) who = s->user;
      if (req.has_header("Authorization")) who = "api";
      std::string agent = req.get_header_value("User-Agent");
      for (char& c : agent) {
        if (c == '"' || static_cast<unsigned char>(c) < 32) c = '\'';
      }
      app.config().access_log(req.remote_addr + " - " + who + " [" + when + "] \"" + req.method +
                              " " + req.path + " " + req.version + "\" " +
                              std::to_string(res.status) + " " + std::to_string(res.body.size()) +
                              " \"" + agent + "\"");
    });
  }
}

}  // namespace cs::web
