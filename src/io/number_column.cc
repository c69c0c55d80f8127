#include "io/number_column.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

namespace telltale {
namespace {

// Up to 15 digits the mantissa is below 2^53, so it converts to a double exactly.
constexpr int kMaxDigits = 15;
constexpr int kMaxPlaces = 22;  // 10^22 is the largest power of ten a double holds exactly
constexpr double kNull = std::numeric_limits<double>::quiet_NaN();
// Whole values stay beside the encoded ones until they are this many and hold more than 3/8 of the
// rows: past that, 5 bytes per row plus 8 per whole value cost more than plain doubles.
constexpr size_t kMinWholeBeforePlain = 4096;

constexpr std::array<double, kMaxPlaces + 1> kPowersOfTen = [] {
  std::array<double, kMaxPlaces + 1> powers{};
  double power = 1;
  for (double& entry : powers) {
    entry = power;
    power *= 10;
  }
  return powers;
}();

// One correctly rounded division of two exact doubles: the double nearest mantissa / 10^places.
// `places` is 0 to kMaxPlaces.
double DecodeOne(int64_t mantissa, int8_t places) {
  return static_cast<double>(mantissa) / kPowersOfTen[static_cast<uint8_t>(places)];
}

}  // namespace

double PlainDecimal::Value() const { return DecodeOne(mantissa, places); }

bool PlainDecimal::FitsIn32Bits() const {
  return mantissa >= std::numeric_limits<int32_t>::min() &&
         mantissa <= std::numeric_limits<int32_t>::max();
}

std::optional<PlainDecimal> ParsePlainDecimal(std::string_view text) {
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  p += negative ? 1 : 0;
  const char* const number_start = p;
  auto is_digit = [](char c) { return static_cast<unsigned>(c - '0') < 10; };
  // Digits accumulate in 64 bits; past 19 they wrap, but such a number is refused below anyway.
  uint64_t mantissa = 0;
  while (p != end && *p == '0') ++p;  // leading zeros are not significant
  const char* const integer_digits = p;
  while (p != end && is_digit(*p)) mantissa = mantissa * 10 + static_cast<uint64_t>(*p++ - '0');
  ptrdiff_t significant = p - integer_digits;
  bool any_digit = p != number_start;
  int places = 0;
  const bool point = p != end && *p == '.';
  if (point) {
    const char* const fraction = ++p;
    if (mantissa == 0) {
      while (p != end && *p == '0') ++p;  // 0.00xyz: zeros before the first significant digit
    }
    const char* const fraction_digits = p;
    while (p != end && is_digit(*p)) mantissa = mantissa * 10 + static_cast<uint64_t>(*p++ - '0');
    significant += p - fraction_digits;
    places = static_cast<int>(p - fraction);
    any_digit = any_digit || p != fraction;
  }
  // "-0" is the double -0.0, which a mantissa of 0 cannot carry.
  if (p != end || !any_digit || significant > kMaxDigits || places > kMaxPlaces ||
      (negative && mantissa == 0)) {
    return std::nullopt;
  }
  PlainDecimal decimal;
  decimal.mantissa = negative ? -static_cast<int64_t>(mantissa) : static_cast<int64_t>(mantissa);
  decimal.places = static_cast<int8_t>(places);
  decimal.has_point = point;
  return decimal;
}

void NumberColumn::reserve(size_t rows) {
  reserved_rows_ = rows;
  if (plain_) {
    doubles_.reserve(rows);
  } else {
    mantissas_.reserve(rows);
    places_.reserve(rows);
  }
}

void NumberColumn::push_back(double value) {
  if (plain_) {
    doubles_.push_back(value);
  } else if (std::isnan(value)) {
    mantissas_.push_back(0);
    places_.push_back(kNullPlaces);
  } else if (value == std::trunc(value) && std::abs(value) < 1e9 &&
             !(value == 0 && std::signbit(value))) {
    // Integers (a JSON reader's, or booleans) need no text to be encoded.
    mantissas_.push_back(static_cast<int32_t>(value));
    places_.push_back(0);
  } else {
    AppendWhole(value);
  }
}

void NumberColumn::push_back(PlainDecimal decimal) {
  if (plain_) {
    doubles_.push_back(decimal.Value());
  } else if (decimal.FitsIn32Bits()) {
    mantissas_.push_back(static_cast<int32_t>(decimal.mantissa));
    places_.push_back(decimal.places);
  } else {
    AppendWhole(decimal.Value());
  }
}

void NumberColumn::AppendNulls(size_t rows) {
  if (plain_) {
    doubles_.insert(doubles_.end(), rows, kNull);
    return;
  }
  mantissas_.insert(mantissas_.end(), rows, 0);
  places_.insert(places_.end(), rows, kNullPlaces);
}

void NumberColumn::AssignPlain(std::vector<double> values) {
  doubles_ = std::move(values);
  mantissas_ = std::vector<int32_t>();
  places_ = std::vector<int8_t>();
  plain_ = true;
}

void NumberColumn::AppendWhole(double value) {
  mantissas_.push_back(static_cast<int32_t>(doubles_.size()));
  places_.push_back(kWholePlaces);
  doubles_.push_back(value);
  const size_t whole = doubles_.size();
  if ((whole >= kMinWholeBeforePlain && whole * 8 > places_.size() * 3) ||
      whole == static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    BecomePlain();
  }
}

void NumberColumn::BecomePlain() {
  std::vector<double> values;
  values.reserve(std::max(reserved_rows_, size()));
  values.resize(size());
  Decode(0, values);
  AssignPlain(std::move(values));  // frees the encoded rows' storage
}

double NumberColumn::operator[](size_t row) const {
  if (plain_) return doubles_[row];
  const int8_t places = places_[row];
  if (places >= 0) return DecodeOne(mantissas_[row], places);
  return places == kNullPlaces ? kNull : doubles_[static_cast<size_t>(mantissas_[row])];
}

void NumberColumn::Decode(size_t first, std::span<double> out) const {
  if (plain_) {
    std::memcpy(out.data(), doubles_.data() + first, out.size() * sizeof(double));
    return;
  }
  const int32_t* mantissas = mantissas_.data() + first;
  const int8_t* places = places_.data() + first;
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = places[i] >= 0             ? DecodeOne(mantissas[i], places[i])
             : places[i] == kNullPlaces ? kNull
                                        : doubles_[static_cast<size_t>(mantissas[i])];
  }
}

std::vector<double> NumberColumn::ToVector() const {
  std::vector<double> values(size());
  Decode(0, values);
  return values;
}

size_t NumberColumn::StorageBytes() const {
  return mantissas_.capacity() * sizeof(int32_t) + places_.capacity() * sizeof(int8_t) +
         doubles_.capacity() * sizeof(double);
}

}  // namespace telltale
