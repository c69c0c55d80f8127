// WindowMonitorData: monitors' series from the window profiles of the live server — a monitor's
// model and version from the registry, each window's metric from the merged hourly profiles of
// its local hour, day or week, baselines from the training (or validation) set.
#ifndef TELLTALE_SERVER_WINDOW_MONITOR_DATA_H_
#define TELLTALE_SERVER_WINDOW_MONITOR_DATA_H_

#include "ingest/live_windows.h"
#include "monitor/monitor_data.h"
#include "store/control_store.h"

namespace telltale {

class WindowMonitorData : public MonitorData {
 public:
  WindowMonitorData(ControlStore& control, LiveWindows& windows)
      : control_(control), windows_(windows) {}

  Result<MonitorTarget> Resolve(int64_t project_id, const MonitorSpec& spec) override;
  Result<std::vector<SeriesPoint>> Series(const MonitorTarget& target, const MonitorSpec& spec,
                                          const std::string& subject, int64_t from,
                                          int64_t to) override;
  Result<std::optional<double>> BaselineValue(const MonitorTarget& target, const MonitorSpec& spec,
                                              const std::string& subject) override;

 private:
  ControlStore& control_;
  LiveWindows& windows_;
};

}  // namespace telltale

#endif  // TELLTALE_SERVER_WINDOW_MONITOR_DATA_H_
