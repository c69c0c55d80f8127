#include "notify/channel_router.h"

#include "notify/channel_spec.h"

namespace telltale {

Result<std::vector<OutboxEntry>> ChannelRouter::Route(int64_t project_id,
                                                      const nlohmann::json& notification,
                                                      int64_t now) {
  TELLTALE_ASSIGN_OR_RETURN(std::vector<ChannelRecord> channels, store_.ListChannels(project_id));
  std::vector<OutboxEntry> entries;
  for (const ChannelRecord& channel : channels) {
    auto parsed = ParseChannelSpec(nlohmann::json::parse(channel.spec_json, nullptr, false));
    const ChannelSpec* spec = std::get_if<ChannelSpec>(&parsed);
    if (spec == nullptr || !ChannelTakes(*spec, notification)) continue;
    OutboxEntry entry;
    entry.channel_id = channel.id;
    entry.dedup_key = notification["id"].get<std::string>();
    entry.payload = notification.dump();
    entry.next_attempt_at = now;
    entry.created_at = now;
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace telltale
