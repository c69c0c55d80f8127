#include "server/window_monitor_data.h"

#include <fmt/format.h>

#include <functional>
#include <map>

#include "monitor/monitor_evaluator.h"
#include "performance/estimation.h"
#include "performance/task_metrics.h"
#include "query/window_metrics.h"

namespace telltale {
namespace {

int64_t EndHour(int64_t to) { return HourOf(to - 1) + 1; }

Result<WindowProfile> MergeRange(LiveWindows& windows, const VersionSchema& schema,
                                 int64_t version_id, Environment environment, uint32_t segment,
                                 int64_t from_hour, int64_t to_hour) {
  WindowProfile merged(schema);
  TELLTALE_RETURN_IF_ERROR(
      windows.Visit(version_id, environment, segment, from_hour, to_hour, LiveWindows::Span::kAny,
                    [&](int64_t, const WindowProfile& window) { merged.Merge(window); }));
  return merged;
}

// The baseline set the version was trained on: training rows, else validation rows.
Result<WindowProfile> ReferenceSet(LiveWindows& windows, const VersionSchema& schema,
                                   const MonitorTarget& target, bool labelled) {
  for (Environment environment : {Environment::kTraining, Environment::kValidation}) {
    TELLTALE_ASSIGN_OR_RETURN(WindowProfile set, MergeRange(windows, schema, target.version_id,
                                                            environment, target.segment, 0, 1));
    bool usable = labelled ? set.performance().labeled() > 0 : set.profile().rows() > 0;
    if (usable) return set;
  }
  return Status::NotFound(
      fmt::format("version {} of model {} has no {}training or validation set to compare with",
                  target.version, target.model, labelled ? "labelled " : ""));
}

// Whether the metric reads actuals (performance) rather than window profiles.
bool IsPerformance(const MonitorSpec& spec) { return WatchesPerformance(spec); }

Result<MetricSpec> FieldMetric(const MonitorSpec& spec, const FieldSpec* field) {
  TELLTALE_ASSIGN_OR_RETURN(MetricSpec metric, ParseMetric(spec.metric, field));
  if (metric.name == "drift_score") {
    bool numeric = field != nullptr && DriftType(field->type) == ColumnType::kNumerical;
    metric.drift_method = spec.drift_method.value_or(numeric ? "wasserstein" : "jensenshannon");
  }
  return metric;
}

const FieldSpec* FieldOf(const VersionSchema& schema, const std::string& subject) {
  if (subject.empty()) return nullptr;
  int index = schema.FindField(subject);
  return index < 0 ? nullptr : &schema.fields()[static_cast<size_t>(index)];
}

}  // namespace

Result<MonitorTarget> WindowMonitorData::Resolve(int64_t project_id, const MonitorSpec& spec) {
  TELLTALE_ASSIGN_OR_RETURN(ModelRecord model, control_.GetModel(project_id, spec.model));
  if (spec.type == MonitorType::kPerformanceDegradation) {
    TELLTALE_RETURN_IF_ERROR(CheckPerformanceMetric(spec.metric, model.task));
  }
  VersionRecord version;
  if (spec.version == "latest") {
    TELLTALE_ASSIGN_OR_RETURN(std::vector<VersionRecord> versions, control_.ListVersions(model.id));
    if (versions.empty()) return Status::NotFound("model '" + model.name + "' has no versions");
    version = versions.front();
    for (const VersionRecord& candidate : versions) {
      if (candidate.created_at > version.created_at ||
          (candidate.created_at == version.created_at && candidate.id > version.id)) {
        version = candidate;
      }
    }
  } else {
    TELLTALE_ASSIGN_OR_RETURN(version, control_.GetVersion(model.id, spec.version));
  }
  std::shared_ptr<const VersionSchema> schema = windows_.Schema(version.id);
  if (!schema) return Status::NotFound("version data not loaded");
  MonitorTarget target;
  target.project_id = project_id;
  target.model = model.name;
  target.timezone = model.timezone;
  TELLTALE_ASSIGN_OR_RETURN(target.zone, FindTimeZone(model.timezone));
  target.version_id = version.id;
  target.version = version.version;
  target.version_created_at = version.created_at;
  if (spec.segment) {
    TELLTALE_ASSIGN_OR_RETURN(target.segment, schema->SegmentSeries(*spec.segment));
  }
  auto add_role = [&](FieldRole role) {
    for (const FieldSpec& field : schema->fields()) {
      // Every field of the role that the metric applies to (new_values: categorical ones, ...).
      if (field.role == role && FieldMetric(spec, &field).ok())
        target.subjects.push_back(field.name);
    }
  };
  switch (spec.field_scope) {
    case FieldScope::kNone:
      target.subjects.emplace_back();
      break;
    case FieldScope::kAllFeatures:
      add_role(FieldRole::kFeature);
      break;
    case FieldScope::kAllPredictions:
      add_role(FieldRole::kPrediction);
      break;
    case FieldScope::kNamed:
      for (const std::string& name : spec.fields) {
        const FieldSpec* field = FieldOf(*schema, name);
        if (field == nullptr) {
          return Status::NotFound(fmt::format("field '{}' is not in version {} of model {}", name,
                                              version.version, model.name));
        }
        Result<MetricSpec> metric = FieldMetric(spec, field);
        if (!metric.ok()) return metric.status().WithContext("field '" + name + "'");
        target.subjects.push_back(name);
      }
      break;
  }
  if (target.subjects.empty()) {
    return Status::InvalidArgument(fmt::format("no field of version {} of model {} has {}",
                                               version.version, model.name, spec.metric));
  }
  return target;
}

Result<std::vector<SeriesPoint>> WindowMonitorData::Series(const MonitorTarget& target,
                                                           const MonitorSpec& spec,
                                                           const std::string& subject, int64_t from,
                                                           int64_t to) {
  const Granularity granularity = spec.granularity;
  auto hours_of = [&](int64_t start) {
    return static_cast<double>(NextWindowStart(start, granularity, target.zone) - start) / 3600;
  };
  std::vector<SeriesPoint> points;
  if (spec.metric == "version_age_days") {
    for (int64_t start = BucketStart(from, granularity, target.zone); start < to;
         start = NextWindowStart(start, granularity, target.zone)) {
      int64_t end = NextWindowStart(start, granularity, target.zone);
      if (end <= target.version_created_at) continue;
      points.push_back(
          {start, static_cast<double>(end - target.version_created_at) / 86400, hours_of(start)});
    }
    return points;
  }
  std::shared_ptr<const VersionSchema> schema = windows_.Schema(target.version_id);
  if (!schema) return Status::NotFound("version data not loaded");
  // The metric of one window (or merged bucket).
  std::function<std::optional<double>(const WindowProfile&)> value_of;
  std::optional<Calibration> calibration;
  std::optional<WindowProfile> reference;
  const FieldSpec* field = FieldOf(*schema, subject);
  MetricSpec metric;
  if (IsPerformance(spec)) {
    if (IsEstimatedMetric(spec.metric)) {
      TELLTALE_ASSIGN_OR_RETURN(WindowProfile labelled,
                                ReferenceSet(windows_, *schema, target, true));
      calibration = Calibration::Fit(labelled.performance());
    }
    value_of = [&](const WindowProfile& window) {
      return PerformanceValue(spec.metric, window, calibration ? &*calibration : nullptr);
    };
  } else {
    TELLTALE_ASSIGN_OR_RETURN(metric, FieldMetric(spec, field));
    if (metric.needs_baseline) {
      TELLTALE_ASSIGN_OR_RETURN(reference, ReferenceSet(windows_, *schema, target, false));
    }
    value_of = [&](const WindowProfile& window) {
      return ComputeMetric(metric, window, field, reference ? &*reference : nullptr);
    };
  }
  // Hourly windows are judged as they are read (a year of them is never held in memory); longer
  // windows merge their hours first.
  struct Value {
    std::optional<double> value;
    double rows = 0;
  };
  // Realized performance rests on the labelled rows; everything else on all rows.
  const bool labelled_rows =
      IsPerformance(spec) && !IsEstimatedMetric(spec.metric) && spec.metric != "label_coverage";
  auto judge = [&](const WindowProfile& window) {
    double rows = static_cast<double>(labelled_rows ? window.performance().labeled()
                                                    : window.profile().rows());
    return Value{value_of(window), rows};
  };
  std::map<int64_t, Value> values;
  std::map<int64_t, WindowProfile> buckets;
  TELLTALE_RETURN_IF_ERROR(windows_.Visit(
      target.version_id, Environment::kProduction, target.segment, HourOf(from), EndHour(to),
      granularity == Granularity::kHour ? LiveWindows::Span::kHours : LiveWindows::Span::kAny,
      [&](int64_t hour, const WindowProfile& window) {
        if (granularity == Granularity::kHour) {
          values[hour * kWindowSeconds] = judge(window);
          return;
        }
        // Days and weeks of the model's zone: a day's rollup stands for its hours.
        int64_t start = BucketStart(hour * kWindowSeconds, granularity, target.zone);
        auto [it, inserted] = buckets.try_emplace(start, window);
        if (!inserted) it->second.Merge(window);
      },
      // Only the subject's profile is decoded from stored windows (none for performance).
      FieldSelection::Only(field ? std::vector<std::string>{field->name}
                                 : std::vector<std::string>{}),
      DayCalendar(target.zone).zone_name()));
  for (const auto& [start, window] : buckets) values[start] = judge(window);

  const bool counts = IsAdditiveMetric(spec);
  std::optional<int64_t> expected_next;
  auto fill_zeros_until = [&](int64_t end) {
    // A window without rows after the first one is a volume of 0, not a gap.
    for (; counts && expected_next && *expected_next < end;
         expected_next = NextWindowStart(*expected_next, granularity, target.zone)) {
      points.push_back({*expected_next, 0, hours_of(*expected_next)});
    }
  };
  for (const auto& [start, judged] : values) {
    fill_zeros_until(start);
    if (judged.value) points.push_back({start, *judged.value, hours_of(start), judged.rows});
    expected_next = NextWindowStart(start, granularity, target.zone);
  }
  fill_zeros_until(to);
  return points;
}

Result<std::optional<double>> WindowMonitorData::BaselineValue(const MonitorTarget& target,
                                                               const MonitorSpec& spec,
                                                               const std::string& subject) {
  std::shared_ptr<const VersionSchema> schema = windows_.Schema(target.version_id);
  if (!schema) return Status::NotFound("version data not loaded");
  const DetectorSpec& detector = spec.detector;
  const bool range = detector.baseline == ChangeBaseline::kRange;
  std::optional<WindowProfile> baseline;
  if (range) {
    TELLTALE_ASSIGN_OR_RETURN(
        baseline,
        MergeRange(windows_, *schema, target.version_id, Environment::kProduction, target.segment,
                   HourOf(detector.range_from), EndHour(detector.range_to)));
  } else {
    TELLTALE_ASSIGN_OR_RETURN(baseline,
                              ReferenceSet(windows_, *schema, target, IsPerformance(spec)));
  }
  if (IsPerformance(spec)) {
    if (IsEstimatedMetric(spec.metric)) {
      // An estimate's baseline is the realized metric on the labelled reference set.
      std::string realized = spec.metric.substr(std::string_view("estimated_").size());
      return PerformanceValue(realized, *baseline, nullptr);
    }
    return PerformanceValue(spec.metric, *baseline, nullptr);
  }
  const FieldSpec* field = FieldOf(*schema, subject);
  TELLTALE_ASSIGN_OR_RETURN(MetricSpec metric, FieldMetric(spec, field));
  std::optional<WindowProfile> reference;
  if (metric.needs_baseline) {
    TELLTALE_ASSIGN_OR_RETURN(reference, ReferenceSet(windows_, *schema, target, false));
  }
  return ComputeMetric(metric, *baseline, field, reference ? &*reference : nullptr);
}

}  // namespace telltale
