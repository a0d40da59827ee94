// API tokens for `/api/v1/`: created and revoked by the admin in the console, shown once at
// creation, kept at rest only as a SHA-256 digest in {tool_sync_tokens}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace cs::web {

struct ApiToken {
  int64_t id = 0;
  std::string name;
  int64_t timecreated = 0;
  int64_t lastused = 0;
  bool revoked = false;
};

struct NewToken {
  int64_t id = 0;
  std::string secret;  // "cst_" + 64 hex characters; never stored
};

// Throws sync::Rejected when the name is empty or longer than 100 characters.
NewToken CreateApiToken(store::Db& db, const std::string& name);
std::vector<ApiToken> ListApiTokens(store::Db& db);
// Returns false when there is no such token.
bool RevokeApiToken(store::Db& db, int64_t id);
// The id of the live token with this secret (its lastused updated), or nullopt.
std::optional<int64_t> VerifyApiToken(store::Db& db, const std::string& secret);

}  // namespace cs::web
