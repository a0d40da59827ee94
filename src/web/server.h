// The web server of `coursesync serve`: cpp-httplib (HTTPS when a certificate and key are
// given), the console pages and the JSON API registered on it, an access log, and a graceful
// stop that lets running jobs finish.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "web/web_app.h"

namespace httplib {
class Server;
}

namespace cs::web {

class WebServer {
 public:
  explicit WebServer(WebConfig config);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds the listening socket (port 0: any free port); returns the port. Throws
  // std::runtime_error when the address cannot be bound or TLS files are unusable.
  int Bind();
  // Serves until Stop() (blocks). Call after Bind().
  void Run();
  // Bind() and Run() in a background thread (tests).
  int StartInBackground();
  // Stops accepting requests, then waits for running jobs to finish. Safe from any thread.
  void Stop();
  int port() const { return port_; }
  std::string BaseUrl() const;
  WebApp& app() { return *app_; }

 private:
  std::unique_ptr<WebApp> app_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace cs::web
