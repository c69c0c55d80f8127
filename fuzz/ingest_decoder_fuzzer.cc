// libFuzzer target: the ingest decoder and validator. Any body must be decoded into accepted and
// rejected rows or refused with a Status — never a crash — and what is accepted must survive the
// log record round trip and fold into a window profile that serializes and loads back; every
// id, text and message kept or answered is UTF-8.
// The first byte picks JSON, NDJSON, CSV or a columnar body, and whether ids are required; the
// rest is the body.
#include <simdjson.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/column_decoder.h"
#include "ingest/csv_rows.h"
#include "ingest/log_record.h"
#include "ingest/row_decoder.h"
#include "ingest/window_profile.h"

namespace {

const telltale::VersionSchema& Schema() {
  static const telltale::VersionSchema schema =
      telltale::VersionSchema::FromJson(
          nlohmann::json::parse(R"({"features": {"age": "numeric", "country": "categorical",
              "member": "boolean", "note": "text", "seen": "timestamp",
              "emb": {"type": "embedding", "dimension": 3}},
              "predictions": {"score": "numeric"}, "actuals": {"label": "categorical"},
              "raw": {"payload": "text"}})"),
          nlohmann::json::parse(R"([{"name": "US", "where": {"country": ["US", 1, true]}},
              {"name": "mid", "where": {"age": {"gte": 30, "lt": 40}}}])"))
          .value();
  return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  telltale::DecodeOptions options;
  options.ndjson = (data[0] & 1) != 0;
  options.require_id = (data[0] & 2) != 0;
  options.receive_time = 1795514400;
  telltale::DecodeLimits limits;
  limits.max_rows = 1000;
  limits.max_depth = 8 + data[0] % 32;
  limits.max_string_bytes = 256;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const telltale::VersionSchema& schema = Schema();
  telltale::Result<telltale::DecodedRows> decoded =
      (data[0] & 8) != 0   ? telltale::DecodeColumns(body, schema, options, limits)
      : (data[0] & 4) != 0 ? telltale::DecodeCsvRows(body, schema, options, limits)
                           : telltale::DecodeRows(body, schema, options, limits);
  if (!decoded.ok()) {
    if (decoded.status().message().empty()) std::abort();  // every refusal says why
    return 0;
  }
  if (decoded->rows.size() + decoded->rejected.size() != decoded->total) std::abort();
  // Whatever is kept or answered is UTF-8 (answers and summaries are JSON).
  auto utf8 = [](const std::string& text) {
    if (!simdjson::validate_utf8(text.data(), text.size())) std::abort();
  };
  for (const telltale::Row& row : decoded->rows) {
    utf8(row.id);
    for (const telltale::Cell& cell : row.cells) utf8(cell.text);
  }
  for (const telltale::Rejection& rejection : decoded->rejected) {
    utf8(rejection.id);
    utf8(rejection.message);
  }
  for (const telltale::IntegrityEvent& event : decoded->events) utf8(event.field);
  telltale::LogRecord record;
  record.version_id = 7;
  record.rows = decoded->rows;
  record.events = decoded->events;
  telltale::Result<telltale::LogRecord> again =
      telltale::DecodeLogRecord(telltale::EncodeLogRecord(record));
  if (!again.ok() || again->rows.size() != record.rows.size()) std::abort();
  telltale::WindowProfile window(schema);
  std::vector<const telltale::Row*> rows;
  for (const telltale::Row& row : again->rows) {
    rows.push_back(&row);
    for (const telltale::Segment& segment : schema.segments())
      (void)telltale::InSegment(segment, row);
  }
  window.Fold(schema, rows);
  for (const telltale::IntegrityEvent& event : again->events) window.integrity().Add(event);
  telltale::Result<telltale::WindowProfile> loaded =
      telltale::WindowProfile::Deserialize(window.Serialize());
  if (!loaded.ok() || loaded->profile().rows() != rows.size()) std::abort();
  return 0;
}
