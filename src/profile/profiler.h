// The profiler: turns columns of a Table into FieldProfiles and a DatasetProfile.
#ifndef TELLTALE_PROFILE_PROFILER_H_
#define TELLTALE_PROFILE_PROFILER_H_

#include <optional>

#include "io/table.h"
#include "profile/dataset_profile.h"
#include "profile/schema.h"

namespace telltale {

// Profiles one column. In a column declared numerical, cells that are not numbers are counted as
// type errors (and so as missing), never as values.
FieldProfile ProfileColumn(const Column& column, std::optional<ColumnType> declared,
                           const SketchOptions& options = {});
// What a profile keeps of a column declared text: its values with their counts, or only counts and
// the distinct-count sketch (the SDK's privacy mode, so that free text never leaves in a profile).
enum class TextValues { kKeep, kCountOnly };

// Adds the cells of `column` to an existing profile (the server folds each request's rows into the
// profile of their window this way).
void AddColumn(const Column& column, std::optional<ColumnType> declared, bool quantiles,
               FieldProfile& profile, TextValues text_values = TextValues::kKeep);

// Profiles every column of `table`, columns in parallel on up to `threads` threads.
DatasetProfile ProfileTable(const Table& table, const Schema& schema,
                            const SketchOptions& options = {}, unsigned threads = 1);

}  // namespace telltale

#endif  // TELLTALE_PROFILE_PROFILER_H_
