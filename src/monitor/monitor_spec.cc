#include "monitor/monitor_spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "common/duration.h"
#include "ingest/row_decoder.h"
#include "performance/estimation.h"
#include "performance/performance_accumulator.h"
#include "stats/drift_methods.h"

namespace telltale {
namespace {

using nlohmann::json;

struct TypeInfo {
  MonitorType type;
  std::string_view name;
  std::string_view metric;  // empty: the spec names it
  FieldScope default_scope;
  bool takes_fields;
};

constexpr std::array<TypeInfo, 10> kTypes = {{
    {MonitorType::kModelActivity, "model_activity", "count", FieldScope::kNone, false},
    {MonitorType::kMissingValues, "missing_values", "missing_ratio", FieldScope::kAllFeatures,
     true},
    {MonitorType::kTypeErrors, "type_errors", "type_error_ratio", FieldScope::kAllFeatures, true},
    {MonitorType::kValuesRange, "values_range", "out_of_range_ratio", FieldScope::kAllFeatures,
     true},
    {MonitorType::kNewValues, "new_values", "new_category_ratio", FieldScope::kAllFeatures, true},
    {MonitorType::kDataDrift, "data_drift", "drift_score", FieldScope::kAllFeatures, true},
    {MonitorType::kPredictionDrift, "prediction_drift", "drift_score", FieldScope::kAllPredictions,
     true},
    {MonitorType::kMetricChange, "metric_change", "", FieldScope::kNamed, true},
    {MonitorType::kPerformanceDegradation, "performance_degradation", "", FieldScope::kNone, false},
    {MonitorType::kModelStaleness, "model_staleness", "version_age_days", FieldScope::kNone, false},
}};

const TypeInfo& Info(MonitorType type) {
  for (const TypeInfo& info : kTypes) {
    if (info.type == type) return info;
  }
  return kTypes[0];
}

// Reads a JSON document field by field; the first problem is thrown as a SpecError naming the
// field's path, and caught by ParseMonitorSpec.
class Reader {
 public:
  Reader(const json& object, std::string prefix) : object_(object), prefix_(std::move(prefix)) {
    if (!object_.is_object()) Fail("", "must be an object");
  }

  [[noreturn]] void Fail(std::string_view key, std::string message) const {
    throw SpecError{Path(key), std::move(message)};
  }
  std::string Path(std::string_view key) const {
    if (prefix_.empty()) return std::string(key);
    return key.empty() ? prefix_ : prefix_ + "." + std::string(key);
  }
  const json* Find(std::string_view key) const {
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  std::optional<std::string> Text(std::string_view key) const {
    const json* value = Find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) Fail(key, "must be a string");
    return value->get<std::string>();
  }
  std::string RequiredText(std::string_view key) const {
    std::optional<std::string> text = Text(key);
    if (!text || text->empty()) Fail(key, "is required");
    return *text;
  }
  std::optional<double> Number(std::string_view key) const {
    const json* value = Find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number()) Fail(key, "must be a number");
    return value->get<double>();
  }
  std::optional<int64_t> Duration(std::string_view key) const {
    const json* value = Find(key);
    if (value == nullptr) return std::nullopt;
    std::optional<int64_t> seconds;
    if (value->is_number_unsigned()) seconds = value->get<int64_t>();
    if (value->is_string()) seconds = ParseDuration(value->get<std::string>());
    if (!seconds) Fail(key, "must be a duration such as \"30m\", \"2h\" or \"7d\"");
    return seconds;
  }
  std::optional<int64_t> Time(std::string_view key) const {
    std::optional<std::string> text = Text(key);
    if (!text) return std::nullopt;
    Result<int64_t> time = ParseRfc3339(*text);
    if (!time.ok()) Fail(key, time.status().message());
    return *time;
  }
  template <typename Enum, size_t N>
  std::optional<Enum> Choice(
      std::string_view key, const std::array<std::pair<std::string_view, Enum>, N>& choices) const {
    std::optional<std::string> text = Text(key);
    if (!text) return std::nullopt;
    std::string names;
    for (const auto& [name, value] : choices) {
      if (name == *text) return value;
      names += names.empty() ? std::string(name) : ", " + std::string(name);
    }
    Fail(key, fmt::format("'{}' is not one of {}", *text, names));
  }
  void OnlyKeys(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, value] : object_.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        Fail(key, "is not a known setting here");
      }
    }
  }
  const json& object() const { return object_; }

 private:
  const json& object_;
  std::string prefix_;
};

constexpr std::array<std::pair<std::string_view, DetectorKind>, 4> kDetectorKinds = {{
    {"threshold", DetectorKind::kThreshold},
    {"change", DetectorKind::kChange},
    {"anomaly", DetectorKind::kAnomaly},
    {"cusum", DetectorKind::kCusum},
}};
constexpr std::array<std::pair<std::string_view, ChangeBaseline>, 4> kBaselines = {{
    {"training", ChangeBaseline::kTraining},
    {"range", ChangeBaseline::kRange},
    {"previous_windows", ChangeBaseline::kPreviousWindows},
    {"week_ago", ChangeBaseline::kWeekAgo},
}};
constexpr std::array<std::pair<std::string_view, Direction>, 3> kDirections = {
    {{"up", Direction::kUp}, {"down", Direction::kDown}, {"both", Direction::kBoth}}};
constexpr std::array<std::pair<std::string_view, Sensitivity>, 3> kSensitivities = {
    {{"low", Sensitivity::kLow}, {"medium", Sensitivity::kMedium}, {"high", Sensitivity::kHigh}}};
constexpr std::array<std::pair<std::string_view, Granularity>, 3> kGranularities = {
    {{"hour", Granularity::kHour}, {"day", Granularity::kDay}, {"week", Granularity::kWeek}}};
constexpr std::array<std::pair<std::string_view, Severity>, 3> kSeverities = {
    {{"info", Severity::kInfo},
     {"warning", Severity::kWarning},
     {"critical", Severity::kCritical}}};

template <typename Enum, size_t N>
std::string_view NameOf(Enum value, const std::array<std::pair<std::string_view, Enum>, N>& names) {
  for (const auto& [name, candidate] : names) {
    if (candidate == value) return name;
  }
  return names[0].first;
}

// The detector a monitor type uses when the document names none; nullopt when it must name one.
std::optional<DetectorSpec> DefaultDetector(const MonitorSpec& spec) {
  DetectorSpec detector;
  switch (spec.type) {
    case MonitorType::kModelActivity:
      detector.kind = DetectorKind::kAnomaly;
      return detector;
    case MonitorType::kMissingValues:
      detector.kind = DetectorKind::kAnomaly;
      detector.direction = Direction::kUp;
      detector.min_delta = 0.01;
      return detector;
    case MonitorType::kTypeErrors:
      detector.above = 0;
      return detector;
    case MonitorType::kValuesRange:
    case MonitorType::kNewValues:
      detector.above = 0.05;
      return detector;
    case MonitorType::kDataDrift:
    case MonitorType::kPredictionDrift: {
      const DriftMethod* method = FindDriftMethod(spec.drift_method.value_or("wasserstein"));
      bool p_value =
          method->rule == DriftRule::kPValueBelow || method->rule == DriftRule::kPValueAtOrBelow;
      if (p_value) {
        detector.below = method->default_threshold;
        return detector;
      }
      // A distance measured on an hour of rows carries sampling noise of the order of its
      // threshold: a window drifts when its score stands out of the field's own history by more
      // than the threshold.
      detector.kind = DetectorKind::kAnomaly;
      detector.direction = Direction::kUp;
      detector.min_delta = method->default_threshold;
      return detector;
    }
    case MonitorType::kModelStaleness:
      detector.above = 90;
      return detector;
    case MonitorType::kMetricChange:
    case MonitorType::kPerformanceDegradation:
      return std::nullopt;
  }
  return std::nullopt;
}

DetectorSpec ReadDetector(const Reader& reader) {
  DetectorSpec detector;
  std::optional<DetectorKind> kind = reader.Choice("kind", kDetectorKinds);
  if (!kind) reader.Fail("kind", "is required: threshold, change, anomaly or cusum");
  detector.kind = *kind;
  detector.direction = reader.Choice("direction", kDirections).value_or(Direction::kBoth);
  detector.sensitivity =
      reader.Choice("sensitivity", kSensitivities).value_or(Sensitivity::kMedium);
  switch (detector.kind) {
    case DetectorKind::kThreshold:
      reader.OnlyKeys({"kind", "above", "below"});
      detector.above = reader.Number("above");
      detector.below = reader.Number("below");
      if (!detector.above && !detector.below)
        reader.Fail("above", "a threshold needs above or below");
      if (detector.above && detector.below && *detector.below > *detector.above) {
        reader.Fail("below", "must not be greater than above");
      }
      break;
    case DetectorKind::kChange: {
      reader.OnlyKeys({"kind", "baseline", "windows", "from", "to", "max_percent", "max_absolute",
                       "direction"});
      detector.baseline =
          reader.Choice("baseline", kBaselines).value_or(ChangeBaseline::kPreviousWindows);
      detector.max_percent = reader.Number("max_percent");
      detector.max_absolute = reader.Number("max_absolute");
      if (!detector.max_percent && !detector.max_absolute) {
        reader.Fail("max_percent", "a change detector needs max_percent or max_absolute");
      }
      if (detector.max_percent.value_or(0) < 0) reader.Fail("max_percent", "must not be negative");
      if (detector.max_absolute.value_or(0) < 0)
        reader.Fail("max_absolute", "must not be negative");
      double windows = reader.Number("windows").value_or(24);
      if (windows < 1 || windows > 24 * 90 || windows != std::floor(windows)) {
        reader.Fail("windows", "must be a whole number from 1 to 2160");
      }
      detector.previous_windows = static_cast<int>(windows);
      if (detector.baseline == ChangeBaseline::kRange) {
        std::optional<int64_t> from = reader.Time("from");
        std::optional<int64_t> to = reader.Time("to");
        if (!from) reader.Fail("from", "baseline range needs from (RFC 3339)");
        if (!to || *to <= *from) reader.Fail("to", "baseline range needs to, after from");
        detector.range_from = *from;
        detector.range_to = *to;
      }
      break;
    }
    case DetectorKind::kAnomaly:
      reader.OnlyKeys({"kind", "sensitivity", "direction", "min_delta"});
      detector.min_delta = reader.Number("min_delta").value_or(0);
      if (detector.min_delta < 0) reader.Fail("min_delta", "must not be negative");
      break;
    case DetectorKind::kCusum: {
      reader.OnlyKeys({"kind", "sensitivity", "direction", "windows"});
      double windows = reader.Number("windows").value_or(24);
      if (windows < 1 || windows > 24 * 90 || windows != std::floor(windows)) {
        reader.Fail("windows", "must be a whole number from 1 to 2160");
      }
      detector.previous_windows = static_cast<int>(windows);
      break;
    }
  }
  return detector;
}

void ReadFields(const Reader& reader, const TypeInfo& info, MonitorSpec& spec) {
  spec.field_scope = info.default_scope;
  const json* fields = reader.Find("fields");
  if (fields == nullptr) {
    if (spec.field_scope == FieldScope::kNamed && spec.metric != "count") {
      reader.Fail("fields", "is required: a list of field names, all_features or all_predictions");
    }
    if (spec.field_scope == FieldScope::kNamed) spec.field_scope = FieldScope::kNone;
    return;
  }
  if (!info.takes_fields)
    reader.Fail("fields",
                fmt::format("a {} monitor watches the model as a whole, not fields", info.name));
  if (fields->is_string()) {
    std::string scope = fields->get<std::string>();
    if (scope == "all_features") {
      spec.field_scope = FieldScope::kAllFeatures;
    } else if (scope == "all_predictions") {
      spec.field_scope = FieldScope::kAllPredictions;
    } else {
      reader.Fail("fields", "must be a list of field names, all_features or all_predictions");
    }
    return;
  }
  if (!fields->is_array() || fields->empty()) {
    reader.Fail("fields",
                "must be a non-empty list of field names, all_features or all_predictions");
  }
  spec.field_scope = FieldScope::kNamed;
  for (size_t i = 0; i < fields->size(); ++i) {
    const json& name = (*fields)[i];
    if (!name.is_string() || name.get<std::string>().empty()) {
      reader.Fail(fmt::format("fields[{}]", i), "must be a field name");
    }
    spec.fields.push_back(name.get<std::string>());
  }
}

void CheckMetric(const Reader& reader, const MonitorSpec& spec) {
  const std::string& metric = spec.metric;
  if (spec.type == MonitorType::kPerformanceDegradation) {
    if (metric != "label_coverage" && !IsEstimatedMetric(metric) &&
        !PerformanceAccumulator::IsKnownMetric(metric)) {
      reader.Fail("metric", fmt::format("'{}' is not a performance metric (accuracy, f1, roc_auc, "
                                        "mae, r2, label_coverage, estimated_f1, ...)",
                                        metric));
    }
    return;
  }
  if (spec.type == MonitorType::kMetricChange) {
    static const std::array<std::string_view, 7> kNames = {
        "count", "mean", "std", "min", "max", "distinct_count", "missing_ratio"};
    bool quantile = metric.size() > 1 && metric[0] == 'p' &&
                    metric.find_first_not_of("0123456789.", 1) == std::string::npos;
    if (!quantile && std::find(kNames.begin(), kNames.end(), metric) == kNames.end()) {
      reader.Fail("metric",
                  fmt::format("'{}' is not a field metric: mean, std, min, max, pNN (a "
                              "quantile such as p99), distinct_count, count, missing_ratio",
                              metric));
    }
  }
}

// Hourly drift scores and performance of an hour's rows are noisy enough that one window out of
// its band is no incident: by default these monitors wait for a second one (two hours).
int64_t DefaultHoldFor(const MonitorSpec& spec) {
  bool noisy = spec.type == MonitorType::kDataDrift || spec.type == MonitorType::kPredictionDrift ||
               spec.type == MonitorType::kPerformanceDegradation;
  return noisy && spec.granularity == Granularity::kHour ? 2 * 3600 : 0;
}

MonitorSpec Read(const json& document) {
  Reader reader(document, "");
  reader.OnlyKeys({"id",          "name",     "description", "model",      "version",
                   "segment",     "type",     "fields",      "metric",     "method",
                   "granularity", "schedule", "detector",    "hold_for",   "keep_firing_for",
                   "severity",    "labels",   "enabled",     "created_at", "updated_at"});
  MonitorSpec spec;
  spec.name = reader.RequiredText("name");
  spec.description = reader.Text("description").value_or("");
  spec.model = reader.RequiredText("model");
  spec.version = reader.Text("version").value_or("latest");
  spec.segment = reader.Text("segment");
  std::string type = reader.RequiredText("type");
  const TypeInfo* info = nullptr;
  std::string names;
  for (const TypeInfo& candidate : kTypes) {
    if (candidate.name == type) info = &candidate;
    names += (names.empty() ? "" : ", ") + std::string(candidate.name);
  }
  if (info == nullptr) reader.Fail("type", fmt::format("'{}' is not one of {}", type, names));
  spec.type = info->type;
  if (info->metric.empty()) {
    spec.metric = reader.RequiredText("metric");
  } else {
    std::optional<std::string> metric = reader.Text("metric");
    if (metric && *metric != info->metric) {
      reader.Fail("metric",
                  fmt::format("a {} monitor watches {}; use metric_change for other metrics", type,
                              info->metric));
    }
    spec.metric = info->metric;
  }
  CheckMetric(reader, spec);
  ReadFields(reader, *info, spec);
  if (std::optional<std::string> method = reader.Text("method")) {
    if (spec.metric != "drift_score") reader.Fail("method", "only drift monitors take a method");
    if (FindDriftMethod(*method) == nullptr) {
      reader.Fail("method", fmt::format("'{}' is not one of {}", *method, DriftMethodNames()));
    }
    spec.drift_method = method;
  }
  spec.granularity = reader.Choice("granularity", kGranularities).value_or(Granularity::kHour);
  if (std::optional<std::string> schedule = reader.Text("schedule")) {
    Result<CronSchedule> parsed = CronSchedule::Parse(*schedule);
    if (!parsed.ok()) reader.Fail("schedule", parsed.status().message());
    spec.schedule = *std::move(parsed);
  }
  if (const json* detector = reader.Find("detector")) {
    spec.detector = ReadDetector(Reader(*detector, "detector"));
  } else if (std::optional<DetectorSpec> fallback = DefaultDetector(spec)) {
    spec.detector = *fallback;
  } else {
    reader.Fail("detector", fmt::format("is required for a {} monitor", type));
  }
  spec.timing.hold_for = reader.Duration("hold_for").value_or(DefaultHoldFor(spec));
  spec.timing.keep_firing_for = reader.Duration("keep_firing_for").value_or(0);
  spec.severity = reader.Choice("severity", kSeverities).value_or(Severity::kWarning);
  if (const json* labels = reader.Find("labels")) {
    if (!labels->is_object()) reader.Fail("labels", "must be an object of strings");
    for (const auto& [key, value] : labels->items()) {
      if (!value.is_string()) reader.Fail("labels." + key, "must be a string");
      spec.labels[key] = value.get<std::string>();
    }
  }
  if (const json* enabled = reader.Find("enabled")) {
    if (!enabled->is_boolean()) reader.Fail("enabled", "must be true or false");
    spec.enabled = enabled->get<bool>();
  }
  return spec;
}

json DetectorJson(const DetectorSpec& detector) {
  json out = {{"kind", NameOf(detector.kind, kDetectorKinds)}};
  switch (detector.kind) {
    case DetectorKind::kThreshold:
      if (detector.above) out["above"] = *detector.above;
      if (detector.below) out["below"] = *detector.below;
      break;
    case DetectorKind::kChange:
      out["baseline"] = NameOf(detector.baseline, kBaselines);
      if (detector.baseline == ChangeBaseline::kPreviousWindows) {
        out["windows"] = detector.previous_windows;
      }
      if (detector.baseline == ChangeBaseline::kRange) {
        out["from"] = FormatRfc3339(detector.range_from);
        out["to"] = FormatRfc3339(detector.range_to);
      }
      if (detector.max_percent) out["max_percent"] = *detector.max_percent;
      if (detector.max_absolute) out["max_absolute"] = *detector.max_absolute;
      out["direction"] = NameOf(detector.direction, kDirections);
      break;
    case DetectorKind::kAnomaly:
      out["sensitivity"] = NameOf(detector.sensitivity, kSensitivities);
      out["direction"] = NameOf(detector.direction, kDirections);
      out["min_delta"] = detector.min_delta;
      break;
    case DetectorKind::kCusum:
      out["sensitivity"] = NameOf(detector.sensitivity, kSensitivities);
      out["direction"] = NameOf(detector.direction, kDirections);
      out["windows"] = detector.previous_windows;
      break;
  }
  return out;
}

}  // namespace

std::string_view MonitorTypeName(MonitorType type) { return Info(type).name; }

std::string_view SeverityName(Severity severity) { return NameOf(severity, kSeverities); }

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (const auto& [candidate, severity] : kSeverities) {
    if (candidate == name) return severity;
  }
  return std::nullopt;
}

std::variant<MonitorSpec, SpecError> ParseMonitorSpec(const nlohmann::json& document) {
  try {
    return Read(document);
  } catch (const SpecError& error) {
    return error;
  }
}

json MonitorSpecJson(const MonitorSpec& spec) {
  json fields;
  switch (spec.field_scope) {
    case FieldScope::kNone:
      break;
    case FieldScope::kNamed:
      fields = spec.fields;
      break;
    case FieldScope::kAllFeatures:
      fields = "all_features";
      break;
    case FieldScope::kAllPredictions:
      fields = "all_predictions";
      break;
  }
  json out = {{"name", spec.name},
              {"description", spec.description},
              {"model", spec.model},
              {"version", spec.version},
              {"segment", spec.segment ? json(*spec.segment) : json()},
              {"type", MonitorTypeName(spec.type)},
              {"fields", fields},
              {"metric", spec.metric},
              {"granularity", NameOf(spec.granularity, kGranularities)},
              {"detector", DetectorJson(spec.detector)},
              {"hold_for", FormatDuration(spec.timing.hold_for)},
              {"keep_firing_for", FormatDuration(spec.timing.keep_firing_for)},
              {"severity", SeverityName(spec.severity)},
              {"labels", spec.labels},
              {"enabled", spec.enabled}};
  if (spec.drift_method) out["method"] = *spec.drift_method;
  if (spec.schedule) out["schedule"] = spec.schedule->text();
  return out;
}

bool WatchesPerformance(const MonitorSpec& spec) {
  return spec.type == MonitorType::kPerformanceDegradation;
}

}  // namespace telltale
