// RowBatch: rows written in multi-row statements, partial batches, NULLs, a WITH ... UPDATE tail,
// on SQLite and (with CS_TEST_PG_URL) PostgreSQL.
#include "sync/row_batch.h"

#include <gtest/gtest.h>

#include "sync/test_support.h"

namespace cs::testing {
namespace {

TEST(RowBatchTest, WritesEveryRowInBatchesOfAnySize) {
  TempSite site;
  store::Db& db = *site.db;
  db.Begin();
  sync::RowBatch b(db,
                   "INSERT OR FAIL INTO {course_format_options} (courseid, format, sectionid, "
                   "name, value) VALUES ",
                   "(?, ?, 0, ?, ?)", 7);
  for (int64_t i = 0; i < 100; ++i) {
    b.Add({1000 + i, "topics", "n" + std::to_string(i),
           i % 3 == 0 ? sync::RowBatch::Null() : sync::RowBatch::Value(std::to_string(i))});
  }
  EXPECT_EQ(b.pending(), 100u % 7);  // full batches went as soon as they filled
  b.Flush();
  EXPECT_EQ(b.pending(), 0u);
  b.Flush();  // nothing pending: a no-op
  db.Commit();
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM {course_format_options} WHERE courseid >= 1000"),
            100);
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM {course_format_options} WHERE courseid >= 1000 "
                        "AND value IS NULL"),
            34);
  EXPECT_EQ(db.QueryInt("SELECT courseid FROM {course_format_options} WHERE name = 'n42'"), 1042);
}

TEST(RowBatchTest, ATailTurnsTheRowsIntoAnUpdate) {
  TempSite site;
  store::Db& db = *site.db;
  db.Begin();
  sync::RowBatch b(db, "WITH v(id, s) AS (VALUES ", "(CAST(? AS BIGINT), CAST(? AS BIGINT))", 2,
                   ") UPDATE {course} SET sortorder = v.s FROM v WHERE {course}.id = v.id");
  b.Add({int64_t{1}, int64_t{777}});
  b.Flush();
  db.Commit();
  EXPECT_EQ(db.QueryInt("SELECT sortorder FROM {course} WHERE id = 1"), 777);
}

TEST(RowBatchTest, AWrongNumberOfValuesIsRefused) {
  TempSite site;
  sync::RowBatch b(*site.db, "INSERT INTO {course_format_options} (courseid) VALUES ", "(?)", 4);
  EXPECT_THROW(b.Add({int64_t{1}, int64_t{2}}), std::invalid_argument);
  EXPECT_EQ(b.pending(), 0u);
}

}  // namespace
}  // namespace cs::testing
