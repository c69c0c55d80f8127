// Decoding a body of actuals — {"rows": [{"id", "actuals": {...}, "timestamp"}]} or NDJSON — into
// ids and their ground-truth fields. Which field matters, and its type, depends on the version
// the id turns out to belong to, so fields are kept as sent (numbers, labels) until then.
#ifndef TELLTALE_INGEST_ACTUALS_DECODER_H_
#define TELLTALE_INGEST_ACTUALS_DECODER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/performance_spec.h"
#include "ingest/row.h"
#include "ingest/row_decoder.h"

namespace telltale {

struct ActualRow {
  size_t index = 0;  // position in the request
  std::string id;
  std::optional<int64_t> time;  // the row's "timestamp": when the truth became known
  ActualFields fields;
};

struct DecodedActuals {
  std::vector<ActualRow> rows;
  std::vector<Rejection> rejected;
};

// InvalidArgument for a body that is not rows, ResourceExhausted for one over a limit; rows that
// are malformed are rejected one by one (no id, no "actuals" object, a nested value).
Result<DecodedActuals> DecodeActuals(std::string_view body, bool ndjson,
                                     const DecodeLimits& limits);

// `fields` as the JSON object kept for a pending actual: ParseActualFields reads the same fields
// back (a field sent twice is kept once, the first as ReadActual takes; a boolean as its label).
std::string ActualFieldsJson(const ActualFields& fields);
// The fields of an "actuals" object kept as JSON text (a pending actual).
Result<ActualFields> ParseActualFields(std::string_view json);

}  // namespace telltale

#endif  // TELLTALE_INGEST_ACTUALS_DECODER_H_
