// API tokens: the admin creates a named token (its secret is shown once) and revokes tokens.
#include "sync/errors.h"
#include "web/api_tokens.h"
#include "web/html.h"
#include "web/pages.h"

namespace cs::web {
namespace {

void Show(Ctx& c, const std::string& before, int status) {
  std::string body = before;
  body +=
      "<p>Automation calls <code>/api/v1/</code> with the header <code>Authorization: Bearer "
      "&lt;token&gt;</code>. Only a digest of each token is stored: copy a new token when it "
      "is shown.</p>";
  body += "<form method=\"post\" action=\"/tokens\">" + CsrfField(c.csrf());
  FieldOptions o;
  o.extra = "required maxlength=\"100\"";
  o.help = "What the token is for, e.g. \"registrar nightly export\".";
  body += InputField("name", "Name", "", o) +
          "<p><button type=\"submit\">Create a token</button></p></form>";
  auto tokens = ListApiTokens(c.db());
  body += "<h2>Tokens (" + std::to_string(tokens.size()) + ")</h2>";
  if (!tokens.empty()) {
    body +=
        "<table><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Name</th><th "
        "scope=\"col\">Created</th><th scope=\"col\">Last used</th><th "
        "scope=\"col\">State</th><th scope=\"col\">Action</th></tr></thead><tbody>";
    for (const auto& t : tokens) {
      body += "<tr><td>" + std::to_string(t.id) + "</td><td>" + Esc(t.name) + "</td><td>" +
              Esc(FormatTime(t.timecreated)) + "</td><td>" +
              Esc(t.lastused ? FormatTime(t.lastused) : "never") + "</td><td>" +
              (t.revoked ? "revoked" : "active") + "</td><td>";
      if (!t.revoked) {
        body += "<form class=\"inline\" method=\"post\" action=\"/tokens/" + std::to_string(t.id) +
                "/revoke\">" + CsrfField(c.csrf()) +
                "<button type=\"submit\" class=\"danger\" aria-label=\"Revoke token " +
                Esc(t.name) + "\" data-confirm=\"Revoke this token?\">Revoke</button></form>";
      }
      body += "</td></tr>";
    }
    body += "</tbody></table>";
  }
  c.Page("API tokens", "tokens", body, status);
}

}  // namespace

void RegisterTokenPages(Router& r) {
  r.Page("/tokens", [](Ctx& c) { Show(c, "", 200); });
  r.Action("/tokens", [](Ctx& c) {
    NewToken t;
    try {
      t = CreateApiToken(c.db(), c.Param("name"));
    } catch (const sync::Rejected& e) {
      Show(c, Notice("error", e.what()), 400);
      return;
    }
    Show(c,
         "<div class=\"notice notice-ok\" role=\"status\"><p>Token created. Copy it now: it "
         "will not be shown again.</p><p><output class=\"secret\" id=\"new-token\">" +
             Esc(t.secret) + "</output></p></div>",
         200);
  });
  r.Action(R"(/tokens/(\d+)/revoke)", [](Ctx& c) {
    if (!RevokeApiToken(c.db(), c.MatchId())) {
      c.Redirect("/tokens", "error", "No such token.");
      return;
    }
    c.Redirect("/tokens", "ok", "Token revoked.");
  });
}

}  // namespace cs::web
