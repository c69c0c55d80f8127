// Notification groups: a monitor's notifications of one status (firing, resolved) to one channel.
// The outbox delays them by the channel's group_wait and group_interval and sends what is pending
// of a group as one notification (docs/alerts.md).
#ifndef TELLTALE_NOTIFY_GROUPING_H_
#define TELLTALE_NOTIFY_GROUPING_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace telltale {

// The dedup-key prefix shared by the notification's group ("monitor-3-firing-"); none for a
// notification of no monitor (a channel test).
std::optional<std::string> GroupPrefix(const nlohmann::json& notification);

// One notification for several of a group, oldest first: every field listed once with its latest
// value, the window from the first's start to the last's end, and an id of its own (the first's,
// with the count of the others), so a receiver that deduplicates by id sees a new notification.
// A reminder is a reminder only when every part was.
nlohmann::json MergeNotifications(const std::vector<nlohmann::json>& notifications);

}  // namespace telltale

#endif  // TELLTALE_NOTIFY_GROUPING_H_
