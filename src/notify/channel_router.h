// ChannelRouter: routes a notification to the project's channels whose rules take it, as outbox
// entries keyed by the notification's id (so a retried evaluation cannot enqueue it twice), due
// when the channel's grouping lets them go (see notify/grouping.h).
#ifndef TELLTALE_NOTIFY_CHANNEL_ROUTER_H_
#define TELLTALE_NOTIFY_CHANNEL_ROUTER_H_

#include "monitor/monitor_runner.h"
#include "store/monitor_store.h"

namespace telltale {

class ChannelRouter : public NotificationRouter {
 public:
  explicit ChannelRouter(MonitorStore& store) : store_(store) {}
  Result<std::vector<OutboxEntry>> Route(int64_t project_id, const nlohmann::json& notification,
                                         int64_t now) override;
  Result<std::vector<OutboxEntry>> Remind(int64_t project_id, const nlohmann::json& notification,
                                          int64_t now) override;

 private:
  Result<std::vector<OutboxEntry>> RouteWhen(int64_t project_id, const nlohmann::json& notification,
                                             int64_t now, bool reminder);

  MonitorStore& store_;
};

}  // namespace telltale

#endif  // TELLTALE_NOTIFY_CHANNEL_ROUTER_H_
