#include "query/time_buckets.h"

#include <gtest/gtest.h>

#include <map>

#include "ingest/day_calendar.h"
#include "ingest/row_decoder.h"
#include "ingest/window_profile.h"

namespace telltale {
namespace {

int64_t At(const char* text) { return ParseRfc3339(text).value(); }

TEST(TimeBucketsTest, HoursAreUtc) {
  const date::time_zone* zone = FindTimeZone("Asia/Kolkata").value();
  EXPECT_EQ(BucketStart(At("2026-11-24T10:59:59Z"), Granularity::kHour, zone),
            At("2026-11-24T10:00:00Z"));
}

TEST(TimeBucketsTest, DaysStartAtLocalMidnight) {
  const date::time_zone* kolkata = FindTimeZone("Asia/Kolkata").value();  // +05:30
  EXPECT_EQ(BucketStart(At("2026-11-24T18:29:00Z"), Granularity::kDay, kolkata),
            At("2026-11-23T18:30:00Z"));
  EXPECT_EQ(BucketStart(At("2026-11-24T18:30:00Z"), Granularity::kDay, kolkata),
            At("2026-11-24T18:30:00Z"));
}

TEST(TimeBucketsTest, DaylightSavingDaysHave23And25Hours) {
  const date::time_zone* new_york = FindTimeZone("America/New_York").value();
  int64_t spring = BucketStart(At("2026-03-08T12:00:00Z"), Granularity::kDay, new_york);
  int64_t next = BucketStart(At("2026-03-09T12:00:00Z"), Granularity::kDay, new_york);
  EXPECT_EQ(spring, At("2026-03-08T05:00:00Z"));
  EXPECT_EQ(next - spring, 23 * 3600);
  int64_t fall = BucketStart(At("2026-11-01T12:00:00Z"), Granularity::kDay, new_york);
  int64_t after = BucketStart(At("2026-11-02T12:00:00Z"), Granularity::kDay, new_york);
  EXPECT_EQ(after - fall, 25 * 3600);
}

TEST(TimeBucketsTest, WeeksStartOnMonday) {
  const date::time_zone* berlin = FindTimeZone("Europe/Berlin").value();
  // Tuesday 2026-11-24 in Berlin: the week began Monday 2026-11-23 at 00:00 CET (23:00Z).
  EXPECT_EQ(BucketStart(At("2026-11-24T10:00:00Z"), Granularity::kWeek, berlin),
            At("2026-11-22T23:00:00Z"));
  // Sunday night local time still belongs to that week.
  EXPECT_EQ(BucketStart(At("2026-11-29T22:30:00Z"), Granularity::kWeek, berlin),
            At("2026-11-22T23:00:00Z"));
}

TEST(TimeBucketsTest, MidnightSkippedByDaylightSaving) {
  // Santiago moves clocks forward at midnight: 2026-09-06 00:00 does not exist there.
  const date::time_zone* santiago = FindTimeZone("America/Santiago").value();
  int64_t start = BucketStart(At("2026-09-06T12:00:00Z"), Granularity::kDay, santiago);
  EXPECT_EQ(start, At("2026-09-06T04:00:00Z"));  // 01:00 local, the day's first instant
}

// Day rollups (DayCalendar) and day buckets (BucketStart) must put every hourly window in the
// same day, or a daily series read from rollups would differ from one merged from hours.
TEST(TimeBucketsTest, DayRollupsHoldTheHoursOfTheirDayBucket) {
  for (const char* name : {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
                           "Asia/Kathmandu", "America/Santiago", "Australia/Lord_Howe"}) {
    const date::time_zone* zone = FindTimeZone(name).value();
    const DayCalendar days(zone);
    const int64_t first = HourOf(At("2026-01-01T00:00:00Z"));
    std::map<int64_t, int> hours_per_day;
    for (int64_t hour = first; hour < first + 366 * 24; ++hour) {
      int64_t day = days.DayOf(hour);
      int64_t bucket = BucketStart(hour * kWindowSeconds, Granularity::kDay, zone);
      ASSERT_EQ(day, (bucket + kWindowSeconds - 1) / kWindowSeconds) << name << " " << hour;
      ASSERT_LE(day, hour) << name;
      ASSERT_LT(hour, days.NextDay(day)) << name;
      ++hours_per_day[day];
    }
    for (auto it = std::next(hours_per_day.begin()); std::next(it) != hours_per_day.end(); ++it) {
      EXPECT_EQ(days.NextDay(it->first), std::next(it)->first) << name;
      // 23 to 25 windows; a half-hour offset or change moves one window between days.
      EXPECT_GE(it->second, 22) << name;
      EXPECT_LE(it->second, 26) << name;
    }
  }
  const DayCalendar berlin(FindTimeZone("Europe/Berlin").value());
  int64_t spring = berlin.DayOf(HourOf(At("2026-03-29T12:00:00Z")));
  EXPECT_EQ(berlin.NextDay(spring) - spring, 23);
  int64_t fall = berlin.DayOf(HourOf(At("2026-10-25T12:00:00Z")));
  EXPECT_EQ(berlin.NextDay(fall) - fall, 25);
  EXPECT_EQ(berlin.zone_name(), "Europe/Berlin");
  EXPECT_EQ(DayCalendar(FindTimeZone("Etc/UTC").value()).zone_name(), "UTC");
}

TEST(TimeBucketsTest, NamesAreChecked) {
  EXPECT_FALSE(ParseGranularity("month").ok());
  EXPECT_FALSE(FindTimeZone("Mars/Olympus").ok());
}

}  // namespace
}  // namespace telltale
