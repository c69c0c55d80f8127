#include "query/window_metrics.h"

#include "performance/estimation.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "check/drift_inputs.h"
#include "io/table.h"
#include "stats/drift_methods.h"

namespace telltale {
namespace {

constexpr const char* kMetrics[] = {"count",
                                    "missing_ratio",
                                    "type_error_ratio",
                                    "out_of_range_ratio",
                                    "new_category_ratio",
                                    "mean",
                                    "std",
                                    "min",
                                    "max",
                                    "distinct_count",
                                    "drift_score"};

bool IsNumericField(const FieldSpec* field) {
  return field != nullptr && DriftType(field->type) == ColumnType::kNumerical;
}

double Ratio(double part, double whole) { return whole > 0 ? part / whole : 0; }

// Share of the window's values outside the baseline's [min, max].
std::optional<double> OutOfRange(const FieldProfile& current, const FieldProfile& baseline) {
  if (current.moments.count() == 0 || baseline.moments.count() == 0) return std::nullopt;
  double low = baseline.moments.min();
  double high = baseline.moments.max();
  if (current.moments.min() >= low && current.moments.max() <= high) return 0.0;
  if (current.numeric_values.overflowed()) {
    KllSortedView view = current.quantiles.View();
    return view.RankExclusive(low) + (1 - view.Rank(high));
  }
  uint64_t outside = 0;
  uint64_t total = 0;
  for (const auto& [value, count] : current.numeric_values.Sorted()) {
    total += count;
    if (value < low || value > high) outside += count;
  }
  return Ratio(static_cast<double>(outside), static_cast<double>(total));
}

// Share of the window's categorical values whose category the baseline never had.
std::optional<double> NewCategories(const FieldProfile& current, const FieldProfile& baseline) {
  uint64_t total = current.categories.total();
  for (const auto& [value, count] : current.numeric_values.Sorted()) total += count;
  if (total == 0) return std::nullopt;
  uint64_t unseen = 0;
  for (const auto& [label, count] : current.categories.counts()) {
    if (baseline.categories.counts().count(label) == 0) unseen += count;
  }
  std::vector<std::pair<double, uint64_t>> known = baseline.numeric_values.Sorted();
  for (const auto& [value, count] : current.numeric_values.Sorted()) {
    auto at = std::lower_bound(known.begin(), known.end(), std::make_pair(value, uint64_t{0}));
    if (at == known.end() || at->first != value) unseen += count;
  }
  return Ratio(static_cast<double>(unseen), static_cast<double>(total));
}

}  // namespace

Result<MetricSpec> ParseMetric(std::string_view name, const FieldSpec* field) {
  MetricSpec metric;
  metric.name = name;
  if (name.size() >= 2 && name[0] == 'p') {
    double percent = 0;
    auto [end, error] = std::from_chars(name.data() + 1, name.data() + name.size(), percent);
    if (error != std::errc() || end != name.data() + name.size() || !(percent >= 0) ||
        percent > 100) {
      return Status::InvalidArgument("metric '" + std::string(name) +
                                     "': a quantile is p followed by a percentage, e.g. p01, p50, "
                                     "p99.9");
    }
    if (!IsNumericField(field)) {
      return Status::InvalidArgument("metric '" + std::string(name) + "' needs a numeric field");
    }
    metric.quantile = percent / 100;
    return metric;
  }
  bool known = false;
  for (const char* candidate : kMetrics) known |= name == candidate;
  if (!known) {
    std::string list;
    for (const char* candidate : kMetrics)
      list += std::string(list.empty() ? "" : ", ") + candidate;
    return Status::InvalidArgument("unknown metric '" + std::string(name) + "'; known: " + list +
                                   ", pNN (quantiles)");
  }
  if (name != "count" && field == nullptr) {
    return Status::InvalidArgument("metric '" + std::string(name) + "' needs a field");
  }
  bool numeric_only = name == "mean" || name == "std" || name == "min" || name == "max" ||
                      name == "out_of_range_ratio";
  if (numeric_only && !IsNumericField(field)) {
    return Status::InvalidArgument("metric '" + std::string(name) + "' needs a numeric field; '" +
                                   field->name + "' is " + std::string(FieldTypeName(field->type)));
  }
  if (name == "new_category_ratio" && DriftType(field->type) != ColumnType::kCategorical) {
    return Status::InvalidArgument("metric 'new_category_ratio' needs a categorical field");
  }
  metric.needs_baseline =
      name == "out_of_range_ratio" || name == "new_category_ratio" || name == "drift_score";
  return metric;
}

std::optional<double> ComputeMetric(const MetricSpec& metric, const WindowProfile& window,
                                    const FieldSpec* field, const WindowProfile* baseline) {
  const DatasetProfile& profile = window.profile();
  if (metric.name == "count") {
    if (field == nullptr) return static_cast<double>(profile.rows());
    const FieldProfile* values = profile.Find(field->name);
    return values ? static_cast<double>(values->rows - values->missing()) : 0.0;
  }
  const FieldProfile* values = profile.Find(field->name);
  if (values == nullptr) return std::nullopt;
  const Moments& moments = values->moments;
  if (metric.quantile) {
    if (values->quantiles.empty()) return std::nullopt;
    return values->quantiles.Quantile(*metric.quantile);
  }
  const std::string& name = metric.name;
  if (name == "missing_ratio") {
    if (values->rows == 0) return std::nullopt;
    return Ratio(static_cast<double>(values->missing()), static_cast<double>(values->rows));
  }
  if (name == "type_error_ratio") {
    double seen = static_cast<double>(profile.rows() + window.integrity().rejected_rows);
    if (seen == 0) return std::nullopt;
    auto errors = window.integrity().type_errors.find(field->name);
    return Ratio(errors == window.integrity().type_errors.end() ? 0 : errors->second, seen);
  }
  if (name == "distinct_count") return values->DistinctCount();
  if (name == "mean" || name == "std" || name == "min" || name == "max") {
    if (moments.count() == 0) return std::nullopt;
    if (name == "mean") return moments.mean();
    if (name == "std") return moments.stddev();
    return name == "min" ? moments.min() : moments.max();
  }
  const FieldProfile* reference = baseline ? baseline->profile().Find(field->name) : nullptr;
  if (reference == nullptr) return std::nullopt;
  if (name == "out_of_range_ratio") return OutOfRange(*values, *reference);
  if (name == "new_category_ratio") return NewCategories(*values, *reference);
  if (name == "drift_score") {
    ColumnType type = DriftType(field->type);
    if (type == ColumnType::kText) return std::nullopt;
    DriftInput input = SketchDriftInput(*reference, *values, type);
    if (input.reference_size == 0 || input.current_size == 0) return std::nullopt;
    const DriftMethod* method =
        metric.drift_method.empty() ? nullptr : FindDriftMethod(metric.drift_method);
    if (method != nullptr && !method->AppliesTo(type)) return std::nullopt;
    Result<double> score = (method ? *method : DefaultDriftMethod(input)).compute(input);
    if (!score.ok() || !std::isfinite(*score)) return std::nullopt;
    return *score;
  }
  return std::nullopt;
}

std::optional<double> PerformanceValue(std::string_view metric, const WindowProfile& window,
                                       const Calibration* calibration) {
  const PerformanceAccumulator& performance = window.performance();
  if (IsEstimatedMetric(metric)) {
    if (calibration == nullptr) return std::nullopt;
    std::optional<Estimate> estimate = EstimateMetric(metric, performance, *calibration);
    if (!estimate) return std::nullopt;
    return estimate->value;
  }
  if (metric == "label_coverage") {
    uint64_t rows = window.profile().rows();
    if (rows == 0) return std::nullopt;
    return static_cast<double>(performance.labeled()) / static_cast<double>(rows);
  }
  return performance.Metric(metric);
}

}  // namespace telltale
