#include "monitor/monitor_runner.h"

#include <fmt/format.h>

#include <map>

#include "ingest/row_decoder.h"

namespace telltale {
namespace {

using nlohmann::json;

// Backtests cover at most a year of hourly windows.
constexpr int kMaxBacktestWindows = 24 * 366;

json OptionalJson(std::optional<double> value) { return value ? json(*value) : json(); }

Result<MonitorSpec> SpecOf(const MonitorRecord& monitor) {
  json document = json::parse(monitor.spec_json, nullptr, false);
  auto parsed = ParseMonitorSpec(document);
  if (const SpecError* error = std::get_if<SpecError>(&parsed)) {
    return Status::Corruption(fmt::format("monitor {}: stored spec is invalid at {}: {}",
                                          monitor.id, error->path, error->message));
  }
  return std::get<MonitorSpec>(std::move(parsed));
}

// The start of the last window that closed at least `delay` seconds before `now`.
int64_t LastClosedWindow(int64_t now, int64_t delay, Granularity granularity,
                         const date::time_zone* zone) {
  int64_t open = BucketStart(now - delay, granularity, zone);
  return BucketStart(open - 1, granularity, zone);
}

}  // namespace

json BuildNotification(const MonitorRecord& monitor, const MonitorSpec& spec,
                       const MonitorTarget& target, AlertState status, int64_t window_start,
                       int64_t window_end, const std::vector<SubjectVerdict>& fields,
                       const std::string& ui_url) {
  json listed = json::array();
  for (const SubjectVerdict& field : fields) {
    listed.push_back({{"field", field.subject.empty() ? json() : json(field.subject)},
                      {"value", field.verdict.evaluated ? json(field.verdict.value) : json()},
                      {"expected", OptionalJson(field.verdict.expected)},
                      {"lower", OptionalJson(field.verdict.lower)},
                      {"upper", OptionalJson(field.verdict.upper)},
                      {"reason", field.verdict.reason}});
  }
  std::string status_name(AlertStateName(status));
  json notification = {
      {"id", fmt::format("monitor-{}-{}-{}", monitor.id, status_name, window_end)},
      {"status", status_name},
      {"severity", SeverityName(spec.severity)},
      {"monitor",
       {{"id", monitor.id},
        {"name", spec.name},
        {"type", MonitorTypeName(spec.type)},
        {"metric", spec.metric},
        {"description", spec.description}}},
      {"model", target.model},
      {"version", target.version},
      {"segment", spec.segment ? json(*spec.segment) : json()},
      {"window", {{"from", FormatRfc3339(window_start)}, {"to", FormatRfc3339(window_end)}}},
      {"fields", listed},
      {"labels", spec.labels},
      {"summary", fmt::format("{} {}: {} on {} ({} field{})", spec.name, status_name, spec.metric,
                              target.model, fields.size(), fields.size() == 1 ? "" : "s")}};
  if (!ui_url.empty()) {
    notification["url"] =
        fmt::format("{}/#/models/{}/alerts?monitor={}", ui_url, target.model, monitor.id);
  }
  return notification;
}

Status MonitorRunner::RunDue() {
  TELLTALE_ASSIGN_OR_RETURN(std::vector<MonitorRecord> monitors, store_.AllMonitors());
  Status first_error;
  for (const MonitorRecord& monitor : monitors) {
    Status status = RunMonitor(monitor);
    if (status.ok()) status = RemindFiring(monitor);
    if (!status.ok() && first_error.ok()) {
      first_error = status.WithContext(fmt::format("monitor '{}' ({})", monitor.name, monitor.id));
    }
  }
  return first_error;
}

Status MonitorRunner::RunMonitor(const MonitorRecord& monitor) {
  TELLTALE_ASSIGN_OR_RETURN(MonitorSpec spec, SpecOf(monitor));
  if (!spec.enabled) return Status::Ok();
  TELLTALE_ASSIGN_OR_RETURN(MonitorTarget target, data_.Resolve(monitor.project_id, spec));
  const int64_t now = clock_.Now();
  // A scheduled monitor sees the windows that had closed at its latest tick.
  int64_t as_of = now;
  if (spec.schedule) {
    std::optional<int64_t> tick = spec.schedule->Previous(now, target.zone);
    if (!tick) return Status::Ok();
    as_of = *tick;
  }
  int64_t last = LastClosedWindow(as_of, options_.evaluation_delay, spec.granularity, target.zone);
  int64_t start = monitor.evaluated_until == 0 ? last : monitor.evaluated_until;
  std::vector<int64_t> windows;
  for (int64_t window = start;
       window <= last && static_cast<int>(windows.size()) < options_.max_windows_per_run;
       window = NextWindowStart(window, spec.granularity, target.zone)) {
    windows.push_back(window);
  }
  if (windows.empty()) return Status::Ok();
  const int64_t end = NextWindowStart(windows.back(), spec.granularity, target.zone);

  MonitorEvaluator evaluator(data_, spec, target);
  TELLTALE_RETURN_IF_ERROR(evaluator.Prepare(windows.front(), end));
  TELLTALE_ASSIGN_OR_RETURN(std::vector<AlertRecord> stored, store_.Alerts(monitor.id));
  std::map<std::string, AlertRecord> alerts;
  for (AlertRecord& alert : stored) alerts[alert.subject] = std::move(alert);

  EvaluationRecord evaluation;
  evaluation.monitor_id = monitor.id;
  evaluation.evaluated_until = end;
  for (int64_t window : windows) {
    int64_t window_end = NextWindowStart(window, spec.granularity, target.zone);
    std::map<AlertState, std::vector<SubjectVerdict>> changed;
    for (SubjectVerdict& judged : evaluator.Judge(window)) {
      AlertRecord& alert = alerts[judged.subject];
      alert.monitor_id = monitor.id;
      alert.subject = judged.subject;
      alert.evaluated_at = window_end;
      alert.reason = judged.verdict.reason;
      if (!judged.verdict.evaluated) continue;
      alert.value = judged.verdict.value;
      alert.expected = judged.verdict.expected;
      alert.lower = judged.verdict.lower;
      alert.upper = judged.verdict.upper;
      std::optional<Transition> transition =
          Advance(alert.status, judged.verdict.breached, window, window_end, spec.timing);
      if (!transition) continue;
      evaluation.events.push_back({0, monitor.id, judged.subject, transition->from, transition->to,
                                   window_end, judged.verdict.value, judged.verdict.reason});
      if (transition->to == AlertState::kFiring || transition->to == AlertState::kResolved) {
        changed[transition->to].push_back(std::move(judged));
      }
    }
    for (const auto& [status, fields] : changed) {
      json notification = BuildNotification(monitor, spec, target, status, window, window_end,
                                            fields, options_.ui_url);
      TELLTALE_ASSIGN_OR_RETURN(std::vector<OutboxEntry> entries,
                                router_.Route(monitor.project_id, notification, now));
      for (OutboxEntry& entry : entries) evaluation.notifications.push_back(std::move(entry));
    }
  }
  for (auto& [subject, alert] : alerts) evaluation.alerts.push_back(std::move(alert));
  return store_.RecordEvaluation(evaluation);
}

Status MonitorRunner::RemindFiring(const MonitorRecord& monitor) {
  TELLTALE_ASSIGN_OR_RETURN(std::vector<AlertRecord> alerts, store_.Alerts(monitor.id));
  std::vector<SubjectVerdict> firing;
  int64_t window_end = 0;
  for (const AlertRecord& alert : alerts) {
    if (alert.status.state != AlertState::kFiring) continue;
    SubjectVerdict field{alert.subject, {}};
    field.verdict.evaluated = alert.value.has_value();
    field.verdict.value = alert.value.value_or(0);
    field.verdict.expected = alert.expected;
    field.verdict.lower = alert.lower;
    field.verdict.upper = alert.upper;
    field.verdict.reason = alert.reason;
    firing.push_back(std::move(field));
    window_end = std::max(window_end, alert.evaluated_at);
  }
  if (firing.empty()) return Status::Ok();
  TELLTALE_ASSIGN_OR_RETURN(MonitorSpec spec, SpecOf(monitor));
  if (!spec.enabled) return Status::Ok();
  TELLTALE_ASSIGN_OR_RETURN(MonitorTarget target, data_.Resolve(monitor.project_id, spec));
  const int64_t now = clock_.Now();
  int64_t window_start = BucketStart(window_end - 1, spec.granularity, target.zone);
  json notification = BuildNotification(monitor, spec, target, AlertState::kFiring, window_start,
                                        window_end, firing, options_.ui_url);
  notification["id"] = fmt::format("monitor-{}-firing-repeat-{}", monitor.id, now);
  notification["repeat"] = true;
  notification["summary"] = "still firing: " + notification["summary"].get<std::string>();
  TELLTALE_ASSIGN_OR_RETURN(std::vector<OutboxEntry> entries,
                            router_.Remind(monitor.project_id, notification, now));
  for (const OutboxEntry& entry : entries) TELLTALE_RETURN_IF_ERROR(store_.Enqueue(entry));
  return Status::Ok();
}

Result<BacktestResult> MonitorRunner::Backtest(MonitorData& data, int64_t project_id,
                                               const MonitorSpec& spec, int64_t from, int64_t to) {
  TELLTALE_ASSIGN_OR_RETURN(MonitorTarget target, data.Resolve(project_id, spec));
  std::vector<int64_t> windows;
  for (int64_t window = BucketStart(from, spec.granularity, target.zone); window < to;
       window = NextWindowStart(window, spec.granularity, target.zone)) {
    if (static_cast<int>(windows.size()) == kMaxBacktestWindows) {
      return Status::InvalidArgument(fmt::format(
          "a backtest covers at most {} windows; shorten from..to", kMaxBacktestWindows));
    }
    windows.push_back(window);
  }
  BacktestResult result;
  if (windows.empty()) return result;
  MonitorEvaluator evaluator(data, spec, target);
  TELLTALE_RETURN_IF_ERROR(evaluator.Prepare(
      windows.front(), NextWindowStart(windows.back(), spec.granularity, target.zone)));
  std::map<std::string, AlertStatus> statuses;
  for (int64_t window : windows) {
    int64_t window_end = NextWindowStart(window, spec.granularity, target.zone);
    for (SubjectVerdict& judged : evaluator.Judge(window)) {
      if (judged.verdict.evaluated) {
        std::optional<Transition> transition = Advance(
            statuses[judged.subject], judged.verdict.breached, window, window_end, spec.timing);
        if (transition) {
          result.events.push_back({0, 0, judged.subject, transition->from, transition->to,
                                   window_end, judged.verdict.value, judged.verdict.reason});
        }
      }
      result.points.push_back({std::move(judged.subject), window, std::move(judged.verdict)});
    }
  }
  return result;
}

}  // namespace telltale
