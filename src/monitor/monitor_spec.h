// A monitor as users write it (JSON over REST, YAML with `telltale apply`), validated and with
// every default filled in. See docs/monitors.md for the format and an example file.
#ifndef TELLTALE_MONITOR_MONITOR_SPEC_H_
#define TELLTALE_MONITOR_MONITOR_SPEC_H_

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "monitor/alert_state.h"
#include "monitor/cron_schedule.h"
#include "monitor/detector.h"
#include "telltale/result.h"

namespace telltale {

enum class MonitorType {
  kModelActivity,
  kMissingValues,
  kTypeErrors,
  kValuesRange,
  kNewValues,
  kDataDrift,
  kPredictionDrift,
  kMetricChange,
  kPerformanceDegradation,
  kModelStaleness,
};
std::string_view MonitorTypeName(MonitorType type);

enum class Severity { kInfo, kWarning, kCritical };
std::string_view SeverityName(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view name);

// Which fields a monitor watches: named ones, every feature, every prediction, or none (the
// model as a whole: volume, performance, staleness).
enum class FieldScope { kNone, kNamed, kAllFeatures, kAllPredictions };

struct MonitorSpec {
  std::string name;
  std::string description;
  std::string model;
  std::string version = "latest";  // or a version name
  std::optional<std::string> segment;
  MonitorType type = MonitorType::kModelActivity;
  FieldScope field_scope = FieldScope::kNone;
  std::vector<std::string> fields;  // kNamed
  // The series watched: a window metric (count, missing_ratio, p99, drift_score, ...), a
  // performance metric (f1, estimated_roc_auc, ...) or version_age_days.
  std::string metric;
  std::optional<std::string> drift_method;  // data and prediction drift
  Granularity granularity = Granularity::kHour;
  // Evaluated at these ticks (in the model's time zone) instead of as each window closes.
  std::optional<CronSchedule> schedule;
  DetectorSpec detector;
  AlertTiming timing;
  Severity severity = Severity::kWarning;
  std::map<std::string, std::string> labels;
  bool enabled = true;
};

// A validation error names the field by its path in the document ("detector.above").
struct SpecError {
  std::string path;
  std::string message;
};

// The monitor the document describes, or the first thing wrong with it.
std::variant<MonitorSpec, SpecError> ParseMonitorSpec(const nlohmann::json& document);
// The normalized document: what ParseMonitorSpec reads back to the same spec.
nlohmann::json MonitorSpecJson(const MonitorSpec& spec);

// Whether the monitor's series is a performance metric (from joined actuals).
bool WatchesPerformance(const MonitorSpec& spec);

}  // namespace telltale

#endif  // TELLTALE_MONITOR_MONITOR_SPEC_H_
