// Console sessions and the login lockout, both in memory (a restart logs everyone out).
//
// A session is identified by a random 256-bit id sent in an HttpOnly, SameSite=Strict cookie; it
// carries its own CSRF token, required on every POST, and a one-shot flash message shown by the
// next page. Sessions expire after `idle_seconds` without a request.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace cs::web {

inline constexpr char kSessionCookie[] = "cs_session";

struct Session {
  std::string id;
  std::string user;
  std::string csrf;
  int64_t created = 0;
  int64_t last_seen = 0;
  std::string flash_kind, flash_text;
};

class SessionStore {
 public:
  explicit SessionStore(int64_t idle_seconds = 8 * 3600) : idle_(idle_seconds) {}
  Session Create(const std::string& user);
  // The live session with this id (its idle timer restarted), or nullopt.
  std::optional<Session> Find(const std::string& id);
  void Destroy(const std::string& id);
  // Every session of `user` (after a password change).
  void DestroyUser(const std::string& user);
  void SetFlash(const std::string& id, const std::string& kind, const std::string& text);
  // Returns and clears the flash message (kind, text).
  std::pair<std::string, std::string> TakeFlash(const std::string& id);
  size_t size();

 private:
  std::mutex mu_;
  std::map<std::string, Session> sessions_;
  int64_t idle_;
};

// Refuses logins for a key (a client address, a user name) after `max_failures` failures within
// `window_seconds`, for `lock_seconds`.
class LoginThrottle {
 public:
  LoginThrottle(int max_failures = 5, int64_t window_seconds = 900, int64_t lock_seconds = 900)
      : max_(max_failures), window_(window_seconds), lock_(lock_seconds) {}
  // Seconds until `key` may try again; 0 when it may.
  int64_t LockedFor(const std::string& key, int64_t now);
  void Failure(const std::string& key, int64_t now);
  void Success(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    int64_t first = 0;
    int64_t locked_until = 0;
  };
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
  int max_;
  int64_t window_, lock_;
};

int64_t NowSeconds();

}  // namespace cs::web
