// RankingLists: what a window keeps of a ranking model's labelled rows — for every query, each
// item's score and relevance — so that the ranking metrics of any range of windows are exact.
// Unlike the other tasks' accumulators this is not of fixed size: 16 bytes per labelled item and
// the query id once per query and window.
//
// A query's items are ranked by score, highest first; items of equal score are ranked with the
// less relevant first, so that a model earns nothing from a tie. An item is relevant when its
// relevance is above 0. Metrics are means over the queries with at least one relevant item:
//
//   ndcg@k       DCG of the top k over the ideal DCG; gains are the relevances themselves and
//                position i (from 1) is discounted by log2(i + 1), as scikit-learn's ndcg_score
//   map@k        average precision of the top k: the precision at each relevant item's position,
//                summed and divided by min(k, relevant items)
//   mrr          the reciprocal of the first relevant item's position (mrr@k: 0 beyond k)
//   precision@k  relevant items in the top k, over k
//   recall@k     relevant items in the top k, over the query's relevant items
//
// ndcg, map and mrr without @k rank the whole list; precision and recall need k (their bare names
// are the classification metrics). `queries` is the number of labelled queries.
#ifndef TELLTALE_PERFORMANCE_RANKING_LISTS_H_
#define TELLTALE_PERFORMANCE_RANKING_LISTS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "telltale/result.h"

namespace telltale {

class RankingLists {
 public:
  struct Item {
    double score;
    double relevance;
  };
  static constexpr size_t kMaxK = 10000;

  // sign = +1 adds the item, -1 takes an item of the same score and relevance back out.
  void Add(const std::string& query, double score, double relevance, int sign);
  void Merge(const RankingLists& other);

  bool empty() const { return queries_.empty(); }

  // The named metric (see above), or nullopt when no query has a relevant item or the name is
  // not a ranking metric.
  std::optional<double> Metric(std::string_view name) const;
  static bool IsKnownMetric(std::string_view name);

  void Serialize(ByteWriter& out) const;
  static Result<RankingLists> Deserialize(ByteReader& in);

 private:
  std::map<std::string, std::vector<Item>, std::less<>> queries_;
};

}  // namespace telltale

#endif  // TELLTALE_PERFORMANCE_RANKING_LISTS_H_
