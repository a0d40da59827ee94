#include "web/sessions.h"

#include <ctime>

#include "web/crypto.h"

namespace cs::web {

int64_t NowSeconds() { return static_cast<int64_t>(std::time(nullptr)); }

Session SessionStore::Create(const std::string& user) {
  Session s;
  s.id = RandomHex(32);
  s.user = user;
  s.csrf = RandomHex(32);
  s.created = s.last_seen = NowSeconds();
  std::lock_guard<std::mutex> lock(mu_);
  // Drop expired sessions from time to time.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = s.created - it->second.last_seen > idle_ ? sessions_.erase(it) : std::next(it);
  }
  sessions_[s.id] = s;
  return s;
}

std::optional<Session> SessionStore::Find(const std::string& id) {
  if (id.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  int64_t now = NowSeconds();
  if (now - it->second.last_seen > idle_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void SessionStore::Destroy(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(id);
}

void SessionStore::DestroyUser(const std::string& user) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.user == user ? sessions_.erase(it) : std::next(it);
  }
}

void SessionStore::SetFlash(const std::string& id, const std::string& kind,
                            const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  it->second.flash_kind = kind;
  it->second.flash_text = text;
}

std::pair<std::string, std::string> SessionStore::TakeFlash(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return {};
  std::pair<std::string, std::string> out{it->second.flash_kind, it->second.flash_text};
  it->second.flash_kind.clear();
  it->second.flash_text.clear();
  return out;
}

size_t SessionStore::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

int64_t LoginThrottle::LockedFor(const std::string& key, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.locked_until <= now) return 0;
  return it->second.locked_until - now;
}

void LoginThrottle::Failure(const std::string& key, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[key];
  if (e.locked_until > 0 && e.locked_until <= now) e = Entry{};  // the lock has run out
  if (e.failures == 0 || now - e.first > window_) {
    e.failures = 0;
    e.first = now;
  }
  if (++e.failures >= max_) e.locked_until = now + lock_;
}

void LoginThrottle::Success(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(key);
}

}  // namespace cs::web
