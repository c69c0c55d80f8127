#include "store/recent_ids.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

namespace telltale {
namespace {

// The values found for `keys`, by position.
std::vector<std::optional<std::string>> FindAll(const RecentIds& ids,
                                                const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> values(keys.size());
  ids.Find(keys, [&](size_t i, std::string_view value) {
    EXPECT_FALSE(values[i].has_value()) << "found twice: " << keys[i];
    values[i] = std::string(value);
  });
  return values;
}

std::optional<std::string> FindOne(const RecentIds& ids, const std::string& key) {
  return FindAll(ids, {key})[0];
}

using Entries = std::vector<std::pair<std::string, std::string>>;
using Views = std::vector<std::pair<std::string_view, std::string_view>>;

TEST(RecentIdsTest, TheLaterRecordWinsWhateverTheOrderItIsAdded) {
  RecentIds ids;
  ASSERT_TRUE(ids.Add(5, RecentIds::Encode({{"a", "five"}, {"b", "five"}})).ok());
  ASSERT_TRUE(ids.Add(3, RecentIds::Encode({{"a", "three"}, {"c", "three"}})).ok());
  EXPECT_EQ(FindOne(ids, "a"), "five");
  EXPECT_EQ(FindOne(ids, "b"), "five");
  EXPECT_EQ(FindOne(ids, "c"), "three");
  EXPECT_EQ(FindOne(ids, "d"), std::nullopt);
  EXPECT_EQ(FindAll(ids, {"d", "a", "c"}),
            (std::vector<std::optional<std::string>>{std::nullopt, "five", "three"}));
  EXPECT_EQ(ids.size(), 3u);
}

TEST(RecentIdsTest, LatestIsSortedAndHoldsTheLastWriteOfEachKeyAmongTheRecords) {
  RecentIds ids;
  ASSERT_TRUE(ids.Add(1, RecentIds::Encode({{"b", "1"}, {"a", "1"}, {"b", "1 again"}})).ok());
  ASSERT_TRUE(ids.Add(2, RecentIds::Encode({{"a", "2"}, {"c", "2"}})).ok());
  ASSERT_TRUE(ids.Add(3, RecentIds::Encode({{"d", "3"}})).ok());
  EXPECT_EQ(ids.Latest({2, 1}), (Views{{"a", "2"}, {"b", "1 again"}, {"c", "2"}}));
  EXPECT_EQ(ids.Latest({1}), (Views{{"a", "1"}, {"b", "1 again"}}));
  EXPECT_EQ(ids.Latest({9}), Views{});
  EXPECT_TRUE(ids.HasSection(3));
  EXPECT_FALSE(ids.HasSection(9));
}

TEST(RecentIdsTest, LatestMergesManyRecordsSortedOrNotAsAMapOfLastWritesWould) {
  std::mt19937 random(7);
  RecentIds ids;
  std::map<std::string, std::string> expected;  // the last write of each key, in log order
  std::vector<uint64_t> sequences;
  for (uint64_t sequence = 1; sequence <= 37; ++sequence) {
    Entries entries;
    size_t count = random() % 40;  // some records write nothing
    for (size_t i = 0; i < count; ++i) {
      entries.emplace_back("k" + std::to_string(random() % 300),
                           std::to_string(sequence) + "." + std::to_string(i));
    }
    if (sequence % 3 != 0) {  // as the store writes them; every third as an older log may hold
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    for (const auto& [key, value] : entries) expected[key] = value;
    ASSERT_TRUE(ids.Add(sequence, RecentIds::Encode(entries)).ok());
    sequences.push_back(sequence);
  }
  std::shuffle(sequences.begin(), sequences.end(), random);
  Views latest = ids.Latest(sequences);
  Views want(expected.begin(), expected.end());
  EXPECT_EQ(latest, want);
}

TEST(RecentIdsTest, ForgettingARecordKeepsWhatLaterRecordsWrote) {
  RecentIds ids;
  ASSERT_TRUE(ids.Add(3, RecentIds::Encode({{"shared key", "three"}, {"own", "three"}})).ok());
  ASSERT_TRUE(ids.Add(7, RecentIds::Encode({{"shared key", "seven"}})).ok());
  ids.Forget({3});
  EXPECT_FALSE(ids.HasSection(3));
  EXPECT_EQ(FindOne(ids, "own"), std::nullopt);
  // The key's bytes now live in record 7's section (record 3's are freed: ASan would notice).
  EXPECT_EQ(FindOne(ids, "shared key"), "seven");
  ids.Forget({7});
  EXPECT_EQ(FindOne(ids, "shared key"), std::nullopt);
  EXPECT_EQ(ids.size(), 0u);
}

TEST(RecentIdsTest, DropPrefixForgetsAVersionsEntries) {
  RecentIds ids;
  ASSERT_TRUE(ids.Add(1, RecentIds::Encode({{"v1|a", "x"}, {"v2|a", "y"}})).ok());
  ids.DropPrefix("v1|");
  EXPECT_EQ(FindOne(ids, "v1|a"), std::nullopt);
  EXPECT_EQ(FindOne(ids, "v2|a"), "y");
  EXPECT_EQ(ids.Latest({1}), (Views{{"v1|a", "x"}, {"v2|a", "y"}}));  // still in the log record
}

TEST(RecentIdsTest, ASectionThatDoesNotDecodeAddsNothing) {
  RecentIds ids;
  std::string section = RecentIds::Encode({{"a", "1"}, {"b", "2"}});
  Status added = ids.Add(4, section.substr(0, section.size() - 1));
  EXPECT_EQ(added.code(), StatusCode::kCorruption);
  EXPECT_NE(added.message().find("log record 4"), std::string::npos) << added.message();
  EXPECT_EQ(ids.size(), 0u);
  EXPECT_FALSE(ids.HasSection(4));
  ASSERT_TRUE(ids.Add(4, std::string(section)).ok());  // the record can still come whole
  EXPECT_EQ(ids.Add(4, std::string(section)).code(), StatusCode::kCorruption);  // but not twice
}

}  // namespace
}  // namespace telltale
