// Silences and maintenance windows (admin keys to change, read keys to list):
//   POST   /api/v1/silences        {"model", "monitor_id", "severity", "field", "duration": "2h" |
//                                   "starts_at", "ends_at", "comment", "kind": "silence" |
//                                   "maintenance"} -> 201
//   GET    /api/v1/silences[?all=true]   active and upcoming ones (all: expired too)
//   DELETE /api/v1/silences/{id}   ends it now
#include "ingest/row_decoder.h"
#include "notify/silence.h"
#include "server/routes.h"

namespace telltale {
namespace {

using nlohmann::json;

json SilenceJson(const SilenceRecord& silence, int64_t now) {
  json out = json::parse(silence.spec_json);
  out["id"] = silence.id;
  out["ends_at"] = FormatRfc3339(silence.ends_at);
  out["active"] = silence.starts_at <= now && now < silence.ends_at;
  out["created_at"] = FormatRfc3339(silence.created_at);
  return out;
}

}  // namespace

void RegisterSilenceRoutes(httplib::Server& server, ServerContext& context) {
  server.Post("/api/v1/silences",
              [&context](const httplib::Request& request, httplib::Response& response) {
                auto principal = Authorize(context, request, response, Access::kAdmin);
                if (!principal) return;
                Result<json> body = JsonBody(request);
                if (!body.ok()) return SendError(response, body.status());
                const int64_t now = context.clock->Now();
                auto parsed = ParseSilenceSpec(*body, now);
                if (const SpecError* error = std::get_if<SpecError>(&parsed)) {
                  return SendSpecError(response, *error, "silence");
                }
                const SilenceSpec& spec = std::get<SilenceSpec>(parsed);
                SilenceRecord record;
                record.project_id = principal->project_id;
                record.spec_json = SilenceSpecJson(spec).dump();
                record.starts_at = spec.starts_at;
                record.ends_at = spec.ends_at;
                record.created_at = now;
                Result<SilenceRecord> created = context.monitors->CreateSilence(record);
                if (!created.ok()) return SendError(response, created.status());
                SendJson(response, 201, SilenceJson(*created, now));
              });

  server.Get("/api/v1/silences",
             [&context](const httplib::Request& request, httplib::Response& response) {
               auto principal = Authorize(context, request, response, Access::kRead);
               if (!principal) return;
               const int64_t now = context.clock->Now();
               bool all = Param(request, "all").value_or("false") == "true";
               Result<std::vector<SilenceRecord>> silences =
                   context.monitors->Silences(principal->project_id, all ? 0 : now);
               if (!silences.ok()) return SendError(response, silences.status());
               json list = json::array();
               for (const SilenceRecord& silence : *silences)
                 list.push_back(SilenceJson(silence, now));
               SendJson(response, 200, {{"silences", list}});
             });

  server.Delete(R"(/api/v1/silences/(\d+))",
                [&context](const httplib::Request& request, httplib::Response& response) {
                  auto principal = Authorize(context, request, response, Access::kAdmin);
                  if (!principal) return;
                  Status expired = context.monitors->ExpireSilence(
                      principal->project_id, PathId(request), context.clock->Now());
                  if (!expired.ok()) return SendError(response, expired);
                  response.status = 204;
                });
}

}  // namespace telltale
