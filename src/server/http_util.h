// Shared pieces of the HTTP handlers: problem+json errors (RFC 9457), JSON responses, API key
// authentication and role checks, and query parameters.
#ifndef TELLTALE_SERVER_HTTP_UTIL_H_
#define TELLTALE_SERVER_HTTP_UTIL_H_

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "server/server_context.h"
#include "server/server_metrics.h"
#include "store/control_store.h"
#include "telltale/result.h"

namespace telltale {

// What a key may do: read (queries), write (ingestion), admin (everything).
enum class Access { kRead, kWrite, kAdmin };

struct Principal {
  int64_t project_id = 0;
  int64_t key_id = 0;
  Role role = Role::kRead;
};

void SendJson(httplib::Response& response, int status, const nlohmann::json& body);

// Narrows a request's Accept-Encoding to gzip (or nothing), before routing. The HTTP library
// prefers brotli whenever a client offers it and compresses at brotli's highest quality: 120 ms
// for the UI's 100 KB script and tens of milliseconds for a large JSON answer, where gzip takes
// 3 ms for a body 10% larger. Browsers always offer brotli; curl and the SDK do not.
void OfferGzipOnly(httplib::Request& request);
// An application/problem+json body; `detail` names the field, row or limit.
void SendProblem(httplib::Response& response, int status, std::string_view detail,
                 nlohmann::json extra = nlohmann::json::object());
// The HTTP status for a failed Status, and the problem response.
int HttpStatusOf(const Status& status);
void SendError(httplib::Response& response, const Status& status);

// Checks the bearer key and its role; on failure sends 401 (no or unknown key) or 403 (a role
// that may not do this) and returns nothing.
std::optional<Principal> Authorize(ServerContext& context, const httplib::Request& request,
                                   httplib::Response& response, Access access);

// The body as a JSON object; InvalidArgument with the parser's position otherwise.
Result<nlohmann::json> JsonBody(const httplib::Request& request);
// The string member `key` of a JSON object, or "" when it is absent or not a string.
std::string StringMember(const nlohmann::json& object, const char* key);
// Optional RFC 3339 query parameter; InvalidArgument names it.
Result<std::optional<int64_t>> TimeParam(const httplib::Request& request, const std::string& name);
std::optional<std::string> Param(const httplib::Request& request, const std::string& name);

// The route group /metrics counts the current request in (its worker thread's): set by the
// pre-routing step from the path, refined by the ingest and query handlers.
void CountRequestAs(RouteGroup group);
RouteGroup CountedRouteGroup();

// Names of models and versions: 1 to 128 of letters, digits, '.', '_', '-'.
Status ValidateName(std::string_view what, std::string_view name);

}  // namespace telltale

#endif  // TELLTALE_SERVER_HTTP_UTIL_H_
