// Login and logout. The login form is protected against CSRF by a double-submit token (a
// short-lived cookie and the same value in the form); failures count towards a lockout per
// client address and per user name.
#include "web/admin_account.h"
#include "web/crypto.h"
#include "web/html.h"
#include "web/pages.h"

namespace cs::web {
namespace {

constexpr char kLoginCookie[] = "cs_login";

std::string CookieAttrs(const Ctx& c) {
  return std::string("; HttpOnly; SameSite=Strict") + (c.app.config().tls() ? "; Secure" : "");
}

// Only a local path may be a destination after login.
std::string SafeNext(const std::string& next) {
  if (next.empty() || next[0] != '/' || next.rfind("//", 0) == 0 ||
      next.find('\\') != std::string::npos || next == "/login") {
    return "/run";
  }
  return next;
}

void ShowLogin(Ctx& c, const std::string& error, int status) {
  // Reuse the browser's token when it has one, so that two login pages (or a stray request
  // redirected here) do not invalidate each other.
  std::string token = CookieValue(c.req, kLoginCookie);
  if (token.size() != 32 || token.find_first_not_of("0123456789abcdef") != std::string::npos) {
    token = RandomHex(16);
  }
  c.res.set_header("Set-Cookie", std::string(kLoginCookie) + "=" + token +
                                     "; Path=/login; Max-Age=3600" + CookieAttrs(c));
  std::string body;
  if (!error.empty()) body += Notice("error", error);
  body += "<form method=\"post\" action=\"/login\" class=\"login\">" + CsrfField(token) +
          "<input type=\"hidden\" name=\"next\" value=\"" + Esc(SafeNext(c.Param("next"))) + "\">";
  FieldOptions user;
  user.extra = "autocomplete=\"username\" required";
  body += InputField("username", "User name",
                     c.Param("username").empty() ? kAdminUser : c.Param("username"), user);
  FieldOptions pw;
  pw.type = "password";
  pw.extra = "autocomplete=\"current-password\" required autofocus";
  body += InputField("password", "Password", "", pw);
  body += "<button type=\"submit\">Log in</button></form>";
  c.Page("Log in", "", body, status);
}

}  // namespace

void RegisterLoginPages(Router& r) {
  r.PublicGet("/login", [](Ctx& c) {
    if (SessionOf(c.app, c.req)) {
      c.Redirect("/run");
      return;
    }
    ShowLogin(c, "", 200);
  });

  r.PublicPost("/login", [](Ctx& c) {
    std::string cookie = CookieValue(c.req, kLoginCookie);
    std::string token = c.Param("csrf");
    if (cookie.empty() || token.empty() || !SafeEqual(cookie, token)) {
      c.Fail(403, "missing or wrong CSRF token: reload the login page and try again");
      return;
    }
    std::string user = c.Param("username");
    std::string ip_key = "ip:" + c.req.remote_addr;
    std::string user_key = "user:" + user;
    int64_t now = NowSeconds();
    int64_t wait = std::max(c.app.throttle().LockedFor(ip_key, now),
                            c.app.throttle().LockedFor(user_key, now));
    if (wait > 0) {
      c.res.set_header("Retry-After", std::to_string(wait));
      ShowLogin(c,
                "Too many failed attempts: logins are refused for " +
                    std::to_string((wait + 59) / 60) + " more minute(s).",
                429);
      return;
    }
    if (!CheckAdminLogin(c.db(), user, c.Param("password"))) {
      c.app.throttle().Failure(ip_key, now);
      c.app.throttle().Failure(user_key, now);
      ShowLogin(c, "Wrong user name or password.", 401);
      return;
    }
    c.app.throttle().Success(ip_key);
    c.app.throttle().Success(user_key);
    Session s = c.app.sessions().Create(user);
    c.res.set_header("Set-Cookie",
                     std::string(kSessionCookie) + "=" + s.id + "; Path=/" + CookieAttrs(c));
    c.res.set_header("Set-Cookie",
                     std::string(kLoginCookie) + "=; Path=/login; Max-Age=0" + CookieAttrs(c));
    c.session = s;
    if (AdminPasswordIsOneTime(c.db())) {
      c.Redirect("/account", "info",
                 "You logged in with the one-time password: choose your own password now.");
      return;
    }
    c.Redirect(SafeNext(c.Param("next")));
  });

  r.Action("/logout", [](Ctx& c) {
    c.app.sessions().Destroy(c.session->id);
    c.res.set_header("Set-Cookie",
                     std::string(kSessionCookie) + "=; Path=/; Max-Age=0" + CookieAttrs(c));
    c.session.reset();
    c.Redirect("/login");
  });

  r.Page("/", [](Ctx& c) { c.Redirect("/run"); });
}

}  // namespace cs::web
