#include "monitor/cron_schedule.h"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <random>

#include "ingest/row_decoder.h"
#include "query/time_buckets.h"

namespace telltale {
namespace {

int64_t At(const char* text) { return ParseRfc3339(text).value(); }
CronSchedule Cron(const char* text) { return CronSchedule::Parse(text).value(); }
const date::time_zone* Utc() { return FindTimeZone("UTC").value(); }
const date::time_zone* NewYork() { return FindTimeZone("America/New_York").value(); }

TEST(CronScheduleTest, RefusesMalformedExpressionsNamingThePart) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& bad :
       {Case{"0 9 * *", "has 4 fields"}, Case{"60 * * * *", "minute 60 is out of range 0-59"},
        Case{"0 24 * * *", "hour 24 is out of range 0-23"},
        Case{"0 0 0 * *", "day of month 0 is out of range 1-31"},
        Case{"0 0 * 13 *", "month 13 is out of range 1-12"},
        Case{"0 0 * * 8", "day of week 8 is out of range 0-7"},
        Case{"0 0 * * funday", "day of week 'funday' is not a number"},
        Case{"5-1 * * * *", "ends before it starts"},
        Case{"*/0 * * * *", "step '0' is not a positive number"},
        Case{"1,,2 * * * *", "minute '' is not a number"}, Case{"0 0 31 2 *", "never ticks"},
        Case{"0 0 30,31 feb *", "never ticks"}, Case{"@often", "has 1 fields"}}) {
    Result<CronSchedule> parsed = CronSchedule::Parse(bad.text);
    ASSERT_FALSE(parsed.ok()) << bad.text;
    EXPECT_NE(parsed.status().message().find(bad.says), std::string::npos)
        << bad.text << ": " << parsed.status().message();
  }
}

TEST(CronScheduleTest, WeekdayMorningsInUtc) {
  CronSchedule schedule = Cron("0 9 * * mon-fri");
  // Saturday 2026-11-28: the last tick was Friday morning, the next is Monday's.
  EXPECT_EQ(schedule.Previous(At("2026-11-28T12:00:00Z"), Utc()), At("2026-11-27T09:00:00Z"));
  EXPECT_EQ(schedule.Next(At("2026-11-28T12:00:00Z"), Utc()), At("2026-11-30T09:00:00Z"));
  // A tick is its own previous tick, and not its own next.
  EXPECT_EQ(schedule.Previous(At("2026-11-30T09:00:00Z"), Utc()), At("2026-11-30T09:00:00Z"));
  EXPECT_EQ(schedule.Next(At("2026-11-30T09:00:00Z"), Utc()), At("2026-12-01T09:00:00Z"));
}

TEST(CronScheduleTest, ReadsInTheModelsTimeZone) {
  CronSchedule schedule = Cron("0 9 * * *");
  // 09:00 in New York is 14:00Z in winter and 13:00Z in summer.
  EXPECT_EQ(schedule.Next(At("2026-12-01T00:00:00Z"), NewYork()), At("2026-12-01T14:00:00Z"));
  EXPECT_EQ(schedule.Next(At("2026-07-01T00:00:00Z"), NewYork()), At("2026-07-01T13:00:00Z"));
}

TEST(CronScheduleTest, SkippedTimesDoNotTickAndRepeatedOnesTickTwice) {
  // 2026-03-08 in New York skips 02:00-03:00: 02:30 does not happen that day.
  CronSchedule half_past_two = Cron("30 2 * * *");
  EXPECT_EQ(half_past_two.Next(At("2026-03-07T12:00:00Z"), NewYork()), At("2026-03-09T06:30:00Z"));
  // 2026-11-01 repeats 01:00-02:00: 01:30 happens in daylight time, then in standard time.
  CronSchedule half_past_one = Cron("30 1 * * *");
  EXPECT_EQ(half_past_one.Next(At("2026-11-01T00:00:00Z"), NewYork()), At("2026-11-01T05:30:00Z"));
  EXPECT_EQ(half_past_one.Next(At("2026-11-01T05:30:00Z"), NewYork()), At("2026-11-01T06:30:00Z"));
  EXPECT_EQ(half_past_one.Previous(At("2026-11-01T06:10:00Z"), NewYork()),
            At("2026-11-01T05:30:00Z"));
  EXPECT_EQ(half_past_one.Previous(At("2026-11-01T07:00:00Z"), NewYork()),
            At("2026-11-01T06:30:00Z"));
}

TEST(CronScheduleTest, RestrictedDayOfMonthAndWeekdayMatchEitherAsCronDoes) {
  // Midnight on the 12th and on Fridays: Thursday 12 November 2026 and Friday the 6th/13th.
  CronSchedule either = Cron("0 0 12 * fri");
  EXPECT_EQ(either.Next(At("2026-11-07T00:00:00Z"), Utc()), At("2026-11-12T00:00:00Z"));
  EXPECT_EQ(either.Next(At("2026-11-12T00:00:00Z"), Utc()), At("2026-11-13T00:00:00Z"));
  // A day of month of */2 counts as unrestricted: odd days that are also Fridays.
  CronSchedule both = Cron("0 0 */2 * 5");
  EXPECT_EQ(both.Next(At("2026-11-01T00:00:00Z"), Utc()), At("2026-11-13T00:00:00Z"));
}

TEST(CronScheduleTest, StepsRangesListsNamesAndMacros) {
  CronSchedule stepped = Cron("15 9-17/4 * * *");  // 09:15, 13:15, 17:15
  EXPECT_EQ(stepped.Next(At("2026-11-02T09:15:00Z"), Utc()), At("2026-11-02T13:15:00Z"));
  EXPECT_EQ(stepped.Next(At("2026-11-02T17:15:00Z"), Utc()), At("2026-11-03T09:15:00Z"));
  CronSchedule from = Cron("50/5 * * * *");  // 50 and 55 past
  EXPECT_EQ(from.Next(At("2026-11-02T09:55:00Z"), Utc()), At("2026-11-02T10:50:00Z"));
  CronSchedule listed = Cron("0 0 1,15 JAN,jul *");
  EXPECT_EQ(listed.Next(At("2026-01-15T00:00:00Z"), Utc()), At("2026-07-01T00:00:00Z"));
  CronSchedule sunday = Cron("0 12 * * 7");
  EXPECT_EQ(sunday.Next(At("2026-11-30T00:00:00Z"), Utc()), At("2026-12-06T12:00:00Z"));
  EXPECT_EQ(Cron("@weekly").Next(At("2026-12-01T00:00:00Z"), Utc()), At("2026-12-06T00:00:00Z"));
  EXPECT_EQ(Cron("@hourly").Previous(At("2026-12-01T10:59:59Z"), Utc()),
            At("2026-12-01T10:00:00Z"));
  EXPECT_EQ(Cron("@monthly").text(), "@monthly");
  // Leap days come back in 2028.
  EXPECT_EQ(Cron("0 0 29 2 *").Next(At("2026-03-01T00:00:00Z"), Utc()), At("2028-02-29T00:00:00Z"));
}

// Against a plain scan over every minute: its wall-clock fields in the zone, checked by a
// predicate written out for each expression.
struct Wall {
  int minute, hour, day, month, weekday;
};

TEST(CronScheduleTest, AgreesWithAMinuteByMinuteScan) {
  struct Case {
    const char* text;
    bool (*ticks)(const Wall&);
  };
  const Case cases[] = {
      {"*/7 * * * *", [](const Wall& w) { return w.minute % 7 == 0; }},
      {"0 */5 * * *", [](const Wall& w) { return w.minute == 0 && w.hour % 5 == 0; }},
      {"30 2 * * *", [](const Wall& w) { return w.minute == 30 && w.hour == 2; }},
      {"30 1 * * sun",
       [](const Wall& w) { return w.minute == 30 && w.hour == 1 && w.weekday == 0; }},
      {"0 0 1-3,28 * *",
       [](const Wall& w) { return w.minute == 0 && w.hour == 0 && (w.day <= 3 || w.day == 28); }},
      {"45 23 * * 1-5",
       [](const Wall& w) {
         return w.minute == 45 && w.hour == 23 && w.weekday >= 1 && w.weekday <= 5;
       }},
      {"0 9 13 * fri",
       [](const Wall& w) {
         return w.minute == 0 && w.hour == 9 && (w.day == 13 || w.weekday == 5);
       }},
      {"0,30 0-2 * mar,nov *",
       [](const Wall& w) {
         return w.minute % 30 == 0 && w.hour <= 2 && (w.month == 3 || w.month == 11);
       }},
  };
  // New York changes by an hour at 02:00, Lord Howe by half an hour at 02:00.
  const date::time_zone* zones[] = {Utc(), NewYork(), FindTimeZone("Australia/Lord_Howe").value()};
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> offset(0, 50 * 86400);
  for (const Case& test : cases) {
    CronSchedule schedule = Cron(test.text);
    for (const date::time_zone* zone : zones) {
      auto ticks = [&](int64_t minute) {
        date::local_seconds local = zone->to_local(date::sys_seconds{std::chrono::seconds(minute)});
        date::local_days day = date::floor<date::days>(local);
        auto clock = date::make_time(local - day);
        date::year_month_day ymd{day};
        return test.ticks({static_cast<int>(clock.minutes().count()),
                           static_cast<int>(clock.hours().count()),
                           static_cast<int>(static_cast<unsigned>(ymd.day())),
                           static_cast<int>(static_cast<unsigned>(ymd.month())),
                           static_cast<int>(date::weekday{day}.c_encoding())});
      };
      for (int trial = 0; trial < 4; ++trial) {
        // Around March (New York's spring change) and October-November (its fall change, and
        // Lord Howe's spring one).
        int64_t base = trial % 2 == 0 ? At("2026-02-20T00:00:00Z") : At("2026-09-20T00:00:00Z");
        int64_t time = base + offset(rng);
        int64_t previous = time - time % 60;
        while (!ticks(previous)) previous -= 60;
        int64_t next = time - time % 60 + 60;
        while (!ticks(next)) next += 60;
        EXPECT_EQ(schedule.Previous(time, zone), previous) << test.text << " " << zone->name();
        EXPECT_EQ(schedule.Next(time, zone), next) << test.text << " " << zone->name();
      }
    }
  }
}

}  // namespace
}  // namespace telltale
