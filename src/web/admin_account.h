// The console's one administrator account: user name "admin", its Argon2id password hash kept in
// {config_plugins} (plugin 'coursesync', name 'adminpasswordhash'), and whether the password is
// the one-time password printed by the first `serve` (then the console asks to change it).
#pragma once

#include <optional>
#include <string>

#include "store/db.h"

namespace cs::web {

inline constexpr char kAdminUser[] = "admin";
inline constexpr size_t kMinPasswordLength = 8;

// Throws sync::Rejected when the password is too short.
void SetAdminPassword(store::Db& db, const std::string& password, bool one_time = false);
std::optional<std::string> AdminPasswordHash(store::Db& db);
bool AdminPasswordIsOneTime(store::Db& db);
// True when `user`/`password` are the admin's.
bool CheckAdminLogin(store::Db& db, const std::string& user, const std::string& password);

// At the first `serve`: when no password is set, sets a random one-time password and returns it.
std::optional<std::string> EnsureAdminPassword(store::Db& db);

}  // namespace cs::web
