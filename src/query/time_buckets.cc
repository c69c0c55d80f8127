#include "query/time_buckets.h"

#include <date/tz.h>

#include <string>

#include "ingest/day_calendar.h"
#include "ingest/window_profile.h"

namespace telltale {

Result<Granularity> ParseGranularity(std::string_view name) {
  if (name == "hour") return Granularity::kHour;
  if (name == "day") return Granularity::kDay;
  if (name == "week") return Granularity::kWeek;
  return Status::InvalidArgument("granularity '" + std::string(name) + "': one of hour, day, week");
}

Result<const date::time_zone*> FindTimeZone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return Status::InvalidArgument("unknown time zone '" + std::string(name) + "'");
  }
}

int64_t BucketStart(int64_t time, Granularity granularity, const date::time_zone* zone) {
  if (granularity == Granularity::kHour) return HourOf(time) * kWindowSeconds;
  using std::chrono::seconds;
  date::sys_seconds instant{seconds(time)};
  date::local_seconds local = zone->to_local(instant);
  date::local_days day = date::floor<date::days>(local);
  if (granularity == Granularity::kWeek) {
    date::weekday weekday{day};
    day -= (weekday - date::Monday);
  }
  return LocalMidnight(day, zone);
}

}  // namespace telltale
