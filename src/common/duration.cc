#include "common/duration.h"

#include <cctype>
#include <charconv>
#include <limits>
#include <utility>

namespace telltale {
namespace {

constexpr std::pair<char, int64_t> kUnits[] = {
    {'w', 7 * 86400}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

}  // namespace

std::optional<int64_t> ParseDuration(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  int64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || number < 0) return std::nullopt;
  std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  if (unit.empty()) return number;
  if (unit.size() != 1) return std::nullopt;
  for (const auto& [letter, seconds] : kUnits) {
    if (std::tolower(static_cast<unsigned char>(unit[0])) != letter) continue;
    if (number > std::numeric_limits<int64_t>::max() / seconds) return std::nullopt;
    return number * seconds;
  }
  return std::nullopt;
}

std::string FormatDuration(int64_t seconds) {
  for (const auto& [letter, size] : kUnits) {
    if (seconds != 0 && seconds % size == 0) return std::to_string(seconds / size) + letter;
  }
  return std::to_string(seconds) + "s";
}

}  // namespace telltale
