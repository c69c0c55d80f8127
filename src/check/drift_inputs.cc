#include "check/drift_inputs.h"

#include <algorithm>
#include <boost/sort/spreadsort/spreadsort.hpp>
#include <cmath>
#include <map>

namespace telltale {
namespace {

// The bin of values a frequent-items sketch no longer attributes to a category.
constexpr const char* kOtherLabel = "(other)";

std::vector<double> SortedFiniteValues(const Column& column) {
  std::vector<double> values = column.FiniteNumbers();
  // Boost's spreadsort (radix-based) sorts large float arrays several times faster than std::sort.
  boost::sort::spreadsort::spreadsort(values.begin(), values.end());
  return values;
}

bool IntegerData(const Column& column) {
  if (column.kind != StorageKind::kNumber || !column.integral || column.null_count > 0)
    return false;
  return std::all_of(column.numbers.begin(), column.numbers.end(),
                     [](double value) { return std::isfinite(value); });
}

// Adds a column's value counts to one side of `counts`.
void CountLabels(const Column& column, std::map<std::string, std::pair<double, double>>& counts,
                 bool is_reference) {
  for (const auto& [label, count] : column.CountsByText()) {
    auto& slot = counts[label];
    (is_reference ? slot.first : slot.second) += count;
  }
}

DriftInput FromLabelCounts(const std::map<std::string, std::pair<double, double>>& counts) {
  std::vector<std::string> labels;
  std::vector<double> reference;
  std::vector<double> current;
  for (const auto& [label, pair] : counts) {
    labels.push_back(label);
    reference.push_back(pair.first);
    current.push_back(pair.second);
  }
  return MakeCategoricalInput(std::move(labels), std::move(reference), std::move(current));
}

// Points standing in for the values one retained KLL item represents.
constexpr int kPointsPerItem = 4;

// A KLL sketch as a weighted sample. Each retained value's weight is spread evenly over the gap
// from the previous retained value, so the sketch's CDF is piecewise linear and two sketches of one
// distribution give nearly equal CDFs although their items sit at different places. The first and
// last items spread over a gap as wide as their neighbour's, outwards, within the exact extremes;
// the exact minimum and maximum are kept as single values (the first and last items give up one
// unit of weight for them); a value holding more weight than any single item can (many equal
// inputs) stays a point mass.
WeightedSample SampleFromSketch(const KllSketch& sketch) {
  WeightedSample sample;
  auto add = [&sample](double value, double weight) {
    if (weight <= 0) return;
    if (!sample.values.empty() && value <= sample.values.back()) {
      sample.weights.back() += weight;
    } else {
      sample.values.push_back(value);
      sample.weights.push_back(weight);
    }
    sample.total += weight;
  };
  KllSortedView view = sketch.View();
  const std::vector<double>& values = view.values();
  const auto unit = static_cast<double>(sketch.LargestItemWeight());
  const bool keep_min = sketch.min() < values.front();
  const bool keep_max = sketch.max() > values.back();
  if (keep_min) add(sketch.min(), 1);
  uint64_t below = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    auto weight = static_cast<double>(view.cumulative_weights()[i] - below);
    below = view.cumulative_weights()[i];
    if (i == 0 && keep_min) weight -= 1;
    if (i + 1 == values.size() && keep_max) weight -= 1;
    if (weight > unit || values.size() == 1) {
      add(values[i], weight);
      continue;
    }
    // The first item's values lie below it and the last item's above it as densely as between
    // the neighbouring items, within the exact extremes.
    const double low =
        i == 0 ? std::max(sketch.min(), values[0] - (values[1] - values[0])) : values[i - 1];
    const double high = i + 1 == values.size()
                            ? std::min(sketch.max(), values[i] + (values[i] - values[i - 1]))
                            : values[i];
    for (int j = 1; j <= kPointsPerItem; ++j) {
      add(j == kPointsPerItem ? high : low + (high - low) * j / kPointsPerItem,
          weight / kPointsPerItem);
    }
  }
  if (keep_max) add(sketch.max(), 1);
  return sample;
}

// Exact value counts while the column has few distinct values, else the smoothed KLL sketch.
WeightedSample SampleFromProfile(const FieldProfile& profile) {
  if (profile.numeric_values.overflowed()) return SampleFromSketch(profile.quantiles);
  WeightedSample sample;
  for (const auto& [value, count] : profile.numeric_values.Sorted()) {
    sample.values.push_back(value);
    sample.weights.push_back(static_cast<double>(count));
    sample.total += static_cast<double>(count);
  }
  return sample;
}

bool ProfileIsIntegerData(const FieldProfile& profile) {
  return profile.integer_count > 0 && profile.float_count == 0 && profile.null_count == 0 &&
         profile.type_errors == 0;
}

void AddProfileLabels(const FieldProfile& profile,
                      std::map<std::string, std::pair<double, double>>& counts, bool is_reference) {
  for (const auto& [label, count] : profile.categories.counts()) {
    auto& slot = counts[label];
    (is_reference ? slot.first : slot.second) += static_cast<double>(count);
  }
  for (const auto& [value, count] : profile.numeric_values.Sorted()) {
    auto& slot = counts[FormatNumber(value)];
    (is_reference ? slot.first : slot.second) += static_cast<double>(count);
  }
  if (profile.categories.other_count() > 0) {
    auto& slot = counts[kOtherLabel];
    (is_reference ? slot.first : slot.second) +=
        static_cast<double>(profile.categories.other_count());
  }
}

// An overflowed frequent-items sketch no longer knows the count of a value it does not track: that
// count is part of its "(other)". A value tracked on one side only moves into "(other)" on the other
// side as well, so both sides are counted over the same bins.
void PoolLabelsTrackedOnOneSide(const FieldProfile& reference, const FieldProfile& current,
                                std::map<std::string, std::pair<double, double>>& counts) {
  const bool reference_partial = !reference.categories.exact();
  const bool current_partial = !current.categories.exact();
  if (!reference_partial && !current_partial) return;
  std::pair<double, double> pooled{0, 0};
  for (auto it = counts.begin(); it != counts.end();) {
    const bool untracked =
        it->first != kOtherLabel &&
        ((reference_partial && !reference.categories.counts().contains(it->first)) ||
         (current_partial && !current.categories.counts().contains(it->first)));
    if (!untracked) {
      ++it;
      continue;
    }
    pooled.first += it->second.first;
    pooled.second += it->second.second;
    it = counts.erase(it);
  }
  auto& other = counts[kOtherLabel];
  other.first += pooled.first;
  other.second += pooled.second;
}

}  // namespace

DriftInput ExactDriftInput(const Column& reference, const Column& current, ColumnType type) {
  if (type == ColumnType::kNumerical) {
    return MakeNumericalInput(WeightedSample::FromSorted(SortedFiniteValues(reference)),
                              WeightedSample::FromSorted(SortedFiniteValues(current)),
                              IntegerData(reference) && IntegerData(current));
  }
  std::map<std::string, std::pair<double, double>> counts;
  CountLabels(reference, counts, true);
  CountLabels(current, counts, false);
  return FromLabelCounts(counts);
}

DriftInput SketchDriftInput(const FieldProfile& reference, const FieldProfile& current,
                            ColumnType type) {
  if (type == ColumnType::kNumerical) {
    DriftInput input =
        MakeNumericalInput(SampleFromProfile(reference), SampleFromProfile(current),
                           ProfileIsIntegerData(reference) && ProfileIsIntegerData(current));
    // Distinct counts and the spread come from the profiles, not from the sketch's items.
    input.reference_std = reference.moments.stddev();
    if (reference.numeric_values.overflowed() || current.numeric_values.overflowed()) {
      // One standard deviation of a sketch's rank error: the published 99% single-query bound
      // over the normal quantile 2.576.
      const uint16_t k = std::min(reference.quantiles.k(), current.quantiles.k());
      input.cdf_error = KllSketch::NormalizedRankError(k, /*double_sided=*/false) / 2.576;
    }
    if (!reference.distinct_count_exact() || !current.distinct_count_exact()) {
      HllSketch both = reference.distinct;
      both.Merge(current.distinct);
      input.union_distinct = std::max(both.Estimate(), input.reference_distinct);
    }
    return input;
  }
  std::map<std::string, std::pair<double, double>> counts;
  AddProfileLabels(reference, counts, true);
  AddProfileLabels(current, counts, false);
  PoolLabelsTrackedOnOneSide(reference, current, counts);
  return FromLabelCounts(counts);
}

}  // namespace telltale
