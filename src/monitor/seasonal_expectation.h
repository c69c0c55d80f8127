// Seasonal expectation: what a metric's own history says its value should be in a given window,
// robust to the daily and weekly rhythm of a model's traffic.
//
// Windows are grouped into seasons by the model's local calendar: hourly windows by (day of week,
// hour of day), daily windows by day of week. The expected value is the median of the same season
// in the most recent weeks; with fewer than two such weeks, the median of the same hour on recent
// days; with less than that, the median of the recent windows. Because seasons follow local time,
// the repeated hour on a fall-back day and the missing one on a spring-forward day fall into the
// right season, and additive metrics (counts) are compared per hour, so a 23- or 25-hour day is not
// a volume anomaly.
//
// The spread is the median absolute deviation of the history's own residuals (each window against
// what the windows before it expected), scaled by 1.4826 to estimate a normal standard deviation;
// residuals of weekly expectations are preferred once there are a day's worth of them. Counts are
// compared on the square root of their hourly rate, where a quiet night and a busy peak have the
// same spread.
#ifndef TELLTALE_MONITOR_SEASONAL_EXPECTATION_H_
#define TELLTALE_MONITOR_SEASONAL_EXPECTATION_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "query/time_buckets.h"

namespace date {
class time_zone;
}

namespace telltale {

struct SeriesPoint {
  int64_t start = 0;  // Unix seconds
  double value = 0;
  double hours = 1;  // the window's length in hours (23 or 25 for some local days)
  // How many rows the value was computed from (0: unknown); a mean or a share of few rows
  // varies more than one of many.
  double rows = 0;
};

// How a metric's value behaves, which decides the scale it is compared on.
enum class SeriesScale {
  kLevel,             // a mean, a share, a quantile: compared as it is
  kCount,             // adds up over time (rows): compared per hour, as the root of its rate
  kSamplingDistance,  // a drift distance: noise of the order 1/sqrt(rows) when nothing changed
};

class SeasonCalendar {
 public:
  // `zone` null means UTC.
  SeasonCalendar(Granularity granularity, const date::time_zone* zone, SeriesScale scale)
      : granularity_(granularity), zone_(zone), scale_(scale) {}

  // The window's weekly season: 0..167 for hours, 0..6 for days, 0 for weeks.
  int WeeklySeason(int64_t start) const;
  // The window's daily season: the local hour for hourly windows, else the weekly season.
  int DailySeason(int64_t start) const;
  // The value as compared: per hour for additive metrics.
  double Comparable(const SeriesPoint& point) const {
    return additive() && point.hours > 0 ? point.value / point.hours : point.value;
  }
  // The value on the scale seasonal expectations use: for additive metrics (counts) the square
  // root of the hourly rate, on which counting noise has the same spread at night as at the peak;
  // for sampling-noise metrics the value times the square root of its rows, which stays put when
  // only the number of rows changes.
  double Stabilized(const SeriesPoint& point) const {
    if (additive()) return std::sqrt(std::max(0.0, Comparable(point)));
    return point.value * SamplingScale(point);
  }
  // A stabilized value back in the units of the window `point`.
  double Unstabilized(double stabilized, const SeriesPoint& point) const {
    if (!additive()) return stabilized / SamplingScale(point);
    double root = std::max(0.0, stabilized);
    return root * root * point.hours;
  }
  bool additive() const { return scale_ == SeriesScale::kCount; }
  SeriesScale scale() const { return scale_; }
  Granularity granularity() const { return granularity_; }

 private:
  double SamplingScale(const SeriesPoint& point) const {
    return scale_ == SeriesScale::kSamplingDistance && point.rows > 0 ? std::sqrt(point.rows) : 1.0;
  }

  Granularity granularity_;
  const date::time_zone* zone_;
  SeriesScale scale_;
};

struct Expectation {
  double expected = 0;  // stabilized units (SeasonCalendar::Stabilized)
  double spread = 0;    // robust standard deviation of the residuals, stabilized units
  int history_used = 0;
};

// Nothing when the history is too short to expect anything (fewer than 8 windows with a value).
std::optional<Expectation> ExpectAt(const SeriesPoint& current,
                                    const std::vector<SeriesPoint>& history,
                                    const SeasonCalendar& calendar);

}  // namespace telltale

#endif  // TELLTALE_MONITOR_SEASONAL_EXPECTATION_H_
