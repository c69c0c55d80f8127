#include "notify/channel_router.h"

#include "notify/channel_spec.h"
#include "notify/grouping.h"
#include "notify/silence.h"

namespace telltale {

Result<std::vector<OutboxEntry>> ChannelRouter::Route(int64_t project_id,
                                                      const nlohmann::json& notification,
                                                      int64_t now) {
  return RouteWhen(project_id, notification, now, false);
}

Result<std::vector<OutboxEntry>> ChannelRouter::Remind(int64_t project_id,
                                                       const nlohmann::json& notification,
                                                       int64_t now) {
  return RouteWhen(project_id, notification, now, true);
}

Result<std::vector<OutboxEntry>> ChannelRouter::RouteWhen(int64_t project_id,
                                                          const nlohmann::json& notification,
                                                          int64_t now, bool reminder) {
  TELLTALE_ASSIGN_OR_RETURN(std::vector<SilenceRecord> stored, store_.Silences(project_id, now));
  std::vector<SilenceSpec> silences;
  for (const SilenceRecord& silence : stored) {
    auto parsed = ParseSilenceSpec(nlohmann::json::parse(silence.spec_json, nullptr, false), now);
    if (const SilenceSpec* spec = std::get_if<SilenceSpec>(&parsed)) {
      silences.push_back(*spec);
      silences.back().ends_at = silence.ends_at;  // an expired silence ended early
    }
  }
  std::vector<OutboxEntry> entries;
  nlohmann::json unsilenced = WithoutSilenced(notification, silences, now);
  if (unsilenced.is_null()) return entries;
  TELLTALE_ASSIGN_OR_RETURN(std::vector<ChannelRecord> channels, store_.ListChannels(project_id));
  for (const ChannelRecord& channel : channels) {
    auto parsed = ParseChannelSpec(nlohmann::json::parse(channel.spec_json, nullptr, false));
    const ChannelSpec* spec = std::get_if<ChannelSpec>(&parsed);
    if (spec == nullptr || !ChannelTakes(*spec, unsilenced)) continue;
    if (reminder && spec->repeat_interval == 0) continue;
    // When the group last went out decides how long this one waits (or whether a reminder is due).
    int64_t due = now + spec->group_wait;
    std::optional<std::string> prefix = GroupPrefix(notification);
    if (prefix && (reminder || spec->group_interval > 0)) {
      TELLTALE_ASSIGN_OR_RETURN(OutboxGroup group, store_.Group(channel.id, *prefix));
      if (reminder && group.last_created && *group.last_created + spec->repeat_interval > now) {
        continue;
      }
      if (group.last_delivered && spec->group_interval > 0) {
        due = std::max(due, *group.last_delivered + spec->group_interval);
      }
    }
    OutboxEntry entry;
    entry.channel_id = channel.id;
    entry.dedup_key = notification["id"].get<std::string>();
    entry.payload = unsilenced.dump();
    entry.next_attempt_at = due;
    entry.created_at = now;
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace telltale
