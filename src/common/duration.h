// Durations as people write them in configuration: "30", "30s", "15m", "2h", "7d", "1w".
#ifndef TELLTALE_COMMON_DURATION_H_
#define TELLTALE_COMMON_DURATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace telltale {

// Seconds, or nothing for text that is not a non-negative whole number with one of the units
// s, m, h, d, w (none means seconds).
std::optional<int64_t> ParseDuration(std::string_view text);
// The largest whole unit: 7200 -> "2h", 90 -> "90s", 0 -> "0s".
std::string FormatDuration(int64_t seconds);

}  // namespace telltale

#endif  // TELLTALE_COMMON_DURATION_H_
