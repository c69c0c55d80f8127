// Time buckets of a series: hours in UTC, and days and weeks (starting Monday) in the model's time
// zone, so a day at a daylight-saving change has 23 or 25 hourly windows.
#ifndef TELLTALE_QUERY_TIME_BUCKETS_H_
#define TELLTALE_QUERY_TIME_BUCKETS_H_

#include <cstdint>
#include <string_view>

#include "telltale/result.h"

namespace date {
class time_zone;
}

namespace telltale {

enum class Granularity { kHour, kDay, kWeek };

Result<Granularity> ParseGranularity(std::string_view name);
// InvalidArgument for a name the time-zone database does not know.
Result<const date::time_zone*> FindTimeZone(std::string_view name);
// The start (Unix seconds) of the bucket that holds the instant `time`.
int64_t BucketStart(int64_t time, Granularity granularity, const date::time_zone* zone);

}  // namespace telltale

#endif  // TELLTALE_QUERY_TIME_BUCKETS_H_
