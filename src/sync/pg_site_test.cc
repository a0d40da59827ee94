// The site on PostgreSQL: init with Moodle's ids and sequences, and a run whose server session is
// killed half way. Skipped unless CS_TEST_PG_URL names a server (scripts/pg-test-server.sh).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/pg_db.h"
#include "sync/tasks.h"
#include "sync/test_support.h"

namespace cs::sync {
namespace {

using cs::testing::PgTestDatabase;
using cs::testing::TempSite;
using cs::testing::TestPgUrl;

TEST(PgSiteTest, InitSeedsMoodlesIdsAndMovesTheSequencesPastThem) {
  if (!TestPgUrl()) GTEST_SKIP() << "CS_TEST_PG_URL is not set";
  PgTestDatabase fresh;
  auto db = store::Open(fresh.url());
  EXPECT_TRUE(InitSite(*db).created);
  auto str = [&](const std::string& sql) {
    auto st = db->Prepare(sql);
    return st->Step() ? st->Text(0) : "<none>";
  };
  EXPECT_EQ(str("SELECT id || format || category FROM {course} ORDER BY id"), "1site0");
  EXPECT_EQ(str("SELECT string_agg(id || ':' || path, ' ' ORDER BY id) FROM {context}"),
            "1:/1 2:/1/2 3:/1/3 4:/1/4 5:/1/5");
  EXPECT_EQ(str("SELECT string_agg(id || shortname, ' ' ORDER BY id) FROM {role}"),
            "1manager 2coursecreator 3editingteacher 4teacher 5student 6guest 7user 8frontpage");
  EXPECT_EQ(str("SELECT string_agg(id || username, ' ' ORDER BY id) FROM {user}"), "1guest 2admin");
  // The next ids follow the seeded ones, whether they come from NextId or a column default.
  EXPECT_EQ(db->NextId("course"), 2);
  EXPECT_EQ(db->NextId("context"), 6);
  EXPECT_EQ(db->NextId("course_categories"), 2);
  EXPECT_EQ(db->QueryInt("INSERT INTO {role} (name, shortname, description, sortorder, archetype) "
                         "VALUES ('', 'x', '', 9, '') RETURNING id"),
            9);
  // A second init changes nothing.
  EXPECT_FALSE(InitSite(*db).created);
}

// The server process of a run is killed while the run is writing: the run fails with the reason,
// the database is as before the run and the input file stays where it was.
TEST(PgSiteTest, ARunWhoseSessionIsKilledLeavesNothingHalfWritten) {
  if (!TestPgUrl()) GTEST_SKIP() << "CS_TEST_PG_URL is not set";
  TempSite site;
  std::string csv = "shortname;fullname;category\n";
  for (int i = 0; i < 5000; ++i) {
    csv += "K" + std::to_string(i) + ";Course " + std::to_string(i) + ";Fac" +
           std::to_string(i % 7) + "/Dept" + std::to_string(i % 13) + "\n";
  }
  auto input = site.WriteFile("uploadcourses.csv", csv);
  const std::string before = site.Dump();
  const int64_t pid = site.db->QueryInt("SELECT pg_backend_pid()").value_or(0);
  ASSERT_GT(pid, 0);

  // The killer: once the run's transaction has written something (it has a transaction id),
  // terminate its server process. Bounded: gives up after 60 s.
  std::atomic<bool> killed{false}, stop{false};
  std::thread killer([&] {
    auto admin = store::Open(site.db_url);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!stop && std::chrono::steady_clock::now() < deadline) {
      if (admin->QueryInt("SELECT 1 FROM pg_stat_activity WHERE pid = ? AND backend_xid IS NOT "
                          "NULL AND xact_start < now() - interval '200 milliseconds'",
                          pid)) {
        killed = admin->QueryInt("SELECT pg_terminate_backend(?)::int", pid) == 1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::string error;
  try {
    TaskOptions o;
    RunCreate(*site.db, *site.area, o);
  } catch (const std::exception& e) {
    error = e.what();
  }
  stop = true;
  killer.join();
  ASSERT_TRUE(killed) << "the run ended before it could be killed: " << error;
  EXPECT_NE(error.find("connection"), std::string::npos) << error;
  EXPECT_EQ(error.find(store::ParsePgUrl(TestPgUrl()).password), std::string::npos) << error;
  EXPECT_TRUE(std::filesystem::exists(input));

  site.db = store::Open(site.db_url);  // a new session, as the next run would have
  EXPECT_EQ(site.Dump(), before);
  EXPECT_EQ(site.Count("course"), 1);
}

}  // namespace
}  // namespace cs::sync
