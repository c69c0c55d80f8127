#include "performance/ranking_lists.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace telltale {
namespace {

constexpr uint32_t kMaxItems = 1u << 26;

enum class RankingMetric { kNdcg, kMap, kMrr, kPrecision, kRecall, kQueries };

struct MetricName {
  RankingMetric metric;
  size_t k;  // 0: the whole list
};

// "ndcg@10" -> {kNdcg, 10}; nullopt for anything that is not a ranking metric.
std::optional<MetricName> ParseMetricName(std::string_view name) {
  if (name == "queries") return MetricName{RankingMetric::kQueries, 0};
  size_t at = name.find('@');
  std::string_view base = name.substr(0, at);
  size_t k = 0;
  if (at != std::string_view::npos) {
    std::string_view digits = name.substr(at + 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), k);
    if (error != std::errc() || end != digits.data() + digits.size() || k == 0 ||
        k > RankingLists::kMaxK) {
      return std::nullopt;
    }
  }
  if (base == "ndcg") return MetricName{RankingMetric::kNdcg, k};
  if (base == "map") return MetricName{RankingMetric::kMap, k};
  if (base == "mrr") return MetricName{RankingMetric::kMrr, k};
  if (k == 0) return std::nullopt;  // bare precision and recall are classification metrics
  if (base == "precision") return MetricName{RankingMetric::kPrecision, k};
  if (base == "recall") return MetricName{RankingMetric::kRecall, k};
  return std::nullopt;
}

// The metric of one query whose items are ranked best first; `relevant` > 0.
double QueryMetric(const std::vector<RankingLists::Item>& ranked, size_t relevant,
                   MetricName name) {
  size_t depth = name.k == 0 ? ranked.size() : std::min(name.k, ranked.size());
  size_t hits = 0;
  double dcg = 0, precision_sum = 0, reciprocal_rank = 0;
  for (size_t i = 0; i < depth; ++i) {
    double relevance = ranked[i].relevance;
    dcg += relevance / std::log2(static_cast<double>(i) + 2);
    if (relevance <= 0) continue;
    ++hits;
    precision_sum += static_cast<double>(hits) / static_cast<double>(i + 1);
    if (reciprocal_rank == 0) reciprocal_rank = 1.0 / static_cast<double>(i + 1);
  }
  switch (name.metric) {
    case RankingMetric::kNdcg: {
      std::vector<double> ideal;
      ideal.reserve(ranked.size());
      for (const RankingLists::Item& item : ranked) ideal.push_back(item.relevance);
      std::sort(ideal.begin(), ideal.end(), std::greater<>());
      double ideal_dcg = 0;
      for (size_t i = 0; i < depth; ++i)
        ideal_dcg += ideal[i] / std::log2(static_cast<double>(i) + 2);
      return dcg / ideal_dcg;
    }
    case RankingMetric::kMap: {
      size_t denominator = name.k == 0 ? relevant : std::min(name.k, relevant);
      return precision_sum / static_cast<double>(denominator);
    }
    case RankingMetric::kMrr:
      return reciprocal_rank;
    case RankingMetric::kPrecision:
      return static_cast<double>(hits) / static_cast<double>(name.k);
    case RankingMetric::kRecall:
      return static_cast<double>(hits) / static_cast<double>(relevant);
    case RankingMetric::kQueries:
      break;
  }
  return 0;
}

}  // namespace

void RankingLists::Add(const std::string& query, double score, double relevance, int sign) {
  if (sign > 0) {
    queries_[query].push_back({score, relevance});
    return;
  }
  auto found = queries_.find(query);
  if (found == queries_.end()) return;
  std::vector<Item>& items = found->second;
  auto item = std::find_if(items.begin(), items.end(), [&](const Item& candidate) {
    return candidate.score == score && candidate.relevance == relevance;
  });
  if (item == items.end()) return;
  *item = items.back();
  items.pop_back();
  if (items.empty()) queries_.erase(found);
}

void RankingLists::Merge(const RankingLists& other) {
  for (const auto& [query, items] : other.queries_) {
    std::vector<Item>& into = queries_[query];
    into.insert(into.end(), items.begin(), items.end());
  }
}

bool RankingLists::IsKnownMetric(std::string_view name) {
  return ParseMetricName(name).has_value();
}

std::optional<double> RankingLists::Metric(std::string_view name) const {
  std::optional<MetricName> parsed = ParseMetricName(name);
  if (!parsed) return std::nullopt;
  if (parsed->metric == RankingMetric::kQueries) return static_cast<double>(queries_.size());
  double sum = 0;
  size_t counted = 0;
  std::vector<Item> ranked;
  for (const auto& [query, items] : queries_) {
    size_t relevant = static_cast<size_t>(std::count_if(
        items.begin(), items.end(), [](const Item& item) { return item.relevance > 0; }));
    if (relevant == 0) continue;
    ranked.assign(items.begin(), items.end());
    std::sort(ranked.begin(), ranked.end(), [](const Item& a, const Item& b) {
      return a.score != b.score ? a.score > b.score : a.relevance < b.relevance;
    });
    sum += QueryMetric(ranked, relevant, *parsed);
    ++counted;
  }
  if (counted == 0) return std::nullopt;
  return sum / static_cast<double>(counted);
}

void RankingLists::Serialize(ByteWriter& out) const {
  out.Put<uint32_t>(static_cast<uint32_t>(queries_.size()));
  for (const auto& [query, items] : queries_) {
    out.PutString(query);
    out.Put<uint32_t>(static_cast<uint32_t>(items.size()));
    for (const Item& item : items) {
      out.Put<double>(item.score);
      out.Put<double>(item.relevance);
    }
  }
}

Result<RankingLists> RankingLists::Deserialize(ByteReader& in) {
  RankingLists lists;
  TELLTALE_ASSIGN_OR_RETURN(uint32_t queries, in.Get<uint32_t>());
  uint64_t total = 0;
  for (uint32_t q = 0; q < queries; ++q) {
    TELLTALE_ASSIGN_OR_RETURN(std::string query, in.GetString());
    TELLTALE_ASSIGN_OR_RETURN(uint32_t size, in.Get<uint32_t>());
    total += size;
    if (size == 0 || total > kMaxItems || size > in.remaining() / 16) {
      return Status::Corruption("ranking lists: bad item count");
    }
    std::vector<Item>& items = lists.queries_[std::move(query)];
    items.reserve(size);
    for (uint32_t i = 0; i < size; ++i) {
      TELLTALE_ASSIGN_OR_RETURN(double score, in.Get<double>());
      TELLTALE_ASSIGN_OR_RETURN(double relevance, in.Get<double>());
      items.push_back({score, relevance});
    }
  }
  return lists;
}

}  // namespace telltale
