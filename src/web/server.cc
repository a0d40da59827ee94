#include "web/server.h"

#include <httplib.h>

#include <stdexcept>

#include "web/pages.h"
#include "web/router.h"

namespace cs::web {

WebServer::WebServer(WebConfig config) : app_(std::make_unique<WebApp>(std::move(config))) {
  const WebConfig& c = app_->config();
  if (c.tls()) {
    auto ssl = std::make_unique<httplib::SSLServer>(c.cert_file.c_str(), c.key_file.c_str());
    if (!ssl->is_valid()) {
      throw std::runtime_error("cannot use the TLS certificate " + c.cert_file + " and key " +
                               c.key_file);
    }
    server_ = std::move(ssl);
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  server_->new_task_queue = [] { return new httplib::ThreadPool(8); };
  server_->set_payload_max_length(c.max_upload_bytes);
  server_->set_read_timeout(30, 0);
  server_->set_write_timeout(30, 0);
  server_->set_keep_alive_timeout(5);
  InstallGuards(*server_, *app_);
  Router r(*server_, *app_);
  RegisterStatic(r);
  RegisterLoginPages(r);
  RegisterAccountPages(r);
  RegisterSettingsPages(r);
  RegisterRunPages(r);
  RegisterUtilityPages(r);
  RegisterFilePages(r);
  RegisterHistoryPages(r);
  RegisterTokenPages(r);
  RegisterApi(r);
}

WebServer::~WebServer() { Stop(); }

int WebServer::Bind() {
  const WebConfig& c = app_->config();
  if (c.port == 0) {
    port_ = server_->bind_to_any_port(c.host);
    if (port_ <= 0) throw std::runtime_error("cannot listen on " + c.host);
  } else {
    if (!server_->bind_to_port(c.host, c.port)) {
      throw std::runtime_error("cannot listen on " + c.host + ":" + std::to_string(c.port) +
                               " (address in use or not available)");
    }
    port_ = c.port;
  }
  return port_;
}

void WebServer::Run() { server_->listen_after_bind(); }

int WebServer::StartInBackground() {
  int port = Bind();
  thread_ = std::thread([this] { Run(); });
  return port;
}

void WebServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  app_->jobs().WaitAll();
}

std::string WebServer::BaseUrl() const {
  const WebConfig& c = app_->config();
  std::string host = c.host.find(':') != std::string::npos ? "[" + c.host + "]" : c.host;
  return std::string(c.tls() ? "https://" : "http://") + host + ":" + std::to_string(port_);
}

}  // namespace cs::web
