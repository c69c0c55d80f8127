// MonitorRunner: evaluates every enabled monitor on each window that has closed since its last
// evaluation, advances its alerts, and hands one consolidated notification per monitor and window
// (all fields that started firing, all that resolved) to the router. Progress, alert states and
// notifications are saved in one transaction per monitor, so a restart resumes where it stopped
// and never notifies twice.
//
// Also runs backtests: the same evaluation over past windows with fresh alert states.
#ifndef TELLTALE_MONITOR_MONITOR_RUNNER_H_
#define TELLTALE_MONITOR_MONITOR_RUNNER_H_

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "monitor/monitor_data.h"
#include "monitor/monitor_evaluator.h"
#include "store/monitor_store.h"

namespace telltale {

struct RunnerOptions {
  // A window is evaluated this long after it closed, so late rows are in.
  int64_t evaluation_delay = 300;
  // At most this many windows are evaluated per monitor and run (after a long stop, the rest follow
  // on later runs).
  int max_windows_per_run = 48;
  // Links in notifications point here ("http://host:port"); empty: no link.
  std::string ui_url;
};

// Turns a notification into outbox entries, one per channel whose routing rules match.
class NotificationRouter {
 public:
  virtual ~NotificationRouter() = default;
  virtual Result<std::vector<OutboxEntry>> Route(int64_t project_id,
                                                 const nlohmann::json& notification,
                                                 int64_t now) = 0;
  // The same for a reminder that alerts are still firing: only to channels that repeat, and whose
  // repeat interval passed since the monitor's last firing notification to them.
  virtual Result<std::vector<OutboxEntry>> Remind(int64_t project_id,
                                                  const nlohmann::json& notification,
                                                  int64_t now) = 0;
};

struct BacktestPoint {
  std::string subject;
  int64_t start = 0;
  Verdict verdict;
};

struct BacktestResult {
  std::vector<BacktestPoint> points;
  std::vector<AlertEvent> events;  // transitions, oldest first
};

class MonitorRunner {
 public:
  MonitorRunner(MonitorStore& store, MonitorData& data, NotificationRouter& router,
                const Clock& clock, RunnerOptions options)
      : store_(store), data_(data), router_(router), clock_(clock), options_(std::move(options)) {}

  // Evaluates every monitor that has closed windows; a monitor that cannot be evaluated (its model
  // was deleted, its field renamed) is skipped and reported in the log.
  Status RunDue();
  Status RunMonitor(const MonitorRecord& monitor);
  // Queues a reminder of the monitor's firing alerts where a channel's repeat interval is due.
  Status RemindFiring(const MonitorRecord& monitor);

  // The alerts `spec` would have raised over the windows starting in [from, to).
  static Result<BacktestResult> Backtest(MonitorData& data, int64_t project_id,
                                         const MonitorSpec& spec, int64_t from, int64_t to);

 private:
  MonitorStore& store_;
  MonitorData& data_;
  NotificationRouter& router_;
  const Clock& clock_;
  RunnerOptions options_;
};

// The notification of one monitor's transitions to `status` (firing or resolved) in one window.
nlohmann::json BuildNotification(const MonitorRecord& monitor, const MonitorSpec& spec,
                                 const MonitorTarget& target, AlertState status,
                                 int64_t window_start, int64_t window_end,
                                 const std::vector<SubjectVerdict>& fields,
                                 const std::string& ui_url);

}  // namespace telltale

#endif  // TELLTALE_MONITOR_MONITOR_RUNNER_H_
