// The console's pages and the JSON API, each registered by its own file (page_*.cc, api.cc).
#pragma once

#include "web/router.h"

namespace cs::web {

void RegisterStatic(Router& r);         // /static/style.css, /static/app.js, /healthz
void RegisterLoginPages(Router& r);     // /login, /logout, / (home)
void RegisterAccountPages(Router& r);   // /account: change the admin password
void RegisterSettingsPages(Router& r);  // /settings
void RegisterRunPages(Router& r);       // /run, /run/jobs/N
void RegisterUtilityPages(Router& r);   // /utilities/...
void RegisterFilePages(Router& r);      // /files/...
void RegisterHistoryPages(Router& r);   // /history, /history/N
void RegisterTokenPages(Router& r);     // /tokens
void RegisterApi(Router& r);            // /api/v1/...

}  // namespace cs::web
