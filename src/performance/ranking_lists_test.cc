#include "performance/ranking_lists.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iterator>
#include <optional>

namespace telltale {
namespace {

struct ExampleItem {
  const char* query;
  double score;
  double relevance;
};

// Query "a" ranks relevances 0, 2, 0, 1 (by descending score); "b" has nothing relevant; "c" is a
// single relevant item.
constexpr ExampleItem kExample[] = {{"a", 0.6, 1}, {"a", 0.9, 0}, {"a", 0.7, 0}, {"a", 0.8, 2},
                                    {"b", 0.5, 0}, {"b", 0.4, 0}, {"c", 0.3, 1}};

// The example's items from `first` up to (not including) `last`; `relevance_of_first` replaces
// the first item's relevance when given.
RankingLists Example(size_t first = 0, size_t last = std::size(kExample),
                     std::optional<double> relevance_of_first = std::nullopt) {
  RankingLists lists;
  for (size_t i = first; i < last; ++i) {
    const ExampleItem& item = kExample[i];
    double relevance = i == 0 && relevance_of_first ? *relevance_of_first : item.relevance;
    lists.Add(item.query, item.score, relevance, +1);
  }
  return lists;
}

double Metric(const RankingLists& lists, std::string_view name) {
  std::optional<double> value = lists.Metric(name);
  EXPECT_TRUE(value.has_value()) << name;
  return value.value_or(NAN);
}

TEST(RankingListsTest, MetricsAreMeansOverQueriesWithARelevantItem) {
  RankingLists lists = Example();
  // Query a: DCG = 2/log2(3) + 1/log2(5), ideal 2 + 1/log2(3); at 2: 2/log2(3) over the same.
  double ndcg_a = (2 / std::log2(3.0) + 1 / std::log2(5.0)) / (2 + 1 / std::log2(3.0));
  double ndcg2_a = (2 / std::log2(3.0)) / (2 + 1 / std::log2(3.0));
  EXPECT_NEAR(Metric(lists, "ndcg"), (ndcg_a + 1) / 2, 1e-12);
  EXPECT_NEAR(Metric(lists, "ndcg@2"), (ndcg2_a + 1) / 2, 1e-12);
  // Relevant at positions 2 and 4: AP = (1/2 + 2/4) / 2; at 2: (1/2) / min(2, 2).
  EXPECT_NEAR(Metric(lists, "map"), (0.5 + 1) / 2, 1e-12);
  EXPECT_NEAR(Metric(lists, "map@2"), (0.25 + 1) / 2, 1e-12);
  EXPECT_NEAR(Metric(lists, "mrr"), (0.5 + 1) / 2, 1e-12);
  EXPECT_NEAR(Metric(lists, "mrr@1"), (0 + 1) / 2.0, 1e-12);
  EXPECT_NEAR(Metric(lists, "precision@2"), (0.5 + 0.5) / 2, 1e-12);
  EXPECT_NEAR(Metric(lists, "recall@2"), (0.5 + 1) / 2, 1e-12);
  EXPECT_NEAR(Metric(lists, "recall@4"), 1.0, 1e-12);
  EXPECT_EQ(Metric(lists, "queries"), 3);
}

TEST(RankingListsTest, TiesRankTheLessRelevantItemFirst) {
  RankingLists lists;
  lists.Add("q", 0.5, 1, +1);
  lists.Add("q", 0.5, 0, +1);
  EXPECT_EQ(Metric(lists, "mrr"), 0.5);
  EXPECT_EQ(Metric(lists, "precision@1"), 0);
}

TEST(RankingListsTest, NoRelevantItemLeavesTheMetricsUndefined) {
  RankingLists lists;
  lists.Add("q", 0.5, 0, +1);
  EXPECT_FALSE(lists.Metric("ndcg@10").has_value());
  EXPECT_FALSE(RankingLists().Metric("mrr").has_value());
}

TEST(RankingListsTest, TakingItemsBackOutRestoresTheLists) {
  RankingLists lists = Example();
  lists.Add("a", 0.6, 1, -1);  // the relevance of this item is corrected to 3
  lists.Add("a", 0.6, 3, +1);
  RankingLists expected = Example(0, std::size(kExample), 3.0);
  for (std::string_view name : {"ndcg", "ndcg@3", "map", "mrr", "recall@1", "queries"})
    EXPECT_DOUBLE_EQ(Metric(lists, name), Metric(expected, name)) << name;
  lists.Add("c", 0.3, 1, -1);
  EXPECT_EQ(Metric(lists, "queries"), 2);  // a query whose last item is taken out is gone
}

TEST(RankingListsTest, MergeAndSerializationKeepEveryItem) {
  RankingLists first = Example(0, 2);  // query "a" split across the two parts
  first.Merge(Example(2));
  ByteWriter out;
  first.Serialize(out);
  std::string bytes = out.Release();
  ByteReader in(bytes);
  Result<RankingLists> back = RankingLists::Deserialize(in);
  ASSERT_TRUE(back.ok()) << back.status().message();
  RankingLists whole = Example();
  for (std::string_view name : {"ndcg", "ndcg@2", "map@3", "mrr", "precision@3", "queries"})
    EXPECT_DOUBLE_EQ(Metric(*back, name), Metric(whole, name)) << name;
  ByteReader truncated(std::string_view(bytes).substr(0, bytes.size() - 4));
  EXPECT_FALSE(RankingLists::Deserialize(truncated).ok());
}

TEST(RankingListsTest, MetricNames) {
  for (std::string_view name : {"ndcg", "ndcg@10", "map", "map@5", "mrr", "mrr@3", "precision@1",
                                "recall@10000", "queries"}) {
    EXPECT_TRUE(RankingLists::IsKnownMetric(name)) << name;
  }
  for (std::string_view name : {"precision", "recall", "ndcg@0", "ndcg@", "ndcg@x", "ndcg@10x",
                                "recall@10001", "f1@3", "accuracy"}) {
    EXPECT_FALSE(RankingLists::IsKnownMetric(name)) << name;
  }
}

}  // namespace
}  // namespace telltale
