#include "monitor/seasonal_expectation.h"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <deque>
#include <unordered_map>

namespace telltale {
namespace {

constexpr size_t kWeeksRemembered = 8;
constexpr size_t kDaysRemembered = 7;
constexpr size_t kRecentRemembered = 24;
constexpr size_t kResidualsRemembered = 24 * 7 * 4;
constexpr size_t kMinWeeks = 2;
constexpr size_t kMinDays = 3;
constexpr size_t kMinRecent = 6;
constexpr size_t kMinResiduals = 6;
constexpr size_t kMinWeeklyResiduals = 24;
constexpr size_t kSeasonResidualsRemembered = 28;
constexpr size_t kMinSeasonResiduals = 14;
// The MAD of a normal sample times this estimates its standard deviation.
constexpr double kMadToSigma = 1.4826;

double Median(std::vector<double> values) {
  size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle),
                   values.end());
  double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
  return (lower + upper) / 2;
}

double Median(const std::deque<double>& values) {
  return Median(std::vector<double>(values.begin(), values.end()));
}

void Remember(std::deque<double>& memory, double value, size_t capacity) {
  memory.push_back(value);
  if (memory.size() > capacity) memory.pop_front();
}

// How an expectation was formed, best first.
enum Basis { kWeekly = 0, kDaily = 1, kRecent = 2 };

struct Expected {
  double value;
  Basis basis;
};

// What the windows seen so far expect of the next one, season by season.
class SeasonMemory {
 public:
  explicit SeasonMemory(const SeasonCalendar& calendar) : calendar_(calendar) {}

  std::optional<Expected> Expect(int64_t start) const {
    if (auto weekly = weekly_.find(calendar_.WeeklySeason(start));
        weekly != weekly_.end() && weekly->second.size() >= kMinWeeks) {
      return Expected{Median(weekly->second), kWeekly};
    }
    if (calendar_.granularity() == Granularity::kHour) {
      if (auto daily = daily_.find(calendar_.DailySeason(start));
          daily != daily_.end() && daily->second.size() >= kMinDays) {
        return Expected{Median(daily->second), kDaily};
      }
    }
    if (recent_.size() >= kMinRecent) return Expected{Median(recent_), kRecent};
    return std::nullopt;
  }

  void Add(int64_t start, double stabilized) {
    Remember(weekly_[calendar_.WeeklySeason(start)], stabilized, kWeeksRemembered);
    Remember(daily_[calendar_.DailySeason(start)], stabilized, kDaysRemembered);
    Remember(recent_, stabilized, kRecentRemembered);
  }

 private:
  const SeasonCalendar& calendar_;
  std::unordered_map<int, std::deque<double>> weekly_;
  std::unordered_map<int, std::deque<double>> daily_;
  std::deque<double> recent_;
};

}  // namespace

int SeasonCalendar::WeeklySeason(int64_t start) const {
  if (granularity_ == Granularity::kWeek) return 0;
  date::sys_seconds instant{std::chrono::seconds(start)};
  date::local_seconds local =
      zone_ != nullptr ? zone_->to_local(instant) : date::local_seconds(instant.time_since_epoch());
  date::local_days day = date::floor<date::days>(local);
  int weekday = static_cast<int>(date::weekday(day).c_encoding());
  if (granularity_ == Granularity::kDay) return weekday;
  auto hour = std::chrono::duration_cast<std::chrono::hours>(local - day).count();
  return weekday * 24 + static_cast<int>(hour);
}

int SeasonCalendar::DailySeason(int64_t start) const {
  int weekly = WeeklySeason(start);
  return granularity_ == Granularity::kHour ? weekly % 24 : weekly;
}

std::optional<Expectation> ExpectAt(const SeriesPoint& current,
                                    const std::vector<SeriesPoint>& history,
                                    const SeasonCalendar& calendar) {
  SeasonMemory memory(calendar);
  // Absolute residuals by the basis of the expectation they were measured against: all of them,
  // and those of each daily season (the hour of day, for hourly windows), because a quiet night
  // hour of few rows varies more than the busy afternoon.
  std::array<std::deque<double>, 3> residuals;
  std::array<std::unordered_map<int, std::deque<double>>, 3> seasonal;
  int used = 0;
  for (const SeriesPoint& point : history) {
    if (point.start >= current.start) break;
    double stabilized = calendar.Stabilized(point);
    if (std::optional<Expected> expected = memory.Expect(point.start)) {
      double residual = std::abs(stabilized - expected->value);
      Remember(residuals[expected->basis], residual, kResidualsRemembered);
      Remember(seasonal[expected->basis][calendar.DailySeason(point.start)], residual,
               kSeasonResidualsRemembered);
    }
    memory.Add(point.start, stabilized);
    ++used;
  }
  std::optional<Expected> expected = memory.Expect(current.start);
  if (!expected) return std::nullopt;
  const int season = calendar.DailySeason(current.start);
  // The spread of the best basis with enough residuals, no better than the expectation's own; of
  // this daily season when it has enough, never narrower than the spread of all seasons.
  for (int basis = kWeekly; basis <= kRecent; ++basis) {
    size_t needed = basis == kWeekly ? kMinWeeklyResiduals : kMinResiduals;
    if (basis < expected->basis || residuals[basis].size() < needed) continue;
    double spread = kMadToSigma * Median(residuals[basis]);
    auto own = seasonal[basis].find(season);
    if (own != seasonal[basis].end() && own->second.size() >= kMinSeasonResiduals) {
      spread = std::max(spread, kMadToSigma * Median(own->second));
    }
    return Expectation{expected->value, spread, used};
  }
  return std::nullopt;
}

}  // namespace telltale
