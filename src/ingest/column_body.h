// WriteColumnBody: a columnar ingest body (the format column_decoder.h reads) from columns held in
// memory — what the Python SDK sends for DataFrames, and what the load generator and benchmarks
// post. Numbers are copied as they lie; nothing is formatted.
#ifndef TELLTALE_INGEST_COLUMN_BODY_H_
#define TELLTALE_INGEST_COLUMN_BODY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace telltale {

// One column over all rows of a batch; the arrays are borrowed.
struct ColumnSource {
  enum class Kind { kNumber, kBoolean, kTimestamp, kEmbedding, kCoded };
  std::string name;
  Kind kind = Kind::kNumber;
  // kNumber; kBoolean as 0 or 1; kEmbedding rows x dimension. NaN (an embedding's first element)
  // is missing.
  const double* numbers = nullptr;
  size_t dimension = 0;                  // kEmbedding
  const int64_t* nanoseconds = nullptr;  // kTimestamp, since the Unix epoch; INT64_MIN is missing
  const int64_t* codes = nullptr;        // kCoded: index into dictionary; negative is missing
  std::vector<std::string> dictionary;   // kCoded: each value as a JSON literal
};

struct ColumnGroup {
  std::string role;  // features, predictions, actuals or raw
  std::vector<ColumnSource> columns;
};

struct ColumnBatch {
  size_t rows = 0;
  std::vector<std::string> ids;         // one per row, or none
  const int64_t* timestamps = nullptr;  // nanoseconds per row (INT64_MIN: none), or null
  std::vector<ColumnGroup> groups;
};

// The body for rows [begin, end) of `batch`.
std::string WriteColumnBody(const ColumnBatch& batch, size_t begin, size_t end);

}  // namespace telltale

#endif  // TELLTALE_INGEST_COLUMN_BODY_H_
