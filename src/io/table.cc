#include "io/table.h"

#include <charconv>
#include <cmath>

namespace telltale {

const Column* Table::Find(std::string_view name) const {
  for (const Column& column : columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

std::string Column::TextAt(size_t row) const {
  switch (kind) {
    case StorageKind::kString:
      return codes[row] == kNullCode ? std::string() : dictionary[codes[row]];
    case StorageKind::kBoolean:
      return IsNull(row) ? std::string() : (numbers[row] != 0 ? "True" : "False");
    case StorageKind::kNumber:
      return IsNull(row) ? std::string() : FormatNumber(numbers[row]);
  }
  return {};
}

std::vector<double> Column::FiniteNumbers() const {
  std::vector<double> values;
  if (kind == StorageKind::kString) {
    std::vector<double> parsed(dictionary.size());
    for (size_t code = 0; code < dictionary.size(); ++code) {
      parsed[code] = ParseNumber(dictionary[code]).value_or(std::nan(""));
    }
    for (uint32_t code : codes) {
      if (code != kNullCode && std::isfinite(parsed[code])) values.push_back(parsed[code]);
    }
    return values;
  }
  values.reserve(numbers.size());
  numbers.ForEach([&](double value) {
    if (std::isfinite(value)) values.push_back(value);
  });
  return values;
}

std::unordered_map<std::string, double> Column::CountsByText() const {
  std::unordered_map<std::string, double> counts;
  if (kind == StorageKind::kString) {
    std::vector<double> occurrences(dictionary.size(), 0);
    for (uint32_t code : codes) {
      if (code != kNullCode) ++occurrences[code];
    }
    for (size_t code = 0; code < dictionary.size(); ++code) {
      if (occurrences[code] > 0) counts[dictionary[code]] += occurrences[code];
    }
    return counts;
  }
  std::unordered_map<double, double> occurrences;
  numbers.ForEach([&](double value) {
    if (std::isfinite(value)) ++occurrences[value == 0 ? 0.0 : value];
  });
  for (const auto& [value, count] : occurrences) {
    counts[kind == StorageKind::kBoolean ? (value != 0 ? "True" : "False") : FormatNumber(value)] +=
        count;
  }
  return counts;
}

std::string FormatNumber(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  if (value == std::trunc(value) && std::abs(value) < 1e15) {
    auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), static_cast<int64_t>(value));
    return std::string(buffer, end);
  }
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end);
}

std::optional<double> ParseNumber(std::string_view text, bool* integral) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    // from_chars refuses out-of-range magnitudes; pandas reads them as +-inf or 0.
    if (error == std::errc::result_out_of_range && end == text.data() + text.size()) {
      if (integral) *integral = false;
      return value;
    }
    return std::nullopt;
  }
  if (integral) {
    bool digits_only = true;
    for (size_t i = (text.front() == '-' ? 1 : 0); i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') {
        digits_only = false;
        break;
      }
    }
    // pandas keeps integer columns only within int64; beyond that they become floats.
    *integral = digits_only && std::abs(value) < 9.2e18;
  }
  return value;
}

}  // namespace telltale
