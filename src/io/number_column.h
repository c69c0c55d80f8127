// NumberColumn: the values of a numeric or boolean column, one per row, NaN marking a null cell.
//
// Most numbers in data files are short decimals ("0.4714105", "37", "-12.5"). Such a value is kept
// as a 32-bit integer and its count of decimal places, 5 bytes instead of 8, and read back as the
// very double a parser makes of its text (see PlainDecimal). Other values (more digits, exponents,
// infinities) are kept whole beside them; once they are too many for the encoding to save memory,
// the column stores plain doubles from then on. `telltale check` holds two whole files in memory,
// so this is most of its footprint.
#ifndef TELLTALE_IO_NUMBER_COLUMN_H_
#define TELLTALE_IO_NUMBER_COLUMN_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace telltale {

// A number written as [-]digits[.digits], with at most 15 significant digits and 22 decimal
// places: its digits as an integer and its count of decimal places. Its value is one correctly
// rounded division of two exact doubles, the very double a full parser makes of the text, found
// without one.
struct PlainDecimal {
  int64_t mantissa = 0;
  int8_t places = 0;
  bool has_point = false;  // written with a decimal point, so not an integer

  double Value() const;
  bool FitsIn32Bits() const;
};

// `text` as a PlainDecimal, if it is one; anything else (signs other than a leading '-', spaces,
// exponents, "-0", longer numbers) is left to a full parser.
std::optional<PlainDecimal> ParsePlainDecimal(std::string_view text);

class NumberColumn {
 public:
  size_t size() const { return plain_ ? doubles_.size() : places_.size(); }
  bool empty() const { return size() == 0; }
  void reserve(size_t rows);

  void push_back(double value);
  // Stored in 5 bytes when its mantissa fits in 32 bits.
  void push_back(PlainDecimal decimal);
  // `rows` nulls.
  void AppendNulls(size_t rows);
  // Replaces the contents with doubles computed elsewhere (no text to encode), stored plain.
  void AssignPlain(std::vector<double> values);

  double operator[](size_t row) const;
  // Rows [first, first + out.size()) into `out`.
  void Decode(size_t first, std::span<double> out) const;
  std::vector<double> ToVector() const;
  // Calls visit(value) for every row in order, decoding a block at a time.
  template <typename Visit>
  void ForEach(Visit visit) const {
    if (plain_) {
      for (double value : doubles_) visit(value);
      return;
    }
    double block[kDecodeBlock];
    for (size_t first = 0; first < size(); first += kDecodeBlock) {
      const size_t count = std::min(kDecodeBlock, size() - first);
      Decode(first, std::span<double>(block, count));
      for (size_t i = 0; i < count; ++i) visit(block[i]);
    }
  }

  // Bytes held for the values (capacity), for tests and diagnostics.
  size_t StorageBytes() const;
  bool plain() const { return plain_; }

 private:
  static constexpr size_t kDecodeBlock = 1024;
  // places_ values that are not decimal places.
  static constexpr int8_t kNullPlaces = -1;
  static constexpr int8_t kWholePlaces = -2;  // mantissas_ holds the index into doubles_

  void AppendWhole(double value);
  void BecomePlain();

  bool plain_ = false;
  // Encoded: one entry per row in each of mantissas_ and places_; doubles_ holds the values kept
  // whole, in row order. Plain: doubles_ holds every row.
  std::vector<int32_t> mantissas_;
  std::vector<int8_t> places_;
  std::vector<double> doubles_;
  size_t reserved_rows_ = 0;
};

}  // namespace telltale

#endif  // TELLTALE_IO_NUMBER_COLUMN_H_
