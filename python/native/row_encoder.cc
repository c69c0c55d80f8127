#include "row_encoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

namespace telltale::python {
namespace {

constexpr int64_t kNaT = std::numeric_limits<int64_t>::min();

// The output, written through a raw pointer: each piece first asks for room for its longest form
// (plus the slack of fixed-size copies), then writes without further checks.
class Output {
 public:
  explicit Output(std::string& out) : out_(out), end_(out.size()) {}
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output() { out_.resize(end_); }

  char* Room(size_t bytes) {
    if (out_.size() - end_ < bytes) out_.resize(std::max(out_.size() * 2, end_ + bytes));
    return out_.data() + end_;
  }
  void Done(char* end) { end_ = static_cast<size_t>(end - out_.data()); }
  // Where the output ends now, and going back there (a pointer would not survive a resize).
  size_t mark() const { return end_; }
  void Truncate(size_t mark) { end_ = mark; }

 private:
  std::string& out_;
  size_t end_;
};

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Writes the decimal digits of `value` so that they end at `end`; returns where they start.
char* WriteDigitsBackwards(uint64_t value, char* end) {
  while (value >= 100) {
    end -= 2;
    std::memcpy(end, kDigitPairs + 2 * (value % 100), 2);
    value /= 100;
  }
  if (value >= 10) {
    end -= 2;
    std::memcpy(end, kDigitPairs + 2 * value, 2);
    return end;
  }
  *--end = static_cast<char>('0' + value);
  return end;
}

// What a number may take: 25 characters, and the slack of the fixed-size copies below.
constexpr size_t kNumberRoom = 48;

// `value` (finite) in the shortest form that reads back as the same double: Dragonbox's digits
// (from fmt, as fmt's own formatting uses them), in fixed notation from 1e-5 to below 1e16 and in
// scientific notation beyond. Laying the digits out here, with fixed-size copies, takes half the
// time fmt's general-purpose formatting does.
char* WriteNumber(double value, char* to) {
  if (std::signbit(value)) *to++ = '-';
  if (value == 0) {
    *to++ = '0';
    return to;
  }
  auto decimal = fmt::detail::dragonbox::to_decimal(value);
  // The digits (at most 17) end in the middle of the buffer, so that copying a fixed 24 bytes
  // from their start never reads past it.
  char buffer[48];
  char* digits_end = buffer + 24;
  const char* first = WriteDigitsBackwards(decimal.significand, digits_end);
  const int count = static_cast<int>(digits_end - first);
  const int point = count + decimal.exponent;  // digits before the decimal point
  if (point > 16 || point < -4) {
    *to++ = first[0];
    if (count > 1) {
      *to++ = '.';
      std::memcpy(to, first + 1, 16);
      to += count - 1;
    }
    *to++ = 'e';
    int exponent = point - 1;
    *to++ = exponent < 0 ? '-' : '+';
    char exponent_digits[8];  // at most 3 digits, ending at +4; the copy reads 4 from their start
    char* exponent_end = exponent_digits + 4;
    char* exponent_first = WriteDigitsBackwards(std::abs(exponent), exponent_end);
    std::memcpy(to, exponent_first, 4);
    return to + (exponent_end - exponent_first);
  }
  if (point <= 0) {  // 0.000ddd
    std::memcpy(to, "0.0000", 6);
    to += 2 - point;
    std::memcpy(to, first, 24);
    return to + count;
  }
  if (point >= count) {  // an integer: the digits, then zeros
    std::memcpy(to, first, 24);
    std::memset(to + count, '0', 16);
    return to + point;
  }
  std::memcpy(to, first, 16);  // ddd.ddd
  to[point] = '.';
  std::memcpy(to + point + 1, first + point, 24);
  return to + count + 1;
}

// `value` (not negative) zero-padded to `width` digits; writes up to 24 bytes past them.
char* WriteDigits(int64_t value, int width, char* to) {
  char buffer[48];
  char* digits_end = buffer + 24;
  char* first = WriteDigitsBackwards(static_cast<uint64_t>(value), digits_end);
  for (int pad = width - static_cast<int>(digits_end - first); pad > 0; --pad) *to++ = '0';
  std::memcpy(to, first, 24);
  return to + (digits_end - first);
}

constexpr size_t kTimeRoom = 64;  // "dddd-dd-ddTdd:dd:dd.ddddddZ" and the slack of WriteDigits

// Nanoseconds since the epoch as a quoted RFC 3339 UTC time: "2026-11-24T10:00:00Z", with
// .ffffff when the time has a fraction of a second.
char* WriteRfc3339(int64_t since_epoch_ns, char* to) {
  using namespace std::chrono;
  constexpr int64_t kNanosPerDay = 86'400'000'000'000;
  int64_t day_number = since_epoch_ns / kNanosPerDay;
  int64_t of_day = since_epoch_ns % kNanosPerDay;
  if (of_day < 0) {
    of_day += kNanosPerDay;
    --day_number;
  }
  year_month_day date{sys_days{days{day_number}}};
  int64_t seconds = of_day / 1'000'000'000;
  *to++ = '"';
  to = WriteDigits(static_cast<int>(date.year()), 4, to);
  *to++ = '-';
  to = WriteDigits(static_cast<unsigned>(date.month()), 2, to);
  *to++ = '-';
  to = WriteDigits(static_cast<unsigned>(date.day()), 2, to);
  *to++ = 'T';
  to = WriteDigits(seconds / 3600, 2, to);
  *to++ = ':';
  to = WriteDigits(seconds / 60 % 60, 2, to);
  *to++ = ':';
  to = WriteDigits(seconds % 60, 2, to);
  int64_t micros = of_day % 1'000'000'000 / 1000;
  if (micros != 0) {
    *to++ = '.';
    to = WriteDigits(micros, 6, to);
  }
  std::memcpy(to, "Z\"", 2);
  return to + 2;
}

// Writes the cell of `column` at `row` after `separator` and returns true, or returns false for a
// missing cell.
bool WriteCell(const EncodedColumn& column, size_t row, char separator, Output& out) {
  using Kind = EncodedColumn::Kind;
  auto start = [&](size_t value_room) {
    char* to = out.Room(1 + column.key.padded_size() + value_room);
    *to++ = separator;
    return column.key.CopyTo(to);
  };
  switch (column.kind) {
    case Kind::kNumber: {
      double value = column.numbers[row];
      if (!std::isfinite(value)) return false;
      out.Done(WriteNumber(value, start(kNumberRoom)));
      return true;
    }
    case Kind::kBoolean: {
      double value = column.numbers[row];
      if (std::isnan(value)) return false;
      char* to = start(8);
      std::memcpy(to, value != 0 ? "true " : "false", 5);
      out.Done(to + (value != 0 ? 4 : 5));
      return true;
    }
    case Kind::kString:
    case Kind::kJson: {
      int64_t code = column.codes[row];
      if (code < 0) return false;
      const PaddedText& text = column.dictionary[static_cast<size_t>(code)];
      out.Done(text.CopyTo(start(text.padded_size())));
      return true;
    }
    case Kind::kTimestamp: {
      int64_t value = column.nanoseconds[row];
      if (value == kNaT) return false;
      out.Done(WriteRfc3339(value, start(kTimeRoom)));
      return true;
    }
    case Kind::kEmbedding: {
      const double* values = column.numbers + row * column.dimension;
      if (column.dimension == 0 || std::isnan(values[0])) return false;
      char* to = start(2 + column.dimension * (kNumberRoom + 1));
      *to++ = '[';
      for (size_t i = 0; i < column.dimension; ++i) {
        if (i > 0) *to++ = ',';
        to = WriteNumber(values[i], to);
      }
      *to++ = ']';
      out.Done(to);
      return true;
    }
  }
  return false;
}

}  // namespace

PaddedText::PaddedText(std::string_view text) : bytes_(text), size_(text.size()) {
  bytes_.resize((size_ + 15) / 16 * 16);
}

char* PaddedText::CopyTo(char* to) const {
  for (size_t i = 0; i < bytes_.size(); i += 16) std::memcpy(to + i, bytes_.data() + i, 16);
  return to + size_;
}

void AppendJsonString(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20) {
      out.append("\\u00");
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void EncodeRows(const RowBatch& batch, size_t begin, size_t end, std::string& out) {
  Output output(out);
  constexpr std::string_view kIdKey = "{\"id\":";
  constexpr std::string_view kTimeKey = "\"timestamp\":";
  for (size_t row = begin; row < end; ++row) {
    char separator = '{';
    if (!batch.ids.empty()) {
      const PaddedText& id = batch.ids[row];
      char* to = output.Room(kIdKey.size() + id.padded_size());
      std::memcpy(to, kIdKey.data(), kIdKey.size());
      output.Done(id.CopyTo(to + kIdKey.size()));
      separator = ',';
    }
    if (batch.timestamps != nullptr && batch.timestamps[row] != kNaT) {
      char* to = output.Room(1 + kTimeKey.size() + kTimeRoom);
      *to++ = separator;
      std::memcpy(to, kTimeKey.data(), kTimeKey.size());
      output.Done(WriteRfc3339(batch.timestamps[row], to + kTimeKey.size()));
      separator = ',';
    }
    for (const EncodedGroup& group : batch.groups) {
      // The group's opening is written, then taken back if every cell of the group is missing.
      size_t group_start = output.mark();
      char* to = output.Room(1 + group.role.padded_size());
      *to = separator;
      output.Done(group.role.CopyTo(to + 1));
      char field_separator = '{';
      for (const EncodedColumn& column : group.columns) {
        if (WriteCell(column, row, field_separator, output)) field_separator = ',';
      }
      if (field_separator == '{') {
        output.Truncate(group_start);
      } else {
        char* to = output.Room(1);
        *to = '}';
        output.Done(to + 1);
        separator = ',';
      }
    }
    char* to = output.Room(3);
    if (separator == '{') *to++ = '{';
    std::memcpy(to, "}\n", 2);
    output.Done(to + 2);
  }
}

}  // namespace telltale::python
