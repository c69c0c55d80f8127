#include "check/run_check.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "check/drift_inputs.h"
#include "common/parallel.h"
#include "profile/profiler.h"
#include "stats/drift_methods.h"
#include "stats/histogram.h"

namespace telltale {
namespace {

constexpr size_t kTopValues = 10;
constexpr size_t kChartCategories = 20;

ColumnSummary Summarize(const FieldProfile& field, ColumnType type) {
  ColumnSummary summary;
  summary.missing = field.missing();
  summary.count = field.rows - summary.missing;
  summary.missing_share =
      field.rows ? static_cast<double>(summary.missing) / static_cast<double>(field.rows) : 0;
  summary.distinct = field.DistinctCount();
  if (type == ColumnType::kNumerical && field.moments.count() > 0) {
    summary.mean = field.moments.mean();
    summary.std = field.moments.stddev();
    summary.min = field.moments.min();
    summary.max = field.moments.max();
    KllSortedView view = field.quantiles.View();
    summary.p25 = view.Quantile(0.25);
    summary.p50 = view.Quantile(0.5);
    summary.p75 = view.Quantile(0.75);
  } else if (type != ColumnType::kNumerical) {
    std::vector<std::pair<std::string, double>> values;
    for (const auto& [label, count] : field.categories.SortedByCount())
      values.emplace_back(label, count);
    for (const auto& [value, count] : field.numeric_values.Sorted()) {
      values.emplace_back(FormatNumber(value), static_cast<double>(count));
    }
    std::stable_sort(values.begin(), values.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (values.size() > kTopValues) values.resize(kTopValues);
    summary.top_values = std::move(values);
  }
  return summary;
}

// Quartiles from all values (exact mode) rather than from the sketch.
void SetExactQuartiles(const WeightedSample& sample, ColumnSummary& summary) {
  static constexpr double kQuartiles[] = {0.25, 0.5, 0.75};
  std::vector<double> quartiles = sample.Quantiles(kQuartiles);
  summary.p25 = quartiles[0];
  summary.p50 = quartiles[1];
  summary.p75 = quartiles[2];
}

Distribution Chart(const DriftInput& input) {
  Distribution chart;
  if (input.reference_size == 0 || input.current_size == 0) return chart;
  if (input.type == ColumnType::kNumerical && input.reference_distinct > 20) {
    std::vector<double> edges =
        SturgesEdges(std::min(input.reference.min(), input.current.min()),
                     std::max(input.reference.max(), input.current.max()),
                     input.reference_size + input.current_size, input.integer_data);
    chart.reference = HistogramCounts(input.reference, edges);
    chart.current = HistogramCounts(input.current, edges);
    chart.edges = std::move(edges);
  } else {
    const PooledCounts& counts = input.Pooled();
    std::vector<size_t> order(counts.reference.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return counts.reference[a] + counts.current[a] > counts.reference[b] + counts.current[b];
    });
    if (order.size() > kChartCategories) order.resize(kChartCategories);
    for (size_t i : order) {
      chart.labels.push_back(input.Label(i));
      chart.reference.push_back(counts.reference[i]);
      chart.current.push_back(counts.current[i]);
    }
  }
  for (double& value : chart.reference) value /= input.reference_size;
  for (double& value : chart.current) value /= input.current_size;
  return chart;
}

Status ValidateOptions(const CheckOptions& options, const DatasetProfile& reference) {
  auto known_method = [](const std::string& name) -> Status {
    if (FindDriftMethod(name) == nullptr) {
      return Status::InvalidArgument("unknown drift method '" + name +
                                     "'; known: " + DriftMethodNames());
    }
    return Status::Ok();
  };
  if (options.method) TELLTALE_RETURN_IF_ERROR(known_method(*options.method));
  auto known_column = [&](const std::string& column, const std::string& option) -> Status {
    if (reference.Find(column) == nullptr) {
      return Status::InvalidArgument(option + " names column '" + column +
                                     "', which the reference does not have");
    }
    return Status::Ok();
  };
  for (const auto& [column, method] : options.column_methods) {
    TELLTALE_RETURN_IF_ERROR(known_method(method));
    TELLTALE_RETURN_IF_ERROR(known_column(column, "--stattest"));
  }
  for (const auto& [column, threshold] : options.column_thresholds) {
    TELLTALE_RETURN_IF_ERROR(known_column(column, "--threshold"));
  }
  for (const std::string& column : options.columns)
    TELLTALE_RETURN_IF_ERROR(known_column(column, "--columns"));
  for (const std::string& column : options.ignore)
    TELLTALE_RETURN_IF_ERROR(known_column(column, "--ignore"));
  if (!(options.drift_share >= 0 && options.drift_share <= 1)) {
    return Status::InvalidArgument("--drift-share must be between 0 and 1");
  }
  return Status::Ok();
}

}  // namespace

Result<CheckReport> RunCheck(const CheckInputs& inputs, const CheckOptions& options) {
  const Schema empty_schema;
  const Schema& schema = inputs.schema ? *inputs.schema : empty_schema;
  const bool sketch =
      options.sketch || inputs.reference_table == nullptr || inputs.current_table == nullptr;
  // Exact mode has the raw values: its profiles need no quantile sketch.
  SketchOptions sketch_options = options.sketch_options;
  sketch_options.quantiles = sketch;
  DatasetProfile computed_reference;
  const DatasetProfile* reference = inputs.reference_profile;
  if (reference == nullptr) {
    computed_reference =
        ProfileTable(*inputs.reference_table, schema, sketch_options, options.threads);
    reference = &computed_reference;
  }
  TELLTALE_RETURN_IF_ERROR(ValidateOptions(options, *reference));
  DatasetProfile computed_current;
  const DatasetProfile* current_profile = inputs.current_profile;
  if (current_profile == nullptr) {
    computed_current = ProfileTable(*inputs.current_table, schema, sketch_options, options.threads);
    current_profile = &computed_current;
  }
  const DatasetProfile& current = *current_profile;

  // Columns to test: the reference's, present in current data, selected and not ignored.
  std::set<std::string> selected(options.columns.begin(), options.columns.end());
  std::set<std::string> ignored(options.ignore.begin(), options.ignore.end());
  std::map<std::string, ColumnType> types;
  std::vector<std::string> names;
  for (const auto& [name, field] : reference->fields()) {
    if ((!selected.empty() && !selected.count(name)) || ignored.count(name)) continue;
    types[name] = schema.TypeOf(name).value_or(field.InferType());
    if (current.Find(name) != nullptr) names.push_back(name);
  }

  CheckReport report;
  report.mode = sketch ? "sketch" : "exact";
  report.reference_source = inputs.reference_source;
  report.current_source =
      inputs.current_table ? inputs.current_table->source : inputs.current_source;
  report.reference_rows = reference->rows();
  report.current_rows = current.rows();
  report.drift_share = options.drift_share;
  report.columns.resize(names.size());
  std::vector<Status> errors(names.size());

  ParallelFor(names.size(), options.threads, [&](size_t i) {
    const std::string& name = names[i];
    ColumnDrift& drift = report.columns[i];
    drift.name = name;
    drift.type = types.at(name);  // read-only: the map is shared by the workers
    drift.role = schema.RoleOf(name);
    const FieldProfile& reference_field = *reference->Find(name);
    const FieldProfile& current_field = *current.Find(name);
    drift.reference = Summarize(reference_field, drift.type);
    drift.current = Summarize(current_field, drift.type);
    if (drift.type == ColumnType::kText) return;  // text drift is not tested
    DriftInput input = sketch ? SketchDriftInput(reference_field, current_field, drift.type)
                              : ExactDriftInput(*inputs.reference_table->Find(name),
                                                *inputs.current_table->Find(name), drift.type);
    if (!sketch && drift.type == ColumnType::kNumerical) {
      SetExactQuartiles(input.reference, drift.reference);
      SetExactQuartiles(input.current, drift.current);
    }
    auto column_method = options.column_methods.find(name);
    const DriftMethod* method = column_method != options.column_methods.end()
                                    ? FindDriftMethod(column_method->second)
                                : options.method ? FindDriftMethod(*options.method)
                                                 : &DefaultDriftMethod(input);
    if (!method->AppliesTo(drift.type)) {
      errors[i] = Status::InvalidArgument(
          "drift method '" + std::string(method->name) + "' does not apply to " +
          std::string(ColumnTypeName(drift.type)) + " column '" + name + "'");
      return;
    }
    auto column_threshold = options.column_thresholds.find(name);
    drift.threshold = column_threshold != options.column_thresholds.end() ? column_threshold->second
                      : options.threshold                                 ? *options.threshold
                                          : method->default_threshold;
    drift.method = method->name;
    drift.distribution = Chart(input);
    if (input.reference_size == 0 || input.current_size == 0) return;  // nothing to compare
    Result<double> score = method->compute(input);
    if (!score.ok()) {
      errors[i] = score.status().WithContext("column '" + name + "'");
      return;
    }
    drift.score = *score;
    drift.drift_detected = std::isfinite(*score) && method->Detects(*score, drift.threshold);
  });
  for (const Status& error : errors) TELLTALE_RETURN_IF_ERROR(error);

  report.number_of_columns = static_cast<int>(report.columns.size());
  for (const ColumnDrift& drift : report.columns)
    report.number_of_drifted_columns += drift.drift_detected ? 1 : 0;
  report.share_of_drifted_columns =
      report.number_of_columns
          ? static_cast<double>(report.number_of_drifted_columns) / report.number_of_columns
          : 0;
  report.dataset_drift =
      report.number_of_columns > 0 && report.share_of_drifted_columns >= options.drift_share;

  if (inputs.current_table == nullptr) return report;
  IntegrityInputs integrity;
  integrity.reference = reference;
  integrity.current = &current;
  integrity.current_table = inputs.current_table;
  integrity.types = types;
  if (inputs.reference_table && inputs.reference_table->rows > 0) {
    integrity.reference_duplicated_share =
        static_cast<double>(CountDuplicatedRows(*inputs.reference_table)) /
        static_cast<double>(inputs.reference_table->rows);
  }
  report.integrity = RunIntegrityChecks(integrity, options.integrity);
  return report;
}

}  // namespace telltale
