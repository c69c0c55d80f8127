// Table: a data file read into typed columns, the input to profiling and exact drift tests.
//
// A column stores numbers (as doubles, NaN marking a null cell), booleans (1/0, NaN null) or
// dictionary-encoded strings. How a cell is typed follows pandas' reading rules, so that telltale
// sees the same column types a pandas user does: a column is numeric while every non-null cell
// parses as a number, boolean while every one is True/False, and strings otherwise.
#ifndef TELLTALE_IO_TABLE_H_
#define TELLTALE_IO_TABLE_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/number_column.h"

namespace telltale {

enum class StorageKind { kNumber, kBoolean, kString };

struct Column {
  static constexpr uint32_t kNullCode = std::numeric_limits<uint32_t>::max();

  std::string name;
  StorageKind kind = StorageKind::kNumber;
  // kNumber and kBoolean: one value per row; NaN is a null cell. Infinities are kept.
  NumberColumn numbers;
  // kString: one code per row into `dictionary`; kNullCode is a null cell.
  std::vector<uint32_t> codes;
  std::vector<std::string> dictionary;
  // kNumber: every non-null cell was written as an integer (no decimal point or exponent).
  bool integral = true;
  uint64_t null_count = 0;

  size_t size() const { return kind == StorageKind::kString ? codes.size() : numbers.size(); }
  bool IsNull(size_t row) const {
    return kind == StorageKind::kString ? codes[row] == kNullCode : numbers[row] != numbers[row];
  }
  // The cell as text: numbers in their shortest exact form, booleans as True/False.
  std::string TextAt(size_t row) const;
  // Every finite number in the column, in row order. String cells are parsed once per distinct
  // text; those that are not numbers are left out, as are nulls and infinities.
  std::vector<double> FiniteNumbers() const;
  // Count of each non-missing value, keyed by its TextAt form; infinities are missing.
  std::unordered_map<std::string, double> CountsByText() const;
};

struct Table {
  std::string source;  // file name, for messages
  std::vector<Column> columns;
  size_t rows = 0;

  const Column* Find(std::string_view name) const;
};

// Formats a number as text: integers without a decimal point, others in the shortest form that
// reads back to the same double.
std::string FormatNumber(double value);

// Parses a whole-cell number the way pandas' CSV reader does: surrounding spaces and a leading '+'
// allowed; inf/infinity and nan accepted. `integral` tells whether it was written as an integer.
std::optional<double> ParseNumber(std::string_view text, bool* integral = nullptr);

}  // namespace telltale

#endif  // TELLTALE_IO_TABLE_H_
