#include "monitor/detector.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace telltale {
namespace {

constexpr int64_t kWeekSeconds = 7 * 86400;
constexpr double kMadToSigma = 1.4826;
// CUSUM: the slack (in standard deviations) each window may deviate without adding up, and the
// decision interval per sensitivity.
constexpr double kCusumSlack = 0.5;
constexpr size_t kCusumMinReference = 8;

Verdict NotEvaluated(double value, std::string reason) {
  Verdict verdict;
  verdict.value = value;
  verdict.reason = std::move(reason);
  return verdict;
}

bool Counts(Direction direction, double delta) {
  return direction == Direction::kBoth || (direction == Direction::kUp ? delta > 0 : delta < 0);
}

// Marks the verdict breached when the value leaves [expected - allowed, expected + allowed] in the
// direction that counts; `scale` turns comparable units back into the value's own.
void JudgeBand(Verdict& verdict, double comparable, double expected, double allowed, double scale,
               Direction direction) {
  verdict.evaluated = true;
  verdict.expected = expected * scale;
  if (direction != Direction::kUp) verdict.lower = (expected - allowed) * scale;
  if (direction != Direction::kDown) verdict.upper = (expected + allowed) * scale;
  double delta = comparable - expected;
  verdict.breached = std::abs(delta) > allowed && Counts(direction, delta);
}

Verdict Threshold(const DetectorSpec& spec, const SeriesPoint& current) {
  Verdict verdict;
  verdict.evaluated = true;
  verdict.value = current.value;
  verdict.lower = spec.below;
  verdict.upper = spec.above;
  if (spec.above && current.value > *spec.above) {
    verdict.breached = true;
    verdict.reason = fmt::format("{:g} is above {:g}", current.value, *spec.above);
  } else if (spec.below && current.value < *spec.below) {
    verdict.breached = true;
    verdict.reason = fmt::format("{:g} is below {:g}", current.value, *spec.below);
  }
  return verdict;
}

// The reference value of a change detector, in comparable units, or why there is none.
std::optional<double> ChangeReference(const DetectorSpec& spec, const SeriesPoint& current,
                                      const std::vector<SeriesPoint>& history,
                                      std::optional<double> baseline,
                                      const SeasonCalendar& calendar, std::string& missing) {
  switch (spec.baseline) {
    case ChangeBaseline::kTraining:
    case ChangeBaseline::kRange:
      if (!baseline) missing = "the baseline has no value for this metric";
      return baseline;
    case ChangeBaseline::kPreviousWindows: {
      double sum = 0;
      int taken = 0;
      for (auto it = history.rbegin(); it != history.rend() && taken < spec.previous_windows;
           ++it) {
        if (it->start >= current.start) continue;
        sum += calendar.Comparable(*it);
        ++taken;
      }
      if (taken == 0) {
        missing = "no earlier window has a value";
        return std::nullopt;
      }
      return sum / taken;
    }
    case ChangeBaseline::kWeekAgo: {
      // The same local time a week earlier: 7 days back, give or take a daylight-saving hour.
      int season = calendar.WeeklySeason(current.start);
      for (const SeriesPoint& point : history) {
        if (std::abs(point.start - (current.start - kWeekSeconds)) <= 3600 &&
            calendar.WeeklySeason(point.start) == season) {
          return calendar.Comparable(point);
        }
      }
      missing = "the window one week earlier has no value";
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Verdict Change(const DetectorSpec& spec, const SeriesPoint& current,
               const std::vector<SeriesPoint>& history, std::optional<double> baseline,
               const SeasonCalendar& calendar) {
  std::string missing;
  // Training and range baselines are whole datasets: compared as they are.
  bool whole =
      spec.baseline == ChangeBaseline::kTraining || spec.baseline == ChangeBaseline::kRange;
  double comparable = whole ? current.value : calendar.Comparable(current);
  double scale = whole || comparable == 0 ? 1 : current.value / comparable;
  std::optional<double> reference =
      ChangeReference(spec, current, history, baseline, calendar, missing);
  if (!reference) return NotEvaluated(current.value, missing);
  double allowed = INFINITY;
  if (spec.max_absolute) allowed = std::min(allowed, *spec.max_absolute);
  if (spec.max_percent) allowed = std::min(allowed, std::abs(*reference) * *spec.max_percent / 100);
  Verdict verdict;
  verdict.value = current.value;
  JudgeBand(verdict, comparable, *reference, allowed, scale, spec.direction);
  if (verdict.breached) {
    double delta = comparable - *reference;
    verdict.reason =
        *reference != 0
            ? fmt::format("{:g} is {:+.1f}% from the baseline {:g}", current.value,
                          100 * delta / std::abs(*reference), *reference * scale)
            : fmt::format("{:g} moved {:+g} from the baseline 0", current.value, delta * scale);
  }
  return verdict;
}

Verdict Anomaly(const DetectorSpec& spec, const SeriesPoint& current,
                const std::vector<SeriesPoint>& history, const SeasonCalendar& calendar) {
  std::optional<Expectation> expectation = ExpectAt(current, history, calendar);
  if (!expectation) {
    return NotEvaluated(current.value, "the metric's history is too short to expect a value");
  }
  double stabilized = calendar.Stabilized(current);
  double allowed = AnomalyWidth(spec.sensitivity) * expectation->spread;
  double expected = expectation->expected;
  Verdict verdict;
  verdict.evaluated = true;
  verdict.value = current.value;
  verdict.expected = calendar.Unstabilized(expected, current);
  double lower = calendar.Unstabilized(expected - allowed, current);
  double upper = calendar.Unstabilized(expected + allowed, current);
  // min_delta is in the value's own units.
  lower = std::min(lower, *verdict.expected - spec.min_delta);
  upper = std::max(upper, *verdict.expected + spec.min_delta);
  if (spec.direction != Direction::kUp) verdict.lower = lower;
  if (spec.direction != Direction::kDown) verdict.upper = upper;
  double delta = stabilized - expected;
  bool outside = current.value < lower || current.value > upper;
  verdict.breached = outside && Counts(spec.direction, delta);
  if (verdict.breached) {
    bool high = current.value > upper;
    verdict.reason = fmt::format("{:g} is {} {:g}, the {} expected of this window (about {:g})",
                                 current.value, high ? "above" : "below", high ? upper : lower,
                                 high ? "most" : "least", *verdict.expected);
  }
  return verdict;
}

// Decision intervals for hourly data. With slack 0.5, a two-sided CUSUM of normal noise crosses 10
// about once in 70,000 windows (Siegmund's approximation; 8: once in 9,500, which a year of hourly
// windows showed as two false alarms).
double CusumLimit(Sensitivity sensitivity) {
  switch (sensitivity) {
    case Sensitivity::kLow:
      return 12;
    case Sensitivity::kMedium:
      return 10;
    case Sensitivity::kHigh:
      return 8;
  }
  return 10;
}

double MedianOf(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Tabular CUSUM over the last `previous_windows` windows and the current one, standardized by the
// median and robust spread of the windows before them. When every window knows its row count, a
// window's deviation is scaled by the square root of its rows, as the standard error of a mean or
// a share is: a quiet night hour of 30 rows moves the sum as much as it should, no more.
Verdict Cusum(const DetectorSpec& spec, const SeriesPoint& current,
              const std::vector<SeriesPoint>& history, const SeasonCalendar& calendar) {
  std::vector<SeriesPoint> points;
  points.reserve(history.size() + 1);
  for (const SeriesPoint& point : history) {
    if (point.start < current.start) points.push_back(point);
  }
  size_t watched = std::min(points.size(), static_cast<size_t>(std::max(spec.previous_windows, 1)));
  if (points.size() - watched < kCusumMinReference) {
    return NotEvaluated(current.value, "the metric's history is too short for a reference level");
  }
  points.push_back(current);
  // A count is its own number of rows: only means, shares and distances are weighed.
  const bool weighted =
      !calendar.additive() && std::all_of(points.begin(), points.end(),
                                          [](const SeriesPoint& point) { return point.rows > 0; });
  auto weight = [&](const SeriesPoint& point) { return weighted ? std::sqrt(point.rows) : 1.0; };
  const size_t reference_end = points.size() - watched - 1;
  std::vector<double> reference;
  reference.reserve(reference_end);
  for (size_t i = 0; i < reference_end; ++i) reference.push_back(calendar.Comparable(points[i]));
  double level = MedianOf(reference);
  std::vector<double> deviations;
  deviations.reserve(reference_end);
  for (size_t i = 0; i < reference_end; ++i) {
    deviations.push_back(std::abs(calendar.Comparable(points[i]) - level) * weight(points[i]));
  }
  double sigma =
      std::max(kMadToSigma * MedianOf(deviations), 1e-12 * std::max(1.0, std::abs(level)));
  double up = 0;
  double down = 0;
  for (size_t i = reference_end; i < points.size(); ++i) {
    double z = (calendar.Comparable(points[i]) - level) * weight(points[i]) / sigma;
    up = std::max(0.0, up + z - kCusumSlack);
    down = std::max(0.0, down - z - kCusumSlack);
  }
  double limit = CusumLimit(spec.sensitivity);
  Verdict verdict;
  verdict.evaluated = true;
  verdict.value = current.value;
  verdict.expected = level;
  bool up_breached = spec.direction != Direction::kDown && up > limit;
  bool down_breached = spec.direction != Direction::kUp && down > limit;
  verdict.breached = up_breached || down_breached;
  if (verdict.breached) {
    verdict.reason = fmt::format(
        "the {} windows to {:g} drifted {} from the level {:g} (CUSUM {:.1f} > {:g})", watched + 1,
        current.value, up_breached ? "up" : "down", level, up_breached ? up : down, limit);
  }
  return verdict;
}

}  // namespace

double AnomalyWidth(Sensitivity sensitivity) {
  switch (sensitivity) {
    case Sensitivity::kLow:
      return 6;
    case Sensitivity::kMedium:
      return 4.5;
    case Sensitivity::kHigh:
      return 3;
  }
  return 4.5;
}

Verdict Detect(const DetectorSpec& spec, const SeriesPoint& current,
               const std::vector<SeriesPoint>& history, std::optional<double> baseline,
               const SeasonCalendar& calendar) {
  if (!std::isfinite(current.value)) return NotEvaluated(current.value, "the value is not finite");
  switch (spec.kind) {
    case DetectorKind::kThreshold:
      return Threshold(spec, current);
    case DetectorKind::kChange:
      return Change(spec, current, history, baseline, calendar);
    case DetectorKind::kAnomaly:
      return Anomaly(spec, current, history, calendar);
    case DetectorKind::kCusum:
      return Cusum(spec, current, history, calendar);
  }
  return NotEvaluated(current.value, "unknown detector");
}

}  // namespace telltale
