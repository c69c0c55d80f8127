// Window metrics: the numbers a time series shows for one field in one window (or a merged range
// of windows), computed from profiles — counts and ratios, moments, quantiles, distinct counts,
// and the comparisons with a baseline (values out of its range, categories it never had, drift).
#ifndef TELLTALE_QUERY_WINDOW_METRICS_H_
#define TELLTALE_QUERY_WINDOW_METRICS_H_

#include <optional>
#include <string>
#include <string_view>

#include "ingest/version_schema.h"
#include "ingest/window_profile.h"
#include "telltale/result.h"

namespace telltale {

// count, missing_ratio, type_error_ratio, out_of_range_ratio, new_category_ratio, mean, std, min,
// max, pNN (any quantile: p01, p50, p99, p99.9), distinct_count, drift_score.
struct MetricSpec {
  std::string name;
  std::optional<double> quantile;  // pNN
  bool needs_baseline = false;
  // drift_score: the method to score with; empty picks by sample size (DefaultDriftMethod).
  std::string drift_method;
};

// InvalidArgument names the metric and what it needs (a numeric field for quantiles, ...).
Result<MetricSpec> ParseMetric(std::string_view name, const FieldSpec* field);

// The metric's value, or nothing when the window has no values to compute it from.
// `baseline` is required for metrics that need one.
std::optional<double> ComputeMetric(const MetricSpec& metric, const WindowProfile& window,
                                    const FieldSpec* field, const WindowProfile* baseline);

class Calibration;

// A performance metric of a window: realized from its joined actuals (label_coverage: the
// labelled share of its predictions), or for estimated_* metrics the estimate from `calibration`.
// Nothing when the window cannot give it (no labels, no calibration).
std::optional<double> PerformanceValue(std::string_view metric, const WindowProfile& window,
                                       const Calibration* calibration);

}  // namespace telltale

#endif  // TELLTALE_QUERY_WINDOW_METRICS_H_
