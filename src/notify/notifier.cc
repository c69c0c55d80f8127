#include "notify/notifier.h"

#include <fmt/format.h>
#include <httplib.h>
#include <pthread.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "notify/channel_spec.h"
#include "notify/grouping.h"
#include "notify/render.h"
#include "notify/smtp_client.h"

namespace telltale {
namespace {

constexpr size_t kBatch = 32;

// scheme://host[:port] and the path (with query) of a URL.
std::pair<std::string, std::string> SplitUrl(const std::string& url) {
  size_t start = url.find("://");
  size_t path = url.find('/', start == std::string::npos ? 0 : start + 3);
  if (path == std::string::npos) return {url, "/"};
  return {url.substr(0, path), url.substr(path)};
}

int64_t RetryAfterSeconds(const httplib::Result& result) {
  if (!result || !result->has_header("Retry-After")) return 0;
  std::string value = result->get_header_value("Retry-After");
  int64_t seconds = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  return error == std::errc() && seconds > 0 ? std::min<int64_t>(seconds, 86400) : 0;
}

}  // namespace

Notifier::Notifier(MonitorStore& store, const Clock& clock, AddressGuard guard,
                   NotifierOptions options, Log log)
    : store_(store),
      clock_(clock),
      guard_(std::move(guard)),
      options_(options),
      log_(std::move(log)) {}

Notifier::~Notifier() { Stop(); }

void Notifier::Start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "tt:notifier");
    Loop();
  });
}

void Notifier::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Notifier::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void Notifier::Loop() {
  while (true) {
    Result<size_t> attempted = DeliverDue();
    if (!attempted.ok()) log_("notifications: " + attempted.status().message());
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (attempted.ok() && *attempted == kBatch) continue;  // more may be due
    wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) return;
  }
}

Result<size_t> Notifier::DeliverDue() {
  TELLTALE_ASSIGN_OR_RETURN(std::vector<OutboxEntry> due,
                            store_.DueNotifications(clock_.Now(), kBatch));
  std::set<int64_t> sent;
  for (const OutboxEntry& entry : due) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    if (sent.count(entry.id)) continue;
    // What is pending of the entry's group goes with it, as one notification.
    std::vector<OutboxEntry> members{entry};
    nlohmann::json notification = nlohmann::json::parse(entry.payload, nullptr, false);
    if (std::optional<std::string> prefix = GroupPrefix(notification)) {
      TELLTALE_ASSIGN_OR_RETURN(OutboxGroup group, store_.Group(entry.channel_id, *prefix));
      if (!group.pending.empty()) members = std::move(group.pending);
    }
    OutboxEntry delivery = entry;
    if (members.size() > 1) {
      std::vector<nlohmann::json> parts;
      parts.reserve(members.size());
      for (const OutboxEntry& member : members) {
        parts.push_back(nlohmann::json::parse(member.payload, nullptr, false));
      }
      nlohmann::json merged = MergeNotifications(parts);
      delivery.payload = merged.dump();
      delivery.dedup_key = merged.value("id", entry.dedup_key);
    }
    DeliveryOutcome outcome = Send(delivery);
    int attempts = entry.attempts + 1;
    const bool retry = !outcome.delivered && outcome.retry && attempts < options_.max_attempts;
    int64_t wait = 0;
    if (retry) {
      int64_t backoff = options_.first_backoff_seconds << std::min(attempts - 1, 20);
      backoff = std::min(backoff, options_.max_backoff_seconds);
      wait = std::max(backoff, outcome.retry_after);
      log_(fmt::format("notification {} (channel {}): {}; attempt {} of {} in {}s",
                       delivery.dedup_key, entry.channel_id, outcome.error, attempts + 1,
                       options_.max_attempts, wait));
    } else if (!outcome.delivered) {
      log_(fmt::format("notification {} (channel {}) given up after {} attempt(s): {}",
                       delivery.dedup_key, entry.channel_id, attempts, outcome.error));
    }
    for (const OutboxEntry& member : members) {
      sent.insert(member.id);
      Status saved;
      if (outcome.delivered) {
        saved = store_.MarkDelivered(member.id, clock_.Now());
      } else if (retry) {
        saved =
            store_.MarkRetry(member.id, member.attempts + 1, clock_.Now() + wait, outcome.error);
      } else {
        saved = store_.MarkFailed(member.id, member.attempts + 1, outcome.error);
      }
      if (!saved.ok()) return saved;
    }
  }
  return due.size();
}

DeliveryOutcome Notifier::Send(const OutboxEntry& entry) {
  DeliveryOutcome outcome;
  Result<ChannelRecord> channel = store_.GetChannel(entry.channel_id);
  if (!channel.ok()) {
    outcome.error = channel.status().message();
    return outcome;
  }
  auto parsed = ParseChannelSpec(nlohmann::json::parse(channel->spec_json, nullptr, false));
  const ChannelSpec* spec = std::get_if<ChannelSpec>(&parsed);
  nlohmann::json notification = nlohmann::json::parse(entry.payload, nullptr, false);
  if (spec == nullptr || notification.is_discarded()) {
    outcome.error = "the stored channel or notification does not decode";
    return outcome;
  }
  Delivery delivery = Render(*spec, notification, clock_.Now());
  Result<std::string> address = guard_.Check(delivery.url);
  if (!address.ok()) {
    outcome.error = address.status().message();
    outcome.retry = address.status().code() == StatusCode::kUnavailable;
    return outcome;
  }
  if (spec->type == ChannelType::kEmail) {
    SmtpOutcome sent = SendMail(*spec, delivery.body, *address, options_.request_timeout_seconds);
    outcome.delivered = sent.delivered;
    outcome.retry = sent.retry;
    outcome.error = sent.error;
    return outcome;
  }
  auto [origin, path] = SplitUrl(delivery.url);
  httplib::Client client(origin);
  client.set_hostname_addr_map({{HostOf(delivery.url), *address}});
  client.set_connection_timeout(options_.request_timeout_seconds);
  client.set_read_timeout(options_.request_timeout_seconds);
  client.set_write_timeout(options_.request_timeout_seconds);
  httplib::Headers headers(delivery.headers.begin(), delivery.headers.end());
  headers.emplace("User-Agent", "telltale/" TELLTALE_VERSION);
  httplib::Result result = client.Post(path, headers, delivery.body, "application/json");
  if (!result) {
    outcome.retry = true;
    outcome.error = "cannot reach " + origin + ": " + httplib::to_string(result.error());
    return outcome;
  }
  int status = result->status;
  if (status >= 200 && status < 300) {
    outcome.delivered = true;
    return outcome;
  }
  outcome.retry = status == 408 || status == 429 || status >= 500;
  outcome.retry_after = RetryAfterSeconds(result);
  outcome.error = fmt::format("{} answered {}: {}", origin, status, result->body.substr(0, 200));
  return outcome;
}

}  // namespace telltale
