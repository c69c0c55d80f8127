// The model registry:
//   POST /api/v1/models  GET /api/v1/models  GET|PATCH|DELETE /api/v1/models/{model}
//   POST /api/v1/models/{model}/versions  GET /api/v1/models/{model}/versions[/{version}]
#include <date/tz.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "ingest/performance_spec.h"
#include "ingest/row_decoder.h"
#include "ingest/version_schema.h"
#include "io/table.h"
#include "query/time_buckets.h"
#include "server/routes.h"

namespace telltale {
namespace {

constexpr const char* kTasks[] = {"binary_classification", "multiclass_classification",
                                  "regression", "ranking"};

nlohmann::json ModelJson(const ModelRecord& model) {
  return {{"name", model.name},
          {"task", model.task},
          {"timezone", model.timezone},
          {"description", model.description},
          {"created_at", FormatRfc3339(model.created_at)},
          {"updated_at", FormatRfc3339(model.updated_at)}};
}

nlohmann::json VersionJson(const VersionRecord& version) {
  return {{"version", version.version},
          {"schema", nlohmann::json::parse(version.schema_json)},
          {"segments", nlohmann::json::parse(version.segments_json)},
          {"created_at", FormatRfc3339(version.created_at)}};
}

Status ValidateTask(const nlohmann::json& task) {
  if (task.is_string()) {
    for (const char* known : kTasks) {
      if (task.get<std::string>() == known) return Status::Ok();
    }
  }
  return Status::InvalidArgument(
      "task: one of binary_classification, multiclass_classification, regression, ranking");
}

Status ValidateTimezone(const nlohmann::json& timezone) {
  if (timezone.is_string()) {
    try {
      date::locate_zone(timezone.get<std::string>());
      return Status::Ok();
    } catch (const std::exception&) {
    }
  }
  return Status::InvalidArgument(
      "timezone: '" + (timezone.is_string() ? timezone.get<std::string>() : timezone.dump()) +
      "' is not an IANA time zone such as America/New_York");
}

Status ValidateDescription(const nlohmann::json& description) {
  if (description.is_string() && description.get<std::string>().size() <= 10000) {
    return Status::Ok();
  }
  return Status::InvalidArgument("description: a string of at most 10,000 characters");
}

// Keeps the day rollups of every version of the model in days of its time zone.
Status KeepDaysInModelZone(ServerContext& context, const ModelRecord& model) {
  TELLTALE_ASSIGN_OR_RETURN(const date::time_zone* zone, FindTimeZone(model.timezone));
  TELLTALE_ASSIGN_OR_RETURN(std::vector<VersionRecord> versions,
                            context.control->ListVersions(model.id));
  for (const VersionRecord& version : versions) {
    TELLTALE_RETURN_IF_ERROR(context.windows->SetDayZone(version.id, zone));
  }
  return Status::Ok();
}

// A version that declares actuals must declare one its task can compare predictions with.
Status CheckActuals(Task task, const VersionSchema& schema, const PerformanceSpec& spec) {
  bool declared =
      std::any_of(schema.fields().begin(), schema.fields().end(),
                  [](const FieldSpec& field) { return field.role == FieldRole::kActual; });
  if (!declared || !spec.actual_field().empty()) return Status::Ok();
  const char* wanted = task == Task::kRegression ? "a numeric actual"
                       : task == Task::kRanking
                           ? "a numeric or boolean actual (the relevance, a number >= 0)"
                           : "a boolean, categorical or numeric actual";
  return Status::InvalidArgument(std::string("schema.actuals: a model of this task compares its "
                                             "predictions with ") +
                                 wanted + "; none of the declared actuals is one");
}

// decision_threshold and positive_class are a binary model's, class_probabilities a multiclass
// model's; a boolean truth's positive class is true or false, a numeric truth's a number.
Status CheckTaskSettings(Task task, const VersionSchema& schema, const PerformanceSpec& spec) {
  if (!schema.class_probabilities().empty() && task != Task::kMulticlassClassification) {
    return Status::InvalidArgument(
        "schema.class_probabilities: only multiclass classification models have them");
  }
  const char* given = schema.decision_threshold() ? "decision_threshold"
                      : schema.positive_class()   ? "positive_class"
                                                  : nullptr;
  if (given == nullptr) return Status::Ok();
  if (task != Task::kBinaryClassification) {
    return Status::InvalidArgument(std::string("schema.") + given +
                                   ": only binary classification models have one");
  }
  const std::optional<std::string>& positive = schema.positive_class();
  const int actual = schema.FindField(FieldRole::kActual, spec.actual_field());
  if (!positive || actual < 0) return Status::Ok();
  const FieldType type = schema.fields()[static_cast<size_t>(actual)].type;
  if (type == FieldType::kBoolean && *positive != "true" && *positive != "false") {
    return Status::InvalidArgument("schema.positive_class: the actual " + spec.actual_field() +
                                   " is boolean, so its positive class is true or false");
  }
  char* end = nullptr;
  const double number = std::strtod(positive->c_str(), &end);
  const bool whole_number = end != positive->c_str() && *end == '\0' && std::isfinite(number);
  if (type == FieldType::kNumeric && (!whole_number || FormatNumber(number) != *positive)) {
    return Status::InvalidArgument(
        "schema.positive_class: the actual " + spec.actual_field() +
        " is numeric, so its positive class is a number in its shortest form (1, 0.5), not '" +
        *positive + "'");
  }
  return Status::Ok();
}

// Sends 422 for an invalid field and returns false.
bool Check(httplib::Response& response, const Status& status) {
  if (status.ok()) return true;
  SendProblem(response, 422, status.message());
  return false;
}

// Authorizes the request and loads the model named in its path; sends the problem otherwise.
}  // namespace

std::optional<ModelRecord> AuthorizedModel(ServerContext& context, const httplib::Request& request,
                                           httplib::Response& response, Access access) {
  auto principal = Authorize(context, request, response, access);
  if (!principal) return std::nullopt;
  Result<ModelRecord> model = context.control->GetModel(principal->project_id, request.matches[1]);
  if (!model.ok()) {
    SendError(response, model.status());
    return std::nullopt;
  }
  return std::move(*model);
}

std::optional<ResolvedVersion> AuthorizedVersion(ServerContext& context,
                                                 const httplib::Request& request,
                                                 httplib::Response& response, Access access) {
  auto principal = Authorize(context, request, response, access);
  if (!principal) return std::nullopt;
  Result<ResolvedVersion> resolved =
      ResolveVersion(context, *principal, request.matches[1], request.matches[2]);
  if (!resolved.ok()) {
    SendError(response, resolved.status());
    return std::nullopt;
  }
  return std::move(*resolved);
}

Result<ResolvedVersion> ResolveVersion(ServerContext& context, const Principal& principal,
                                       const std::string& model, const std::string& version) {
  ResolvedVersion resolved;
  TELLTALE_ASSIGN_OR_RETURN(resolved.model, context.control->GetModel(principal.project_id, model));
  Result<VersionRecord> found = context.control->GetVersion(resolved.model.id, version);
  if (!found.ok()) return found.status().WithContext("model '" + model + "'");
  resolved.version = std::move(*found);
  return resolved;
}

void RegisterModelRoutes(httplib::Server& server, ServerContext& context) {
  server.Post("/api/v1/models",
              [&context](const httplib::Request& request, httplib::Response& response) {
                auto principal = Authorize(context, request, response, Access::kAdmin);
                if (!principal) return;
                Result<nlohmann::json> body = JsonBody(request);
                if (!body.ok()) return SendError(response, body.status());
                ModelRecord model;
                model.project_id = principal->project_id;
                model.name = StringMember(*body, "name");
                if (!Check(response, ValidateName("name", model.name))) return;
                if (!Check(response, ValidateTask(body->value("task", nlohmann::json())))) return;
                model.task = (*body)["task"].get<std::string>();
                nlohmann::json timezone = body->value("timezone", nlohmann::json("UTC"));
                if (!Check(response, ValidateTimezone(timezone))) return;
                model.timezone = timezone.get<std::string>();
                nlohmann::json description = body->value("description", nlohmann::json(""));
                if (!Check(response, ValidateDescription(description))) return;
                model.description = description.get<std::string>();
                model.created_at = model.updated_at = context.clock->Now();
                Result<ModelRecord> created = context.control->CreateModel(model);
                if (!created.ok()) return SendError(response, created.status());
                SendJson(response, 201, ModelJson(*created));
              });

  server.Get("/api/v1/models", [&context](const httplib::Request& request,
                                          httplib::Response& response) {
    auto principal = Authorize(context, request, response, Access::kRead);
    if (!principal) return;
    Result<std::vector<ModelRecord>> models = context.control->ListModels(principal->project_id);
    if (!models.ok()) return SendError(response, models.status());
    nlohmann::json list = nlohmann::json::array();
    for (const ModelRecord& model : *models) list.push_back(ModelJson(model));
    SendJson(response, 200, {{"models", list}});
  });

  server.Get(kModelPath, [&context](const httplib::Request& request, httplib::Response& response) {
    std::optional<ModelRecord> model = AuthorizedModel(context, request, response, Access::kRead);
    if (!model) return;
    SendJson(response, 200, ModelJson(*model));
  });

  server.Patch(kModelPath, [&context](const httplib::Request& request,
                                      httplib::Response& response) {
    std::optional<ModelRecord> model = AuthorizedModel(context, request, response, Access::kAdmin);
    if (!model) return;
    Result<nlohmann::json> body = JsonBody(request);
    if (!body.ok()) return SendError(response, body.status());
    for (const auto& [key, value] : body->items()) {
      if (key == "task") {
        if (!Check(response, ValidateTask(value))) return;
        if (value.get<std::string>() != model->task) {
          // Versions join actuals and compute metrics by the task they were registered under.
          Result<std::vector<VersionRecord>> versions = context.control->ListVersions(model->id);
          if (!versions.ok()) return SendError(response, versions.status());
          if (!versions->empty()) {
            return SendProblem(response, 409,
                               "the task of model '" + model->name +
                                   "' cannot change once it has versions (their performance is "
                                   "computed by task); register a new model");
          }
        }
        model->task = value.get<std::string>();
      } else if (key == "timezone") {
        if (!Check(response, ValidateTimezone(value))) return;
        model->timezone = value.get<std::string>();
      } else if (key == "description") {
        if (!Check(response, ValidateDescription(value))) return;
        model->description = value.get<std::string>();
      } else {
        return SendProblem(response, 422,
                           "'" + key + "' cannot be changed; task, timezone and description can");
      }
    }
    model->updated_at = context.clock->Now();
    Status updated = context.control->UpdateModel(*model);
    if (!updated.ok()) return SendError(response, updated);
    // Daily and weekly series are days of the model's zone: its versions' day rollups follow it.
    Status days = KeepDaysInModelZone(context, *model);
    if (!days.ok()) return SendError(response, days);
    SendJson(response, 200, ModelJson(*model));
  });

  server.Delete(
      kModelPath, [&context](const httplib::Request& request, httplib::Response& response) {
        auto principal = Authorize(context, request, response, Access::kAdmin);
        if (!principal) return;
        Result<ModelRecord> model =
            context.control->GetModel(principal->project_id, request.matches[1]);
        if (!model.ok()) return SendError(response, model.status());
        Result<std::vector<VersionRecord>> versions = context.control->ListVersions(model->id);
        if (!versions.ok()) return SendError(response, versions.status());
        Status deleted = context.control->DeleteModel(model->id);
        if (!deleted.ok()) return SendError(response, deleted);
        for (const VersionRecord& version : *versions) {
          Status removed = context.windows->DeleteVersion(version.id);
          if (!removed.ok()) return SendError(response, removed);
        }
        Status pending = context.data->DeletePendingActuals(model->id);
        if (!pending.ok()) return SendError(response, pending);
        response.status = 204;
      });

  server.Post(std::string(kModelPath) + "/versions", [&context](const httplib::Request& request,
                                                                httplib::Response& response) {
    std::optional<ModelRecord> model = AuthorizedModel(context, request, response, Access::kAdmin);
    if (!model) return;
    Result<nlohmann::json> body = JsonBody(request);
    if (!body.ok()) return SendError(response, body.status());
    VersionRecord version;
    version.model_id = model->id;
    version.version = StringMember(*body, "version");
    if (!Check(response, ValidateName("version", version.version))) return;
    Result<VersionSchema> schema = VersionSchema::FromJson(
        body->value("schema", nlohmann::json()), body->value("segments", nlohmann::json()));
    if (!Check(response, schema.status())) return;
    Task task = ParseTask(model->task).value_or(Task::kBinaryClassification);
    if (task == Task::kRanking && schema->query_field() < 0) {
      return SendProblem(response, 422,
                         "schema.query_id: a ranking model's rows are grouped into queries by a "
                         "feature or raw field; name it here");
    }
    PerformanceSpec spec(task, *schema);
    if (!Check(response, CheckActuals(task, *schema, spec))) return;
    if (!Check(response, CheckTaskSettings(task, *schema, spec))) return;
    version.schema_json = schema->SchemaJson().dump();
    version.segments_json = schema->SegmentsJson().dump();
    version.created_at = context.clock->Now();
    Result<VersionRecord> created = context.control->CreateVersion(version);
    if (!created.ok()) return SendError(response, created.status());
    context.windows->AddVersion(created->id,
                                std::make_shared<const VersionSchema>(std::move(*schema)),
                                model->id, std::move(spec));
    Status days = KeepDaysInModelZone(context, *model);
    if (!days.ok()) return SendError(response, days);
    SendJson(response, 201, VersionJson(*created));
  });

  server.Get(std::string(kModelPath) + "/versions", [&context](const httplib::Request& request,
                                                               httplib::Response& response) {
    std::optional<ModelRecord> model = AuthorizedModel(context, request, response, Access::kRead);
    if (!model) return;
    Result<std::vector<VersionRecord>> versions = context.control->ListVersions(model->id);
    if (!versions.ok()) return SendError(response, versions.status());
    nlohmann::json list = nlohmann::json::array();
    for (const VersionRecord& version : *versions) list.push_back(VersionJson(version));
    SendJson(response, 200, {{"versions", list}});
  });

  server.Get(kVersionPath,
             [&context](const httplib::Request& request, httplib::Response& response) {
               auto principal = Authorize(context, request, response, Access::kRead);
               if (!principal) return;
               Result<ResolvedVersion> resolved =
                   ResolveVersion(context, *principal, request.matches[1], request.matches[2]);
               if (!resolved.ok()) return SendError(response, resolved.status());
               SendJson(response, 200, VersionJson(resolved->version));
             });
}

}  // namespace telltale
