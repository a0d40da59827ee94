// Cryptographic primitives of the console, all from libsodium: Argon2id password hashes, random
// tokens, SHA-256 digests of API tokens, and constant-time comparison.
#pragma once

#include <string>
#include <string_view>

namespace cs::web {

// An Argon2id hash in libsodium's encoded form ("$argon2id$v=19$m=...").
std::string HashPassword(std::string_view password);
bool VerifyPassword(const std::string& hash, std::string_view password);

// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string RandomHex(size_t bytes);

// A password a person can type: `length` characters from an unambiguous alphabet.
std::string RandomPassword(size_t length = 16);

// SHA-256 of `data` as lowercase hex.
std::string Sha256Hex(std::string_view data);

// Constant-time equality (different lengths compare unequal).
bool SafeEqual(std::string_view a, std::string_view b);

}  // namespace cs::web
