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
    StoreGauges store;
    store.size_bytes = context.data->SizeBytes();
    store.part_bytes = context.data->PartBytes();
    store.memory_bytes = context.data->MemoryBytes();
    store.open_windows = context.windows->open_windows();
    store.held_index_entries = context.data->HeldIdEntries();
    response.set_content(context.metrics->Render(context.ingestor->counters(), store),
                         "text/plain; version=0.0.4");
  });
  server.Get("/api/v1/openapi.yaml", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(std::string(OpenApiDocument()), "application/yaml");
  });
}

}  // namespace telltale
