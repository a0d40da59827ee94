#include "web/web_app.h"

namespace cs::web {

WebApp::WebApp(WebConfig config)
    : config_(std::move(config)),
      area_(config_.data_dir),
      sessions_(config_.session_idle_seconds),
      throttle_(config_.max_login_failures, config_.lockout_seconds, config_.lockout_seconds),
      jobs_(config_.db_url, config_.data_dir) {
  area_.EnsureDirs();
}

}  // namespace cs::web
