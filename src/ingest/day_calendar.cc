#include "ingest/day_calendar.h"

#include "ingest/window_profile.h"

namespace telltale {
namespace {

// The first hourly window that starts at or after `time`.
int64_t FirstWindowFrom(int64_t time) {
  return HourOf(time) + (time % kWindowSeconds != 0 ? 1 : 0);
}

date::local_days LocalDayOf(int64_t hour, const date::time_zone* zone) {
  date::sys_seconds instant{std::chrono::seconds(hour * kWindowSeconds)};
  return date::floor<date::days>(zone->to_local(instant));
}

}  // namespace

int64_t LocalMidnight(date::local_days day, const date::time_zone* zone) {
  date::sys_seconds start;
  try {
    start = zone->to_sys(date::local_seconds(day), date::choose::earliest);
  } catch (const date::nonexistent_local_time&) {
    // Midnight skipped by a daylight-saving change: the day starts an hour later.
    start = zone->to_sys(date::local_seconds(day) + std::chrono::hours(1), date::choose::earliest);
  }
  return start.time_since_epoch().count();
}

DayCalendar::DayCalendar(const date::time_zone* zone) : zone_(zone) {
  if (zone_ && (zone_->name() == "UTC" || zone_->name() == "Etc/UTC")) zone_ = nullptr;
}

std::string DayCalendar::zone_name() const {
  return zone_ ? std::string(zone_->name()) : std::string("UTC");
}

int64_t DayCalendar::DayOf(int64_t hour) const {
  if (!zone_) return DayStartHour(hour);
  return FirstWindowFrom(LocalMidnight(LocalDayOf(hour, zone_), zone_));
}

int64_t DayCalendar::NextDay(int64_t day) const {
  if (!zone_) return day + kHoursPerDay;
  return FirstWindowFrom(LocalMidnight(LocalDayOf(day, zone_) + date::days(1), zone_));
}

}  // namespace telltale
