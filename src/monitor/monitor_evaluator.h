// Monitor evaluation: the windows a monitor judges, and its verdicts on them. The same code runs
// live (MonitorRunner, on every closed window) and in a backtest over past windows.
#ifndef TELLTALE_MONITOR_MONITOR_EVALUATOR_H_
#define TELLTALE_MONITOR_MONITOR_EVALUATOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "monitor/detector.h"
#include "monitor/monitor_data.h"
#include "monitor/monitor_spec.h"

namespace telltale {

// How far back a verdict looks: five weeks of windows for the seasonal anomaly detector.
inline constexpr int64_t kHistorySeconds = 35 * 86400;

// The start of the window after the one starting at `start`, in the model's time zone.
int64_t NextWindowStart(int64_t start, Granularity granularity, const date::time_zone* zone);

struct SubjectVerdict {
  std::string subject;
  Verdict verdict;
};

// Judges windows of one monitor, reading each subject's series once for a whole run of windows.
class MonitorEvaluator {
 public:
  MonitorEvaluator(MonitorData& data, const MonitorSpec& spec, const MonitorTarget& target)
      : data_(data), spec_(spec), target_(target) {}

  // Loads what windows starting in [first_start, end) need.
  Status Prepare(int64_t first_start, int64_t end);
  // The verdicts on the window starting at `start`, one per subject.
  std::vector<SubjectVerdict> Judge(int64_t start) const;

 private:
  MonitorData& data_;
  const MonitorSpec& spec_;
  const MonitorTarget& target_;
  std::map<std::string, std::vector<SeriesPoint>> series_;
  std::map<std::string, std::optional<double>> baselines_;
};

// Whether the monitor's metric adds up over time (compared per hour across unequal windows).
bool IsAdditiveMetric(const MonitorSpec& spec);
// The scale the monitor's series is compared on (a count, a drift distance, else a level).
SeriesScale ScaleOf(const MonitorSpec& spec);

}  // namespace telltale

#endif  // TELLTALE_MONITOR_MONITOR_EVALUATOR_H_
