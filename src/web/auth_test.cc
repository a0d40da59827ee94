// Passwords, sessions, the login lockout and API tokens.
#include <gtest/gtest.h>

#include "sync/errors.h"
#include "sync/test_support.h"
#include "web/admin_account.h"
#include "web/api_tokens.h"
#include "web/crypto.h"
#include "web/sessions.h"
#include "web/uploads.h"

namespace cs::web {
namespace {

TEST(Crypto, Argon2idHashesVerifyAndDiffer) {
  std::string h = HashPassword("s3cret-pass");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  EXPECT_TRUE(VerifyPassword(h, "s3cret-pass"));
  EXPECT_FALSE(VerifyPassword(h, "s3cret-pasS"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_NE(HashPassword("s3cret-pass"), h);  // salted
}

TEST(Crypto, RandomTokensAndComparison) {
  std::string a = RandomHex(32), b = RandomHex(32);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_EQ(RandomPassword(16).size(), 16u);
  EXPECT_TRUE(SafeEqual("abc", "abc"));
  EXPECT_FALSE(SafeEqual("abc", "abd"));
  EXPECT_FALSE(SafeEqual("abc", "abcd"));
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AdminAccount, PasswordIsHashedInConfigPlugins) {
  cs::testing::TempSite site;
  EXPECT_FALSE(AdminPasswordHash(*site.db));
  EXPECT_THROW(SetAdminPassword(*site.db, "short"), sync::Rejected);
  SetAdminPassword(*site.db, "a long password");
  auto st = site.db->Prepare(
      "SELECT value FROM {config_plugins} WHERE plugin='coursesync' AND name='adminpasswordhash'");
  ASSERT_TRUE(st->Step());
  EXPECT_EQ(st->Text(0).rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(st->Text(0).find("a long password"), std::string::npos);
  EXPECT_TRUE(CheckAdminLogin(*site.db, "admin", "a long password"));
  EXPECT_FALSE(CheckAdminLogin(*site.db, "root", "a long password"));
  EXPECT_FALSE(CheckAdminLogin(*site.db, "admin", "wrong password"));
  EXPECT_FALSE(AdminPasswordIsOneTime(*site.db));
}

TEST(AdminAccount, FirstServeSetsAOneTimePasswordOnce) {
  cs::testing::TempSite site;
  auto pw = EnsureAdminPassword(*site.db);
  ASSERT_TRUE(pw);
  EXPECT_TRUE(CheckAdminLogin(*site.db, "admin", *pw));
  EXPECT_TRUE(AdminPasswordIsOneTime(*site.db));
  EXPECT_FALSE(EnsureAdminPassword(*site.db));
}

TEST(Sessions, CreateFindDestroyAndFlash) {
  SessionStore store;
  Session s = store.Create("admin");
  EXPECT_EQ(s.id.size(), 64u);
  EXPECT_EQ(s.csrf.size(), 64u);
  EXPECT_NE(s.id, s.csrf);
  auto f = store.Find(s.id);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->csrf, s.csrf);
  EXPECT_FALSE(store.Find("nope"));
  EXPECT_FALSE(store.Find(""));
  store.SetFlash(s.id, "ok", "saved");
  EXPECT_EQ(store.TakeFlash(s.id).second, "saved");
  EXPECT_EQ(store.TakeFlash(s.id).second, "");
  store.Destroy(s.id);
  EXPECT_FALSE(store.Find(s.id));
}

TEST(Sessions, ExpireWhenIdle) {
  SessionStore store(-1);  // every session is already too old
  Session s = store.Create("admin");
  EXPECT_FALSE(store.Find(s.id));
}

TEST(LoginThrottle, LocksAfterFiveFailuresForFifteenMinutes) {
  LoginThrottle t(5, 900, 900);
  for (int i = 0; i < 4; ++i) t.Failure("ip:1", 1000 + i);
  EXPECT_EQ(t.LockedFor("ip:1", 1004), 0);
  t.Failure("ip:1", 1004);
  EXPECT_EQ(t.LockedFor("ip:1", 1005), 899);
  EXPECT_GT(t.LockedFor("ip:1", 1800), 0);
  EXPECT_EQ(t.LockedFor("ip:1", 1904), 0);
  EXPECT_EQ(t.LockedFor("ip:2", 1005), 0);
  // After the lock has run out, the count starts again.
  t.Failure("ip:1", 2000);
  EXPECT_EQ(t.LockedFor("ip:1", 2001), 0);
  // Failures spread beyond the window do not add up; a success clears them.
  LoginThrottle u(5, 900, 900);
  for (int i = 0; i < 4; ++i) u.Failure("k", 0);
  u.Failure("k", 1000);
  EXPECT_EQ(u.LockedFor("k", 1001), 0);
  for (int i = 0; i < 3; ++i) u.Failure("k", 1001);
  u.Success("k");
  u.Failure("k", 1002);
  EXPECT_EQ(u.LockedFor("k", 1003), 0);
}

TEST(ApiTokens, HashedAtRestVerifiedAndRevoked) {
  cs::testing::TempSite site;
  EXPECT_THROW(CreateApiToken(*site.db, ""), sync::Rejected);
  NewToken t = CreateApiToken(*site.db, "nightly");
  EXPECT_EQ(t.secret.rfind("cst_", 0), 0u);
  EXPECT_EQ(site.Count("tool_sync_tokens", "tokenhash = '" + t.secret + "'"), 0);
  EXPECT_EQ(site.Count("tool_sync_tokens", "tokenhash = '" + Sha256Hex(t.secret) + "'"), 1);
  EXPECT_EQ(VerifyApiToken(*site.db, t.secret), t.id);
  EXPECT_FALSE(VerifyApiToken(*site.db, t.secret + "x"));
  EXPECT_FALSE(VerifyApiToken(*site.db, "cst_" + std::string(64, '0')));
  auto list = ListApiTokens(*site.db);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "nightly");
  EXPECT_GT(list[0].lastused, 0);
  EXPECT_TRUE(RevokeApiToken(*site.db, t.id));
  EXPECT_FALSE(RevokeApiToken(*site.db, t.id + 100));
  EXPECT_FALSE(VerifyApiToken(*site.db, t.secret));
}

TEST(Uploads, OnlyTheBaseNameIsKept) {
  EXPECT_EQ(CleanUploadName("../../x"), "x");
  EXPECT_EQ(CleanUploadName("C:\\Users\\me\\courses.csv"), "courses.csv");
  EXPECT_EQ(CleanUploadName("..hidden"), "hidden");
  EXPECT_THROW(CleanUploadName("../"), sync::Rejected);
  EXPECT_THROW(CleanUploadName(".."), sync::Rejected);
  cs::testing::TempSite site;
  auto p = SaveUpload(*site.area, "", "../../x", "data", false);
  EXPECT_EQ(p, site.area->files_dir() / "x");
  auto q = SaveUpload(*site.area, "uploads", "a.csv", "1", true);
  auto r = SaveUpload(*site.area, "uploads", "a.csv", "2", true);
  EXPECT_NE(q, r);
  EXPECT_THROW(SaveUpload(*site.area, "../outside", "a.csv", "1", false), sync::Rejected);
}

}  // namespace
}  // namespace cs::web
