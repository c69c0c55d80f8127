#include "io/column_builder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace telltale {
namespace {

constexpr double kNull = std::numeric_limits<double>::quiet_NaN();

std::optional<bool> ParseBool(std::string_view text) {
  if (text == "True" || text == "TRUE" || text == "true") return true;
  if (text == "False" || text == "FALSE" || text == "false") return false;
  return std::nullopt;
}

}  // namespace

bool IsNullMarker(std::string_view text) {
  static constexpr std::array<std::string_view, 19> kMarkers = {
      "",     "#N/A",   "#N/A N/A", "#NA",  "-1.#IND", "-1.#QNAN", "-NaN",
      "-nan", "1.#IND", "1.#QNAN",  "<NA>", "N/A",     "NA",       "NULL",
      "NaN",  "None",   "n/a",      "nan",  "null"};
  if (text.size() > 8) return false;
  // Most cells are numbers: of the markers, those starting with a digit or a minus and a digit
  // ("1.#IND", "-1.#QNAN", ...) all hold a '#'.
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!text.empty() &&
      (is_digit(text[0]) || (text[0] == '-' && text.size() > 1 && is_digit(text[1]))) &&
      text.find('#') == std::string_view::npos) {
    return false;
  }
  for (std::string_view marker : kMarkers) {
    if (text == marker) return true;
  }
  return false;
}

ColumnBuilder::ColumnBuilder(std::string name) { column_.name = std::move(name); }

size_t ColumnBuilder::size() const {
  return state_ == State::kEmpty ? leading_nulls_ : column_.size();
}

void ColumnBuilder::Reserve(size_t rows) {
  expected_rows_ = rows;
  if (state_ == State::kString) {
    column_.codes.reserve(rows);
  } else if (state_ != State::kEmpty) {
    column_.numbers.reserve(rows);
  }
}

void ColumnBuilder::EnterState(State state) {
  state_ = state;
  column_.kind = state == State::kString    ? StorageKind::kString
                 : state == State::kBoolean ? StorageKind::kBoolean
                                            : StorageKind::kNumber;
  if (state == State::kString) {
    column_.codes.reserve(expected_rows_);
    column_.codes.assign(leading_nulls_, Column::kNullCode);
  } else {
    column_.numbers.reserve(expected_rows_);
    column_.numbers.AppendNulls(leading_nulls_);
  }
}

void ColumnBuilder::AppendNull() {
  ++column_.null_count;
  switch (state_) {
    case State::kEmpty:
      ++leading_nulls_;
      break;
    case State::kNumber:
    case State::kBoolean:
      column_.numbers.push_back(kNull);
      break;
    case State::kString:
      column_.codes.push_back(Column::kNullCode);
      break;
  }
}

void ColumnBuilder::AppendText(std::string_view text) {
  if (IsNullMarker(text)) {
    AppendNull();
    return;
  }
  if (state_ != State::kString) {
    bool integral = false;
    if (state_ != State::kBoolean) {
      if (std::optional<PlainDecimal> decimal = ParsePlainDecimal(text)) {
        if (state_ == State::kEmpty) EnterState(State::kNumber);
        column_.numbers.push_back(*decimal);
        column_.integral = column_.integral && !decimal->has_point;
        return;
      }
      if (std::optional<double> number = ParseNumber(text, &integral)) {
        AppendNumber(*number, integral);
        return;
      }
    }
    if (state_ != State::kNumber) {
      if (std::optional<bool> flag = ParseBool(text)) {
        AppendBool(*flag);
        return;
      }
    }
  }
  AppendString(text);
}

void ColumnBuilder::AppendNumber(double value, bool integral) {
  if (state_ == State::kEmpty) EnterState(State::kNumber);
  if (state_ == State::kNumber) {
    column_.numbers.push_back(value);
    column_.integral = column_.integral && integral;
    return;
  }
  AppendString(FormatNumber(value));
}

void ColumnBuilder::AppendBool(bool value) {
  if (state_ == State::kEmpty) EnterState(State::kBoolean);
  if (state_ == State::kBoolean) {
    column_.numbers.push_back(value ? 1.0 : 0.0);
    return;
  }
  AppendString(value ? "True" : "False");
}

void ColumnBuilder::AppendString(std::string_view value) {
  if (state_ != State::kString) BecomeString();
  column_.codes.push_back(CodeFor(value));
}

uint32_t ColumnBuilder::CodeFor(std::string_view text) {
  auto it = codes_.find(text);
  if (it != codes_.end()) return it->second;
  uint32_t code = static_cast<uint32_t>(column_.dictionary.size());
  column_.dictionary.emplace_back(text);
  codes_.emplace(std::string(text), code);
  return code;
}

void ColumnBuilder::BecomeString() {
  if (state_ == State::kEmpty) {
    EnterState(State::kString);
    return;
  }
  // Earlier cells keep their values, as text.
  const bool was_boolean = state_ == State::kBoolean;
  NumberColumn numbers = std::move(column_.numbers);
  column_.numbers = {};
  state_ = State::kString;
  column_.kind = StorageKind::kString;
  column_.integral = false;
  column_.codes.clear();
  column_.codes.reserve(std::max(numbers.size(), expected_rows_));
  for (size_t row = 0; row < numbers.size(); ++row) {
    if (std::isnan(numbers[row])) {
      column_.codes.push_back(Column::kNullCode);
      continue;
    }
    column_.codes.push_back(
        CodeFor(was_boolean ? (numbers[row] != 0 ? "True" : "False") : FormatNumber(numbers[row])));
  }
}

Column ColumnBuilder::Finish() && {
  if (state_ == State::kEmpty) {
    // A column with no value at all is numeric and entirely null, as in pandas.
    EnterState(State::kNumber);
    column_.integral = false;
  }
  return std::move(column_);
}

}  // namespace telltale
