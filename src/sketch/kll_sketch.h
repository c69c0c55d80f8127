// KllSketch: a mergeable quantile sketch of doubles (Karnin, Lang, Liberty 2016).
//
// Retains O(k) items in levels; an item at level h stands for 2^h input values. When the sketch is
// full, the lowest over-full level is sorted and every other item (from a random offset) moves up
// one level, keeping the total weight equal to the number of values seen. With k = 200 the
// normalized rank error is at most 1.65% for any rank at 99% confidence (double-sided), 1.33% for a
// single rank query; the same holds after any sequence of merges. Sketches with n <= k are exact.
//
// Not thread-safe; use one sketch per thread and Merge.
#ifndef TELLTALE_SKETCH_KLL_SKETCH_H_
#define TELLTALE_SKETCH_KLL_SKETCH_H_

#include <cstdint>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "telltale/result.h"

namespace telltale {

// A sorted snapshot of a KllSketch for many rank and quantile queries.
class KllSortedView {
 public:
  KllSortedView(std::vector<double> values, std::vector<uint64_t> cumulative_weights);

  // Fraction of input values <= `value`.
  double Rank(double value) const;
  // Fraction of input values < `value`.
  double RankExclusive(double value) const;
  // The smallest retained value whose inclusive rank is >= `rank` (rank in [0, 1]).
  double Quantile(double rank) const;

  const std::vector<double>& values() const { return values_; }
  // Cumulative weight up to and including values()[i].
  const std::vector<uint64_t>& cumulative_weights() const { return cumulative_weights_; }
  uint64_t total_weight() const {
    return cumulative_weights_.empty() ? 0 : cumulative_weights_.back();
  }

 private:
  std::vector<double> values_;
  std::vector<uint64_t> cumulative_weights_;
};

class KllSketch {
 public:
  static constexpr uint16_t kDefaultK = 200;
  static constexpr uint16_t kMinK = 8;

  // `k` sets accuracy and size (see NormalizedRankError); values below kMinK are raised to it.
  explicit KllSketch(uint16_t k = kDefaultK);

  // Adds one value. NaN is ignored: missing values are counted elsewhere.
  void Update(double value) {
    if (value != value) return;
    if (retained_ >= capacity_) CompactUntilBelowCapacity();
    levels_[0].push_back(value);
    ++retained_;
    ++count_;
    if (value < min_) min_ = value;
    if (value > max_) max_ = value;
  }

  // Adds many values at once (NaN ignored): they join level 0, which is then sorted and compacted
  // as one over-full level. The same compaction rule as value by value, with fewer compactions at
  // the low levels, so the error bound holds; several times faster for large batches.
  void UpdateBatch(std::span<const double> values);
  // Adds every value of `other`; the result has the error bound of this sketch's k.
  void Merge(const KllSketch& other);

  uint16_t k() const { return k_; }
  uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Exact smallest and largest values seen; +inf and -inf when empty.
  double min() const { return min_; }
  double max() const { return max_; }
  size_t retained() const { return retained_; }
  // True when no value was ever compacted: every query is exact.
  bool exact() const { return levels_.size() == 1; }

  // Convenience queries; for many queries build View() once.
  double Rank(double value) const { return View().Rank(value); }
  double Quantile(double rank) const { return View().Quantile(rank); }
  KllSortedView View() const;

  // The standard deviation of this sketch's normalized rank error at one query, estimated from its
  // state: a compaction at level h moves a rank by 2^h with probability 1/2, and the weight held
  // above level h tells how many compactions level h has made (counted as if each had compacted
  // only the level's capacity, so the estimate errs high). 0 for an exact sketch.
  double EstimatedRankErrorStd() const;
  // The published 99%-confidence normalized rank error for `k`: double-sided (any rank, or a
  // difference of two ranks, as in a CDF or histogram) or single-sided (one rank query).
  static double NormalizedRankError(uint16_t k, bool double_sided);

  void Serialize(ByteWriter& out) const;
  static Result<KllSketch> Deserialize(ByteReader& in);

 private:
  uint32_t LevelCapacity(size_t level) const;
  void RecomputeCapacity();
  void CompactUntilBelowCapacity();
  void CompactLevel(size_t level);
  uint64_t NextRandom();

  uint16_t k_;
  uint64_t count_ = 0;
  double min_;
  double max_;
  // levels_[0] is unsorted; every higher level is sorted ascending.
  std::vector<std::vector<double>> levels_;
  size_t retained_ = 0;
  size_t capacity_ = 0;
  // LevelCapacity(level) for every level, kept by RecomputeCapacity.
  std::vector<uint32_t> level_capacities_;
  // Reused by CompactLevel so that compacting allocates nothing in the steady state.
  std::vector<double> scratch_;
  uint64_t random_state_;
};

}  // namespace telltale

#endif  // TELLTALE_SKETCH_KLL_SKETCH_H_
