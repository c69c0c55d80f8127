#include "monitor/cron_schedule.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace telltale {
namespace {

// Ticks are looked for this many days either side of a time: long enough for any expression that
// can tick at all (the 29th of February on a Monday comes back within 28 years).
constexpr int64_t kSearchDays = 366 * 30;

struct FieldInfo {
  std::string_view name;
  int low;
  int high;
  std::array<std::string_view, 12> names;  // for months (from 1) and weekdays (from 0)
};

constexpr FieldInfo kMinute{"minute", 0, 59, {}};
constexpr FieldInfo kHour{"hour", 0, 23, {}};
constexpr FieldInfo kDayOfMonth{"day of month", 1, 31, {}};
constexpr FieldInfo kMonth{
    "month",
    1,
    12,
    {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}};
// 7 is Sunday too; folded onto 0 once read.
constexpr FieldInfo kWeekday{
    "day of week", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}};

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// One value of a field: a number, or a name where the field has names.
Result<int> ReadValue(std::string_view text, const FieldInfo& field) {
  std::string lower = Lower(text);
  for (size_t i = 0; i < field.names.size(); ++i) {
    if (!field.names[i].empty() && field.names[i] == lower) {
      return static_cast<int>(i) + (field.low == 1 ? 1 : 0);
    }
  }
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(fmt::format("{} '{}' is not a number", field.name, text));
  }
  if (value < field.low || value > field.high) {
    return Status::InvalidArgument(
        fmt::format("{} {} is out of range {}-{}", field.name, value, field.low, field.high));
  }
  return value;
}

std::vector<std::string_view> SplitOn(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t begin = 0;
  while (true) {
    size_t end = text.find(separator, begin);
    parts.push_back(text.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) return parts;
    begin = end + 1;
  }
}

// Sets the bits a field selects: a comma-separated list of *, N, N-M, each with an optional /STEP.
Status ReadField(std::string_view text, const FieldInfo& field, std::vector<bool>& selected) {
  selected.assign(static_cast<size_t>(field.high) + 1, false);
  for (std::string_view item : SplitOn(text, ',')) {
    std::vector<std::string_view> stepped = SplitOn(item, '/');
    if (stepped.size() > 2) {
      return Status::InvalidArgument(
          fmt::format("{} '{}' has more than one step", field.name, item));
    }
    std::string_view range = stepped[0];
    int first = field.low;
    int last = field.high;
    if (range != "*") {
      std::vector<std::string_view> ends = SplitOn(range, '-');
      if (ends.size() > 2) {
        return Status::InvalidArgument(fmt::format("{} '{}' is not a range", field.name, range));
      }
      Result<int> low = ReadValue(ends[0], field);
      if (!low.ok()) return low.status();
      first = last = *low;
      if (ends.size() == 2) {
        Result<int> high = ReadValue(ends[1], field);
        if (!high.ok()) return high.status();
        last = *high;
        if (last < first) {
          return Status::InvalidArgument(
              fmt::format("{} range '{}' ends before it starts", field.name, range));
        }
      }
    }
    int step = 1;
    if (stepped.size() == 2) {
      auto [end, error] =
          std::from_chars(stepped[1].data(), stepped[1].data() + stepped[1].size(), step);
      if (stepped[1].empty() || error != std::errc() ||
          end != stepped[1].data() + stepped[1].size() || step < 1) {
        return Status::InvalidArgument(
            fmt::format("{} step '{}' is not a positive number", field.name, stepped[1]));
      }
      // N/STEP runs from N to the end of the field.
      if (range != "*" && range.find('-') == std::string_view::npos) last = field.high;
    }
    for (int value = first; value <= last; value += step) {
      selected[static_cast<size_t>(value)] = true;
    }
  }
  return Status::Ok();
}

template <size_t N>
std::bitset<N> ToBits(const std::vector<bool>& selected) {
  std::bitset<N> bits;
  for (size_t i = 0; i < selected.size() && i < N; ++i) bits[i] = selected[i];
  return bits;
}

std::string_view Expand(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kMacros = {{
      {"@hourly", "0 * * * *"},
      {"@daily", "0 0 * * *"},
      {"@midnight", "0 0 * * *"},
      {"@weekly", "0 0 * * 0"},
      {"@monthly", "0 0 1 * *"},
      {"@yearly", "0 0 1 1 *"},
      {"@annually", "0 0 1 1 *"},
  }};
  for (const auto& [macro, expression] : kMacros) {
    if (macro == text) return expression;
  }
  return text;
}

constexpr std::array<unsigned, 13> kLongestMonth = {0,  31, 29, 31, 30, 31, 30,
                                                    31, 31, 30, 31, 30, 31};

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view text) {
  std::string_view expression = Expand(text);
  std::vector<std::string_view> fields;
  for (std::string_view part : SplitOn(expression, ' ')) {
    if (!part.empty()) fields.push_back(part);
  }
  if (fields.size() != 5) {
    return Status::InvalidArgument(fmt::format(
        "'{}' has {} fields; a schedule has five: minute hour day-of-month month day-of-week "
        "(such as \"0 9 * * mon-fri\"), or @hourly, @daily, @weekly, @monthly, @yearly",
        text, fields.size()));
  }
  CronSchedule schedule;
  schedule.text_ = std::string(text);
  std::vector<bool> selected;
  TELLTALE_RETURN_IF_ERROR(ReadField(fields[0], kMinute, selected));
  schedule.minutes_ = ToBits<60>(selected);
  TELLTALE_RETURN_IF_ERROR(ReadField(fields[1], kHour, selected));
  schedule.hours_ = ToBits<24>(selected);
  TELLTALE_RETURN_IF_ERROR(ReadField(fields[2], kDayOfMonth, selected));
  schedule.days_of_month_ = ToBits<32>(selected);
  TELLTALE_RETURN_IF_ERROR(ReadField(fields[3], kMonth, selected));
  schedule.months_ = ToBits<13>(selected);
  TELLTALE_RETURN_IF_ERROR(ReadField(fields[4], kWeekday, selected));
  schedule.weekdays_ = ToBits<7>(selected);
  if (selected[7]) schedule.weekdays_[0] = true;
  // As cron: a field that starts with * does not restrict the day.
  schedule.any_day_of_month_ = fields[2].front() == '*';
  schedule.any_weekday_ = fields[4].front() == '*';

  bool some_day = !schedule.any_weekday_ && !schedule.any_day_of_month_;  // either one matches
  for (unsigned month = 1; month <= 12 && !some_day; ++month) {
    for (unsigned day = 1; day <= kLongestMonth[month] && !some_day; ++day) {
      some_day = schedule.months_[month] && schedule.days_of_month_[day];
    }
  }
  if (!some_day) {
    return Status::InvalidArgument(
        fmt::format("'{}' never ticks: no month selected has the days of month selected", text));
  }
  return schedule;
}

bool CronSchedule::MatchesDay(unsigned month, unsigned day_of_month, unsigned weekday) const {
  if (!months_[month]) return false;
  bool by_day_of_month = days_of_month_[day_of_month];
  bool by_weekday = weekdays_[weekday];
  if (any_day_of_month_ || any_weekday_) return by_day_of_month && by_weekday;
  return by_day_of_month || by_weekday;
}

std::vector<int64_t> CronSchedule::TicksOfDay(int64_t local_day,
                                              const date::time_zone* zone) const {
  std::vector<int64_t> ticks;
  date::local_days day{date::days(local_day)};
  date::year_month_day ymd{day};
  if (!MatchesDay(static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  date::weekday{day}.c_encoding())) {
    return ticks;
  }
  for (int hour = 0; hour < 24; ++hour) {
    if (!hours_[static_cast<size_t>(hour)]) continue;
    for (int minute = 0; minute < 60; ++minute) {
      if (!minutes_[static_cast<size_t>(minute)]) continue;
      date::local_seconds local = day + std::chrono::hours(hour) + std::chrono::minutes(minute);
      date::local_info info = zone->get_info(local);
      int64_t wall = local.time_since_epoch().count();
      if (info.result == date::local_info::nonexistent) continue;
      ticks.push_back(wall - info.first.offset.count());
      if (info.result == date::local_info::ambiguous) {
        ticks.push_back(wall - info.second.offset.count());
      }
    }
  }
  std::sort(ticks.begin(), ticks.end());
  return ticks;
}

std::optional<int64_t> CronSchedule::Previous(int64_t time, const date::time_zone* zone) const {
  date::local_seconds local = zone->to_local(date::sys_seconds{std::chrono::seconds(time)});
  // The day after too: a repeated hour may put a tick before `time` on the next local day.
  int64_t today = date::floor<date::days>(local).time_since_epoch().count() + 1;
  for (int64_t day = today; day > today - kSearchDays; --day) {
    std::vector<int64_t> ticks = TicksOfDay(day, zone);
    auto after = std::upper_bound(ticks.begin(), ticks.end(), time);
    if (after != ticks.begin()) return *std::prev(after);
  }
  return std::nullopt;
}

std::optional<int64_t> CronSchedule::Next(int64_t time, const date::time_zone* zone) const {
  date::local_seconds local = zone->to_local(date::sys_seconds{std::chrono::seconds(time)});
  int64_t today = date::floor<date::days>(local).time_since_epoch().count() - 1;
  for (int64_t day = today; day < today + kSearchDays; ++day) {
    std::vector<int64_t> ticks = TicksOfDay(day, zone);
    auto after = std::upper_bound(ticks.begin(), ticks.end(), time);
    if (after != ticks.end()) return *after;
  }
  return std::nullopt;
}

}  // namespace telltale
