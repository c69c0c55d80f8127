#include "monitor/detector.h"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace telltale {
namespace {

constexpr int64_t kHour = 3600;
// 2026-02-01T05:00:00Z, midnight in New York; spring forward is 2026-03-08, fall back 2026-11-01.
constexpr int64_t kFebFirstNewYork = 1769922000;

const date::time_zone* NewYork() { return date::locate_zone("America/New_York"); }

// Requests per hour with a daily rhythm and a quieter weekend, in New York local time.
double Traffic(int64_t start, std::mt19937_64& rng) {
  date::local_seconds local = NewYork()->to_local(date::sys_seconds{std::chrono::seconds(start)});
  date::local_days day = date::floor<date::days>(local);
  int hour = static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(local - day).count());
  unsigned weekday = date::weekday(day).c_encoding();
  double level = 1000 + 800 * std::sin((hour - 6) * M_PI / 12);
  if (weekday == 0 || weekday == 6) level *= 0.6;
  std::normal_distribution<double> noise(0, std::sqrt(level));
  return std::max(0.0, level + noise(rng));
}

std::vector<SeriesPoint> HourlyTraffic(int64_t from, int64_t to, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<SeriesPoint> series;
  for (int64_t t = from; t < to; t += kHour) series.push_back({t, Traffic(t, rng), 1});
  return series;
}

// Runs the detector over every point after the first `warmup`, each against the points before it.
std::vector<Verdict> Sweep(const DetectorSpec& spec, const std::vector<SeriesPoint>& series,
                           size_t warmup, const SeasonCalendar& calendar) {
  std::vector<Verdict> verdicts;
  for (size_t i = warmup; i < series.size(); ++i) {
    std::vector<SeriesPoint> history(series.begin(),
                                     series.begin() + static_cast<std::ptrdiff_t>(i));
    verdicts.push_back(Detect(spec, series[i], history, std::nullopt, calendar));
  }
  return verdicts;
}

TEST(DetectorTest, ThresholdBreachesOutsideItsBounds) {
  DetectorSpec spec;
  spec.above = 0.05;
  spec.below = 0.01;
  SeasonCalendar calendar(Granularity::kHour, nullptr, SeriesScale::kLevel);
  EXPECT_FALSE(Detect(spec, {0, 0.03}, {}, std::nullopt, calendar).breached);
  Verdict high = Detect(spec, {0, 0.06}, {}, std::nullopt, calendar);
  EXPECT_TRUE(high.evaluated && high.breached);
  EXPECT_EQ(high.reason, "0.06 is above 0.05");
  EXPECT_TRUE(Detect(spec, {0, 0.005}, {}, std::nullopt, calendar).breached);
  EXPECT_FALSE(Detect(spec, {0, NAN}, {}, std::nullopt, calendar).evaluated);
}

TEST(DetectorTest, ChangeAgainstPreviousWindowsTrainingAndAWeekAgo) {
  SeasonCalendar calendar(Granularity::kHour, nullptr, SeriesScale::kLevel);
  std::vector<SeriesPoint> history;
  for (int i = 0; i < 24 * 8; ++i) history.push_back({i * kHour, 10.0 + (i % 2), 1});
  SeriesPoint current{24 * 8 * kHour, 13, 1};

  DetectorSpec previous;
  previous.kind = DetectorKind::kChange;
  previous.previous_windows = 4;  // mean 10.5
  previous.max_percent = 20;
  Verdict verdict = Detect(previous, current, history, std::nullopt, calendar);
  EXPECT_TRUE(verdict.breached);
  EXPECT_DOUBLE_EQ(*verdict.expected, 10.5);
  EXPECT_DOUBLE_EQ(*verdict.upper, 12.6);
  previous.direction = Direction::kDown;
  EXPECT_FALSE(Detect(previous, current, history, std::nullopt, calendar).breached);

  DetectorSpec training;
  training.kind = DetectorKind::kChange;
  training.baseline = ChangeBaseline::kTraining;
  training.max_absolute = 2;
  EXPECT_FALSE(Detect(training, current, history, 12.0, calendar).breached);
  EXPECT_TRUE(Detect(training, current, history, 10.9, calendar).breached);
  EXPECT_FALSE(Detect(training, current, history, std::nullopt, calendar).evaluated);

  DetectorSpec week_ago;
  week_ago.kind = DetectorKind::kChange;
  week_ago.baseline = ChangeBaseline::kWeekAgo;
  week_ago.max_percent = 25;
  Verdict weekly = Detect(week_ago, current, history, std::nullopt, calendar);
  EXPECT_DOUBLE_EQ(*weekly.expected, 10);  // the point 168 hours earlier is even: 10
  EXPECT_TRUE(weekly.breached);
  EXPECT_FALSE(Detect(week_ago, current, {}, std::nullopt, calendar).evaluated);
}

TEST(DetectorTest, AnomalyIsQuietOverWeeksOfSeasonalTrafficAcrossSpringForward) {
  // Five weeks of hourly traffic through the spring-forward night of 2026-03-08.
  std::vector<SeriesPoint> series =
      HourlyTraffic(kFebFirstNewYork, kFebFirstNewYork + 42 * 24 * kHour, 7);
  DetectorSpec spec;
  spec.kind = DetectorKind::kAnomaly;
  SeasonCalendar calendar(Granularity::kHour, NewYork(), SeriesScale::kCount);
  std::vector<Verdict> verdicts = Sweep(spec, series, 14 * 24, calendar);
  int evaluated = 0;
  int breached = 0;
  for (const Verdict& verdict : verdicts) {
    evaluated += verdict.evaluated;
    breached += verdict.breached;
  }
  EXPECT_EQ(evaluated, static_cast<int>(verdicts.size()));
  EXPECT_EQ(breached, 0);
}

TEST(DetectorTest, AnomalyFlagsASpikeThatTheSameHourLastWeeksDidNotHave) {
  std::vector<SeriesPoint> series =
      HourlyTraffic(kFebFirstNewYork, kFebFirstNewYork + 28 * 24 * kHour, 11);
  SeasonCalendar calendar(Granularity::kHour, NewYork(), SeriesScale::kCount);
  DetectorSpec spec;
  spec.kind = DetectorKind::kAnomaly;
  SeriesPoint spike = series.back();
  std::vector<SeriesPoint> history(series.begin(), series.end() - 1);
  spike.value *= 1.6;
  Verdict verdict = Detect(spec, spike, history, std::nullopt, calendar);
  EXPECT_TRUE(verdict.breached) << verdict.reason;
  EXPECT_GT(spike.value, *verdict.upper);
  EXPECT_LT(series.back().value, *verdict.upper);
  SeriesPoint drop = series.back();
  drop.value *= 0.4;
  EXPECT_TRUE(Detect(spec, drop, history, std::nullopt, calendar).breached);
  spec.direction = Direction::kUp;
  EXPECT_FALSE(Detect(spec, drop, history, std::nullopt, calendar).breached);
}

TEST(DetectorTest, DailyVolumeComparesPerHourSoA23Or25HourDayIsNotAnAnomaly) {
  // Local days in New York, 2026-10-04 .. 2026-11-08: fall back on 2026-11-01 (a 25-hour day).
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0, 100);
  std::vector<SeriesPoint> series;
  date::local_days day = date::local_days(date::year(2026) / 10 / 4);
  for (int i = 0; i < 36; ++i, day += date::days(1)) {
    int64_t start = NewYork()->to_sys(date::local_seconds(day)).time_since_epoch().count();
    int64_t end =
        NewYork()->to_sys(date::local_seconds(day + date::days(1))).time_since_epoch().count();
    double hours = static_cast<double>(end - start) / kHour;
    series.push_back({start, 24000 * hours / 24 + noise(rng), hours});
  }
  ASSERT_EQ(series[28].hours, 25);
  SeasonCalendar calendar(Granularity::kDay, NewYork(), SeriesScale::kCount);
  DetectorSpec spec;
  spec.kind = DetectorKind::kAnomaly;
  for (const Verdict& verdict : Sweep(spec, series, 14, calendar)) {
    EXPECT_TRUE(verdict.evaluated);
    EXPECT_FALSE(verdict.breached) << verdict.reason;
  }
  // Compared as raw counts, the same 25-hour day is an outlier.
  SeasonCalendar raw(Granularity::kDay, NewYork(), SeriesScale::kLevel);
  std::vector<SeriesPoint> before(series.begin(), series.begin() + 28);
  EXPECT_TRUE(Detect(spec, series[28], before, std::nullopt, raw).breached);
}

TEST(DetectorTest, AnomalyWaitsForEnoughHistoryAndHonoursMinDelta) {
  SeasonCalendar calendar(Granularity::kHour, nullptr, SeriesScale::kLevel);
  DetectorSpec spec;
  spec.kind = DetectorKind::kAnomaly;
  std::vector<SeriesPoint> history;
  for (int i = 0; i < 5; ++i) history.push_back({i * kHour, 0, 1});
  EXPECT_FALSE(Detect(spec, {5 * kHour, 0.05, 1}, history, std::nullopt, calendar).evaluated);
  for (int i = 5; i < 48; ++i) history.push_back({i * kHour, 0, 1});
  // A column that never had nulls: 5% missing is an anomaly, 0.5% is under min_delta.
  spec.min_delta = 0.01;
  EXPECT_TRUE(Detect(spec, {48 * kHour, 0.05, 1}, history, std::nullopt, calendar).breached);
  EXPECT_FALSE(Detect(spec, {48 * kHour, 0.005, 1}, history, std::nullopt, calendar).breached);
}

// A drift distance of unchanged data is noise of the order 1/sqrt(rows): when a holiday season of
// 50% more rows ends, the scores rise by a fifth, and that is no drift.
TEST(DetectorTest, DriftDistancesAreJudgedForTheirNumberOfRows) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> gauss(0, 1);
  std::vector<SeriesPoint> series;
  const int64_t weeks = 8;
  for (int64_t t = kFebFirstNewYork; t < kFebFirstNewYork + weeks * 168 * kHour; t += kHour) {
    bool season = t < kFebFirstNewYork + (weeks - 1) * 168 * kHour;
    double rows = Traffic(t, rng) / 10 * (season ? 1.5 : 1.0);
    // The mean of |N(0,1)| is 0.8: the score of rows drawn from the baseline's distribution.
    series.push_back({t, std::abs(gauss(rng)) * 1.2 / std::sqrt(rows) + 0.02, 1, rows});
  }
  DetectorSpec spec;
  spec.kind = DetectorKind::kAnomaly;
  spec.direction = Direction::kUp;
  SeasonCalendar by_rows(Granularity::kHour, NewYork(), SeriesScale::kSamplingDistance);
  for (size_t i = series.size() - 168; i < series.size(); ++i) {
    std::vector<SeriesPoint> before(series.begin(),
                                    series.begin() + static_cast<std::ptrdiff_t>(i));
    Verdict verdict = Detect(spec, series[i], before, std::nullopt, by_rows);
    EXPECT_TRUE(verdict.evaluated);
    EXPECT_FALSE(verdict.breached) << verdict.reason;
  }
  // A real drift still stands out: six times the usual score, with the usual rows.
  SeriesPoint drifted = series.back();
  drifted.value = 6 * (1.2 * 0.8 / std::sqrt(drifted.rows) + 0.02);
  std::vector<SeriesPoint> before(series.begin(), series.end() - 1);
  EXPECT_TRUE(Detect(spec, drifted, before, std::nullopt, by_rows).breached);
}

TEST(DetectorTest, CusumFindsASlowDriftNoSingleWindowShows) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0, 1);
  std::vector<SeriesPoint> series;
  for (int i = 0; i < 24 * 14; ++i) {
    double drift = i >= 24 * 13 ? 0.05 * (i - 24 * 13) : 0;  // +1.2 sigma after a day
    series.push_back({i * kHour, 50 + noise(rng) + drift, 1});
  }
  SeasonCalendar calendar(Granularity::kHour, nullptr, SeriesScale::kLevel);
  DetectorSpec cusum;
  cusum.kind = DetectorKind::kCusum;
  DetectorSpec anomaly;
  anomaly.kind = DetectorKind::kAnomaly;
  std::vector<SeriesPoint> history(series.begin(), series.end() - 1);
  EXPECT_TRUE(Detect(cusum, series.back(), history, std::nullopt, calendar).breached);
  EXPECT_FALSE(Detect(anomaly, series.back(), history, std::nullopt, calendar).breached);
  // Before the drift began, CUSUM is quiet.
  int false_alarms = 0;
  for (size_t i = 24 * 3; i < 24 * 13; ++i) {
    std::vector<SeriesPoint> before(series.begin(),
                                    series.begin() + static_cast<std::ptrdiff_t>(i));
    false_alarms += Detect(cusum, series[i], before, std::nullopt, calendar).breached;
  }
  EXPECT_EQ(false_alarms, 0);
}

}  // namespace
}  // namespace telltale
