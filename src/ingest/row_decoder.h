// Decoding a request body of rows — {"rows": [...]} JSON or NDJSON, one row per line — and
// validating each row against the version's schema. Rows are accepted or rejected one by one; a
// body that is not rows at all (malformed JSON, too deep, too many rows) fails as a whole.
#ifndef TELLTALE_INGEST_ROW_DECODER_H_
#define TELLTALE_INGEST_ROW_DECODER_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/row.h"
#include "ingest/version_schema.h"
#include "telltale/result.h"

namespace simdjson::dom {
class element;
}  // namespace simdjson::dom

namespace telltale {

struct DecodeLimits {
  size_t max_rows = 100000;
  size_t max_depth = 32;
  size_t max_string_bytes = 64 * 1024;
  // Rows x the version's fields: a request's rows are held, every field of each, until it is
  // done, so a wide schema takes fewer rows per request.
  size_t max_values = 4'000'000;
  // Set by ForRowsOf: the fields of the rows max_rows was lowered for (0: it was not).
  size_t row_fields = 0;
};

// `limits` for rows of `fields` fields: max_rows lowered to what max_values allows.
DecodeLimits ForRowsOf(DecodeLimits limits, size_t fields);

struct DecodeOptions {
  bool ndjson = false;
  bool require_id = true;    // predictions need an id; training rows may go without
  int64_t receive_time = 0;  // Unix seconds; the event time of rows without a timestamp
};

struct DecodedRows {
  std::vector<Row> rows;
  std::vector<size_t> indexes;  // each accepted row's position in the request
  std::vector<Rejection> rejected;
  std::vector<IntegrityEvent> events;
  size_t total = 0;  // rows in the request
};

// Calls visit(row, index) for each row of a {"rows": [...]} body, in order. The body is walked
// with simdjson's On-Demand parser, which indexes it without building a tree of it, and each row
// is parsed into a small tree of its own (a tree of a whole 1,000-row body did not stay in cache,
// and decoding took half as long again). Fails as a whole, as DecodeRows does, for a body that is
// not an object with a "rows" list, malformed JSON (naming the row), too deep or too many rows.
Status ForEachJsonRow(std::string_view body, const DecodeLimits& limits,
                      const std::function<void(const simdjson::dom::element&, size_t)>& visit);

// What is wrong with one value of a row.
struct CellError {
  RejectReason reason = RejectReason::kTypeError;
  std::string message;  // names no field: the caller puts "features.age: " before it
};

// What a field takes, for messages: "a number", "a list of 8 numbers", ...
std::string ExpectedValue(const FieldSpec& spec);

// Checks a JSON value against its field and stores it in `cell` (null: missing, left as is).
std::optional<CellError> ValidateJsonCell(const FieldSpec& spec,
                                          const simdjson::dom::element& value,
                                          const DecodeLimits& limits, Cell& cell);

// InvalidArgument for a body that is not rows (naming the line or byte offset),
// ResourceExhausted for a body over a limit (naming the limit).
Result<DecodedRows> DecodeRows(std::string_view body, const VersionSchema& schema,
                               const DecodeOptions& options, const DecodeLimits& limits);

// Room a parser starts with for rows parsed one at a time; it grows to the longest row.
inline constexpr size_t kRowParserCapacity = 64u << 10;

// Calls visit(line, line_number) for each line of an NDJSON body that is not blank, stopping at
// the first error `visit` returns.
template <typename Visit>
Status ForEachNdjsonLine(std::string_view body, Visit&& visit) {
  size_t line_number = 0;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    TELLTALE_RETURN_IF_ERROR(visit(line, line_number));
  }
  return Status::Ok();
}

// ResourceExhausted naming the row limit (and, when the values limit lowered it, that one).
Status TooManyRows(const DecodeLimits& limits);

// Parses an RFC 3339 date-time ("2026-11-24T10:00:00Z", "...+01:00", fractional seconds allowed)
// to Unix seconds, rounded down.
Result<int64_t> ParseRfc3339(std::string_view text);
std::string FormatRfc3339(int64_t unix_seconds);

}  // namespace telltale

#endif  // TELLTALE_INGEST_ROW_DECODER_H_
