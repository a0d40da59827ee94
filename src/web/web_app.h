// What every request handler shares: the configuration of `serve`, the file area, the sessions,
// the login lockout and the background jobs. Each request opens its own database connection
// (OpenDb): connections are never shared across threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "store/db.h"
#include "sync/file_area.h"
#include "web/jobs.h"
#include "web/sessions.h"

namespace cs::web {

struct WebConfig {
  std::string data_dir;  // the data folder
  std::string db_url;    // store::Open URL
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0 = any free port
  std::string cert_file, key_file;  // both set: HTTPS
  // Where the access log goes (one line per request); empty = nowhere.
  std::function<void(const std::string& line)> access_log;
  int64_t session_idle_seconds = 8 * 3600;
  int max_login_failures = 5;
  int64_t lockout_seconds = 900;
  size_t max_upload_bytes = 256u << 20;
  bool tls() const { return !cert_file.empty() && !key_file.empty(); }
};

class WebApp {
 public:
  explicit WebApp(WebConfig config);
  const WebConfig& config() const { return config_; }
  const sync::FileArea& area() const { return area_; }
  SessionStore& sessions() { return sessions_; }
  LoginThrottle& throttle() { return throttle_; }
  JobManager& jobs() { return jobs_; }
  std::unique_ptr<store::Db> OpenDb() const { return store::Open(config_.db_url); }

 private:
  WebConfig config_;
  sync::FileArea area_;
  SessionStore sessions_;
  LoginThrottle throttle_;
  JobManager jobs_;
};

}  // namespace cs::web
