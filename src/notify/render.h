// Rendering: one notification (BuildNotification's JSON) as each kind of receiver expects it — the
// documented telltale webhook payload (signed), a Slack incoming-webhook message, Alertmanager v2
// alerts, a PagerDuty Events v2 event, a Microsoft Teams card, an e-mail.
#ifndef TELLTALE_NOTIFY_RENDER_H_
#define TELLTALE_NOTIFY_RENDER_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "notify/channel_spec.h"

namespace telltale {

// What goes to the receiver: for HTTP channels a JSON body POSTed to `url`; for e-mail the whole
// message (headers and text) for the SMTP server at `url`.
struct Delivery {
  std::string url;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type: JSON
};

// `now` (Unix seconds) dates the webhook signature.
Delivery Render(const ChannelSpec& channel, const nlohmann::json& notification, int64_t now);

// Hex HMAC-SHA256 of `message` under `key`: the webhook signature is
// "sha256=" + HmacSha256Hex(secret, timestamp + "." + body).
std::string HmacSha256Hex(const std::string& key, const std::string& message);

}  // namespace telltale

#endif  // TELLTALE_NOTIFY_RENDER_H_
