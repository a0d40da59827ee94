#include "web/api_tokens.h"

#include "sync/errors.h"
#include "web/crypto.h"
#include "web/sessions.h"

namespace cs::web {

NewToken CreateApiToken(store::Db& db, const std::string& name) {
  if (name.empty() || name.size() > 100) {
    throw sync::Rejected("a token needs a name of 1 to 100 characters");
  }
  NewToken t;
  t.secret = "cst_" + RandomHex(32);
  t.id = db.QueryInt(
               "INSERT INTO {tool_sync_tokens} (name, tokenhash, timecreated, lastused, revoked) "
               "VALUES (?, ?, ?, 0, 0) RETURNING id",
               name, Sha256Hex(t.secret), NowSeconds())
             .value_or(0);
  return t;
}

std::vector<ApiToken> ListApiTokens(store::Db& db) {
  std::vector<ApiToken> out;
  auto st = db.Prepare(
      "SELECT id, name, timecreated, lastused, revoked FROM {tool_sync_tokens} ORDER BY id");
  while (st->Step()) {
    out.push_back({st->Int(0), st->Text(1), st->Int(2), st->Int(3), st->Int(4) != 0});
  }
  return out;
}

bool RevokeApiToken(store::Db& db, int64_t id) {
  if (!db.QueryInt("SELECT id FROM {tool_sync_tokens} WHERE id = ?", id)) return false;
  db.Execute("UPDATE {tool_sync_tokens} SET revoked = 1 WHERE id = ?", id);
  return true;
}

std::optional<int64_t> VerifyApiToken(store::Db& db, const std::string& secret) {
  if (secret.rfind("cst_", 0) != 0 || secret.size() != 68) return std::nullopt;
  auto st =
      db.Prepare("SELECT id, lastused FROM {tool_sync_tokens} WHERE tokenhash = ? AND revoked = 0");
  if (!st->Run(Sha256Hex(secret))) return std::nullopt;
  int64_t id = st->Int(0);
  int64_t lastused = st->Int(1);
  st->Reset();
  int64_t now = NowSeconds();
  // Recorded at most once a minute: a run holding the write lock must not slow every call.
  if (now - lastused >= 60) {
    try {
      db.Execute("UPDATE {tool_sync_tokens} SET lastused = ? WHERE id = ?", now, id);
    } catch (const store::DbError&) {
      // Busy database: the token is valid all the same.
    }
  }
  return id;
}

}  // namespace cs::web
