#include "stats/drift_input.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "io/table.h"

namespace telltale {

WeightedSample WeightedSample::FromSorted(std::vector<double> sorted) {
  WeightedSample sample;
  sample.total = static_cast<double>(sorted.size());
  size_t distinct = 0;
  for (size_t i = 0; i < sorted.size(); ++i) distinct += i == 0 || sorted[i] != sorted[i - 1];
  sample.weights.reserve(distinct);
  size_t kept = 0;
  for (double value : sorted) {
    if (kept > 0 && sorted[kept - 1] == value) {
      sample.weights.back() += 1;
    } else {
      sorted[kept++] = value;
      sample.weights.push_back(1);
    }
  }
  sorted.resize(kept);
  sample.values = std::move(sorted);
  return sample;
}

double WeightedSample::Mean() const {
  long double sum = 0;
  for (size_t i = 0; i < values.size(); ++i)
    sum += static_cast<long double>(values[i]) * weights[i];
  return static_cast<double>(sum / total);
}

double WeightedSample::PopulationStd() const {
  long double mean = 0;
  for (size_t i = 0; i < values.size(); ++i)
    mean += static_cast<long double>(values[i]) * weights[i];
  mean /= total;
  long double squared = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    long double deviation = values[i] - mean;
    squared += deviation * deviation * weights[i];
  }
  return static_cast<double>(std::sqrt(squared / total));
}

std::vector<double> WeightedSample::Quantiles(std::span<const double> ranks) const {
  std::vector<double> out;
  out.reserve(ranks.size());
  size_t i = 0;
  double seen = 0;  // weight of values[0..i)
  // The value at 0-based order position `index`; positions only move forward.
  auto at = [&](double index) {
    while (i + 1 < values.size() && index >= seen + weights[i]) seen += weights[i++];
    return values[i];
  };
  for (double rank : ranks) {
    if (values.empty()) {
      out.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    // Order statistics at floor(p) and floor(p) + 1, p = rank * (total - 1).
    const double position = std::clamp(rank, 0.0, 1.0) * (total - 1);
    const double lower = std::floor(position);
    const double below = at(lower);
    const size_t below_index = i;
    const double below_seen = seen;
    const double above = at(lower + 1);
    out.push_back(below + (above - below) * (position - lower));
    i = below_index;  // the next rank's lower position is at or after this one
    seen = below_seen;
  }
  return out;
}

DriftInput MakeNumericalInput(WeightedSample reference, WeightedSample current, bool integer_data) {
  DriftInput input;
  input.type = ColumnType::kNumerical;
  input.integer_data = integer_data;
  input.reference_size = reference.total;
  input.current_size = current.total;
  input.reference_distinct = static_cast<double>(reference.values.size());
  input.reference_std = reference.PopulationStd();
  size_t union_distinct = 0;
  ForEachPooledValue(reference, current, [&](double, double, double) { ++union_distinct; });
  input.union_distinct = static_cast<double>(union_distinct);
  input.reference = std::move(reference);
  input.current = std::move(current);
  return input;
}

const PooledCounts& DriftInput::Pooled() const {
  if (pooled_) return *pooled_;
  PooledCounts& pooled = pooled_.emplace();
  const auto size = static_cast<size_t>(union_distinct);
  pooled.values.reserve(size);
  pooled.reference.reserve(size);
  pooled.current.reserve(size);
  ForEachPooledValue(reference, current, [&](double value, double in_reference, double in_current) {
    pooled.values.push_back(value);
    pooled.reference.push_back(in_reference);
    pooled.current.push_back(in_current);
  });
  return pooled;
}

std::string DriftInput::Label(size_t k) const {
  return type == ColumnType::kNumerical ? FormatNumber(Pooled().values[k]) : labels[k];
}

DriftInput MakeCategoricalInput(std::vector<std::string> labels,
                                std::vector<double> reference_counts,
                                std::vector<double> current_counts) {
  DriftInput input;
  input.type = ColumnType::kCategorical;
  for (size_t k = 0; k < labels.size(); ++k) {
    input.reference_size += reference_counts[k];
    input.current_size += current_counts[k];
    input.reference_distinct += reference_counts[k] > 0 ? 1 : 0;
  }
  input.union_distinct = static_cast<double>(labels.size());
  input.labels = std::move(labels);
  input.pooled_.emplace();
  input.pooled_->reference = std::move(reference_counts);
  input.pooled_->current = std::move(current_counts);
  return input;
}

}  // namespace telltale
