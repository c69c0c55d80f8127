// CSV rows for ingestion (a training set exported from pandas, say): a header row names the
// columns; `id` and `timestamp` columns are used when present; every other column is matched to
// the schema field of that name, in any role. Columns the schema does not know are counted as
// unknown fields; fields without a column are missing. Cells are validated as JSON values are
// (a numeric field's cell must parse as a number); a bad cell rejects its row, naming the line.
#ifndef TELLTALE_INGEST_CSV_ROWS_H_
#define TELLTALE_INGEST_CSV_ROWS_H_

#include <string_view>

#include "ingest/row_decoder.h"

namespace telltale {

// InvalidArgument for text that is not CSV; ResourceExhausted over the row limit.
Result<DecodedRows> DecodeCsvRows(std::string_view body, const VersionSchema& schema,
                                  const DecodeOptions& options, const DecodeLimits& limits);

}  // namespace telltale

#endif  // TELLTALE_INGEST_CSV_ROWS_H_
