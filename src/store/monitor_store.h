// MonitorStore: monitors, the state and history of their alerts, notification channels and the
// notification outbox, in the control plane's SQLite file (ControlStore creates the tables; this
// class opens its own connection so evaluation and delivery never wait on registry calls).
// Every method is safe to call from several threads.
#ifndef TELLTALE_STORE_MONITOR_STORE_H_
#define TELLTALE_STORE_MONITOR_STORE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "monitor/alert_state.h"
#include "telltale/result.h"

namespace SQLite {
class Database;
}

namespace telltale {

struct MonitorRecord {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string name;
  std::string spec_json;  // normalized (MonitorSpecJson)
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int64_t evaluated_until = 0;  // end of the last window evaluated; 0 before the first
};

// The current alert of a monitor on one subject (a field, or "" for the model as a whole).
struct AlertRecord {
  int64_t monitor_id = 0;
  std::string subject;
  AlertStatus status;
  std::optional<double> value;
  std::optional<double> expected;
  std::optional<double> lower;
  std::optional<double> upper;
  std::string reason;
  int64_t evaluated_at = 0;  // end of the window last evaluated
};

struct AlertEvent {
  int64_t id = 0;
  int64_t monitor_id = 0;
  std::string subject;
  AlertState from = AlertState::kInactive;
  AlertState to = AlertState::kInactive;
  int64_t at = 0;
  std::optional<double> value;
  std::string reason;
};

struct ChannelRecord {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string name;
  std::string spec_json;  // normalized (ChannelSpecJson), secrets included
  int64_t created_at = 0;
};

struct SilenceRecord {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string spec_json;  // normalized (SilenceSpecJson)
  int64_t starts_at = 0;
  int64_t ends_at = 0;
  int64_t created_at = 0;
};

enum class OutboxState { kPending, kDelivered, kFailed };

struct OutboxEntry {
  int64_t id = 0;
  int64_t channel_id = 0;
  std::string dedup_key;  // unique per channel: enqueuing it twice keeps one entry
  std::string payload;    // the notification as JSON; the channel renders it when sending
  OutboxState state = OutboxState::kPending;
  int attempts = 0;
  int64_t next_attempt_at = 0;
  int64_t created_at = 0;
  std::optional<int64_t> delivered_at;
  std::string last_error;
};

// The entries of one channel whose dedup keys share a prefix (one monitor's notifications of one
// status): what is pending, oldest first, and when the last was delivered and created.
struct OutboxGroup {
  std::vector<OutboxEntry> pending;
  std::optional<int64_t> last_delivered;
  std::optional<int64_t> last_created;
};

// What one evaluation of a monitor changed, saved in one transaction.
struct EvaluationRecord {
  int64_t monitor_id = 0;
  int64_t evaluated_until = 0;
  std::vector<AlertRecord> alerts;
  std::vector<AlertEvent> events;
  std::vector<OutboxEntry> notifications;
};

class MonitorStore {
 public:
  // Opens the control plane file; ControlStore::Open must have created its tables.
  static Result<std::unique_ptr<MonitorStore>> Open(const std::string& path);
  ~MonitorStore();

  // AlreadyExists when the project has a monitor of that name.
  Result<MonitorRecord> CreateMonitor(const MonitorRecord& monitor);
  Result<std::vector<MonitorRecord>> ListMonitors(int64_t project_id);
  Result<std::vector<MonitorRecord>> AllMonitors();
  // NotFound names the monitor.
  Result<MonitorRecord> GetMonitor(int64_t project_id, int64_t id);
  // Replaces the spec; the alerts and evaluation progress start over.
  Status UpdateMonitor(const MonitorRecord& monitor);
  Status DeleteMonitor(int64_t project_id, int64_t id);

  Result<std::vector<AlertRecord>> Alerts(int64_t monitor_id);
  // The project's alerts, newest first; `limit` events at most.
  Result<std::vector<AlertEvent>> Events(int64_t project_id, std::optional<int64_t> monitor_id,
                                         size_t limit);
  Status RecordEvaluation(const EvaluationRecord& evaluation);

  Result<ChannelRecord> CreateChannel(const ChannelRecord& channel);
  Result<std::vector<ChannelRecord>> ListChannels(int64_t project_id);
  Result<ChannelRecord> GetChannel(int64_t id);
  Status DeleteChannel(int64_t project_id, int64_t id);

  Result<SilenceRecord> CreateSilence(const SilenceRecord& silence);
  // The project's silences that end after `after` (every one with 0), soonest start first.
  Result<std::vector<SilenceRecord>> Silences(int64_t project_id, int64_t after);
  // Ends a silence now (it stays listed as expired); NotFound names it.
  Status ExpireSilence(int64_t project_id, int64_t id, int64_t now);

  // Queues one notification outside a monitor's evaluation (a channel test).
  Status Enqueue(const OutboxEntry& entry);
  // Pending entries due at `now`, oldest first.
  Result<std::vector<OutboxEntry>> DueNotifications(int64_t now, size_t limit);
  Result<std::vector<OutboxEntry>> Notifications(int64_t channel_id);
  Status MarkDelivered(int64_t id, int64_t now);
  Status MarkRetry(int64_t id, int attempts, int64_t next_attempt_at, const std::string& error);
  Status MarkFailed(int64_t id, int attempts, const std::string& error);
  Result<OutboxGroup> Group(int64_t channel_id, const std::string& key_prefix);
  // The earliest next_attempt_at of a pending entry, if any.
  Result<std::optional<int64_t>> NextDue();

 private:
  explicit MonitorStore(std::unique_ptr<SQLite::Database> db);

  std::mutex mutex_;
  std::unique_ptr<SQLite::Database> db_;
};

std::string_view OutboxStateName(OutboxState state);

}  // namespace telltale

#endif  // TELLTALE_STORE_MONITOR_STORE_H_
