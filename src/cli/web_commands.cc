#include "cli/web_commands.h"

#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "sync/errors.h"
#include "web/admin_account.h"
#include "web/server.h"

namespace cs::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string cert, key, access_log;
};

// Reads one line from the terminal without echo.
std::string ReadHidden(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  termios old{};
  bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  return line;
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void Serve(Globals& g, const ServeArgs& a) {
  auto [host, port] = ParseListen(a.listen);
  if (a.cert.empty() != a.key.empty()) {
    throw sync::Rejected("--cert and --key go together");
  }
  Site site = OpenSite(g);
  if (auto pw = web::EnsureAdminPassword(*site.db)) {
    std::cout << "No admin password was set. One-time password for user '" << web::kAdminUser
              << "': " << *pw << "\n(change it on the Account page or with `coursesync admin "
              << "set-password`)\n"
              << std::flush;
  }
  web::WebConfig cfg;
  cfg.data_dir = site.area->data_dir().string();
  cfg.db_url = site.url;
  cfg.host = host;
  cfg.port = port;
  cfg.cert_file = a.cert;
  cfg.key_file = a.key;
  site.db.reset();

  auto log_mu = std::make_shared<std::mutex>();
  std::shared_ptr<std::ofstream> log_file;
  if (!a.access_log.empty() && a.access_log != "-") {
    log_file = std::make_shared<std::ofstream>(a.access_log, std::ios::app);
    if (!*log_file) throw sync::Rejected("cannot open the access log " + a.access_log);
  }
  if (a.access_log != "off") {
    cfg.access_log = [log_mu, log_file](const std::string& line) {
      std::lock_guard<std::mutex> lock(*log_mu);
      if (log_file) {
        *log_file << line << "\n" << std::flush;
      } else {
        std::cerr << line << "\n";
      }
    };
  }

  // SIGINT/SIGTERM are handled by a dedicated thread (sigwait), which stops the server; block
  // them before any other thread starts so that every thread inherits the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  web::WebServer server(cfg);
  server.Bind();
  if (!IsLoopback(host)) {
    std::cerr << "coursesync: warning: listening on " << host
              << (cfg.tls() ? "" : " without TLS: passwords and tokens cross the network in clear")
              << "\n";
  }
  std::cout << "Listening on " << server.BaseUrl() << "/ (data " << cfg.data_dir
            << "; Ctrl-C stops)\n"
            << std::flush;
  std::thread waiter([&server, set]() {
    int sig = 0;
    sigwait(&set, &sig);
    if (sig == SIGINT || sig == SIGTERM) {
      std::cerr << "coursesync: stopping (waiting for running jobs)\n";
      server.Stop();
    }
  });
  server.Run();
  // Run() returns after Stop() (from the signal thread) or on a listen error; wake the waiter if
  // it is still waiting.
  ::kill(::getpid(), SIGTERM);
  waiter.join();
  server.Stop();
  std::cout << "Stopped.\n";
}

}  // namespace

std::pair<std::string, int> ParseListen(const std::string& listen) {
  std::string host = "127.0.0.1", port_text = listen;
  if (!listen.empty() && listen[0] == '[') {
    size_t close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      throw CLI::ValidationError("--listen", "expected [ADDR]:PORT, got '" + listen + "'");
    }
    host = listen.substr(1, close - 1);
    port_text = listen.substr(close + 2);
  } else if (size_t colon = listen.rfind(':'); colon != std::string::npos) {
    if (colon > 0) host = listen.substr(0, colon);
    port_text = listen.substr(colon + 1);
  }
  bool digits = !port_text.empty() && port_text.size() <= 5 &&
                port_text.find_first_not_of("0123456789") == std::string::npos;
  int port = digits ? std::stoi(port_text) : -1;
  if (port < 0 || port > 65535 || host.empty()) {
    throw CLI::ValidationError("--listen", "expected ADDR:PORT, got '" + listen + "'");
  }
  return {host, port};
}

void AddWebCommands(CLI::App& app, Globals& g) {
  auto a = std::make_shared<ServeArgs>();
  CLI::App* serve = app.add_subcommand("serve", "Run the web console and JSON API");
  serve->fallthrough();
  serve->add_option("--listen", a->listen,
                    "ADDR:PORT to listen on (default 127.0.0.1:8080; port 0 = any free port)");
  serve->add_option("--cert", a->cert, "TLS certificate (PEM); with --key serves HTTPS")
      ->check(CLI::ExistingFile);
  serve->add_option("--key", a->key, "TLS private key (PEM)")->check(CLI::ExistingFile);
  serve->add_option("--access-log", a->access_log,
                    "Access log file (default: standard error; 'off' for none)");
  serve->callback([&g, a]() { Serve(g, *a); });

  CLI::App* admin = app.add_subcommand("admin", "Web console administration");
  admin->fallthrough()->require_subcommand(1);
  auto from_stdin = std::make_shared<bool>(false);
  CLI::App* setpw = admin->add_subcommand("set-password", "Set the web console's admin password");
  setpw->fallthrough();
  setpw->add_flag("--password-stdin", *from_stdin, "Read the password from standard input");
  setpw->callback([&g, from_stdin]() {
    std::string pw;
    if (*from_stdin) {
      std::getline(std::cin, pw);
      if (!pw.empty() && pw.back() == '\r') pw.pop_back();
    } else {
      if (!::isatty(STDIN_FILENO)) {
        throw sync::Rejected("no terminal: use --password-stdin to read the password from stdin");
      }
      pw = ReadHidden("New admin password: ");
      if (ReadHidden("Again: ") != pw) throw sync::Rejected("the two passwords differ");
    }
    Site site = OpenSite(g);
    web::SetAdminPassword(*site.db, pw);
    if (!g.quiet) {
      std::cout << "Password of the web console's user '" << web::kAdminUser << "' set.\n";
    }
  });
}

}  // namespace cs::cli
