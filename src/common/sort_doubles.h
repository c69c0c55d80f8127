// SortDoubles: sorts doubles ascending by Boost's radix-based integer_sort on order-preserving
// 64-bit keys, a little faster than comparison sorts on large arrays. (Boost's float_sort does the
// same on signed keys and overflows a signed subtraction, which UBSan rightly reports.)
// Values must not be NaN; -0.0 sorts before 0.0.
#ifndef TELLTALE_COMMON_SORT_DOUBLES_H_
#define TELLTALE_COMMON_SORT_DOUBLES_H_

#include <bit>
#include <boost/sort/spreadsort/integer_sort.hpp>
#include <cstdint>
#include <span>
#include <vector>

namespace telltale {

namespace sort_doubles_internal {

constexpr uint64_t kSignBit = uint64_t{1} << 63;

// Negative values: all bits flipped; others: the sign bit set. Unsigned order is then numeric
// order.
inline uint64_t Key(double value) {
  uint64_t bits = std::bit_cast<uint64_t>(value);
  return (bits & kSignBit) ? ~bits : bits | kSignBit;
}

inline double Value(uint64_t key) {
  return std::bit_cast<double>((key & kSignBit) ? key & ~kSignBit : ~key);
}

}  // namespace sort_doubles_internal

inline void SortDoubles(std::span<double> values) {
  using sort_doubles_internal::Key;
  using sort_doubles_internal::Value;
  thread_local std::vector<uint64_t> keys;  // reused by every call on this thread
  keys.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) keys[i] = Key(values[i]);
  boost::sort::spreadsort::integer_sort(keys.begin(), keys.end());
  for (size_t i = 0; i < values.size(); ++i) values[i] = Value(keys[i]);
}

}  // namespace telltale

#endif  // TELLTALE_COMMON_SORT_DOUBLES_H_
