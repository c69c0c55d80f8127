#include "server/http_util.h"

#include "ingest/row_decoder.h"
#include "server/api_keys.h"

namespace telltale {
namespace {

std::string_view TitleOf(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    case 507:
      return "Insufficient Storage";
    default:
      return status >= 500 ? "Server Error" : "Client Error";
  }
}

thread_local RouteGroup counted_route_group = RouteGroup::kOther;

}  // namespace

void CountRequestAs(RouteGroup group) { counted_route_group = group; }
RouteGroup CountedRouteGroup() { return counted_route_group; }

void OfferGzipOnly(httplib::Request& request) {
  auto offered = request.headers.find("Accept-Encoding");
  if (offered == request.headers.end()) return;
  bool gzip = offered->second.find("gzip") != std::string::npos;
  request.headers.erase("Accept-Encoding");
  if (gzip) request.headers.emplace("Accept-Encoding", "gzip");
}

void SendJson(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                       "application/json");
}

void SendProblem(httplib::Response& response, int status, std::string_view detail,
                 nlohmann::json extra) {
  nlohmann::json problem = std::move(extra);
  problem["type"] = "about:blank";
  problem["title"] = TitleOf(status);
  problem["status"] = status;
  problem["detail"] = detail;
  response.status = status;
  response.set_content(problem.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                       "application/problem+json");
}

int HttpStatusOf(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kUnsupported:
      return 415;
    default:
      return 500;
  }
}

void SendError(httplib::Response& response, const Status& status) {
  int http_status = HttpStatusOf(status);
  if (http_status == 503) response.set_header("Retry-After", "30");
  SendProblem(response, http_status, status.message());
}

std::optional<Principal> Authorize(ServerContext& context, const httplib::Request& request,
                                   httplib::Response& response, Access access) {
  std::string header = request.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) {
    response.set_header("WWW-Authenticate", "Bearer");
    SendProblem(response, 401, "missing API key: send \"Authorization: Bearer KEY\"");
    return std::nullopt;
  }
  Result<std::optional<ApiKeyRecord>> key = context.control->FindKeyByHash(
      HashKeySecret(std::string_view(header).substr(kBearer.size())));
  if (!key.ok()) {
    SendError(response, key.status());
    return std::nullopt;
  }
  if (!key->has_value()) {
    response.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    SendProblem(response, 401, "unknown or revoked API key");
    return std::nullopt;
  }
  const ApiKeyRecord& record = **key;
  bool allowed = record.role == Role::kAdmin ||
                 (access == Access::kRead && record.role == Role::kRead) ||
                 (access == Access::kWrite && record.role == Role::kWrite);
  if (!allowed) {
    static constexpr const char* kNeeds[] = {"read", "write", "admin"};
    SendProblem(response, 403,
                "this key has the role '" + std::string(RoleName(record.role)) +
                    "'; this request needs '" + kNeeds[static_cast<int>(access)] + "' or admin");
    return std::nullopt;
  }
  return Principal{record.project_id, record.id, record.role};
}

Result<nlohmann::json> JsonBody(const httplib::Request& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    // Parse again with exceptions for the position of the error.
    try {
      body = nlohmann::json::parse(request.body);
    } catch (const nlohmann::json::parse_error& error) {
      return Status::InvalidArgument(std::string("malformed JSON body: ") + error.what());
    }
  }
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  return body;
}

std::string StringMember(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::optional<std::string> Param(const httplib::Request& request, const std::string& name) {
  if (!request.has_param(name)) return std::nullopt;
  return request.get_param_value(name);
}

Result<std::optional<int64_t>> TimeParam(const httplib::Request& request, const std::string& name) {
  std::optional<std::string> text = Param(request, name);
  if (!text) return std::optional<int64_t>();
  Result<int64_t> time = ParseRfc3339(*text);
  if (!time.ok()) return time.status().WithContext("query parameter '" + name + "'");
  return std::optional<int64_t>(*time);
}

Status ValidateName(std::string_view what, std::string_view name) {
  bool valid = !name.empty() && name.size() <= 128;
  for (char c : name) {
    valid &= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '-';
  }
  if (valid) return Status::Ok();
  return Status::InvalidArgument(std::string(what) + " '" + std::string(name.substr(0, 200)) +
                                 "' must be 1 to 128 letters, digits, '.', '_' or '-'");
}

}  // namespace telltale
