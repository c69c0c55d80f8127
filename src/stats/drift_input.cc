#include "stats/drift_input.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "io/table.h"

namespace telltale {

WeightedSample WeightedSample::FromSorted(const std::vector<double>& sorted) {
  WeightedSample sample;
  for (double value : sorted) {
    if (!sample.values.empty() && sample.values.back() == value) {
      sample.weights.back() += 1;
    } else {
      sample.values.push_back(value);
      sample.weights.push_back(1);
    }
  }
  sample.total = static_cast<double>(sorted.size());
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
  ForEachPooledValue(reference, current,
                     [&input](double value, double in_reference, double in_current) {
                       input.values.push_back(value);
                       input.reference_counts.push_back(in_reference);
                       input.current_counts.push_back(in_current);
                     });
  input.union_distinct = static_cast<double>(input.values.size());
  input.reference = std::move(reference);
  input.current = std::move(current);
  return input;
}

std::string DriftInput::Label(size_t k) const {
  return type == ColumnType::kNumerical ? FormatNumber(values[k]) : labels[k];
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
  input.reference_counts = std::move(reference_counts);
  input.current_counts = std::move(current_counts);
  return input;
}

}  // namespace telltale
