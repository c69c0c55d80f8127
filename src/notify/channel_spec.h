// A notification channel: where alerts go (a receiver's URL and what it needs) and which alerts
// it takes (routing by minimum severity, model and labels). See docs/alerts.md.
#ifndef TELLTALE_NOTIFY_CHANNEL_SPEC_H_
#define TELLTALE_NOTIFY_CHANNEL_SPEC_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "monitor/monitor_spec.h"

namespace telltale {

enum class ChannelType { kWebhook, kSlack, kAlertmanager, kPagerDuty, kTeams, kEmail };
std::string_view ChannelTypeName(ChannelType type);

struct ChannelSpec {
  std::string name;
  ChannelType type = ChannelType::kWebhook;
  std::string url;          // the receiver; for Alertmanager its base address
  std::string secret;       // webhook: the HMAC-SHA256 key of the signature header
  std::string routing_key;  // PagerDuty: the integration's routing key
  // E-mail: url is smtp://host:port (STARTTLS when the server offers it; starttls: true requires
  // it) or smtps://host:port (TLS from the start).
  std::string from;
  std::vector<std::string> to;
  std::string username;
  std::string password;
  bool require_starttls = false;
  // Routing: alerts of at least this severity, of these models (empty: all), whose monitor
  // carries all these labels.
  Severity min_severity = Severity::kInfo;
  std::vector<std::string> models;
  std::map<std::string, std::string> labels;
  // Grouping, in seconds (0: off). A monitor's notifications of one status form a group: its first
  // waits group_wait for more to send with it; after one was sent, the next waits until
  // group_interval has passed; while fields keep firing, a reminder goes out every
  // repeat_interval.
  int64_t group_wait = 0;
  int64_t group_interval = 0;
  int64_t repeat_interval = 0;
};

std::variant<ChannelSpec, SpecError> ParseChannelSpec(const nlohmann::json& document);
// With secrets (for the store) or with them masked (for listings).
nlohmann::json ChannelSpecJson(const ChannelSpec& spec, bool with_secrets);

// Whether the channel takes this notification (see BuildNotification for its fields).
bool ChannelTakes(const ChannelSpec& spec, const nlohmann::json& notification);

}  // namespace telltale

#endif  // TELLTALE_NOTIFY_CHANNEL_SPEC_H_
