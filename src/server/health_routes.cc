// GET /healthz, /readyz, /metrics and /api/v1/openapi.yaml — no key needed.
#include "server/openapi_document.h"
#include "server/routes.h"

namespace telltale {

void RegisterHealthRoutes(httplib::Server& server, ServerContext& context) {
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    SendJson(response, 200, {{"status", "ok"}});
  });
  server.Get("/readyz", [&context](const httplib::Request&, httplib::Response& response) {
    if (!context.ready) {
      SendProblem(response, 503, "the store is not open yet");
      return;
    }
    SendJson(response, 200, {{"status", "ready"}});
  });
  server.Get("/metrics", [&context](const httplib::Request&, httplib::Response& response) {
    response.set_content(
        context.metrics->Render(context.ingestor->counters(), context.data->SizeBytes(),
                                context.data->PartBytes(), context.windows->open_windows(),
                                context.data->HeldIdEntries()),
        "text/plain; version=0.0.4");
  });
  server.Get("/api/v1/openapi.yaml", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(std::string(OpenApiDocument()), "application/yaml");
  });
}

}  // namespace telltale
