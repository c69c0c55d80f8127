#include "monitor/monitor_spec.h"

#include <gtest/gtest.h>

namespace telltale {
namespace {

using nlohmann::json;

SpecError ErrorOf(const json& document) {
  auto parsed = ParseMonitorSpec(document);
  if (const SpecError* error = std::get_if<SpecError>(&parsed)) return *error;
  ADD_FAILURE() << "accepted: " << document.dump();
  return {};
}

TEST(MonitorSpecTest, DefaultsFollowTheMonitorType) {
  auto parsed =
      ParseMonitorSpec({{"name", "nulls"}, {"model", "churn"}, {"type", "missing_values"}});
  const MonitorSpec& spec = std::get<MonitorSpec>(parsed);
  EXPECT_EQ(spec.metric, "missing_ratio");
  EXPECT_EQ(spec.field_scope, FieldScope::kAllFeatures);
  EXPECT_EQ(spec.detector.kind, DetectorKind::kAnomaly);
  EXPECT_EQ(spec.detector.direction, Direction::kUp);
  EXPECT_EQ(spec.version, "latest");
  EXPECT_EQ(spec.severity, Severity::kWarning);
  EXPECT_EQ(spec.timing.hold_for, 0);

  auto drift = ParseMonitorSpec(
      {{"name", "d"}, {"model", "m"}, {"type", "prediction_drift"}, {"method", "ks"}});
  const MonitorSpec& ks = std::get<MonitorSpec>(drift);
  EXPECT_EQ(ks.field_scope, FieldScope::kAllPredictions);
  EXPECT_EQ(ks.detector.below, 0.05);  // a p-value test drifts below its threshold
  EXPECT_FALSE(ks.detector.above);
  // Hourly drift waits for a second window out of its band; daily drift does not.
  EXPECT_EQ(ks.timing.hold_for, 7200);
  auto daily = ParseMonitorSpec(
      {{"name", "d"}, {"model", "m"}, {"type", "data_drift"}, {"granularity", "day"}});
  EXPECT_EQ(std::get<MonitorSpec>(daily).timing.hold_for, 0);
  auto explicit_zero =
      ParseMonitorSpec({{"name", "d"}, {"model", "m"}, {"type", "data_drift"}, {"hold_for", "0s"}});
  EXPECT_EQ(std::get<MonitorSpec>(explicit_zero).timing.hold_for, 0);
}

TEST(MonitorSpecTest, RoundTripsThroughItsNormalizedDocument) {
  json document = {
      {"name", "income p99"},
      {"model", "churn"},
      {"version", "v2"},
      {"segment", "DE"},
      {"type", "metric_change"},
      {"fields", {"income"}},
      {"metric", "p99"},
      {"granularity", "day"},
      {"detector", {{"kind", "change"}, {"baseline", "week_ago"}, {"max_percent", 30}}},
      {"hold_for", "2h"},
      {"keep_firing_for", "30m"},
      {"severity", "critical"},
      {"labels", {{"team", "risk"}}}};
  auto parsed = ParseMonitorSpec(document);
  const MonitorSpec& spec = std::get<MonitorSpec>(parsed);
  EXPECT_EQ(spec.timing.hold_for, 7200);
  EXPECT_EQ(spec.timing.keep_firing_for, 1800);
  json normalized = MonitorSpecJson(spec);
  EXPECT_EQ(normalized["hold_for"], "2h");
  EXPECT_EQ(normalized["detector"]["baseline"], "week_ago");
  auto again = ParseMonitorSpec(normalized);
  EXPECT_EQ(MonitorSpecJson(std::get<MonitorSpec>(again)), normalized);
}

TEST(MonitorSpecTest, ErrorsNameTheFieldPath) {
  json base = {{"name", "x"}, {"model", "m"}, {"type", "model_activity"}};
  json bad = base;
  bad["detector"] = {{"kind", "threshold"}, {"above", "high"}};
  EXPECT_EQ(ErrorOf(bad).path, "detector.above");
  EXPECT_EQ(ErrorOf(bad).message, "must be a number");
  bad = base;
  bad["type"] = "vibes";
  EXPECT_EQ(ErrorOf(bad).path, "type");
  EXPECT_NE(ErrorOf(bad).message.find("model_activity"), std::string::npos);
  bad = base;
  bad["hold_for"] = "soon";
  EXPECT_EQ(ErrorOf(bad).path, "hold_for");
  bad = base;
  bad["fields"] = {"age"};
  EXPECT_EQ(ErrorOf(bad).path, "fields");
  bad = base;
  bad["detector"] = {{"kind", "change"}, {"max_percent", 10}, {"baseline", "range"}};
  EXPECT_EQ(ErrorOf(bad).path, "detector.from");
  bad = base;
  bad["detector"] = {{"kind", "anomaly"}, {"treshold", 3}};
  EXPECT_EQ(ErrorOf(bad).path, "detector.treshold");
  bad = {{"name", "x"}, {"model", "m"}, {"type", "performance_degradation"}, {"metric", "f2"}};
  EXPECT_EQ(ErrorOf(bad).path, "metric");
  bad["metric"] = "f1";
  EXPECT_EQ(ErrorOf(bad).path, "detector");
  bad = {{"name", "x"},     {"model", "m"},       {"type", "metric_change"},
         {"metric", "p99"}, {"fields", {"a", 3}}, {"detector", {{"kind", "anomaly"}}}};
  EXPECT_EQ(ErrorOf(bad).path, "fields[1]");
  EXPECT_EQ(ErrorOf(json::array()).path, "");
}

}  // namespace
}  // namespace telltale
