// The HTTP routes, one file per resource. Each Register* adds its handlers to the server.
#ifndef TELLTALE_SERVER_ROUTES_H_
#define TELLTALE_SERVER_ROUTES_H_

#include <httplib.h>

#include <optional>
#include <string>

#include "monitor/monitor_spec.h"
#include "server/http_util.h"
#include "server/server_context.h"

namespace telltale {

void RegisterHealthRoutes(httplib::Server& server, ServerContext& context);
void RegisterKeyRoutes(httplib::Server& server, ServerContext& context);
void RegisterModelRoutes(httplib::Server& server, ServerContext& context);
void RegisterIngestRoutes(httplib::Server& server, ServerContext& context);
void RegisterQueryRoutes(httplib::Server& server, ServerContext& context);
void RegisterMonitorRoutes(httplib::Server& server, ServerContext& context);
void RegisterChannelRoutes(httplib::Server& server, ServerContext& context);
void RegisterSilenceRoutes(httplib::Server& server, ServerContext& context);
void RegisterUiRoutes(httplib::Server& server, ServerContext& context);

// 422 for a definition (monitor, channel, silence) that is invalid: the detail starts with the
// field's path, also given as "field".
void SendSpecError(httplib::Response& response, const SpecError& error, std::string_view what);

// The numeric id matched first in the path, or 0 (which no record has) when it does not fit.
int64_t PathId(const httplib::Request& request);

struct ResolvedVersion {
  ModelRecord model;
  VersionRecord version;
};
// The model and version named in the path, within the caller's project. NotFound names which is
// missing (another project's model is simply not found).
Result<ResolvedVersion> ResolveVersion(ServerContext& context, const Principal& principal,
                                       const std::string& model, const std::string& version);

// Authorizes the request for `access` and resolves the model in its path; on failure sends the
// problem and returns nothing.
std::optional<ModelRecord> AuthorizedModel(ServerContext& context, const httplib::Request& request,
                                           httplib::Response& response, Access access);

// Authorizes the request for `access` and resolves the model and version in its path; on failure
// sends the problem and returns nothing.
std::optional<ResolvedVersion> AuthorizedVersion(ServerContext& context,
                                                 const httplib::Request& request,
                                                 httplib::Response& response, Access access);

// Path patterns.
inline constexpr const char* kModelPath = R"(/api/v1/models/([^/]+))";
inline constexpr const char* kVersionPath = R"(/api/v1/models/([^/]+)/versions/([^/]+))";

}  // namespace telltale

#endif  // TELLTALE_SERVER_ROUTES_H_
