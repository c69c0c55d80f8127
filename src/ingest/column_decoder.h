// Decoding a columnar ingest body (Content-Type application/vnd.telltale.columns+msgpack): the
// rows of a batch held as whole columns, the form a DataFrame already has. Numbers travel as raw
// little-endian doubles, so neither the sender formats them nor the server parses them; the rows
// that come out are validated exactly as JSON rows are, with the same rejections and messages.
//
// The body is one MessagePack map:
//
//   "rows"        uint, the number of rows
//   "ids"         strings, one per row (optional; prediction rows need them)
//   "timestamps"  bin, int64 nanoseconds since the Unix epoch per row; INT64_MIN: none (optional)
//   "features", "predictions", "actuals", "raw"   arrays of columns (each optional)
//
// where strings are {"offsets": bin of rows + 1 uint32, "data": bin}: string i is
// data[offsets[i], offsets[i + 1]). A column is a map:
//
//   "name"        str, the field's name
//   "type"        "number" | "boolean" | "timestamp" | "embedding" | "coded"
//   "values"      bin: float64 per row (number; boolean as 0 or 1), rows x "dimension" float64
//                 (embedding), int64 nanoseconds (timestamp); NaN (and, as JSON cannot hold
//                 them, infinities of number and boolean columns), a NaN first element of an
//                 embedding and INT64_MIN are missing
//   "dimension"   uint (embedding)
//   "codes"       bin, int32 per row indexing "dictionary", -1 for missing (coded)
//   "dictionary"  strings, each a JSON literal ("\"DE\"", "3", "true"): a column whose values
//                 mix types keeps each value's own type; at most one entry per row
//
// A timestamp column's values are read as RFC 3339 strings would be. A body that is not such a map
// fails as a whole (InvalidArgument naming the key or column, ResourceExhausted over a limit).
#ifndef TELLTALE_INGEST_COLUMN_DECODER_H_
#define TELLTALE_INGEST_COLUMN_DECODER_H_

#include <string_view>

#include "ingest/row_decoder.h"
#include "ingest/version_schema.h"
#include "telltale/result.h"

namespace telltale {

inline constexpr std::string_view kColumnsContentType = "application/vnd.telltale.columns+msgpack";

Result<DecodedRows> DecodeColumns(std::string_view body, const VersionSchema& schema,
                                  const DecodeOptions& options, const DecodeLimits& limits);

}  // namespace telltale

#endif  // TELLTALE_INGEST_COLUMN_DECODER_H_
