// Monitors and their alerts:
//   POST   /api/v1/monitors                  a monitor (docs/monitors.md) -> 201 with its id
//   GET    /api/v1/monitors                  the project's monitors with their alert states
//   GET    /api/v1/monitors/{id}             one monitor, its alerts per field
//   PUT    /api/v1/monitors/{id}             replace the definition (alerts start over)
//   DELETE /api/v1/monitors/{id}
//   POST   /api/v1/monitors/{id}/backtest?from&to   when it would have fired over past windows
//   POST   /api/v1/monitors/backtest?from&to        the same for a definition in the body
//   GET    /api/v1/alerts[?state=firing,pending,resolved,inactive]   current alerts
//   GET    /api/v1/alerts/history[?monitor=ID][&limit=N]             transitions, newest first
// Definitions need an admin key; reading them and alerts a read key.
#include <fmt/format.h>

#include <sstream>

#include "ingest/row_decoder.h"
#include "monitor/monitor_runner.h"
#include "query/time_buckets.h"
#include "server/routes.h"

namespace telltale {
namespace {

using nlohmann::json;

constexpr const char* kMonitorPath = R"(/api/v1/monitors/(\d+))";
constexpr size_t kMaxHistory = 1000;

json OptionalJson(std::optional<double> value) { return value ? json(*value) : json(); }

json AlertJson(const AlertRecord& alert) {
  return {{"field", alert.subject.empty() ? json() : json(alert.subject)},
          {"state", AlertStateName(alert.status.state)},
          {"since", alert.status.since ? json(FormatRfc3339(alert.status.since)) : json()},
          {"value", OptionalJson(alert.value)},
          {"expected", OptionalJson(alert.expected)},
          {"lower", OptionalJson(alert.lower)},
          {"upper", OptionalJson(alert.upper)},
          {"reason", alert.reason},
          {"evaluated_at", FormatRfc3339(alert.evaluated_at)}};
}

// The most urgent state among a monitor's alerts.
std::string_view OverallState(const std::vector<AlertRecord>& alerts) {
  AlertState overall = AlertState::kInactive;
  auto rank = [](AlertState state) {
    switch (state) {
      case AlertState::kFiring:
        return 3;
      case AlertState::kPending:
        return 2;
      case AlertState::kResolved:
        return 1;
      case AlertState::kInactive:
        return 0;
    }
    return 0;
  };
  for (const AlertRecord& alert : alerts) {
    if (rank(alert.status.state) > rank(overall)) overall = alert.status.state;
  }
  return AlertStateName(overall);
}

// A scheduled monitor's next tick in its model's time zone; none without a schedule (or while its
// model is gone).
std::optional<int64_t> NextEvaluation(ServerContext& context, const MonitorRecord& monitor) {
  auto parsed = ParseMonitorSpec(json::parse(monitor.spec_json));
  const MonitorSpec* spec = std::get_if<MonitorSpec>(&parsed);
  if (spec == nullptr || !spec->schedule) return std::nullopt;
  Result<ModelRecord> model = context.control->GetModel(monitor.project_id, spec->model);
  if (!model.ok()) return std::nullopt;
  Result<const date::time_zone*> zone = FindTimeZone(model->timezone);
  if (!zone.ok()) return std::nullopt;
  return spec->schedule->Next(context.clock->Now(), *zone);
}

Result<json> MonitorJson(ServerContext& context, const MonitorRecord& monitor) {
  json out = json::parse(monitor.spec_json);
  out["id"] = monitor.id;
  out["created_at"] = FormatRfc3339(monitor.created_at);
  out["updated_at"] = FormatRfc3339(monitor.updated_at);
  out["evaluated_until"] =
      monitor.evaluated_until ? json(FormatRfc3339(monitor.evaluated_until)) : json();
  if (std::optional<int64_t> tick = NextEvaluation(context, monitor)) {
    out["next_evaluation"] = FormatRfc3339(*tick);
  }
  TELLTALE_ASSIGN_OR_RETURN(std::vector<AlertRecord> alerts, context.monitors->Alerts(monitor.id));
  json listed = json::array();
  for (const AlertRecord& alert : alerts) listed.push_back(AlertJson(alert));
  out["state"] = OverallState(alerts);
  out["alerts"] = listed;
  return out;
}

// The monitor in the body, validated against the registry; on failure sends 422 naming the
// field and returns nothing.
std::optional<MonitorSpec> SpecFromBody(ServerContext& context, const httplib::Request& request,
                                        httplib::Response& response, int64_t project_id) {
  Result<json> body = JsonBody(request);
  if (!body.ok()) {
    SendError(response, body.status());
    return std::nullopt;
  }
  auto parsed = ParseMonitorSpec(*body);
  if (const SpecError* error = std::get_if<SpecError>(&parsed)) {
    SendSpecError(response, *error, "monitor");
    return std::nullopt;
  }
  MonitorSpec spec = std::get<MonitorSpec>(std::move(parsed));
  if (spec.name.size() > 200) {
    SendProblem(response, 422, "name: at most 200 characters", {{"field", "name"}});
    return std::nullopt;
  }
  Result<MonitorTarget> target = context.monitor_data->Resolve(project_id, spec);
  if (!target.ok()) {
    SendProblem(response, 422, target.status().message());
    return std::nullopt;
  }
  return spec;
}

void SendBacktest(ServerContext& context, const httplib::Request& request,
                  httplib::Response& response, int64_t project_id, const MonitorSpec& spec) {
  Result<std::optional<int64_t>> from = TimeParam(request, "from");
  if (!from.ok()) return SendError(response, from.status());
  Result<std::optional<int64_t>> to = TimeParam(request, "to");
  if (!to.ok()) return SendError(response, to.status());
  int64_t end = to->value_or(context.clock->Now());
  int64_t start = from->value_or(end - 7 * 86400);
  if (start >= end) return SendProblem(response, 400, "'from' must be before 'to'");
  Result<BacktestResult> result =
      MonitorRunner::Backtest(*context.monitor_data, project_id, spec, start, end);
  if (!result.ok()) return SendError(response, result.status());
  std::map<std::string, json> series;
  for (const BacktestPoint& point : result->points) {
    const Verdict& verdict = point.verdict;
    json& points = series[point.subject];
    if (points.is_null()) points = json::array();
    points.push_back({{"t", FormatRfc3339(point.start)},
                      {"value", verdict.evaluated ? json(verdict.value) : json()},
                      {"expected", OptionalJson(verdict.expected)},
                      {"lower", OptionalJson(verdict.lower)},
                      {"upper", OptionalJson(verdict.upper)},
                      {"breached", verdict.breached},
                      {"evaluated", verdict.evaluated},
                      {"reason", verdict.reason}});
  }
  json fields = json::array();
  for (auto& [subject, points] : series) {
    fields.push_back({{"field", subject.empty() ? json() : json(subject)}, {"points", points}});
  }
  json alerts = json::array();
  int fired = 0;
  for (const AlertEvent& event : result->events) {
    fired += event.to == AlertState::kFiring;
    alerts.push_back({{"field", event.subject.empty() ? json() : json(event.subject)},
                      {"from", AlertStateName(event.from)},
                      {"to", AlertStateName(event.to)},
                      {"at", FormatRfc3339(event.at)},
                      {"value", OptionalJson(event.value)},
                      {"reason", event.reason}});
  }
  SendJson(response, 200,
           {{"monitor", MonitorSpecJson(spec)},
            {"from", FormatRfc3339(start)},
            {"to", FormatRfc3339(end)},
            {"fired", fired},
            {"transitions", alerts},
            {"series", fields}});
}

std::optional<MonitorRecord> MonitorInPath(ServerContext& context, const httplib::Request& request,
                                           httplib::Response& response, int64_t project_id) {
  Result<MonitorRecord> monitor = context.monitors->GetMonitor(project_id, PathId(request));
  if (!monitor.ok()) {
    SendError(response, monitor.status());
    return std::nullopt;
  }
  return *monitor;
}

}  // namespace

void SendSpecError(httplib::Response& response, const SpecError& error, std::string_view what) {
  std::string where = error.path.empty() ? "the " + std::string(what) : error.path;
  SendProblem(response, 422, where + ": " + error.message, {{"field", error.path}});
}

void RegisterMonitorRoutes(httplib::Server& server, ServerContext& context) {
  server.Post("/api/v1/monitors",
              [&context](const httplib::Request& request, httplib::Response& response) {
                auto principal = Authorize(context, request, response, Access::kAdmin);
                if (!principal) return;
                std::optional<MonitorSpec> spec =
                    SpecFromBody(context, request, response, principal->project_id);
                if (!spec) return;
                MonitorRecord record;
                record.project_id = principal->project_id;
                record.name = spec->name;
                record.spec_json = MonitorSpecJson(*spec).dump();
                record.created_at = record.updated_at = context.clock->Now();
                Result<MonitorRecord> created = context.monitors->CreateMonitor(record);
                if (!created.ok()) return SendError(response, created.status());
                Result<json> out = MonitorJson(context, *created);
                if (!out.ok()) return SendError(response, out.status());
                response.set_header("Location", fmt::format("/api/v1/monitors/{}", created->id));
                SendJson(response, 201, *out);
              });

  server.Get("/api/v1/monitors",
             [&context](const httplib::Request& request, httplib::Response& response) {
               auto principal = Authorize(context, request, response, Access::kRead);
               if (!principal) return;
               Result<std::vector<MonitorRecord>> monitors =
                   context.monitors->ListMonitors(principal->project_id);
               if (!monitors.ok()) return SendError(response, monitors.status());
               json list = json::array();
               for (const MonitorRecord& monitor : *monitors) {
                 Result<json> out = MonitorJson(context, monitor);
                 if (!out.ok()) return SendError(response, out.status());
                 list.push_back(std::move(*out));
               }
               SendJson(response, 200, {{"monitors", list}});
             });

  server.Get(kMonitorPath,
             [&context](const httplib::Request& request, httplib::Response& response) {
               auto principal = Authorize(context, request, response, Access::kRead);
               if (!principal) return;
               std::optional<MonitorRecord> monitor =
                   MonitorInPath(context, request, response, principal->project_id);
               if (!monitor) return;
               Result<json> out = MonitorJson(context, *monitor);
               if (!out.ok()) return SendError(response, out.status());
               SendJson(response, 200, *out);
             });

  server.Put(kMonitorPath,
             [&context](const httplib::Request& request, httplib::Response& response) {
               auto principal = Authorize(context, request, response, Access::kAdmin);
               if (!principal) return;
               std::optional<MonitorRecord> monitor =
                   MonitorInPath(context, request, response, principal->project_id);
               if (!monitor) return;
               std::optional<MonitorSpec> spec =
                   SpecFromBody(context, request, response, principal->project_id);
               if (!spec) return;
               monitor->name = spec->name;
               monitor->spec_json = MonitorSpecJson(*spec).dump();
               monitor->updated_at = context.clock->Now();
               monitor->evaluated_until = 0;
               Status updated = context.monitors->UpdateMonitor(*monitor);
               if (!updated.ok()) return SendError(response, updated);
               Result<json> out = MonitorJson(context, *monitor);
               if (!out.ok()) return SendError(response, out.status());
               SendJson(response, 200, *out);
             });

  server.Delete(
      kMonitorPath, [&context](const httplib::Request& request, httplib::Response& response) {
        auto principal = Authorize(context, request, response, Access::kAdmin);
        if (!principal) return;
        Status deleted = context.monitors->DeleteMonitor(principal->project_id, PathId(request));
        if (!deleted.ok()) return SendError(response, deleted);
        response.status = 204;
      });

  server.Post(R"(/api/v1/monitors/(\d+)/backtest)", [&context](const httplib::Request& request,
                                                               httplib::Response& response) {
    auto principal = Authorize(context, request, response, Access::kRead);
    if (!principal) return;
    std::optional<MonitorRecord> monitor =
        MonitorInPath(context, request, response, principal->project_id);
    if (!monitor) return;
    auto parsed = ParseMonitorSpec(json::parse(monitor->spec_json));
    SendBacktest(context, request, response, principal->project_id, std::get<MonitorSpec>(parsed));
  });

  server.Post("/api/v1/monitors/backtest",
              [&context](const httplib::Request& request, httplib::Response& response) {
                auto principal = Authorize(context, request, response, Access::kRead);
                if (!principal) return;
                std::optional<MonitorSpec> spec =
                    SpecFromBody(context, request, response, principal->project_id);
                if (!spec) return;
                SendBacktest(context, request, response, principal->project_id, *spec);
              });

  server.Get(
      "/api/v1/alerts", [&context](const httplib::Request& request, httplib::Response& response) {
        auto principal = Authorize(context, request, response, Access::kRead);
        if (!principal) return;
        std::vector<AlertState> wanted;
        std::stringstream states(Param(request, "state").value_or("firing,pending"));
        for (std::string name; std::getline(states, name, ',');) {
          std::optional<AlertState> state = ParseAlertState(name);
          if (!state) {
            return SendProblem(response, 400,
                               "state '" + name + "': one of firing, pending, resolved, inactive");
          }
          wanted.push_back(*state);
        }
        Result<std::vector<MonitorRecord>> monitors =
            context.monitors->ListMonitors(principal->project_id);
        if (!monitors.ok()) return SendError(response, monitors.status());
        json list = json::array();
        for (const MonitorRecord& monitor : *monitors) {
          Result<std::vector<AlertRecord>> alerts = context.monitors->Alerts(monitor.id);
          if (!alerts.ok()) return SendError(response, alerts.status());
          json spec = json::parse(monitor.spec_json);
          for (const AlertRecord& alert : *alerts) {
            if (std::find(wanted.begin(), wanted.end(), alert.status.state) == wanted.end())
              continue;
            json out = AlertJson(alert);
            out["monitor"] = {{"id", monitor.id},
                              {"name", monitor.name},
                              {"type", spec["type"]},
                              {"metric", spec["metric"]}};
            out["model"] = spec["model"];
            out["severity"] = spec["severity"];
            list.push_back(std::move(out));
          }
        }
        SendJson(response, 200, {{"alerts", list}});
      });

  server.Get("/api/v1/alerts/history",
             [&context](const httplib::Request& request, httplib::Response& response) {
               auto principal = Authorize(context, request, response, Access::kRead);
               if (!principal) return;
               std::optional<int64_t> monitor_id;
               size_t limit = 100;
               try {
                 if (auto monitor = Param(request, "monitor")) monitor_id = std::stoll(*monitor);
                 if (auto count = Param(request, "limit")) limit = std::stoul(*count);
               } catch (const std::exception&) {
                 return SendProblem(response, 400, "monitor and limit must be whole numbers");
               }
               if (limit == 0 || limit > kMaxHistory) {
                 return SendProblem(response, 400, fmt::format("limit: 1 to {}", kMaxHistory));
               }
               Result<std::vector<AlertEvent>> events =
                   context.monitors->Events(principal->project_id, monitor_id, limit);
               if (!events.ok()) return SendError(response, events.status());
               json list = json::array();
               for (const AlertEvent& event : *events) {
                 list.push_back({{"monitor_id", event.monitor_id},
                                 {"field", event.subject.empty() ? json() : json(event.subject)},
                                 {"from", AlertStateName(event.from)},
                                 {"to", AlertStateName(event.to)},
                                 {"at", FormatRfc3339(event.at)},
                                 {"value", OptionalJson(event.value)},
                                 {"reason", event.reason}});
               }
               SendJson(response, 200, {{"events", list}});
             });
}

}  // namespace telltale
