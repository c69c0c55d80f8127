#include "notify/render.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <ctime>

namespace telltale {
namespace {

using nlohmann::json;

std::string Text(const json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return fmt::format("{:.6g}", value.get<double>());
  return value.dump();
}

// "income: 0.21 (expected 0.02, allowed 0..0.05)" per field.
std::vector<std::string> FieldLines(const json& notification) {
  std::vector<std::string> lines;
  for (const json& field : notification["fields"]) {
    std::string name = field["field"].is_null() ? "model" : field["field"].get<std::string>();
    std::string line = fmt::format("{}: {}", name, Text(field["value"]));
    if (!field["expected"].is_null()) line += fmt::format(" (expected {}", Text(field["expected"]));
    if (!field["lower"].is_null() || !field["upper"].is_null()) {
      line += fmt::format("{}allowed {}..{}", field["expected"].is_null() ? " (" : ", ",
                          Text(field["lower"]), Text(field["upper"]));
    }
    if (!field["expected"].is_null() || !field["lower"].is_null() || !field["upper"].is_null()) {
      line += ")";
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string Title(const json& notification) {
  bool firing = notification["status"] == "firing";
  return fmt::format("[{}] {} — {} on model {} ({})", firing ? "FIRING" : "RESOLVED",
                     notification["monitor"]["name"].get<std::string>(),
                     notification["monitor"]["metric"].get<std::string>(),
                     notification["model"].get<std::string>(),
                     notification["severity"].get<std::string>());
}

std::string Details(const json& notification) {
  std::string text =
      fmt::format("Window {} to {}", notification["window"]["from"].get<std::string>(),
                  notification["window"]["to"].get<std::string>());
  if (!notification["segment"].is_null()) {
    text += ", segment " + notification["segment"].get<std::string>();
  }
  for (const std::string& line : FieldLines(notification)) text += "\n• " + line;
  return text;
}

json Slack(const json& notification) {
  std::string text = Title(notification) + "\n" + Details(notification);
  json blocks =
      json::array({{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", text}}}}});
  if (notification.contains("url")) {
    blocks.push_back(
        {{"type", "actions"},
         {"elements",
          json::array({{{"type", "button"},
                        {"text", {{"type", "plain_text"}, {"text", "Open in telltale"}}},
                        {"url", notification["url"]}}})}});
  }
  return {{"text", text}, {"blocks", blocks}};
}

json Teams(const json& notification) {
  json facts = json::array();
  for (const std::string& line : FieldLines(notification)) {
    size_t colon = line.find(':');
    facts.push_back({{"name", line.substr(0, colon)}, {"value", line.substr(colon + 2)}});
  }
  json card = {
      {"@type", "MessageCard"},
      {"@context", "https://schema.org/extensions"},
      {"summary", Title(notification)},
      {"themeColor", notification["status"] == "firing" ? "D13438" : "2EB886"},
      {"title", Title(notification)},
      {"text", fmt::format("Window {} to {}", notification["window"]["from"].get<std::string>(),
                           notification["window"]["to"].get<std::string>())},
      {"sections", json::array({{{"facts", facts}}})}};
  if (notification.contains("url")) {
    card["potentialAction"] = json::array(
        {{{"@type", "OpenUri"},
          {"name", "Open in telltale"},
          {"targets", json::array({{{"os", "default"}, {"uri", notification["url"]}}})}}});
  }
  return card;
}

// One Alertmanager alert per field; resolved alerts carry endsAt, so Alertmanager resolves them.
json Alertmanager(const json& notification) {
  json alerts = json::array();
  for (const json& field : notification["fields"]) {
    json labels = {{"alertname", notification["monitor"]["name"]},
                   {"model", notification["model"]},
                   {"version", notification["version"]},
                   {"severity", notification["severity"]},
                   {"monitor_id", std::to_string(notification["monitor"]["id"].get<int64_t>())},
                   {"source", "telltale"}};
    if (!field["field"].is_null()) labels["field"] = field["field"];
    if (!notification["segment"].is_null()) labels["segment"] = notification["segment"];
    for (const auto& [key, value] : notification["labels"].items()) labels[key] = value;
    json alert = {{"labels", labels},
                  {"annotations",
                   {{"summary", Title(notification)},
                    {"description", field["reason"]},
                    {"value", Text(field["value"])}}},
                  {"startsAt", notification["window"]["from"]}};
    if (notification["status"] == "resolved") alert["endsAt"] = notification["window"]["to"];
    if (notification.contains("url")) alert["generatorURL"] = notification["url"];
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

json PagerDuty(const ChannelSpec& channel, const json& notification) {
  std::string severity = notification["severity"].get<std::string>();
  json event = {
      {"routing_key", channel.routing_key},
      {"event_action", notification["status"] == "firing" ? "trigger" : "resolve"},
      // One incident per monitor and model: the resolve event closes what the trigger opened.
      {"dedup_key",
       fmt::format("telltale-monitor-{}-{}", notification["monitor"]["id"].get<int64_t>(),
                   notification["model"].get<std::string>())},
      {"payload",
       {{"summary", Title(notification)},
        {"source", "telltale/" + notification["model"].get<std::string>()},
        {"severity", severity == "critical" ? "critical"
                     : severity == "info"   ? "info"
                                            : "warning"},
        {"timestamp", notification["window"]["to"]},
        {"custom_details",
         {{"fields", notification["fields"]}, {"window", notification["window"]}}}}}};
  if (notification.contains("url")) {
    event["links"] = json::array({{{"href", notification["url"]}, {"text", "Open in telltale"}}});
  }
  return event;
}

std::string Email(const ChannelSpec& channel, const json& notification, int64_t now) {
  std::string to;
  for (const std::string& address : channel.to) to += (to.empty() ? "" : ", ") + address;
  std::string body = Title(notification) + "\r\n\r\n" + Details(notification);
  if (notification.contains("url"))
    body += "\r\n\r\nOpen in telltale: " + notification["url"].get<std::string>();
  // Lines end in CRLF; a line that is a lone dot would end the SMTP data early.
  std::string text;
  for (size_t start = 0; start <= body.size();) {
    size_t end = body.find('\n', start);
    std::string line = body.substr(start, end == std::string::npos ? end : end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.front() == '.') line.insert(0, ".");
    text += line + "\r\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::time_t seconds = static_cast<std::time_t>(now);
  char date[64];
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return fmt::format(
      "Date: {}\r\nFrom: {}\r\nTo: {}\r\nMessage-ID: <{}@telltale>\r\nSubject: {}\r\n"
      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\n{}",
      date, channel.from, to, notification["id"].get<std::string>(), Title(notification), text);
}

}  // namespace

std::string HmacSha256Hex(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

Delivery Render(const ChannelSpec& channel, const json& notification, int64_t now) {
  Delivery delivery;
  delivery.url = channel.url;
  switch (channel.type) {
    case ChannelType::kWebhook: {
      delivery.body = notification.dump();
      std::string timestamp = std::to_string(now);
      delivery.headers = {{"Idempotency-Key", notification["id"].get<std::string>()},
                          {"X-Telltale-Timestamp", timestamp}};
      if (!channel.secret.empty()) {
        delivery.headers.emplace_back(
            "X-Telltale-Signature",
            "sha256=" + HmacSha256Hex(channel.secret, timestamp + "." + delivery.body));
      }
      break;
    }
    case ChannelType::kSlack:
      delivery.body = Slack(notification).dump();
      break;
    case ChannelType::kTeams:
      delivery.body = Teams(notification).dump();
      break;
    case ChannelType::kAlertmanager: {
      std::string base = channel.url;
      while (!base.empty() && base.back() == '/') base.pop_back();
      delivery.url = base + "/api/v2/alerts";
      delivery.body = Alertmanager(notification).dump();
      break;
    }
    case ChannelType::kPagerDuty:
      delivery.body = PagerDuty(channel, notification).dump();
      break;
    case ChannelType::kEmail:
      delivery.body = Email(channel, notification, now);
      break;
  }
  return delivery;
}

}  // namespace telltale
