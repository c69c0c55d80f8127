// telltale apply FILE.yaml: creates or updates the monitors and channels of a file (monitors as
// code). Everything is validated before anything is sent; errors name the file, line and field.
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <map>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "monitor/monitor_spec.h"
#include "monitor/monitors_file.h"

namespace telltale::cli {
namespace {

using nlohmann::json;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// What a refused request says: the field (a path in the definition) and the message.
std::pair<std::string, std::string> Problem(const httplib::Result& result) {
  if (!result) return {"", "cannot reach the server: " + httplib::to_string(result.error())};
  json problem = json::parse(result->body, nullptr, false);
  if (!problem.is_object()) return {"", "the server answered " + std::to_string(result->status)};
  std::string field = problem.value("field", "");
  std::string detail = problem.value("detail", problem.value("title", ""));
  if (!field.empty() && detail.rfind(field + ": ", 0) == 0) detail.erase(0, field.size() + 2);
  return {field, detail};
}

// The listing's entries by name, with what only the server adds removed.
Result<std::map<std::string, json>> Existing(httplib::Client& client, const std::string& path,
                                             const std::string& list) {
  httplib::Result result = client.Get(path);
  if (!result || result->status != 200) {
    return Status::Unavailable(path + ": " + Problem(result).second);
  }
  json body = json::parse(result->body, nullptr, false);
  std::map<std::string, json> out;
  if (!body.is_object() || !body[list].is_array()) return out;
  for (json item : body[list]) {
    std::string name = item.value("name", "");
    for (const char* key :
         {"created_at", "updated_at", "evaluated_until", "next_evaluation", "state", "alerts"}) {
      item.erase(key);
    }
    out[name] = std::move(item);
  }
  return out;
}

}  // namespace

ApplyCommand::ApplyCommand(CLI::App& app) {
  command_ = app.add_subcommand(
      "apply", "Create or update the monitors and channels of a YAML file (docs/monitors.md)");
  command_->add_option("file", file_, "Monitors file (YAML)")->required();
  command_->add_option("--url", url_,
                       "Server address (default: $TELLTALE_URL or "
                       "http://127.0.0.1:8080)");
  command_->add_option("--token", token_, "Admin API key (default: $TELLTALE_TOKEN)");
  command_->add_flag("--dry-run", dry_run_, "Only validate the file");
}

int ApplyCommand::Run() {
  Result<MonitorsFile> file = ReadMonitorsFile(file_);
  if (!file.ok()) return Fail(file.status());
  if (dry_run_) {
    std::printf("%s: %zu monitor(s) and %zu channel(s), all valid\n", file_.c_str(),
                file->monitors.size(), file->channels.size());
    return kExitOk;
  }
  std::string url = url_.empty() ? EnvOr("TELLTALE_URL", "http://127.0.0.1:8080") : url_;
  std::string token = token_.empty() ? EnvOr("TELLTALE_TOKEN", "") : token_;
  if (token.empty()) {
    return Fail(Status::InvalidArgument("apply needs an admin key: --token or TELLTALE_TOKEN"));
  }
  httplib::Client client(url);
  client.set_bearer_token_auth(token);
  client.set_connection_timeout(10);
  client.set_read_timeout(60);
  int refused = 0;
  auto report = [&](const FileEntry& entry, const std::string& what, const std::string& name,
                    const httplib::Result& result, int ok_status) {
    if (result && result->status == ok_status) {
      std::printf("%s %s: %s\n", what.c_str(), name.c_str(),
                  ok_status == 201 ? "created" : "updated");
      return;
    }
    auto [field, message] = Problem(result);
    std::fprintf(stderr, "telltale: %s\n", file->Locate(entry, field, message).c_str());
    ++refused;
  };

  Result<std::map<std::string, json>> channels = Existing(client, "/api/v1/channels", "channels");
  if (!channels.ok()) return Fail(channels.status());
  for (const FileEntry& entry : file->channels) {
    std::string name = entry.definition.value("name", "");
    if (channels->count(name)) {
      std::printf("channel %s: exists (channels are not changed; delete it to replace it)\n",
                  name.c_str());
      continue;
    }
    report(entry, "channel", name,
           client.Post("/api/v1/channels", entry.definition.dump(), "application/json"), 201);
  }

  Result<std::map<std::string, json>> monitors = Existing(client, "/api/v1/monitors", "monitors");
  if (!monitors.ok()) return Fail(monitors.status());
  for (const FileEntry& entry : file->monitors) {
    json wanted = MonitorSpecJson(std::get<MonitorSpec>(ParseMonitorSpec(entry.definition)));
    auto found = monitors->find(wanted["name"].get<std::string>());
    std::string name = wanted["name"];
    if (found == monitors->end()) {
      report(entry, "monitor", name,
             client.Post("/api/v1/monitors", entry.definition.dump(), "application/json"), 201);
      continue;
    }
    json current = found->second;
    int64_t id = current["id"].get<int64_t>();
    current.erase("id");
    if (current == wanted) {
      std::printf("monitor %s: unchanged\n", name.c_str());
      continue;
    }
    report(entry, "monitor", name,
           client.Put("/api/v1/monitors/" + std::to_string(id), entry.definition.dump(),
                      "application/json"),
           200);
  }
  return refused == 0 ? kExitOk : kExitUsage;
}

}  // namespace telltale::cli
