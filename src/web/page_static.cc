// Static assets and the health check (no authentication).
#include "web/assets.h"
#include "web/pages.h"

namespace cs::web {

void RegisterStatic(Router& r) {
  r.PublicGet("/static/style.css", [](Ctx& c) {
    c.res.set_content(std::string(StyleCss()), "text/css; charset=utf-8");
  });
  r.PublicGet("/static/app.js", [](Ctx& c) {
    c.res.set_content(std::string(AppJs()), "text/javascript; charset=utf-8");
  });
  r.PublicGet("/favicon.ico", [](Ctx& c) { c.res.status = 204; });
  r.PublicGet("/healthz", [](Ctx& c) { c.res.set_content("ok\n", "text/plain"); });
}

}  // namespace cs::web
