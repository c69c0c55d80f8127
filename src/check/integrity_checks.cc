#include "check/integrity_checks.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "common/hash.h"

namespace telltale {
namespace {

// How many unseen categories a new_categories message names.
constexpr size_t kUnseenExamples = 5;

std::string Percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.2f%%", share * 100);
  return buffer;
}

// "strings", "booleans" or "numbers" by what a column mostly held; empty when it held nothing.
std::string_view ValueKind(const FieldProfile& field) {
  if (field.string_count > 0) return "strings";
  if (field.bool_count > 0) return "booleans";
  if (field.integer_count + field.float_count > 0) return "numbers";
  return {};
}

double MissingShare(const FieldProfile& field) {
  return field.rows == 0 ? 0.0
                         : static_cast<double>(field.missing()) / static_cast<double>(field.rows);
}

// Labels the reference profile knows for a column, in the same text form as Column::TextAt.
std::unordered_set<std::string> ReferenceLabels(const FieldProfile& field) {
  std::unordered_set<std::string> labels;
  for (const auto& [label, count] : field.categories.counts()) labels.insert(label);
  for (const auto& [value, count] : field.numeric_values.Sorted())
    labels.insert(FormatNumber(value));
  return labels;
}

void CheckColumn(const std::string& name, ColumnType type, const FieldProfile& reference,
                 const FieldProfile& current, const Column& column,
                 const IntegrityThresholds& thresholds, std::vector<IntegrityCheck>& out) {
  // A change in the kind of values (numbers, booleans, strings). Nulls that turn an integer
  // column into floats are left to the missing_share check.
  std::string_view reference_kind = ValueKind(reference);
  std::string_view current_kind = ValueKind(current);
  bool type_changed =
      !reference_kind.empty() && !current_kind.empty() && reference_kind != current_kind;
  out.push_back({"type_change", name, !type_changed, type_changed ? 1.0 : 0.0, 0.0,
                 type_changed ? "reference holds " + std::string(reference_kind) +
                                    ", current holds " + std::string(current_kind)
                              : "type unchanged"});

  if (type == ColumnType::kNumerical) {
    double non_null = static_cast<double>(current.rows - current.null_count);
    double share = non_null == 0 ? 0.0 : static_cast<double>(current.type_errors) / non_null;
    out.push_back({"type_errors", name, share <= thresholds.type_error_share, share,
                   thresholds.type_error_share,
                   std::to_string(current.type_errors) + " non-numeric values"});
  }

  double reference_missing = MissingShare(reference);
  double current_missing = MissingShare(current);
  double allowed = reference_missing + thresholds.missing_share_increase;
  out.push_back(
      {"missing_share", name, current_missing <= allowed, current_missing, allowed,
       "missing " + Percent(current_missing) + " (reference " + Percent(reference_missing) + ")"});

  uint64_t current_values = current.rows - current.missing();
  if (type == ColumnType::kCategorical && current_values > 0) {
    std::unordered_set<std::string> known = ReferenceLabels(reference);
    double unseen = 0;
    std::vector<std::pair<std::string, double>> unseen_labels;
    for (auto& [label, count] : column.CountsByText()) {
      if (known.count(label)) continue;
      unseen += count;
      unseen_labels.emplace_back(label, count);
    }
    // The most frequent unseen values name the problem best.
    std::sort(unseen_labels.begin(), unseen_labels.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::string examples;
    for (size_t i = 0; i < std::min<size_t>(kUnseenExamples, unseen_labels.size()); ++i) {
      examples += (examples.empty() ? "" : ", ") + unseen_labels[i].first;
    }
    double share = unseen / static_cast<double>(current_values);
    out.push_back({"new_categories", name, share <= thresholds.new_category_share, share,
                   thresholds.new_category_share,
                   Percent(share) + " of values unseen in reference" +
                       (examples.empty() ? "" : " (" + examples + ")")});
  }

  if (type == ColumnType::kNumerical && reference.moments.count() > 0 &&
      current.moments.count() > 0) {
    const double low = reference.moments.min();
    const double high = reference.moments.max();
    std::vector<double> numbers = column.FiniteNumbers();
    size_t outside = static_cast<size_t>(std::count_if(
        numbers.begin(), numbers.end(), [&](double value) { return value < low || value > high; }));
    double share =
        numbers.empty() ? 0.0 : static_cast<double>(outside) / static_cast<double>(numbers.size());
    out.push_back({"out_of_range", name, share <= thresholds.out_of_range_share, share,
                   thresholds.out_of_range_share,
                   Percent(share) + " outside reference [" + FormatNumber(low) + ", " +
                       FormatNumber(high) + "]"});
  }

  double reference_distinct = reference.DistinctCount();
  double current_distinct = current.DistinctCount();
  bool constant =
      std::round(current_distinct) == 1 && current_values > 1 && std::round(reference_distinct) > 1;
  out.push_back(
      {"constant_column", name, !constant, current_distinct, 1.0,
       constant ? "one value only, reference had " + FormatNumber(std::round(reference_distinct))
                : "not constant"});
  bool empty = current.rows > 0 && current_values == 0 && reference.rows > reference.missing();
  out.push_back({"empty_column", name, !empty, static_cast<double>(current_values), 0.0,
                 empty ? "every value is missing" : "has values"});
}

}  // namespace

uint64_t CountDuplicatedRows(const Table& table) {
  std::vector<uint64_t> row_hashes(table.rows, 0x84222325CBF29CE4ULL);
  constexpr uint64_t kNullHash = 0x9E3779B97F4A7C15ULL;
  auto mix = [](uint64_t& h, uint64_t cell) {
    h = (h ^ cell) * 0x100000001B3ULL;
    h ^= h >> 29;
  };
  for (const Column& column : table.columns) {
    if (column.kind != StorageKind::kString) {
      size_t row = 0;
      column.numbers.ForEach([&](double value) {
        mix(row_hashes[row++], value != value ? kNullHash : HashNumber(value));
      });
      continue;
    }
    std::vector<uint64_t> code_hashes;
    for (const std::string& entry : column.dictionary) code_hashes.push_back(HashBytes(entry));
    for (size_t row = 0; row < table.rows; ++row) {
      const uint32_t code = column.codes[row];
      mix(row_hashes[row], code == Column::kNullCode ? kNullHash : code_hashes[code]);
    }
  }
  std::sort(row_hashes.begin(), row_hashes.end());
  uint64_t duplicates = 0;
  for (size_t i = 1; i < row_hashes.size(); ++i)
    duplicates += row_hashes[i] == row_hashes[i - 1] ? 1 : 0;
  return duplicates;
}

std::vector<IntegrityCheck> RunIntegrityChecks(const IntegrityInputs& inputs,
                                               const IntegrityThresholds& thresholds) {
  std::vector<IntegrityCheck> out;
  const DatasetProfile& reference = *inputs.reference;
  const DatasetProfile& current = *inputs.current;
  for (const auto& [name, field] : reference.fields()) {
    const FieldProfile* current_field = current.Find(name);
    if (current_field == nullptr) {
      out.push_back(
          {"missing_column", name, false, 1.0, 0.0, "in reference, absent from current data"});
      continue;
    }
    auto type = inputs.types.find(name);
    if (type == inputs.types.end()) continue;  // excluded by --columns or --ignore
    const Column* column = inputs.current_table->Find(name);
    CheckColumn(name, type->second, field, *current_field, *column, thresholds, out);
  }
  for (const auto& [name, field] : current.fields()) {
    if (reference.Find(name) == nullptr) {
      out.push_back(
          {"new_column", name, false, 1.0, 0.0, "in current data, absent from reference"});
    }
  }
  const Table& table = *inputs.current_table;
  if (table.rows > 0) {
    uint64_t duplicated = CountDuplicatedRows(table);
    double share = static_cast<double>(duplicated) / static_cast<double>(table.rows);
    double allowed =
        inputs.reference_duplicated_share.value_or(0.0) + thresholds.duplicated_share_increase;
    out.push_back({"duplicated_rows", std::nullopt, share <= allowed, share, allowed,
                   std::to_string(duplicated) + " duplicated rows (" + Percent(share) + ")"});
  }
  return out;
}

}  // namespace telltale
