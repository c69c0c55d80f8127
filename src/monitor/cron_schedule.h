// CronSchedule: a five-field cron expression ("minute hour day-of-month month day-of-week", as in
// crontab(5)) read in a time zone. A monitor with a schedule is evaluated at its ticks instead of
// as each window closes.
//
// A tick is every whole minute whose wall-clock time in the zone matches the expression: a time
// skipped by a daylight-saving change has no tick that day, and a repeated one ticks twice. When
// both the day of month and the day of week are restricted, a day matches either (as cron does).
#ifndef TELLTALE_MONITOR_CRON_SCHEDULE_H_
#define TELLTALE_MONITOR_CRON_SCHEDULE_H_

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telltale/result.h"

namespace date {
class time_zone;
}

namespace telltale {

class CronSchedule {
 public:
  // Fields take *, numbers, ranges (1-5), lists (1,15), steps (*/15, 9-17/2) and, for months and
  // weekdays, English abbreviations (jan, mon); Sunday is 0 or 7. @hourly, @daily (@midnight),
  // @weekly, @monthly and @yearly (@annually) stand for their expressions. An expression that can
  // never tick (0 0 31 2 *) is refused.
  static Result<CronSchedule> Parse(std::string_view text);

  // The latest tick at or before `time`, and the earliest after it (Unix seconds); none when there
  // is no tick within 30 years.
  std::optional<int64_t> Previous(int64_t time, const date::time_zone* zone) const;
  std::optional<int64_t> Next(int64_t time, const date::time_zone* zone) const;

  // The expression as written.
  const std::string& text() const { return text_; }

 private:
  bool MatchesDay(unsigned month, unsigned day_of_month, unsigned weekday) const;
  // The ticks of one local day (days since 1970-01-01), in increasing order.
  std::vector<int64_t> TicksOfDay(int64_t local_day, const date::time_zone* zone) const;

  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // 1..31
  std::bitset<13> months_;         // 1..12
  std::bitset<7> weekdays_;        // 0 = Sunday
  bool any_day_of_month_ = true;   // the field was *
  bool any_weekday_ = true;
};

}  // namespace telltale

#endif  // TELLTALE_MONITOR_CRON_SCHEDULE_H_
