// Queries over window profiles; each takes from, to (RFC 3339; default: the last 24 hours, rounded
// out to whole hours) and an optional segment:
//   GET .../versions/{version}/summary
//   GET .../versions/{version}/drift?[baseline=training|validation|range&baseline_from&baseline_to]
//                                    [&method=M][&threshold=T]
//   GET .../versions/{version}/metrics?field=F&metric=M&granularity=hour|day|week
//   GET .../versions/{version}/distribution?field=F
#include <map>

#include "check/run_check.h"
#include "performance/estimation.h"
#include "performance/task_metrics.h"
#include "query/time_buckets.h"
#include "query/window_metrics.h"
#include "report/json_report.h"
#include "server/routes.h"

namespace telltale {
namespace {

struct QueryScope {
  ResolvedVersion resolved;
  std::shared_ptr<const VersionSchema> schema;
  uint32_t segment = 0;
  std::string segment_name;
  int64_t from = 0;
  int64_t to = 0;
};

int64_t FirstHour(int64_t from) { return HourOf(from); }
int64_t EndHour(int64_t to) { return HourOf(to - 1) + 1; }

// Sends the error and returns nothing when the request does not name a valid scope.
std::optional<QueryScope> Scope(ServerContext& context, const httplib::Request& request,
                                httplib::Response& response) {
  std::optional<ResolvedVersion> resolved =
      AuthorizedVersion(context, request, response, Access::kRead);
  if (!resolved) return std::nullopt;
  auto fail = [&](const Status& status) -> std::optional<QueryScope> {
    SendError(response, status);
    return std::nullopt;
  };
  QueryScope scope;
  scope.resolved = std::move(*resolved);
  scope.schema = context.windows->Schema(scope.resolved.version.id);
  if (!scope.schema) return fail(Status::NotFound("version data not loaded"));
  Result<std::optional<int64_t>> from = TimeParam(request, "from");
  if (!from.ok()) return fail(from.status());
  Result<std::optional<int64_t>> to = TimeParam(request, "to");
  if (!to.ok()) return fail(to.status());
  scope.to = to->value_or(context.clock->Now());
  scope.from = from->value_or(scope.to - 86400);
  if (scope.from >= scope.to) {
    return fail(Status::InvalidArgument("'from' must be before 'to'"));
  }
  if (std::optional<std::string> segment = Param(request, "segment")) {
    Result<uint32_t> series = scope.schema->SegmentSeries(*segment);
    if (!series.ok()) return fail(series.status());
    scope.segment = *series;
    scope.segment_name = *segment;
  }
  return scope;
}

// The merged window of a series over [from_hour, to_hour), with the profiles of the selected
// fields (the others are left empty).
Result<WindowProfile> Merge(ServerContext& context, const QueryScope& scope,
                            Environment environment, int64_t from_hour, int64_t to_hour,
                            const FieldSelection& fields = FieldSelection::All()) {
  WindowProfile merged(*scope.schema);
  TELLTALE_RETURN_IF_ERROR(context.windows->Visit(
      scope.resolved.version.id, environment, scope.segment, from_hour, to_hour,
      LiveWindows::Span::kAny, [&](int64_t, const WindowProfile& window) { merged.Merge(window); },
      fields));
  return merged;
}

Result<WindowProfile> Current(ServerContext& context, const QueryScope& scope,
                              const FieldSelection& fields = FieldSelection::All()) {
  return Merge(context, scope, Environment::kProduction, FirstHour(scope.from), EndHour(scope.to),
               fields);
}

// The baseline named by ?baseline= (training by default), and its description.
Result<std::pair<WindowProfile, std::string>> Baseline(ServerContext& context,
                                                       const QueryScope& scope,
                                                       const httplib::Request& request) {
  std::string kind = Param(request, "baseline").value_or("training");
  if (kind == "training" || kind == "validation") {
    Environment environment =
        kind == "training" ? Environment::kTraining : Environment::kValidation;
    TELLTALE_ASSIGN_OR_RETURN(WindowProfile baseline, Merge(context, scope, environment, 0, 1));
    if (baseline.profile().rows() == 0) {
      return Status::NotFound("the version has no " + kind + " baseline; POST rows to .../" + kind +
                              " or use baseline=range");
    }
    return std::make_pair(std::move(baseline), kind);
  }
  if (kind != "range") {
    return Status::InvalidArgument("baseline '" + kind + "': one of training, validation, range");
  }
  TELLTALE_ASSIGN_OR_RETURN(std::optional<int64_t> from, TimeParam(request, "baseline_from"));
  TELLTALE_ASSIGN_OR_RETURN(std::optional<int64_t> to, TimeParam(request, "baseline_to"));
  if (!from || !to || *from >= *to) {
    return Status::InvalidArgument(
        "baseline=range needs baseline_from and baseline_to, the first before the second");
  }
  TELLTALE_ASSIGN_OR_RETURN(WindowProfile baseline, Merge(context, scope, Environment::kProduction,
                                                          FirstHour(*from), EndHour(*to)));
  return std::make_pair(std::move(baseline),
                        "range " + FormatRfc3339(*from) + " to " + FormatRfc3339(*to));
}

Schema DriftSchema(const VersionSchema& version_schema) {
  Schema schema;
  for (const FieldSpec& field : version_schema.fields()) {
    schema.types[field.name] = DriftType(field.type);
    if (field.role == FieldRole::kPrediction) schema.predictions.push_back(field.name);
    if (field.role == FieldRole::kActual && !schema.target) schema.target = field.name;
  }
  return schema;
}

nlohmann::json ScopeJson(const QueryScope& scope) {
  return {{"model", scope.resolved.model.name},
          {"version", scope.resolved.version.version},
          {"segment",
           scope.segment_name.empty() ? nlohmann::json() : nlohmann::json(scope.segment_name)},
          {"from", FormatRfc3339(FirstHour(scope.from) * kWindowSeconds)},
          {"to", FormatRfc3339(EndHour(scope.to) * kWindowSeconds)}};
}

Result<CheckReport> Drift(const QueryScope& scope, const WindowProfile& baseline,
                          const WindowProfile& current, const std::string& baseline_name,
                          const CheckOptions& options) {
  Schema schema = DriftSchema(*scope.schema);
  CheckInputs inputs;
  inputs.reference_profile = &baseline.profile();
  inputs.reference_source = baseline_name;
  inputs.current_profile = &current.profile();
  inputs.current_source = "production";
  inputs.schema = &schema;
  return RunCheck(inputs, options);
}

void HandleSummary(ServerContext& context, const httplib::Request& request,
                   httplib::Response& response) {
  std::optional<QueryScope> scope = Scope(context, request, response);
  if (!scope) return;
  Result<WindowProfile> current = Current(context, *scope);
  if (!current.ok()) return SendError(response, current.status());
  size_t windows = 0;
  Status visited = context.windows->Visit(
      scope->resolved.version.id, Environment::kProduction, scope->segment, FirstHour(scope->from),
      EndHour(scope->to), LiveWindows::Span::kHours,
      [&](int64_t, const WindowProfile& window) { windows += !window.empty(); },
      FieldSelection::Only({}));
  if (!visited.ok()) return SendError(response, visited);
  nlohmann::json missing = nlohmann::json::object();
  for (const auto& [name, field] : current->profile().fields()) missing[name] = field.missing();
  const WindowIntegrity& integrity = current->integrity();
  nlohmann::json json = ScopeJson(*scope);
  json["rows"] = current->profile().rows();
  json["windows"] = windows;
  bool any = current->profile().rows() > 0;
  json["first_event"] = any ? nlohmann::json(FormatRfc3339(current->first_event())) : nullptr;
  json["last_event"] = any ? nlohmann::json(FormatRfc3339(current->last_event())) : nullptr;
  json["integrity"] = {{"rejected_rows", integrity.rejected_rows},
                       {"duplicate_ids", integrity.duplicate_ids},
                       {"missing_values", missing},
                       {"type_errors", integrity.type_errors},
                       {"unknown_fields", integrity.unknown_fields}};
  nlohmann::json baselines = nlohmann::json::object();
  for (Environment environment : {Environment::kTraining, Environment::kValidation}) {
    Result<WindowProfile> baseline = Merge(context, *scope, environment, 0, 1);
    if (!baseline.ok()) return SendError(response, baseline.status());
    baselines[std::string(EnvironmentName(environment))] = {{"rows", baseline->profile().rows()}};
  }
  json["baselines"] = baselines;
  SendJson(response, 200, json);
}

void HandleDrift(ServerContext& context, const httplib::Request& request,
                 httplib::Response& response) {
  std::optional<QueryScope> scope = Scope(context, request, response);
  if (!scope) return;
  auto baseline = Baseline(context, *scope, request);
  if (!baseline.ok()) return SendError(response, baseline.status());
  Result<WindowProfile> current = Current(context, *scope);
  if (!current.ok()) return SendError(response, current.status());
  CheckOptions options;
  options.method = Param(request, "method");
  if (std::optional<std::string> threshold = Param(request, "threshold")) {
    char* end = nullptr;
    double value = std::strtod(threshold->c_str(), &end);
    if (end == threshold->c_str() || *end != '\0' || !std::isfinite(value)) {
      return SendProblem(response, 400, "query parameter 'threshold': not a number");
    }
    options.threshold = value;
  }
  Result<CheckReport> report = Drift(*scope, baseline->first, *current, baseline->second, options);
  if (!report.ok()) return SendError(response, report.status());
  nlohmann::json json = nlohmann::json::parse(FormatJsonReport(*report));
  json.erase("integrity");
  json.update(ScopeJson(*scope));
  json["baseline"] = baseline->second;
  SendJson(response, 200, json);
}

// The field named by ?field=, or null for none; sends 404 for an unknown name.
bool FieldParam(const QueryScope& scope, const httplib::Request& request,
                httplib::Response& response, const FieldSpec*& field, bool required) {
  field = nullptr;
  std::optional<std::string> name = Param(request, "field");
  if (!name) {
    if (required) SendProblem(response, 400, "query parameter 'field' is required");
    return !required;
  }
  int index = scope.schema->FindField(*name);
  if (index < 0) {
    SendProblem(response, 404, "field '" + *name + "' is not in the version's schema");
    return false;
  }
  field = &scope.schema->fields()[static_cast<size_t>(index)];
  return true;
}

// The scope's production windows merged into buckets of ?granularity= (hour, day, week in the
// model's time zone), keyed by bucket start.
Result<std::map<int64_t, WindowProfile>> Buckets(ServerContext& context, const QueryScope& scope,
                                                 const httplib::Request& request,
                                                 const FieldSelection& fields) {
  TELLTALE_ASSIGN_OR_RETURN(Granularity granularity,
                            ParseGranularity(Param(request, "granularity").value_or("hour")));
  TELLTALE_ASSIGN_OR_RETURN(const date::time_zone* zone,
                            FindTimeZone(scope.resolved.model.timezone));
  // Days and weeks of the model's zone are made of its days: their rollups stand for their hours.
  std::map<int64_t, WindowProfile> buckets;
  TELLTALE_RETURN_IF_ERROR(context.windows->Visit(
      scope.resolved.version.id, Environment::kProduction, scope.segment, FirstHour(scope.from),
      EndHour(scope.to),
      granularity == Granularity::kHour ? LiveWindows::Span::kHours : LiveWindows::Span::kAny,
      [&](int64_t hour, const WindowProfile& window) {
        int64_t start = BucketStart(hour * kWindowSeconds, granularity, zone);
        auto [it, inserted] = buckets.try_emplace(start, window);
        if (!inserted) it->second.Merge(window);
      },
      fields, DayCalendar(zone).zone_name()));
  return buckets;
}

void HandleMetrics(ServerContext& context, const httplib::Request& request,
                   httplib::Response& response) {
  std::optional<QueryScope> scope = Scope(context, request, response);
  if (!scope) return;
  const FieldSpec* field = nullptr;
  if (!FieldParam(*scope, request, response, field, false)) return;
  std::optional<std::string> metric_name = Param(request, "metric");
  if (!metric_name) return SendProblem(response, 400, "query parameter 'metric' is required");
  Result<MetricSpec> metric = ParseMetric(*metric_name, field);
  if (!metric.ok()) return SendError(response, metric.status());
  std::optional<WindowProfile> baseline;
  if (metric->needs_baseline) {
    auto found = Baseline(context, *scope, request);
    if (!found.ok()) return SendError(response, found.status());
    baseline = std::move(found->first);
  }
  Result<std::map<int64_t, WindowProfile>> buckets =
      Buckets(context, *scope, request,
              FieldSelection::Only(field ? std::vector<std::string>{field->name}
                                         : std::vector<std::string>{}));
  if (!buckets.ok()) return SendError(response, buckets.status());
  nlohmann::json points = nlohmann::json::array();
  for (const auto& [start, window] : *buckets) {
    std::optional<double> value =
        ComputeMetric(*metric, window, field, baseline ? &*baseline : nullptr);
    points.push_back({{"t", FormatRfc3339(start)},
                      {"value", value ? nlohmann::json(*value) : nlohmann::json()},
                      {"rows", window.profile().rows()}});
  }
  nlohmann::json json = ScopeJson(*scope);
  json["field"] = field ? nlohmann::json(field->name) : nlohmann::json();
  json["metric"] = metric->name;
  json["granularity"] = Param(request, "granularity").value_or("hour");
  json["timezone"] = scope->resolved.model.timezone;
  json["points"] = points;
  SendJson(response, 200, json);
}

void HandleDistribution(ServerContext& context, const httplib::Request& request,
                        httplib::Response& response) {
  std::optional<QueryScope> scope = Scope(context, request, response);
  if (!scope) return;
  const FieldSpec* field = nullptr;
  if (!FieldParam(*scope, request, response, field, true)) return;
  auto baseline = Baseline(context, *scope, request);
  if (!baseline.ok()) return SendError(response, baseline.status());
  Result<WindowProfile> current = Current(context, *scope, FieldSelection::Only({field->name}));
  if (!current.ok()) return SendError(response, current.status());
  CheckOptions options;
  options.columns = {field->name};
  Result<CheckReport> report = Drift(*scope, baseline->first, *current, baseline->second, options);
  if (!report.ok()) return SendError(response, report.status());
  nlohmann::json json = ScopeJson(*scope);
  json["field"] = field->name;
  json["type"] = FieldTypeName(field->type);
  json["baseline"] = baseline->second;
  const Distribution& chart = report->columns.at(0).distribution;
  if (!chart.edges.empty()) json["edges"] = chart.edges;
  if (!chart.labels.empty()) json["labels"] = chart.labels;
  json["baseline_shares"] = chart.reference;
  json["current_shares"] = chart.current;
  json["baseline_rows"] = baseline->first.profile().rows();
  json["current_rows"] = current->profile().rows();
  SendJson(response, 200, json);
}

// GET .../performance?metric=M&granularity&from&to&segment: a performance metric per bucket, from
// the actuals joined to the bucket's predictions. label_coverage is the share of predictions
// with an actual.
// The reference accumulator: the validation set's (else the training set's) where its rows
// carried actuals; nullopt when neither did.
using LabelledWindow = std::optional<std::pair<Environment, WindowProfile>>;
Result<LabelledWindow> LabelledBaseline(ServerContext& context, const QueryScope& scope) {
  for (Environment environment : {Environment::kValidation, Environment::kTraining}) {
    TELLTALE_ASSIGN_OR_RETURN(WindowProfile baseline, Merge(context, scope, environment, 0, 1));
    if (baseline.performance().labeled() > 0) {
      return LabelledWindow(std::make_pair(environment, std::move(baseline)));
    }
  }
  return LabelledWindow();
}

// A realized metric of a window (label_coverage: labelled share of its predictions), or null.
nlohmann::json Realized(std::string_view metric, const WindowProfile& window) {
  std::optional<double> value = PerformanceValue(metric, window, nullptr);
  if (!value) return nullptr;
  return *value;
}

// GET .../performance?metric=M&granularity&from&to&segment: a performance metric per bucket, from
// the actuals joined to the bucket's predictions; estimated_* metrics from the calibrated scores
// of all its predictions, with a 95% band and the realized value next to them.
void HandlePerformance(ServerContext& context, const httplib::Request& request,
                       httplib::Response& response) {
  std::optional<QueryScope> scope = Scope(context, request, response);
  if (!scope) return;
  std::optional<std::string> metric = Param(request, "metric");
  if (!metric) return SendProblem(response, 400, "query parameter 'metric' is required");
  Status defined = CheckPerformanceMetric(*metric, scope->resolved.model.task);
  if (!defined.ok()) return SendProblem(response, 400, defined.message());
  const bool estimated = IsEstimatedMetric(*metric);
  auto baseline = LabelledBaseline(context, *scope);
  if (!baseline.ok()) return SendError(response, baseline.status());
  std::optional<Calibration> calibration;
  if (estimated) {
    if (*baseline) calibration = Calibration::Fit((*baseline)->second.performance());
    if (!calibration) {
      return SendProblem(response, 422,
                         "estimating performance needs a validation (or training) set logged "
                         "with scores and actuals of both classes");
    }
  }
  // The realized metric an estimate stands for: estimated_f1 -> f1.
  std::string realized =
      estimated ? metric->substr(std::string_view("estimated_").size()) : *metric;
  Result<std::map<int64_t, WindowProfile>> buckets =
      Buckets(context, *scope, request, FieldSelection::Only({}));
  if (!buckets.ok()) return SendError(response, buckets.status());
  nlohmann::json points = nlohmann::json::array();
  for (const auto& [start, window] : *buckets) {
    nlohmann::json point = {{"t", FormatRfc3339(start)},
                            {"rows", window.profile().rows()},
                            {"labeled", window.performance().labeled()}};
    if (estimated) {
      std::optional<Estimate> estimate =
          EstimateMetric(*metric, window.performance(), *calibration);
      point["value"] = estimate ? nlohmann::json(estimate->value) : nlohmann::json();
      point["lower"] = estimate ? nlohmann::json(estimate->lower) : nlohmann::json();
      point["upper"] = estimate ? nlohmann::json(estimate->upper) : nlohmann::json();
      point["realized"] = Realized(realized, window);
    } else {
      point["value"] = Realized(realized, window);
    }
    points.push_back(std::move(point));
  }
  nlohmann::json reference;
  if (*baseline) {
    reference = {{"baseline", EnvironmentName((*baseline)->first)},
                 {"value", Realized(realized, (*baseline)->second)},
                 {"labeled", (*baseline)->second.performance().labeled()}};
  }
  nlohmann::json json = ScopeJson(*scope);
  json["metric"] = *metric;
  json["reference"] = reference;
  json["granularity"] = Param(request, "granularity").value_or("hour");
  json["timezone"] = scope->resolved.model.timezone;
  json["points"] = points;
  SendJson(response, 200, json);
}

// GET .../confusion_matrix?from&to&segment: counts[actual][predicted] over the range.
void HandleConfusionMatrix(ServerContext& context, const httplib::Request& request,
                           httplib::Response& response) {
  std::optional<QueryScope> scope = Scope(context, request, response);
  if (!scope) return;
  const std::string& task = scope->resolved.model.task;
  if (task != "binary_classification" && task != "multiclass_classification") {
    return SendProblem(response, 400,
                       "a confusion matrix is for classification models; '" +
                           scope->resolved.model.name + "' is a " + task + " model");
  }
  Result<WindowProfile> current = Current(context, *scope, FieldSelection::Only({}));
  if (!current.ok()) return SendError(response, current.status());
  PerformanceAccumulator::ConfusionMatrix matrix = current->performance().Confusion();
  nlohmann::json json = ScopeJson(*scope);
  json["labels"] = matrix.labels;
  json["matrix"] = matrix.counts;
  json["labeled"] = current->performance().labeled();
  SendJson(response, 200, json);
}

}  // namespace

void RegisterQueryRoutes(httplib::Server& server, ServerContext& context) {
  using Handler = void (*)(ServerContext&, const httplib::Request&, httplib::Response&);
  const std::pair<const char*, Handler> kQueries[] = {
      {"/summary", HandleSummary},         {"/drift", HandleDrift},
      {"/metrics", HandleMetrics},         {"/distribution", HandleDistribution},
      {"/performance", HandlePerformance}, {"/confusion_matrix", HandleConfusionMatrix}};
  for (const auto& [suffix, handler] : kQueries) {
    Handler handle = handler;
    server.Get(std::string(kVersionPath) + suffix,
               [&context, handle](const httplib::Request& request, httplib::Response& response) {
                 CountRequestAs(RouteGroup::kQuery);
                 handle(context, request, response);
               });
  }
}

}  // namespace telltale
