#include "sync/flat_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace cs::sync {
namespace {

std::vector<int> Values(const FlatMultiIndex<int>& m, std::string_view k) {
  std::vector<int> out;
  m.ForEach(k, [&](int v) { out.push_back(v); });
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FlatMultiIndexTest, KeepsSeveralValuesPerKeyAndErasesOne) {
  FlatMultiIndex<int> m;
  EXPECT_TRUE(Values(m, "a").empty());  // an empty index has no slots yet
  EXPECT_FALSE(m.Erase("a", 1));
  m.Insert("a", 1);
  m.Insert("b", 2);
  m.Insert("a", 3);
  EXPECT_EQ(Values(m, "a"), (std::vector<int>{1, 3}));
  EXPECT_EQ(Values(m, "b"), (std::vector<int>{2}));
  EXPECT_TRUE(Values(m, "c").empty());
  EXPECT_TRUE(m.Erase("a", 1));
  EXPECT_FALSE(m.Erase("a", 1));
  EXPECT_EQ(Values(m, "a"), (std::vector<int>{3}));
  EXPECT_EQ(m.size(), 2u);
}

TEST(FlatMultiIndexTest, SurvivesGrowthAndChurn) {
  StringArena arena;
  FlatMultiIndex<int> m;
  for (int i = 0; i < 50000; ++i) m.Insert(arena.Store("key" + std::to_string(i)), i);
  // Erase and re-insert repeatedly: tombstones must not break lookups nor fill the table.
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 50000; i += 2) {
      std::string k = "key" + std::to_string(i);
      ASSERT_TRUE(m.Erase(k, i));
      m.Insert(arena.Store(k), i);
    }
  }
  EXPECT_EQ(m.size(), 50000u);
  for (int i = 0; i < 50000; i += 997) {
    EXPECT_EQ(Values(m, "key" + std::to_string(i)), (std::vector<int>{i}));
  }
  EXPECT_TRUE(Values(m, "key50000").empty());
}

TEST(FlatIdIndexTest, SetReplacesFindAndErase) {
  FlatIdIndex<std::string> m;
  EXPECT_EQ(m.Find(1), nullptr);
  EXPECT_FALSE(m.Erase(1));
  m.Set(1, "one");
  m.Set(1, "uno");
  m.Set(-5, "minus five");
  ASSERT_NE(m.Find(1), nullptr);
  EXPECT_EQ(*m.Find(1), "uno");
  EXPECT_EQ(*m.Find(-5), "minus five");
  EXPECT_EQ(m.size(), 2u);
  EXPECT_TRUE(m.Erase(1));
  EXPECT_EQ(m.Find(1), nullptr);
  m.Set(1, "again");  // reuses the tombstone
  EXPECT_EQ(*m.Find(1), "again");
  EXPECT_EQ(m.size(), 2u);
}

TEST(FlatIdIndexTest, ManyIdsWithChurn) {
  FlatIdIndex<int64_t> m;
  for (int64_t id = 1; id <= 100000; ++id) m.Set(id * 3, id);
  for (int64_t id = 1; id <= 100000; id += 2) ASSERT_TRUE(m.Erase(id * 3));
  for (int64_t id = 1; id <= 100000; id += 2) m.Set(id * 3, -id);
  EXPECT_EQ(m.size(), 100000u);
  for (int64_t id = 1; id <= 100000; id += 1013) {
    ASSERT_NE(m.Find(id * 3), nullptr);
    EXPECT_EQ(*m.Find(id * 3), id % 2 ? -id : id);
    EXPECT_EQ(m.Find(id * 3 + 1), nullptr);
  }
}

TEST(StringArenaTest, ViewsStayValid) {
  StringArena arena;
  std::vector<std::string_view> views;
  for (int i = 0; i < 20000; ++i) views.push_back(arena.Store("value-" + std::to_string(i)));
  std::string big(100000, 'x');
  std::string_view bigv = arena.Store(big);
  views.push_back(arena.Store("after"));
  EXPECT_EQ(arena.Store(""), std::string_view());
  for (int i = 0; i < 20000; ++i) EXPECT_EQ(views[i], "value-" + std::to_string(i));
  EXPECT_EQ(bigv, big);
  EXPECT_EQ(views.back(), "after");
}

}  // namespace
}  // namespace cs::sync
