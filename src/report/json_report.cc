#include "report/json_report.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace telltale {
namespace {

using json = nlohmann::ordered_json;

json Number(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return nullptr;
  return *value;
}

json SummaryJson(const ColumnSummary& summary) {
  json out = {{"count", summary.count},
              {"missing", summary.missing},
              {"missing_share", summary.missing_share},
              {"distinct", std::round(summary.distinct)}};
  if (summary.mean) {
    out["mean"] = Number(summary.mean);
    out["std"] = Number(summary.std);
    out["min"] = Number(summary.min);
    out["p25"] = Number(summary.p25);
    out["p50"] = Number(summary.p50);
    out["p75"] = Number(summary.p75);
    out["max"] = Number(summary.max);
  }
  if (!summary.top_values.empty()) {
    json top = json::array();
    for (const auto& [value, count] : summary.top_values)
      top.push_back({{"value", value}, {"count", count}});
    out["top_values"] = top;
  }
  return out;
}

}  // namespace

std::string FormatJsonReport(const CheckReport& report) {
  json columns = json::array();
  for (const ColumnDrift& column : report.columns) {
    columns.push_back({{"name", column.name},
                       {"type", std::string(ColumnTypeName(column.type))},
                       {"role", column.role},
                       {"method", column.method.empty() ? json(nullptr) : json(column.method)},
                       {"score", Number(column.score)},
                       {"threshold", column.threshold},
                       {"drift_detected", column.drift_detected},
                       {"reference", SummaryJson(column.reference)},
                       {"current", SummaryJson(column.current)}});
  }
  json integrity = json::array();
  for (const IntegrityCheck& check : report.integrity) {
    integrity.push_back({{"check", check.check},
                         {"column", check.column ? json(*check.column) : json(nullptr)},
                         {"passed", check.passed},
                         {"value", Number(check.value)},
                         {"threshold", Number(check.threshold)},
                         {"detail", check.detail}});
  }
  json out = {{"dataset_drift", report.dataset_drift},
              {"drift_share", report.drift_share},
              {"share_of_drifted_columns", report.share_of_drifted_columns},
              {"number_of_columns", report.number_of_columns},
              {"number_of_drifted_columns", report.number_of_drifted_columns},
              {"mode", report.mode},
              {"reference", {{"source", report.reference_source}, {"rows", report.reference_rows}}},
              {"current", {{"source", report.current_source}, {"rows", report.current_rows}}},
              {"passed", !report.failed()},
              {"columns", columns},
              {"integrity", integrity}};
  // Column names and categories come from the files and need not be UTF-8: shown as U+FFFD.
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace telltale
