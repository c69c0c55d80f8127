// The web UI: the built files under ui_dir at /, hashed assets cached for good, everything else
// revalidated. Without a build, / says how to make one instead of a bare 404.
#include <filesystem>

#include "server/routes.h"

namespace telltale {
namespace {

constexpr const char* kSecurityPolicy =
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'";

constexpr const char* kNotBuilt =
    "<!doctype html><title>telltale</title><h1>telltale</h1>"
    "<p>The web UI is not built. Run <code>make build</code> (or set <code>ui_dir</code> to a "
    "built <code>web/dist</code>). The REST API is at <code>/api/v1</code>.</p>";

}  // namespace

void RegisterUiRoutes(httplib::Server& server, ServerContext& context) {
  const std::string& dir = context.config.ui_dir;
  std::error_code error;
  if (dir.empty() || !std::filesystem::is_regular_file(dir + "/index.html", error)) {
    server.Get("/", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(kNotBuilt, "text/html; charset=utf-8");
    });
    return;
  }
  server.set_mount_point("/", dir);
  server.set_file_request_handler([](const httplib::Request& request, httplib::Response& response) {
    const bool hashed = request.path.rfind("/assets/", 0) == 0;
    response.set_header("Cache-Control",
                        hashed ? "public, max-age=31536000, immutable" : "no-cache");
    response.set_header("Content-Security-Policy", kSecurityPolicy);
    response.set_header("X-Content-Type-Options", "nosniff");
  });
}

}  // namespace telltale
