#include "web/admin_account.h"

#include "sync/errors.h"
#include "web/crypto.h"

namespace cs::web {
namespace {

constexpr char kPlugin[] = "coursesync";

void Put(store::Db& db, const std::string& name, const std::string& value) {
  db.Execute("UPDATE {config_plugins} SET value = ? WHERE plugin = ? AND name = ?", value, kPlugin,
             name);
  if (!db.QueryInt("SELECT 1 FROM {config_plugins} WHERE plugin = ? AND name = ?", kPlugin, name)) {
    db.Execute("INSERT INTO {config_plugins} (plugin, name, value) VALUES (?, ?, ?)", kPlugin, name,
               value);
  }
}

std::optional<std::string> GetValue(store::Db& db, const std::string& name) {
  auto st = db.Prepare("SELECT value FROM {config_plugins} WHERE plugin = ? AND name = ?");
  if (!st->Run(kPlugin, name)) return std::nullopt;
  return st->Text(0);
}

}  // namespace

void SetAdminPassword(store::Db& db, const std::string& password, bool one_time) {
  if (password.size() < kMinPasswordLength) {
    throw sync::Rejected("the password must have at least " + std::to_string(kMinPasswordLength) +
                         " characters");
  }
  std::string hash = HashPassword(password);
  store::Transaction tx(db);
  Put(db, "adminpasswordhash", hash);
  Put(db, "adminpasswordonetime", one_time ? "1" : "0");
  tx.Commit();
}

std::optional<std::string> AdminPasswordHash(store::Db& db) {
  auto v = GetValue(db, "adminpasswordhash");
  if (v && v->empty()) return std::nullopt;
  return v;
}

bool AdminPasswordIsOneTime(store::Db& db) {
  return GetValue(db, "adminpasswordonetime").value_or("0") == "1";
}

bool CheckAdminLogin(store::Db& db, const std::string& user, const std::string& password) {
  auto hash = AdminPasswordHash(db);
  // Verify even for a wrong user name, so both answers take the same time.
  bool ok = hash && VerifyPassword(*hash, password);
  return ok && user == kAdminUser;
}

std::optional<std::string> EnsureAdminPassword(store::Db& db) {
  if (AdminPasswordHash(db)) return std::nullopt;
  std::string pw = RandomPassword(16);
  SetAdminPassword(db, pw, true);
  return pw;
}

}  // namespace cs::web
