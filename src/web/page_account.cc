// The admin's account page: change the password (current one required). Every session of the
// admin but this one is closed afterwards.
#include "sync/errors.h"
#include "web/admin_account.h"
#include "web/html.h"
#include "web/pages.h"

namespace cs::web {
namespace {

void ShowAccount(Ctx& c, const std::string& error, int status) {
  std::string body;
  if (AdminPasswordIsOneTime(c.db())) {
    body += Notice("info", "The current password is the one-time password printed by serve.");
  }
  if (!error.empty()) body += Notice("error", error);
  body += "<h2>Change the password</h2><form method=\"post\" action=\"/account/password\">" +
          CsrfField(c.csrf());
  FieldOptions cur;
  cur.type = "password";
  cur.extra = "autocomplete=\"current-password\" required";
  body += InputField("current", "Current password", "", cur);
  FieldOptions pw;
  pw.type = "password";
  pw.extra = "autocomplete=\"new-password\" required minlength=\"8\"";
  pw.help = "At least 8 characters.";
  body += InputField("password", "New password", "", pw);
  pw.help.clear();
  body += InputField("confirm", "New password again", "", pw);
  body += "<button type=\"submit\">Change the password</button></form>";
  c.Page("Account", "account", body, status);
}

}  // namespace

void RegisterAccountPages(Router& r) {
  r.Page("/account", [](Ctx& c) { ShowAccount(c, "", 200); });
  r.Action("/account/password", [](Ctx& c) {
    if (!CheckAdminLogin(c.db(), c.session->user, c.Param("current"))) {
      ShowAccount(c, "The current password is wrong.", 400);
      return;
    }
    if (c.Param("password") != c.Param("confirm")) {
      ShowAccount(c, "The two new passwords differ.", 400);
      return;
    }
    try {
      SetAdminPassword(c.db(), c.Param("password"));
    } catch (const sync::Rejected& e) {
      ShowAccount(c, e.what(), 400);
      return;
    }
    Session keep = *c.session;
    c.app.sessions().DestroyUser(keep.user);
    // Keep this browser logged in with a fresh session.
    Session s = c.app.sessions().Create(keep.user);
    c.res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + s.id +
                                       "; Path=/; HttpOnly; SameSite=Strict" +
                                       (c.app.config().tls() ? "; Secure" : ""));
    c.session = s;
    c.Redirect("/account", "ok", "Password changed.");
  });
}

}  // namespace cs::web
