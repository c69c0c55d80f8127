// Detectors: given a metric's value for the window just closed and what came before it, decide
// whether the value is a breach, and say what was expected. Pure functions of their inputs, so the
// live evaluation and a backtest over past windows give the same answers.
//
//   threshold  the value is outside fixed bounds (above / below)
//   change     the value moved away from a baseline value (the training set, a fixed past range,
//              the mean of the previous N windows, the same window one week earlier) by more than
//              a percent or an absolute amount
//   anomaly    the value is far from what the metric's own history expects at this time of day and
//              day of week in the model's time zone (see seasonal_expectation.h)
//   cusum      a two-sided CUSUM on the history's standardized values: slow drift that no single
//              window shows
#ifndef TELLTALE_MONITOR_DETECTOR_H_
#define TELLTALE_MONITOR_DETECTOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "monitor/seasonal_expectation.h"

namespace telltale {

enum class DetectorKind { kThreshold, kChange, kAnomaly, kCusum };
enum class ChangeBaseline { kTraining, kRange, kPreviousWindows, kWeekAgo };
enum class Direction { kUp, kDown, kBoth };
enum class Sensitivity { kLow, kMedium, kHigh };

struct DetectorSpec {
  DetectorKind kind = DetectorKind::kThreshold;
  // threshold: breached when value > above or value < below.
  std::optional<double> above;
  std::optional<double> below;
  // change
  ChangeBaseline baseline = ChangeBaseline::kPreviousWindows;
  int previous_windows = 24;
  int64_t range_from = 0;  // baseline=range, Unix seconds
  int64_t range_to = 0;
  std::optional<double> max_percent;   // breached when |change| > max_percent % of the baseline
  std::optional<double> max_absolute;  // breached when |change| > max_absolute
  // change, anomaly and cusum: which way counts.
  Direction direction = Direction::kBoth;
  // anomaly and cusum
  Sensitivity sensitivity = Sensitivity::kMedium;
  // anomaly: deviations smaller than this never count, however quiet the history.
  double min_delta = 0;
};

struct Verdict {
  bool evaluated = false;  // false: not enough data to judge (no value, no baseline, short history)
  bool breached = false;
  double value = 0;
  std::optional<double> expected;
  std::optional<double> lower;  // the band the value had to stay in
  std::optional<double> upper;
  std::string reason;  // why it was not evaluated, or what was breached
};

// `history` holds the earlier windows of the series, oldest first (anomaly, cusum, change against
// previous windows or a week ago); `baseline` the value on the baseline for change against the
// training set or a range.
Verdict Detect(const DetectorSpec& spec, const SeriesPoint& current,
               const std::vector<SeriesPoint>& history, std::optional<double> baseline,
               const SeasonCalendar& calendar);

// How many standard deviations (robust) a value may stray before the anomaly detector flags it.
double AnomalyWidth(Sensitivity sensitivity);

}  // namespace telltale

#endif  // TELLTALE_MONITOR_DETECTOR_H_
