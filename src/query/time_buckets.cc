#include "query/time_buckets.h"

#include <date/tz.h>

#include <string>

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

bool KeepsUtcTime(const date::time_zone* zone, int64_t from, int64_t to) {
  date::sys_info info = zone->get_info(date::sys_seconds{std::chrono::seconds(from)});
  return info.offset.count() == 0 && info.end >= date::sys_seconds{std::chrono::seconds(to)};
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
  // The first instant of that local day (earliest, should midnight be skipped or repeated).
  date::sys_seconds start;
  try {
    start = zone->to_sys(date::local_seconds(day), date::choose::earliest);
  } catch (const date::nonexistent_local_time&) {
    // Midnight skipped by a daylight-saving change: the day starts an hour later.
    start = zone->to_sys(date::local_seconds(day) + std::chrono::hours(1), date::choose::earliest);
  }
  return start.time_since_epoch().count();
}

}  // namespace telltale
