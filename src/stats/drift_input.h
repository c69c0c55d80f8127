// DriftInput: what a drift method sees of one column in reference and current data.
//
// Numerical values are held as weighted samples: distinct values in ascending order, each with a
// weight. From raw data every weight is an exact count; from a profile the samples are the KLL
// sketch's retained items with their weights (or exact counts while a column has few distinct
// values). Every method is written once against this form, so exact mode and sketch mode run the
// same formulas and differ only in how exact their inputs are.
#ifndef TELLTALE_STATS_DRIFT_INPUT_H_
#define TELLTALE_STATS_DRIFT_INPUT_H_

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "profile/column_type.h"

namespace telltale {

struct WeightedSample {
  std::vector<double> values;   // ascending, distinct
  std::vector<double> weights;  // same length, positive
  double total = 0;             // sum of weights

  // From values sorted ascending (duplicates allowed): each distinct value weighted by its count.
  // The values are deduplicated in place, so a sample of a million values costs no second copy.
  static WeightedSample FromSorted(std::vector<double> sorted);
  bool empty() const { return values.empty(); }
  double min() const { return values.front(); }
  double max() const { return values.back(); }
  // Weighted mean and population standard deviation, accumulated in long double.
  double Mean() const;
  double PopulationStd() const;
  // The quantiles at `ranks` (ascending, in 0..1), with linear interpolation between order
  // statistics as numpy's default; weights are counts. One pass over the sample; NaN when empty.
  std::vector<double> Quantiles(std::span<const double> ranks) const;
};

// Walks the distinct values of two samples pooled, in ascending order, calling
// visit(value, weight_in_x, weight_in_y) once per value.
template <typename Visit>
void ForEachPooledValue(const WeightedSample& x, const WeightedSample& y, Visit visit) {
  size_t i = 0;
  size_t j = 0;
  while (i < x.values.size() || j < y.values.size()) {
    double value = (j == y.values.size() || (i < x.values.size() && x.values[i] <= y.values[j]))
                       ? x.values[i]
                       : y.values[j];
    double in_x = 0;
    double in_y = 0;
    while (i < x.values.size() && x.values[i] == value) in_x += x.weights[i++];
    while (j < y.values.size() && y.values[j] == value) in_y += y.weights[j++];
    visit(value, in_x, in_y);
  }
}

// Counts per distinct value of reference and current together, aligned by index.
struct PooledCounts {
  std::vector<double> values;  // numerical inputs: the distinct values, ascending
  std::vector<double> reference;
  std::vector<double> current;
};

struct DriftInput {
  ColumnType type = ColumnType::kNumerical;
  // Numerical columns only.
  WeightedSample reference;
  WeightedSample current;
  // Population standard deviation of the reference values (exact, also in sketch mode).
  double reference_std = 0;
  // How far the two samples' CDFs may differ from those of the data they summarize, together (0 for
  // raw data; the sketches' rank error in sketch mode). Tests on the CDF distance discount it.
  double cdf_error = 0;
  // Both samples were integer-typed data (numpy then widens Sturges bins to at least 1).
  bool integer_data = false;
  // Categorical columns: the values, named; their counts are Pooled()'s.
  std::vector<std::string> labels;
  // Non-missing values in each sample.
  double reference_size = 0;
  double current_size = 0;
  // Distinct values in the reference, and in reference and current together.
  double reference_distinct = 0;
  double union_distinct = 0;

  // Counts per distinct value, for count-based tests and charts. A categorical input is made of
  // them; a numerical one pools its two samples on the first call (a million-value column's pool
  // is as large as its samples, and distance tests never need it). Not thread-safe: an input
  // belongs to one thread.
  const PooledCounts& Pooled() const;
  // The k-th distinct value (of Pooled()) as text.
  std::string Label(size_t k) const;

 private:
  friend DriftInput MakeCategoricalInput(std::vector<std::string>, std::vector<double>,
                                         std::vector<double>);
  mutable std::optional<PooledCounts> pooled_;
};

// A numerical input from two samples; counts per distinct value are derived from them.
DriftInput MakeNumericalInput(WeightedSample reference, WeightedSample current, bool integer_data);

// A categorical input from counts over a shared list of labels.
DriftInput MakeCategoricalInput(std::vector<std::string> labels,
                                std::vector<double> reference_counts,
                                std::vector<double> current_counts);

}  // namespace telltale

#endif  // TELLTALE_STATS_DRIFT_INPUT_H_
