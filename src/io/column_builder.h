// ColumnBuilder: accumulates one column cell by cell while a file is read, deciding its storage
// as pandas would (see table.h). A numeric or boolean column that meets a non-numeric cell turns
// into a string column; the earlier cells keep their values, written in their shortest form.
#ifndef TELLTALE_IO_COLUMN_BUILDER_H_
#define TELLTALE_IO_COLUMN_BUILDER_H_

#include <string>
#include <string_view>
#include <unordered_map>

#include "io/table.h"
#include "sketch/category_counts.h"

namespace telltale {

class ColumnBuilder {
 public:
  explicit ColumnBuilder(std::string name);

  // A CSV cell: null markers, booleans, numbers and strings are told apart here.
  void AppendText(std::string_view text);
  // Expects about `rows` cells in all: storage is reserved once instead of grown step by step.
  void Reserve(size_t rows);
  void AppendNull();
  void AppendNumber(double value, bool integral);
  void AppendBool(bool value);
  // A value that is a string whatever it looks like (a JSON string).
  void AppendString(std::string_view value);

  size_t size() const;
  Column Finish() &&;

 private:
  enum class State { kEmpty, kNumber, kBoolean, kString };
  void BecomeString();
  // The dictionary code of `text`, adding it on first sight.
  uint32_t CodeFor(std::string_view text);
  void EnterState(State state);

  Column column_;
  State state_ = State::kEmpty;
  size_t leading_nulls_ = 0;  // nulls seen before the storage kind was known
  size_t expected_rows_ = 0;  // from Reserve
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> codes_;
};

// True for the cells pandas reads as missing by default: "", NA, N/A, NULL, NaN, None, ...
bool IsNullMarker(std::string_view text);

}  // namespace telltale

#endif  // TELLTALE_IO_COLUMN_BUILDER_H_
