#include "store/monitor_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <SQLiteCpp/VariadicBind.h>
#include <sqlite3.h>

#include <utility>

namespace telltale {
namespace {

Status StoreError(const std::exception& error) {
  return Status::IoError(std::string("monitor store: ") + error.what());
}

bool IsUniqueViolation(const SQLite::Exception& error) {
  return error.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE;
}

std::optional<double> OptionalDouble(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getDouble();
}

std::optional<int64_t> OptionalInt(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

void BindOptional(SQLite::Statement& statement, int index, std::optional<double> value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind(index);
  }
}

constexpr const char* kMonitorColumns =
    "SELECT id, project_id, name, spec_json, created_at, updated_at, evaluated_until FROM "
    "monitors ";

MonitorRecord ReadMonitor(SQLite::Statement& row) {
  MonitorRecord monitor;
  monitor.id = row.getColumn(0).getInt64();
  monitor.project_id = row.getColumn(1).getInt64();
  monitor.name = row.getColumn(2).getString();
  monitor.spec_json = row.getColumn(3).getString();
  monitor.created_at = row.getColumn(4).getInt64();
  monitor.updated_at = row.getColumn(5).getInt64();
  monitor.evaluated_until = row.getColumn(6).getInt64();
  return monitor;
}

constexpr const char* kChannelColumns =
    "SELECT id, project_id, name, spec_json, created_at FROM channels ";

ChannelRecord ReadChannel(SQLite::Statement& row) {
  ChannelRecord channel;
  channel.id = row.getColumn(0).getInt64();
  channel.project_id = row.getColumn(1).getInt64();
  channel.name = row.getColumn(2).getString();
  channel.spec_json = row.getColumn(3).getString();
  channel.created_at = row.getColumn(4).getInt64();
  return channel;
}

constexpr const char* kOutboxColumns =
    "SELECT id, channel_id, dedup_key, payload, state, attempts, next_attempt_at, created_at, "
    "delivered_at, last_error FROM outbox ";

OutboxState ParseOutboxState(const std::string& name) {
  if (name == "delivered") return OutboxState::kDelivered;
  if (name == "failed") return OutboxState::kFailed;
  return OutboxState::kPending;
}

OutboxEntry ReadOutbox(SQLite::Statement& row) {
  OutboxEntry entry;
  entry.id = row.getColumn(0).getInt64();
  entry.channel_id = row.getColumn(1).getInt64();
  entry.dedup_key = row.getColumn(2).getString();
  entry.payload = row.getColumn(3).getString();
  entry.state = ParseOutboxState(row.getColumn(4).getString());
  entry.attempts = row.getColumn(5).getInt();
  entry.next_attempt_at = row.getColumn(6).getInt64();
  entry.created_at = row.getColumn(7).getInt64();
  entry.delivered_at = OptionalInt(row.getColumn(8));
  entry.last_error = row.getColumn(9).getString();
  return entry;
}

// A notification joins the outbox once per channel and dedup key.
constexpr const char* kEnqueue =
    "INSERT OR IGNORE INTO outbox (channel_id, dedup_key, payload, state, next_attempt_at, "
    "created_at) VALUES (?, ?, ?, 'pending', ?, ?)";

AlertEvent ReadEvent(SQLite::Statement& row) {
  AlertEvent event;
  event.id = row.getColumn(0).getInt64();
  event.monitor_id = row.getColumn(1).getInt64();
  event.subject = row.getColumn(2).getString();
  event.from = ParseAlertState(row.getColumn(3).getString()).value_or(AlertState::kInactive);
  event.to = ParseAlertState(row.getColumn(4).getString()).value_or(AlertState::kInactive);
  event.at = row.getColumn(5).getInt64();
  event.value = OptionalDouble(row.getColumn(6));
  event.reason = row.getColumn(7).getString();
  return event;
}

// Runs `query` (with its parameters bound by `bind`) and reads every row with `read`.
template <typename Record, typename Bind, typename Read>
Result<std::vector<Record>> Select(SQLite::Database& db, const std::string& sql, Bind bind,
                                   Read read) {
  try {
    SQLite::Statement query(db, sql);
    bind(query);
    std::vector<Record> records;
    while (query.executeStep()) records.push_back(read(query));
    return records;
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

// Runs one statement that changes rows; NotFound (`missing`) when it changed none.
template <typename Bind>
Status Change(SQLite::Database& db, const std::string& sql, Bind bind,
              const std::string& missing = "") {
  try {
    SQLite::Statement statement(db, sql);
    bind(statement);
    if (statement.exec() == 0 && !missing.empty()) return Status::NotFound(missing);
    return Status::Ok();
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

}  // namespace

std::string_view OutboxStateName(OutboxState state) {
  switch (state) {
    case OutboxState::kPending:
      return "pending";
    case OutboxState::kDelivered:
      return "delivered";
    case OutboxState::kFailed:
      return "failed";
  }
  return "pending";
}

MonitorStore::MonitorStore(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
MonitorStore::~MonitorStore() = default;

Result<std::unique_ptr<MonitorStore>> MonitorStore::Open(const std::string& path) {
  try {
    auto db =
        std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_FULLMUTEX);
    db->exec("PRAGMA synchronous = FULL");
    db->exec("PRAGMA foreign_keys = ON");
    db->setBusyTimeout(5000);
    return std::unique_ptr<MonitorStore>(new MonitorStore(std::move(db)));
  } catch (const std::exception& error) {
    return Status::IoError("cannot open the monitor store " + path + ": " + error.what());
  }
}

Result<MonitorRecord> MonitorStore::CreateMonitor(const MonitorRecord& monitor) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement insert(*db_,
                             "INSERT INTO monitors (project_id, name, spec_json, created_at, "
                             "updated_at) VALUES (?, ?, ?, ?, ?)");
    SQLite::bind(insert, monitor.project_id, monitor.name, monitor.spec_json, monitor.created_at,
                 monitor.updated_at);
    insert.exec();
    MonitorRecord created = monitor;
    created.id = db_->getLastInsertRowid();
    created.evaluated_until = 0;
    return created;
  } catch (const SQLite::Exception& error) {
    if (IsUniqueViolation(error)) {
      return Status::AlreadyExists("monitor '" + monitor.name + "' exists");
    }
    return StoreError(error);
  }
}

Result<std::vector<MonitorRecord>> MonitorStore::ListMonitors(int64_t project_id) {
  std::lock_guard lock(mutex_);
  return Select<MonitorRecord>(
      *db_, std::string(kMonitorColumns) + "WHERE project_id = ? ORDER BY name",
      [&](SQLite::Statement& query) { query.bind(1, project_id); }, ReadMonitor);
}

Result<std::vector<MonitorRecord>> MonitorStore::AllMonitors() {
  std::lock_guard lock(mutex_);
  return Select<MonitorRecord>(
      *db_, std::string(kMonitorColumns) + "ORDER BY id", [](SQLite::Statement&) {}, ReadMonitor);
}

Result<MonitorRecord> MonitorStore::GetMonitor(int64_t project_id, int64_t id) {
  std::lock_guard lock(mutex_);
  TELLTALE_ASSIGN_OR_RETURN(
      std::vector<MonitorRecord> found,
      Select<MonitorRecord>(
          *db_, std::string(kMonitorColumns) + "WHERE project_id = ? AND id = ?",
          [&](SQLite::Statement& query) { SQLite::bind(query, project_id, id); }, ReadMonitor));
  if (found.empty()) return Status::NotFound("monitor " + std::to_string(id) + " not found");
  return found.front();
}

Status MonitorStore::UpdateMonitor(const MonitorRecord& monitor) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction transaction(*db_);
    SQLite::Statement update(*db_,
                             "UPDATE monitors SET name = ?, spec_json = ?, updated_at = ?, "
                             "evaluated_until = 0 WHERE project_id = ? AND id = ?");
    SQLite::bind(update, monitor.name, monitor.spec_json, monitor.updated_at, monitor.project_id,
                 monitor.id);
    if (update.exec() == 0) {
      return Status::NotFound("monitor " + std::to_string(monitor.id) + " not found");
    }
    SQLite::Statement clear(*db_, "DELETE FROM alerts WHERE monitor_id = ?");
    clear.bind(1, monitor.id);
    clear.exec();
    transaction.commit();
    return Status::Ok();
  } catch (const SQLite::Exception& error) {
    if (IsUniqueViolation(error)) {
      return Status::AlreadyExists("monitor '" + monitor.name + "' exists");
    }
    return StoreError(error);
  }
}

Status MonitorStore::DeleteMonitor(int64_t project_id, int64_t id) {
  std::lock_guard lock(mutex_);
  return Change(
      *db_, "DELETE FROM monitors WHERE project_id = ? AND id = ?",
      [&](SQLite::Statement& statement) { SQLite::bind(statement, project_id, id); },
      "monitor " + std::to_string(id) + " not found");
}

Result<std::vector<AlertRecord>> MonitorStore::Alerts(int64_t monitor_id) {
  std::lock_guard lock(mutex_);
  return Select<AlertRecord>(
      *db_,
      "SELECT monitor_id, subject, state, since, breach_started, last_breach_end, value, "
      "expected, lower, upper, reason, evaluated_at FROM alerts WHERE monitor_id = ? ORDER BY "
      "subject",
      [&](SQLite::Statement& query) { query.bind(1, monitor_id); },
      [](SQLite::Statement& row) {
        AlertRecord alert;
        alert.monitor_id = row.getColumn(0).getInt64();
        alert.subject = row.getColumn(1).getString();
        alert.status.state =
            ParseAlertState(row.getColumn(2).getString()).value_or(AlertState::kInactive);
        alert.status.since = row.getColumn(3).getInt64();
        alert.status.breach_started = row.getColumn(4).getInt64();
        alert.status.last_breach_end = row.getColumn(5).getInt64();
        alert.value = OptionalDouble(row.getColumn(6));
        alert.expected = OptionalDouble(row.getColumn(7));
        alert.lower = OptionalDouble(row.getColumn(8));
        alert.upper = OptionalDouble(row.getColumn(9));
        alert.reason = row.getColumn(10).getString();
        alert.evaluated_at = row.getColumn(11).getInt64();
        return alert;
      });
}

Result<std::vector<AlertEvent>> MonitorStore::Events(int64_t project_id,
                                                     std::optional<int64_t> monitor_id,
                                                     size_t limit) {
  std::lock_guard lock(mutex_);
  std::string sql =
      "SELECT e.id, e.monitor_id, e.subject, e.from_state, e.to_state, e.at, e.value, e.reason "
      "FROM alert_events e JOIN monitors m ON m.id = e.monitor_id WHERE m.project_id = ? ";
  if (monitor_id) sql += "AND e.monitor_id = ? ";
  sql += "ORDER BY e.at DESC, e.id DESC LIMIT ?";
  return Select<AlertEvent>(
      *db_, sql,
      [&](SQLite::Statement& query) {
        int index = 1;
        query.bind(index++, project_id);
        if (monitor_id) query.bind(index++, *monitor_id);
        query.bind(index, static_cast<int64_t>(limit));
      },
      ReadEvent);
}

Status MonitorStore::RecordEvaluation(const EvaluationRecord& evaluation) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction transaction(*db_);
    SQLite::Statement progress(*db_, "UPDATE monitors SET evaluated_until = ? WHERE id = ?");
    SQLite::bind(progress, evaluation.evaluated_until, evaluation.monitor_id);
    if (progress.exec() == 0) return Status::NotFound("the monitor was deleted");
    SQLite::Statement alert(
        *db_,
        "INSERT OR REPLACE INTO alerts (monitor_id, subject, state, since, breach_started, "
        "last_breach_end, value, expected, lower, upper, reason, evaluated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const AlertRecord& record : evaluation.alerts) {
      alert.reset();
      SQLite::bind(alert, record.monitor_id, record.subject,
                   std::string(AlertStateName(record.status.state)), record.status.since,
                   record.status.breach_started, record.status.last_breach_end);
      BindOptional(alert, 7, record.value);
      BindOptional(alert, 8, record.expected);
      BindOptional(alert, 9, record.lower);
      BindOptional(alert, 10, record.upper);
      alert.bind(11, record.reason);
      alert.bind(12, record.evaluated_at);
      alert.exec();
    }
    SQLite::Statement event(*db_,
                            "INSERT INTO alert_events (monitor_id, subject, from_state, to_state, "
                            "at, value, reason) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const AlertEvent& record : evaluation.events) {
      event.reset();
      SQLite::bind(event, record.monitor_id, record.subject,
                   std::string(AlertStateName(record.from)), std::string(AlertStateName(record.to)),
                   record.at);
      BindOptional(event, 6, record.value);
      event.bind(7, record.reason);
      event.exec();
    }
    SQLite::Statement notify(*db_, kEnqueue);
    for (const OutboxEntry& entry : evaluation.notifications) {
      notify.reset();
      SQLite::bind(notify, entry.channel_id, entry.dedup_key, entry.payload, entry.next_attempt_at,
                   entry.created_at);
      notify.exec();
    }
    transaction.commit();
    return Status::Ok();
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<ChannelRecord> MonitorStore::CreateChannel(const ChannelRecord& channel) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement insert(
        *db_, "INSERT INTO channels (project_id, name, spec_json, created_at) VALUES (?, ?, ?, ?)");
    SQLite::bind(insert, channel.project_id, channel.name, channel.spec_json, channel.created_at);
    insert.exec();
    ChannelRecord created = channel;
    created.id = db_->getLastInsertRowid();
    return created;
  } catch (const SQLite::Exception& error) {
    if (IsUniqueViolation(error)) {
      return Status::AlreadyExists("channel '" + channel.name + "' exists");
    }
    return StoreError(error);
  }
}

Result<std::vector<ChannelRecord>> MonitorStore::ListChannels(int64_t project_id) {
  std::lock_guard lock(mutex_);
  return Select<ChannelRecord>(
      *db_, std::string(kChannelColumns) + "WHERE project_id = ? ORDER BY name",
      [&](SQLite::Statement& query) { query.bind(1, project_id); }, ReadChannel);
}

Result<ChannelRecord> MonitorStore::GetChannel(int64_t id) {
  std::lock_guard lock(mutex_);
  TELLTALE_ASSIGN_OR_RETURN(std::vector<ChannelRecord> found,
                            Select<ChannelRecord>(
                                *db_, std::string(kChannelColumns) + "WHERE id = ?",
                                [&](SQLite::Statement& query) { query.bind(1, id); }, ReadChannel));
  if (found.empty()) return Status::NotFound("channel " + std::to_string(id) + " not found");
  return found.front();
}

Status MonitorStore::DeleteChannel(int64_t project_id, int64_t id) {
  std::lock_guard lock(mutex_);
  return Change(
      *db_, "DELETE FROM channels WHERE project_id = ? AND id = ?",
      [&](SQLite::Statement& statement) { SQLite::bind(statement, project_id, id); },
      "channel " + std::to_string(id) + " not found");
}

Result<SilenceRecord> MonitorStore::CreateSilence(const SilenceRecord& silence) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement insert(*db_,
                             "INSERT INTO silences (project_id, spec_json, starts_at, ends_at, "
                             "created_at) VALUES (?, ?, ?, ?, ?)");
    SQLite::bind(insert, silence.project_id, silence.spec_json, silence.starts_at, silence.ends_at,
                 silence.created_at);
    insert.exec();
    SilenceRecord created = silence;
    created.id = db_->getLastInsertRowid();
    return created;
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<std::vector<SilenceRecord>> MonitorStore::Silences(int64_t project_id, int64_t after) {
  std::lock_guard lock(mutex_);
  return Select<SilenceRecord>(
      *db_,
      "SELECT id, project_id, spec_json, starts_at, ends_at, created_at FROM silences WHERE "
      "project_id = ? AND ends_at > ? ORDER BY starts_at, id",
      [&](SQLite::Statement& query) { SQLite::bind(query, project_id, after); },
      [](SQLite::Statement& row) {
        SilenceRecord silence;
        silence.id = row.getColumn(0).getInt64();
        silence.project_id = row.getColumn(1).getInt64();
        silence.spec_json = row.getColumn(2).getString();
        silence.starts_at = row.getColumn(3).getInt64();
        silence.ends_at = row.getColumn(4).getInt64();
        silence.created_at = row.getColumn(5).getInt64();
        return silence;
      });
}

Status MonitorStore::ExpireSilence(int64_t project_id, int64_t id, int64_t now) {
  std::lock_guard lock(mutex_);
  return Change(
      *db_, "UPDATE silences SET ends_at = MIN(ends_at, ?) WHERE project_id = ? AND id = ?",
      [&](SQLite::Statement& statement) { SQLite::bind(statement, now, project_id, id); },
      "silence " + std::to_string(id) + " not found");
}

Status MonitorStore::Enqueue(const OutboxEntry& entry) {
  std::lock_guard lock(mutex_);
  return Change(*db_, kEnqueue, [&](SQLite::Statement& statement) {
    SQLite::bind(statement, entry.channel_id, entry.dedup_key, entry.payload, entry.next_attempt_at,
                 entry.created_at);
  });
}

Result<std::vector<OutboxEntry>> MonitorStore::DueNotifications(int64_t now, size_t limit) {
  std::lock_guard lock(mutex_);
  return Select<OutboxEntry>(
      *db_,
      std::string(kOutboxColumns) +
          "WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
      [&](SQLite::Statement& query) { SQLite::bind(query, now, static_cast<int64_t>(limit)); },
      ReadOutbox);
}

Result<OutboxGroup> MonitorStore::Group(int64_t channel_id, const std::string& key_prefix) {
  // Keys from the prefix up to (not including) the prefix with its last byte raised: a range the
  // (channel_id, dedup_key) index answers.
  std::string end = key_prefix;
  if (!end.empty()) end.back() = static_cast<char>(end.back() + 1);
  auto bind = [&](SQLite::Statement& query) { SQLite::bind(query, channel_id, key_prefix, end); };
  const std::string in_group = "WHERE channel_id = ? AND dedup_key >= ? AND dedup_key < ? ";
  std::lock_guard lock(mutex_);
  OutboxGroup group;
  TELLTALE_ASSIGN_OR_RETURN(
      group.pending,
      Select<OutboxEntry>(
          *db_, std::string(kOutboxColumns) + in_group + "AND state = 'pending' ORDER BY id", bind,
          ReadOutbox));
  try {
    SQLite::Statement times(*db_,
                            "SELECT MAX(delivered_at), MAX(created_at) FROM outbox " + in_group);
    bind(times);
    if (times.executeStep()) {
      group.last_delivered = OptionalInt(times.getColumn(0));
      group.last_created = OptionalInt(times.getColumn(1));
    }
  } catch (const std::exception& error) {
    return StoreError(error);
  }
  return group;
}

Result<std::vector<OutboxEntry>> MonitorStore::Notifications(int64_t channel_id) {
  std::lock_guard lock(mutex_);
  return Select<OutboxEntry>(
      *db_, std::string(kOutboxColumns) + "WHERE channel_id = ? ORDER BY id",
      [&](SQLite::Statement& query) { query.bind(1, channel_id); }, ReadOutbox);
}

Status MonitorStore::MarkDelivered(int64_t id, int64_t now) {
  std::lock_guard lock(mutex_);
  return Change(*db_,
                "UPDATE outbox SET state = 'delivered', delivered_at = ?, attempts = attempts + 1 "
                "WHERE id = ?",
                [&](SQLite::Statement& statement) { SQLite::bind(statement, now, id); });
}

Status MonitorStore::MarkRetry(int64_t id, int attempts, int64_t next_attempt_at,
                               const std::string& error) {
  std::lock_guard lock(mutex_);
  return Change(*db_,
                "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                [&](SQLite::Statement& statement) {
                  SQLite::bind(statement, attempts, next_attempt_at, error, id);
                });
}

Status MonitorStore::MarkFailed(int64_t id, int attempts, const std::string& error) {
  std::lock_guard lock(mutex_);
  return Change(
      *db_, "UPDATE outbox SET state = 'failed', attempts = ?, last_error = ? WHERE id = ?",
      [&](SQLite::Statement& statement) { SQLite::bind(statement, attempts, error, id); });
}

Result<std::optional<int64_t>> MonitorStore::NextDue() {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement query(*db_,
                            "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'");
    query.executeStep();
    if (query.getColumn(0).isNull()) return std::optional<int64_t>();
    return std::optional<int64_t>(query.getColumn(0).getInt64());
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

}  // namespace telltale
