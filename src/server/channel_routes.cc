// Notification channels (admin keys):
//   POST   /api/v1/channels                       a channel (docs/alerts.md) -> 201
//   GET    /api/v1/channels                       the project's channels, secrets masked
//   DELETE /api/v1/channels/{id}
//   POST   /api/v1/channels/{id}/test             enqueues a test notification
//   GET    /api/v1/channels/{id}/notifications    the channel's outbox: delivered, pending, failed
#include <fmt/format.h>

#include <charconv>

#include "ingest/row_decoder.h"
#include "notify/channel_spec.h"
#include "notify/notifier.h"
#include "server/routes.h"

namespace telltale {
namespace {

using nlohmann::json;

constexpr const char* kChannelPath = R"(/api/v1/channels/(\d+))";

json ChannelJson(const ChannelRecord& channel) {
  json out = json::parse(channel.spec_json);
  auto parsed = ParseChannelSpec(out);
  if (const ChannelSpec* spec = std::get_if<ChannelSpec>(&parsed)) {
    out = ChannelSpecJson(*spec, false);
  }
  out["id"] = channel.id;
  out["created_at"] = FormatRfc3339(channel.created_at);
  return out;
}

json OutboxJson(const OutboxEntry& entry) {
  json payload = json::parse(entry.payload, nullptr, false);
  return {{"id", entry.id},
          {"dedup_key", entry.dedup_key},
          {"status", payload.is_object() ? payload.value("status", "") : ""},
          {"state", OutboxStateName(entry.state)},
          {"attempts", entry.attempts},
          {"next_attempt_at", FormatRfc3339(entry.next_attempt_at)},
          {"created_at", FormatRfc3339(entry.created_at)},
          {"delivered_at", entry.delivered_at ? json(FormatRfc3339(*entry.delivered_at)) : json()},
          {"last_error", entry.last_error}};
}

// The project's channel named by the path, or nothing after sending 404.
std::optional<ChannelRecord> ChannelInPath(ServerContext& context, const httplib::Request& request,
                                           httplib::Response& response, int64_t project_id) {
  Result<ChannelRecord> channel = context.monitors->GetChannel(PathId(request));
  if (!channel.ok() || channel->project_id != project_id) {
    SendProblem(response, 404, fmt::format("channel {} not found", request.matches[1].str()));
    return std::nullopt;
  }
  return *channel;
}

}  // namespace

int64_t PathId(const httplib::Request& request) {
  std::string text = request.matches[1];
  int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  return error == std::errc() && end == text.data() + text.size() ? id : 0;
}

void RegisterChannelRoutes(httplib::Server& server, ServerContext& context) {
  server.Post("/api/v1/channels", [&context](const httplib::Request& request,
                                             httplib::Response& response) {
    auto principal = Authorize(context, request, response, Access::kAdmin);
    if (!principal) return;
    Result<json> body = JsonBody(request);
    if (!body.ok()) return SendError(response, body.status());
    auto parsed = ParseChannelSpec(*body);
    if (const SpecError* error = std::get_if<SpecError>(&parsed)) {
      return SendSpecError(response, *error, "channel");
    }
    const ChannelSpec& spec = std::get<ChannelSpec>(parsed);
    if (spec.name.size() > 200) {
      return SendProblem(response, 422, "name: at most 200 characters", {{"field", "name"}});
    }
    // A receiver in a network it may not reach is refused now; one that does not resolve yet is
    // accepted (deliveries retry).
    Result<std::string> address = context.notifier->guard().Check(spec.url);
    if (!address.ok() && address.status().code() != StatusCode::kUnavailable) {
      return SendProblem(response, 422, "url: " + address.status().message(), {{"field", "url"}});
    }
    ChannelRecord record;
    record.project_id = principal->project_id;
    record.name = spec.name;
    record.spec_json = ChannelSpecJson(spec, true).dump();
    record.created_at = context.clock->Now();
    Result<ChannelRecord> created = context.monitors->CreateChannel(record);
    if (!created.ok()) return SendError(response, created.status());
    SendJson(response, 201, ChannelJson(*created));
  });

  server.Get("/api/v1/channels",
             [&context](const httplib::Request& request, httplib::Response& response) {
               auto principal = Authorize(context, request, response, Access::kAdmin);
               if (!principal) return;
               Result<std::vector<ChannelRecord>> channels =
                   context.monitors->ListChannels(principal->project_id);
               if (!channels.ok()) return SendError(response, channels.status());
               json list = json::array();
               for (const ChannelRecord& channel : *channels) list.push_back(ChannelJson(channel));
               SendJson(response, 200, {{"channels", list}});
             });

  server.Delete(
      kChannelPath, [&context](const httplib::Request& request, httplib::Response& response) {
        auto principal = Authorize(context, request, response, Access::kAdmin);
        if (!principal) return;
        Status deleted = context.monitors->DeleteChannel(principal->project_id, PathId(request));
        if (!deleted.ok()) return SendError(response, deleted);
        response.status = 204;
      });

  server.Post(R"(/api/v1/channels/(\d+)/test)", [&context](const httplib::Request& request,
                                                           httplib::Response& response) {
    auto principal = Authorize(context, request, response, Access::kAdmin);
    if (!principal) return;
    std::optional<ChannelRecord> channel =
        ChannelInPath(context, request, response, principal->project_id);
    if (!channel) return;
    int64_t now = context.clock->Now();
    json notification = {{"id", fmt::format("test-{}-{}", channel->id, now)},
                         {"status", "firing"},
                         {"severity", "info"},
                         {"monitor",
                          {{"id", 0},
                           {"name", "test notification"},
                           {"type", "test"},
                           {"metric", "none"},
                           {"description", "sent from POST .../test"}}},
                         {"model", "telltale"},
                         {"version", ""},
                         {"segment", nullptr},
                         {"window", {{"from", FormatRfc3339(now)}, {"to", FormatRfc3339(now)}}},
                         {"fields", json::array()},
                         {"labels", json::object()},
                         {"summary", "telltale test notification"}};
    OutboxEntry entry;
    entry.channel_id = channel->id;
    entry.dedup_key = notification["id"];
    entry.payload = notification.dump();
    entry.next_attempt_at = entry.created_at = now;
    Status queued = context.monitors->Enqueue(entry);
    if (!queued.ok()) return SendError(response, queued);
    context.notifier->Wake();
    SendJson(response, 202, {{"queued", entry.dedup_key}});
  });

  server.Get(R"(/api/v1/channels/(\d+)/notifications)", [&context](const httplib::Request& request,
                                                                   httplib::Response& response) {
    auto principal = Authorize(context, request, response, Access::kAdmin);
    if (!principal) return;
    std::optional<ChannelRecord> channel =
        ChannelInPath(context, request, response, principal->project_id);
    if (!channel) return;
    Result<std::vector<OutboxEntry>> entries = context.monitors->Notifications(channel->id);
    if (!entries.ok()) return SendError(response, entries.status());
    json list = json::array();
    for (const OutboxEntry& entry : *entries) list.push_back(OutboxJson(entry));
    SendJson(response, 200, {{"notifications", list}});
  });
}

}  // namespace telltale
