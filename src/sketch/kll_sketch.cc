#include "sketch/kll_sketch.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "common/sort_doubles.h"

namespace telltale {
namespace {

// Levels never shrink below this many items (the KLL paper's m).
constexpr uint32_t kMinLevelCapacity = 8;
// Enough levels for 2^60 values; a larger count in a stored sketch means corruption.
constexpr size_t kMaxLevels = 60;
constexpr uint8_t kFormatVersion = 1;
constexpr uint64_t kSeed = 0x9E3779B97F4A7C15ULL;

}  // namespace

KllSortedView::KllSortedView(std::vector<double> values, std::vector<uint64_t> cumulative_weights)
    : values_(std::move(values)), cumulative_weights_(std::move(cumulative_weights)) {}

double KllSortedView::Rank(double value) const {
  if (values_.empty()) return std::numeric_limits<double>::quiet_NaN();
  auto it = std::upper_bound(values_.begin(), values_.end(), value);
  if (it == values_.begin()) return 0.0;
  size_t index = static_cast<size_t>(it - values_.begin()) - 1;
  return static_cast<double>(cumulative_weights_[index]) / static_cast<double>(total_weight());
}

double KllSortedView::RankExclusive(double value) const {
  if (values_.empty()) return std::numeric_limits<double>::quiet_NaN();
  auto it = std::lower_bound(values_.begin(), values_.end(), value);
  if (it == values_.begin()) return 0.0;
  size_t index = static_cast<size_t>(it - values_.begin()) - 1;
  return static_cast<double>(cumulative_weights_[index]) / static_cast<double>(total_weight());
}

double KllSortedView::Quantile(double rank) const {
  if (values_.empty()) return std::numeric_limits<double>::quiet_NaN();
  rank = std::clamp(rank, 0.0, 1.0);
  double target = std::ceil(rank * static_cast<double>(total_weight()));
  auto it = std::lower_bound(cumulative_weights_.begin(), cumulative_weights_.end(),
                             static_cast<uint64_t>(target));
  if (it == cumulative_weights_.end()) return values_.back();
  return values_[static_cast<size_t>(it - cumulative_weights_.begin())];
}

KllSketch::KllSketch(uint16_t k)
    : k_(std::max(k, kMinK)),
      min_(std::numeric_limits<double>::infinity()),
      max_(-std::numeric_limits<double>::infinity()),
      levels_(1),
      random_state_(kSeed) {
  RecomputeCapacity();
  levels_[0].reserve(capacity_);
}

uint32_t KllSketch::LevelCapacity(size_t level) const {
  // The top level holds k items; each level below holds 2/3 of the one above it.
  size_t depth = levels_.size() - level - 1;
  double capacity = std::round(k_ * std::pow(2.0 / 3.0, static_cast<double>(depth)));
  return std::max(kMinLevelCapacity, static_cast<uint32_t>(capacity));
}

void KllSketch::RecomputeCapacity() {
  capacity_ = 0;
  level_capacities_.resize(levels_.size());
  for (size_t level = 0; level < levels_.size(); ++level) {
    level_capacities_[level] = LevelCapacity(level);
    capacity_ += level_capacities_[level];
  }
}

uint64_t KllSketch::NextRandom() {
  // splitmix64: deterministic, so a run is reproducible.
  uint64_t z = (random_state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void KllSketch::CompactUntilBelowCapacity() {
  while (retained_ >= capacity_) {
    size_t level = 0;
    while (level < levels_.size() && levels_[level].size() < level_capacities_[level]) ++level;
    if (level == levels_.size()) return;  // only possible transiently; nothing is over-full
    CompactLevel(level);
  }
}

void KllSketch::CompactLevel(size_t level) {
  if (level + 1 == levels_.size()) {
    levels_.emplace_back();
    RecomputeCapacity();
  }
  std::vector<double>& items = levels_[level];
  if (level == 0) SortDoubles(items);
  // An odd item stays behind (the smallest) so that every promoted item stands for exactly two.
  const size_t first = items.size() % 2;
  const size_t offset = first + (NextRandom() & 1);
  const size_t promoted = (items.size() - first) / 2;
  // Merge every other item into the level above, through the scratch buffer.
  std::vector<double>& above = levels_[level + 1];
  scratch_.clear();
  scratch_.reserve(above.size() + promoted);
  size_t a = 0;
  for (size_t i = offset; i < items.size(); i += 2) {
    while (a < above.size() && above[a] < items[i]) scratch_.push_back(above[a++]);
    scratch_.push_back(items[i]);
  }
  scratch_.insert(scratch_.end(), above.begin() + static_cast<std::ptrdiff_t>(a), above.end());
  above.swap(scratch_);
  retained_ -= items.size() - first - promoted;
  items.resize(first);  // the leftover, items[0], stays in place
}

void KllSketch::UpdateBatch(std::span<const double> values) {
  std::vector<double>& buffer = levels_[0];
  const size_t before = buffer.size();
  for (double value : values) {
    if (value != value) continue;
    buffer.push_back(value);
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  const size_t added = buffer.size() - before;
  retained_ += added;
  count_ += added;
  if (retained_ >= capacity_) CompactUntilBelowCapacity();
}

void KllSketch::Merge(const KllSketch& other) {
  if (other.empty()) return;
  while (levels_.size() < other.levels_.size()) levels_.emplace_back();
  RecomputeCapacity();
  levels_[0].insert(levels_[0].end(), other.levels_[0].begin(), other.levels_[0].end());
  for (size_t level = 1; level < other.levels_.size(); ++level) {
    const std::vector<double>& theirs = other.levels_[level];
    std::vector<double>& ours = levels_[level];
    std::vector<double> merged(ours.size() + theirs.size());
    std::merge(ours.begin(), ours.end(), theirs.begin(), theirs.end(), merged.begin());
    ours.swap(merged);
  }
  retained_ += other.retained_;
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  CompactUntilBelowCapacity();
}

KllSortedView KllSketch::View() const {
  std::vector<std::pair<double, uint64_t>> weighted;
  weighted.reserve(retained_);
  for (size_t level = 0; level < levels_.size(); ++level) {
    for (double value : levels_[level]) weighted.emplace_back(value, uint64_t{1} << level);
  }
  std::sort(weighted.begin(), weighted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<double> values;
  std::vector<uint64_t> cumulative;
  values.reserve(weighted.size());
  cumulative.reserve(weighted.size());
  uint64_t running = 0;
  for (const auto& [value, weight] : weighted) {
    running += weight;
    if (!values.empty() && values.back() == value) {
      cumulative.back() = running;  // equal values share one entry
    } else {
      values.push_back(value);
      cumulative.push_back(running);
    }
  }
  return KllSortedView(std::move(values), std::move(cumulative));
}

double KllSketch::EstimatedRankErrorStd() const {
  if (count_ == 0) return 0;
  double variance = 0;
  double weight_above = 0;  // weight held at levels above h
  for (size_t h = levels_.size(); h-- > 1;) {
    weight_above += static_cast<double>(levels_[h].size()) * std::ldexp(1.0, static_cast<int>(h));
    const double unit = std::ldexp(1.0, static_cast<int>(h) - 1);  // weight of a level h-1 item
    const double compactions = weight_above / (unit * level_capacities_[h - 1]);
    variance += compactions * unit * unit / 4;
  }
  return std::sqrt(variance) / static_cast<double>(count_);
}

double KllSketch::NormalizedRankError(uint16_t k, bool double_sided) {
  // Empirical fits published with the Apache DataSketches KLL implementation (99% confidence).
  double kd = std::max<double>(k, kMinK);
  return double_sided ? 2.446 / std::pow(kd, 0.9433) : 2.296 / std::pow(kd, 0.9723);
}

void KllSketch::Serialize(ByteWriter& out) const {
  out.Put<uint8_t>(kFormatVersion);
  out.Put<uint16_t>(k_);
  out.Put<uint64_t>(count_);
  out.Put<double>(min_);
  out.Put<double>(max_);
  out.Put<uint8_t>(static_cast<uint8_t>(levels_.size()));
  for (const std::vector<double>& level : levels_) {
    out.Put<uint32_t>(static_cast<uint32_t>(level.size()));
    for (double value : level) out.Put<double>(value);
  }
}

Result<KllSketch> KllSketch::Deserialize(ByteReader& in) {
  TELLTALE_ASSIGN_OR_RETURN(uint8_t version, in.Get<uint8_t>());
  if (version != kFormatVersion) {
    return Status::Unsupported("KLL sketch format version " + std::to_string(version) +
                               " (this build reads version " + std::to_string(kFormatVersion) +
                               ")");
  }
  TELLTALE_ASSIGN_OR_RETURN(uint16_t k, in.Get<uint16_t>());
  if (k < kMinK) return Status::Corruption("KLL sketch k=" + std::to_string(k) + " is below 8");
  KllSketch sketch(k);
  TELLTALE_ASSIGN_OR_RETURN(sketch.count_, in.Get<uint64_t>());
  TELLTALE_ASSIGN_OR_RETURN(sketch.min_, in.Get<double>());
  TELLTALE_ASSIGN_OR_RETURN(sketch.max_, in.Get<double>());
  TELLTALE_ASSIGN_OR_RETURN(uint8_t level_count, in.Get<uint8_t>());
  if (level_count == 0 || level_count > kMaxLevels) {
    return Status::Corruption("KLL sketch has " + std::to_string(level_count) + " levels");
  }
  sketch.levels_.assign(level_count, {});
  sketch.retained_ = 0;
  uint64_t total_weight = 0;
  for (size_t level = 0; level < level_count; ++level) {
    TELLTALE_ASSIGN_OR_RETURN(uint32_t size, in.Get<uint32_t>());
    if (size > in.remaining() / sizeof(double)) {
      return Status::Corruption("KLL level " + std::to_string(level) + " claims " +
                                std::to_string(size) + " items, more than the bytes left");
    }
    std::vector<double>& items = sketch.levels_[level];
    items.resize(size);
    for (uint32_t i = 0; i < size; ++i) {
      TELLTALE_ASSIGN_OR_RETURN(items[i], in.Get<double>());
      if (std::isnan(items[i])) return Status::Corruption("KLL sketch holds a NaN");
      if (items[i] < sketch.min_ || items[i] > sketch.max_) {
        return Status::Corruption("KLL item outside the sketch's [min, max]");
      }
    }
    if (level > 0 && !std::is_sorted(items.begin(), items.end())) {
      return Status::Corruption("KLL level " + std::to_string(level) + " is not sorted");
    }
    sketch.retained_ += size;
    total_weight += static_cast<uint64_t>(size) << level;
  }
  // Compaction preserves total weight exactly, so this catches most corruption.
  if (total_weight != sketch.count_) {
    return Status::Corruption("KLL weights sum to " + std::to_string(total_weight) +
                              " but the count is " + std::to_string(sketch.count_));
  }
  sketch.RecomputeCapacity();
  sketch.random_state_ = kSeed ^ sketch.count_;
  if (sketch.retained_ >= sketch.capacity_) sketch.CompactUntilBelowCapacity();
  return sketch;
}

}  // namespace telltale
