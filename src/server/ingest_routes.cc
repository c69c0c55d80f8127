// Ingestion:
//   POST /api/v1/models/{model}/versions/{version}/predictions   production rows
//   POST /api/v1/models/{model}/versions/{version}/training      the training baseline
//   POST /api/v1/models/{model}/versions/{version}/validation    the validation baseline
// Bodies: {"rows": [...]} as application/json, application/x-ndjson, or text/csv (a header row;
// id and timestamp columns optional); Content-Encoding gzip.
// ?atomic=true: all rows or none (422 listing every reason). ?replace=true (baselines): these
// rows replace the baseline instead of adding to it.
//   POST /api/v1/models/{model}/versions/{version}/profiles?window_start=T[&environment=E]
//        [&segment=S][&upload_id=U]   a profile computed elsewhere, as `telltale profile` writes it
#include <algorithm>

#include "ingest/column_decoder.h"
#include "server/routes.h"

namespace telltale {
namespace {

nlohmann::json RejectedJson(const std::vector<Rejection>& rejected) {
  nlohmann::json list = nlohmann::json::array();
  for (const Rejection& rejection : rejected) {
    nlohmann::json item = {{"index", rejection.index},
                           {"reason", rejection.message},
                           {"code", RejectReasonName(rejection.reason)}};
    item["id"] = rejection.id.empty() ? nlohmann::json() : nlohmann::json(rejection.id);
    list.push_back(std::move(item));
  }
  return list;
}

// Reads the whole body; sends 413 or 400 and returns false when it cannot.
bool ReadBody(ServerContext& context, const httplib::Request& request, httplib::Response& response,
              const httplib::ContentReader& read_body, std::string& body) {
  bool too_large = false;
  const uint64_t limit = context.config.max_body_bytes;
  // The declared length (of the compressed bytes, for gzip) sizes the buffer once instead of it
  // growing by copies; at most 8 MiB ahead of the bytes, whatever the header claims.
  constexpr uint64_t kMaxReserve = 8 << 20;
  body.reserve(
      std::min({request.get_header_value<uint64_t>("Content-Length"), limit, kMaxReserve}));
  bool read = read_body([&](const char* data, size_t length) {
    if (body.size() + length > limit) {
      too_large = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  // httplib refuses a Content-Length over its payload limit itself, setting 413.
  if (too_large || response.status == 413) {
    SendProblem(response, 413,
                "the body is larger than the limit of " + std::to_string(limit) +
                    " bytes (after decompression)");
    return false;
  }
  if (!read) {
    SendProblem(response, 400, "the body could not be read (truncated or bad gzip)");
    return false;
  }
  return true;
}

// Authorizes the request for writing and resolves its version, then reads the body. A request
// refused before its body is read whole (an unknown key or version, a body over the limit) has its
// connection closed after the answer, instead of buffering a stranger's body.
std::optional<ResolvedVersion> ReadAuthorized(ServerContext& context,
                                              const httplib::Request& request,
                                              httplib::Response& response,
                                              const httplib::ContentReader& read_body,
                                              std::string& body) {
  CountRequestAs(RouteGroup::kIngest);
  std::optional<ResolvedVersion> resolved =
      AuthorizedVersion(context, request, response, Access::kWrite);
  if (!resolved || !ReadBody(context, request, response, read_body, body)) {
    // Unread body bytes would be taken for the next request on this connection.
    context.close_after_response(request, response);
    return std::nullopt;
  }
  return resolved;
}

// A failed ingestion: a full disk is 507 with Retry-After; what does not fit the version is 422.
void SendIngestError(httplib::Response& response, const Status& status) {
  if (status.code() == StatusCode::kUnavailable) {
    response.set_header("Retry-After", "30");
    return SendProblem(response, 507, status.message());
  }
  SendError(response, status);
}

void HandleIngest(ServerContext& context, Environment environment, const httplib::Request& request,
                  httplib::Response& response, const httplib::ContentReader& read_body) {
  std::string body;
  std::optional<ResolvedVersion> resolved =
      ReadAuthorized(context, request, response, read_body, body);
  if (!resolved) return;

  std::string content_type = request.get_header_value("Content-Type");
  content_type = content_type.substr(0, content_type.find(';'));
  IngestRequest ingest;
  if (content_type == "application/x-ndjson" || content_type == "application/jsonl") {
    ingest.format = BodyFormat::kNdjson;
  } else if (content_type == "text/csv") {
    ingest.format = BodyFormat::kCsv;
  } else if (content_type == kColumnsContentType) {
    ingest.format = BodyFormat::kColumns;
  } else if (!content_type.empty() && content_type != "application/json") {
    return SendProblem(response, 415,
                       "Content-Type '" + content_type +
                           "' is not accepted; send application/json, application/x-ndjson, "
                           "text/csv or " +
                           std::string(kColumnsContentType));
  }
  ingest.version_id = resolved->version.id;
  ingest.environment = environment;
  ingest.body = body;
  ingest.atomic = Param(request, "atomic").value_or("false") == "true";
  ingest.replace = Param(request, "replace").value_or("false") == "true";
  Result<IngestResult> result = context.ingestor->Ingest(ingest);
  if (!result.ok()) return SendIngestError(response, result.status());
  if (result->refused) {
    return SendProblem(response, 422,
                       std::to_string(result->rejected.size()) +
                           " rows were rejected; with atomic=true nothing was accepted",
                       {{"accepted", 0}, {"rejected", RejectedJson(result->rejected)}});
  }
  SendJson(response, 200,
           {{"accepted", result->accepted}, {"rejected", RejectedJson(result->rejected)}});
}

void HandleProfile(ServerContext& context, const httplib::Request& request,
                   httplib::Response& response, const httplib::ContentReader& read_body) {
  std::string body;
  std::optional<ResolvedVersion> resolved =
      ReadAuthorized(context, request, response, read_body, body);
  if (!resolved) return;
  std::shared_ptr<const VersionSchema> schema = context.windows->Schema(resolved->version.id);
  if (!schema) return SendProblem(response, 404, "version data not loaded");

  ProfileRequest upload;
  upload.version_id = resolved->version.id;
  upload.profile = body;
  upload.upload_id = Param(request, "upload_id").value_or("");
  std::string environment = Param(request, "environment").value_or("production");
  if (environment == "training") {
    upload.environment = Environment::kTraining;
  } else if (environment == "validation") {
    upload.environment = Environment::kValidation;
  } else if (environment != "production") {
    return SendProblem(response, 400,
                       "query parameter 'environment': one of production, training, validation");
  }
  Result<std::optional<int64_t>> window_start = TimeParam(request, "window_start");
  if (!window_start.ok()) return SendError(response, window_start.status());
  if (upload.environment == Environment::kProduction) {
    if (!window_start->has_value()) {
      return SendProblem(response, 400,
                         "query parameter 'window_start' is required for production profiles");
    }
    upload.window_start = **window_start;
  }
  if (std::optional<std::string> segment = Param(request, "segment")) {
    Result<uint32_t> series = schema->SegmentSeries(*segment);
    if (!series.ok()) return SendError(response, series.status());
    upload.segment = *series;
  }
  Result<uint64_t> rows = context.ingestor->IngestProfile(upload);
  if (!rows.ok() && rows.status().code() == StatusCode::kInvalidArgument) {
    return SendProblem(response, 422, rows.status().message());
  }
  if (!rows.ok()) return SendIngestError(response, rows.status());
  SendJson(response, 200, {{"accepted_rows", *rows}});
}

// POST /api/v1/models/{model}/actuals: ground truth for the model's predictions, any version.
void HandleActuals(ServerContext& context, const httplib::Request& request,
                   httplib::Response& response, const httplib::ContentReader& read_body) {
  CountRequestAs(RouteGroup::kIngest);
  std::optional<ModelRecord> model = AuthorizedModel(context, request, response, Access::kWrite);
  std::string body;
  if (!model || !ReadBody(context, request, response, read_body, body)) {
    context.close_after_response(request, response);
    return;
  }
  std::string content_type = request.get_header_value("Content-Type");
  content_type = content_type.substr(0, content_type.find(';'));
  ActualsRequest actuals;
  actuals.ndjson = content_type == "application/x-ndjson" || content_type == "application/jsonl";
  if (!actuals.ndjson && !content_type.empty() && content_type != "application/json") {
    return SendProblem(response, 415,
                       "Content-Type '" + content_type +
                           "' is not accepted; send application/json or application/x-ndjson");
  }
  Result<std::vector<VersionRecord>> versions = context.control->ListVersions(model->id);
  if (!versions.ok()) return SendError(response, versions.status());
  std::sort(versions->begin(), versions->end(),
            [](const VersionRecord& a, const VersionRecord& b) { return a.id > b.id; });
  for (const VersionRecord& version : *versions) actuals.version_ids.push_back(version.id);
  actuals.model_id = model->id;
  actuals.body = body;
  Result<ActualsResult> result = context.ingestor->IngestActuals(actuals);
  if (!result.ok()) return SendIngestError(response, result.status());
  SendJson(response, 200,
           {{"accepted", result->joined + result->pending},
            {"joined", result->joined},
            {"corrected", result->corrected},
            {"pending", result->pending},
            {"rejected", RejectedJson(result->rejected)}});
}

}  // namespace

void RegisterIngestRoutes(httplib::Server& server, ServerContext& context) {
  const std::pair<const char*, Environment> kEndpoints[] = {
      {"/predictions", Environment::kProduction},
      {"/training", Environment::kTraining},
      {"/validation", Environment::kValidation}};
  for (const auto& [suffix, environment] : kEndpoints) {
    Environment env = environment;
    server.Post(std::string(kVersionPath) + suffix,
                [&context, env](const httplib::Request& request, httplib::Response& response,
                                const httplib::ContentReader& read_body) {
                  HandleIngest(context, env, request, response, read_body);
                });
  }
  server.Post(std::string(kModelPath) + "/actuals",
              [&context](const httplib::Request& request, httplib::Response& response,
                         const httplib::ContentReader& read_body) {
                HandleActuals(context, request, response, read_body);
              });
  server.Post(std::string(kVersionPath) + "/profiles",
              [&context](const httplib::Request& request, httplib::Response& response,
                         const httplib::ContentReader& read_body) {
                HandleProfile(context, request, response, read_body);
              });
}

}  // namespace telltale
