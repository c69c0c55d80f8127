#include "check/drift_inputs.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/sort_doubles.h"

namespace telltale {
namespace {

// The bin of values a frequent-items sketch no longer attributes to a category.
constexpr const char* kOtherLabel = "(other)";

std::vector<double> SortedFiniteValues(const Column& column) {
  std::vector<double> values = column.FiniteNumbers();
  SortDoubles(values);
  return values;
}

bool IntegerData(const Column& column) {
  if (column.kind != StorageKind::kNumber || !column.integral || column.null_count > 0)
    return false;
  bool all_finite = true;
  column.numbers.ForEach([&](double value) { all_finite = all_finite && std::isfinite(value); });
  return all_finite;
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

// A KLL sketch as a weighted sample: its retained values, each weighted by the number of values it
// stands for. The exact minimum and maximum join as single values (the first and last items give
// up one unit of weight for them), so ranges and bin edges match exact mode.
WeightedSample SampleFromSketch(const KllSketch& sketch) {
  KllSortedView view = sketch.View();
  WeightedSample sample;
  uint64_t below = 0;
  for (size_t i = 0; i < view.values().size(); ++i) {
    sample.values.push_back(view.values()[i]);
    sample.weights.push_back(static_cast<double>(view.cumulative_weights()[i] - below));
    below = view.cumulative_weights()[i];
  }
  sample.total = static_cast<double>(below);
  if (sample.empty()) return sample;
  if (sketch.min() < sample.values.front() && sample.weights.front() > 1) {
    sample.weights.front() -= 1;
    sample.values.insert(sample.values.begin(), sketch.min());
    sample.weights.insert(sample.weights.begin(), 1.0);
  }
  if (sketch.max() > sample.values.back() && sample.weights.back() > 1) {
    sample.weights.back() -= 1;
    sample.values.push_back(sketch.max());
    sample.weights.push_back(1.0);
  }
  return sample;
}

// Exact value counts while the column has few distinct values, else the KLL sketch.
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
// count is part of its "(other)". A value tracked on one side only moves into "(other)" on the
// other side as well, so both sides are counted over the same bins.
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
    WeightedSample reference_sample = WeightedSample::FromSorted(SortedFiniteValues(reference));
    WeightedSample current_sample = WeightedSample::FromSorted(SortedFiniteValues(current));
    return MakeNumericalInput(std::move(reference_sample), std::move(current_sample),
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
    input.reference_distinct = reference.DistinctCount();
    input.reference_std = reference.moments.stddev();
    // One standard deviation of the difference of the two sketches' rank errors.
    auto sketch_error = [](const FieldProfile& side) {
      return side.numeric_values.overflowed() ? side.quantiles.EstimatedRankErrorStd() : 0.0;
    };
    input.cdf_error = std::hypot(sketch_error(reference), sketch_error(current));
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
