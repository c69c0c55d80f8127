#include "query/time_buckets.h"

#include <gtest/gtest.h>

#include "ingest/row_decoder.h"

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

TEST(TimeBucketsTest, OnlyZonesOnUtcTimeThroughTheRangeKeepUtcDays) {
  EXPECT_TRUE(KeepsUtcTime(FindTimeZone("UTC").value(), At("2026-01-01T00:00:00Z"),
                           At("2026-12-31T00:00:00Z")));
  // London keeps UTC's clock in winter only.
  const date::time_zone* london = FindTimeZone("Europe/London").value();
  EXPECT_TRUE(KeepsUtcTime(london, At("2026-01-01T00:00:00Z"), At("2026-03-01T00:00:00Z")));
  EXPECT_FALSE(KeepsUtcTime(london, At("2026-01-01T00:00:00Z"), At("2026-04-01T00:00:00Z")));
  EXPECT_FALSE(KeepsUtcTime(FindTimeZone("Asia/Kolkata").value(), At("2026-01-01T00:00:00Z"),
                            At("2026-01-02T00:00:00Z")));
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

TEST(TimeBucketsTest, NamesAreChecked) {
  EXPECT_FALSE(ParseGranularity("month").ok());
  EXPECT_FALSE(FindTimeZone("Mars/Olympus").ok());
}

}  // namespace
}  // namespace telltale
