// MonitorData: where monitors read their series from. The server answers from window profiles
// (server/window_monitor_data.h); tests answer from scenario files.
#ifndef TELLTALE_MONITOR_MONITOR_DATA_H_
#define TELLTALE_MONITOR_MONITOR_DATA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "monitor/monitor_spec.h"
#include "monitor/seasonal_expectation.h"
#include "telltale/result.h"

namespace date {
class time_zone;
}

namespace telltale {

// The version a monitor watches and the subjects it watches there: field names, or one empty
// subject for a monitor of the model as a whole.
struct MonitorTarget {
  int64_t project_id = 0;
  std::string model;
  std::string timezone = "UTC";
  const date::time_zone* zone = nullptr;
  int64_t version_id = 0;
  std::string version;
  int64_t version_created_at = 0;
  uint32_t segment = 0;  // the segment's series; 0 is all rows
  std::vector<std::string> subjects;
};

class MonitorData {
 public:
  virtual ~MonitorData() = default;
  // NotFound / InvalidArgument name the model, version, segment or field that is missing.
  virtual Result<MonitorTarget> Resolve(int64_t project_id, const MonitorSpec& spec) = 0;
  // The monitor's metric of `subject` for each window of its granularity that starts in
  // [from, to), oldest first; windows without a value are left out, except that counts are 0.
  virtual Result<std::vector<SeriesPoint>> Series(const MonitorTarget& target,
                                                  const MonitorSpec& spec,
                                                  const std::string& subject, int64_t from,
                                                  int64_t to) = 0;
  // The metric on the detector's baseline (training set or fixed range), if it has one.
  virtual Result<std::optional<double>> BaselineValue(const MonitorTarget& target,
                                                      const MonitorSpec& spec,
                                                      const std::string& subject) = 0;
};

}  // namespace telltale

#endif  // TELLTALE_MONITOR_MONITOR_DATA_H_
