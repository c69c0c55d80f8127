// DayCalendar: the days of a model's time zone, as runs of the hourly windows (UTC hours) they
// hold. An hourly window belongs to the local day that holds its first instant, so a day at a
// daylight-saving change holds 23 or 25 windows, and in a zone with a half-hour offset the window
// that local midnight cuts belongs to the earlier day.
//
// Day rollups are kept in the days of their model's time zone, so a daily or weekly series reads
// one stored window per day.
#ifndef TELLTALE_INGEST_DAY_CALENDAR_H_
#define TELLTALE_INGEST_DAY_CALENDAR_H_

#include <date/tz.h>

#include <cstdint>
#include <string>

namespace telltale {

// The first instant (Unix seconds) of local day `day` in `zone`: its midnight, or the earliest
// instant of the day when a daylight-saving change skips midnight.
int64_t LocalMidnight(date::local_days day, const date::time_zone* zone);

class DayCalendar {
 public:
  // UTC days.
  DayCalendar() = default;
  explicit DayCalendar(const date::time_zone* zone);

  // "UTC", or the zone's name.
  std::string zone_name() const;
  // The first hourly window of the local day that holds window `hour`.
  int64_t DayOf(int64_t hour) const;
  // The first hourly window of the day after the one starting with window `day`.
  int64_t NextDay(int64_t day) const;

 private:
  const date::time_zone* zone_ = nullptr;  // null: UTC
};

}  // namespace telltale

#endif  // TELLTALE_INGEST_DAY_CALENDAR_H_
