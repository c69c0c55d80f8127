#include "profile/profiler.h"

#include <cmath>
#include <vector>

#include "common/parallel.h"

namespace telltale {
namespace {

constexpr size_t kBatch = 4096;

// Feeds finite and non-finite numbers to the numeric sketches, `batch` at a time.
void AddNumbers(FieldProfile& profile, const double* values, size_t count, bool quantiles) {
  profile.moments.Update(std::span<const double>(values, count));
  double finite[kBatch];
  size_t finite_count = 0;
  for (size_t i = 0; i < count; ++i) {
    double value = values[i];
    if (!std::isfinite(value)) continue;
    finite[finite_count++] = value;
    profile.numeric_values.Update(value);
    profile.distinct.Update(value);
  }
  if (quantiles) profile.quantiles.UpdateBatch(std::span<const double>(finite, finite_count));
}

void ProfileNumbers(const Column& column, bool quantiles, FieldProfile& profile) {
  double batch[kBatch];
  size_t filled = 0;
  uint64_t values = 0;
  column.numbers.ForEach([&](double value) {
    if (value != value) {
      ++profile.null_count;
      return;
    }
    ++values;
    batch[filled++] = value;
    if (filled == kBatch) {
      AddNumbers(profile, batch, filled, quantiles);
      filled = 0;
    }
  });
  AddNumbers(profile, batch, filled, quantiles);
  (column.integral ? profile.integer_count : profile.float_count) += values;
}

void ProfileBooleans(const Column& column, FieldProfile& profile) {
  uint64_t counts[2] = {0, 0};
  column.numbers.ForEach([&](double value) {
    if (value != value) {
      ++profile.null_count;
    } else {
      ++counts[value != 0 ? 1 : 0];
    }
  });
  const char* names[2] = {"False", "True"};
  for (int flag = 0; flag < 2; ++flag) {
    if (counts[flag] == 0) continue;
    profile.categories.Update(names[flag], counts[flag]);
    profile.distinct.Update(std::string_view(names[flag]));
  }
  profile.bool_count += counts[0] + counts[1];
}

void ProfileStrings(const Column& column, bool declared_numerical, bool keep_values, bool quantiles,
                    FieldProfile& profile) {
  std::vector<uint64_t> occurrences(column.dictionary.size(), 0);
  for (uint32_t code : column.codes) {
    if (code == Column::kNullCode) {
      ++profile.null_count;
    } else {
      ++occurrences[code];
    }
  }
  if (!declared_numerical) {
    for (size_t code = 0; code < column.dictionary.size(); ++code) {
      if (occurrences[code] == 0) continue;
      if (keep_values) profile.categories.Update(column.dictionary[code], occurrences[code]);
      profile.distinct.Update(std::string_view(column.dictionary[code]));
      profile.string_count += occurrences[code];
    }
    return;
  }
  // Declared numerical: each distinct text is parsed once; rows are then fed in order.
  std::vector<double> parsed(column.dictionary.size());
  std::vector<char> integral(column.dictionary.size());
  for (size_t code = 0; code < column.dictionary.size(); ++code) {
    bool is_integral = false;
    std::optional<double> number = ParseNumber(column.dictionary[code], &is_integral);
    parsed[code] = number.value_or(std::nan(""));
    integral[code] = is_integral;
  }
  double batch[kBatch];
  size_t filled = 0;
  for (uint32_t code : column.codes) {
    if (code == Column::kNullCode) continue;
    if (std::isnan(parsed[code])) {
      ++profile.type_errors;
      continue;
    }
    (integral[code] ? profile.integer_count : profile.float_count) += 1;
    batch[filled++] = parsed[code];
    if (filled == kBatch) {
      AddNumbers(profile, batch, filled, quantiles);
      filled = 0;
    }
  }
  AddNumbers(profile, batch, filled, quantiles);
}

}  // namespace

FieldProfile ProfileColumn(const Column& column, std::optional<ColumnType> declared,
                           const SketchOptions& options) {
  FieldProfile profile(options);
  AddColumn(column, declared, options.quantiles, profile);
  return profile;
}

void AddColumn(const Column& column, std::optional<ColumnType> declared, bool quantiles,
               FieldProfile& profile, TextValues text_values) {
  profile.rows += column.size();
  switch (column.kind) {
    case StorageKind::kNumber:
      ProfileNumbers(column, quantiles, profile);
      break;
    case StorageKind::kBoolean:
      ProfileBooleans(column, profile);
      break;
    case StorageKind::kString:
      ProfileStrings(column, declared == ColumnType::kNumerical,
                     declared != ColumnType::kText || text_values == TextValues::kKeep, quantiles,
                     profile);
      break;
  }
}

DatasetProfile ProfileTable(const Table& table, const Schema& schema, const SketchOptions& options,
                            unsigned threads) {
  std::vector<FieldProfile> fields(table.columns.size(), FieldProfile(options));
  ParallelFor(table.columns.size(), threads, [&](size_t i) {
    const Column& column = table.columns[i];
    fields[i] = ProfileColumn(column, schema.TypeOf(column.name), options);
  });
  DatasetProfile profile;
  profile.set_rows(table.rows);
  for (size_t i = 0; i < fields.size(); ++i)
    profile.Put(table.columns[i].name, std::move(fields[i]));
  return profile;
}

}  // namespace telltale
