#include "ingest/csv_rows.h"

#include <cmath>

#include "common/utf8.h"
#include "io/csv_reader.h"
#include "io/table.h"

namespace telltale {
namespace {

// Converts one cell of `column` for `field`; an error message when it does not fit.
std::optional<std::string> ConvertCell(const Column& column, size_t row, const FieldSpec& field,
                                       Cell& cell) {
  if (column.IsNull(row)) return std::nullopt;  // missing
  std::string text = column.TextAt(row);
  switch (field.type) {
    case FieldType::kNumeric:
    case FieldType::kTimestamp: {
      if (column.kind == StorageKind::kNumber) {
        cell.kind = Cell::Kind::kNumber;
        cell.number = column.numbers[row];
        cell.integral = column.integral;
        return std::nullopt;
      }
      if (field.type == FieldType::kTimestamp) {
        Result<int64_t> time = ParseRfc3339(text);
        if (!time.ok()) return time.status().message();
        cell.kind = Cell::Kind::kNumber;
        cell.number = static_cast<double>(*time);
        return std::nullopt;
      }
      bool integral = false;
      std::optional<double> number = ParseNumber(text, &integral);
      if (!number) return "expected a number, got '" + Utf8Excerpt(text, 64) + "'";
      cell.kind = Cell::Kind::kNumber;
      cell.number = *number;
      cell.integral = integral;
      return std::nullopt;
    }
    case FieldType::kBoolean:
      if (text == "True" || text == "true" || text == "TRUE") {
        cell.flag = true;
      } else if (text != "False" && text != "false" && text != "FALSE") {
        return "expected true or false, got '" + Utf8Excerpt(text, 64) + "'";
      }
      cell.kind = Cell::Kind::kBool;
      return std::nullopt;
    case FieldType::kCategorical:
    case FieldType::kText:
      cell.kind = Cell::Kind::kString;
      cell.text = std::move(text);
      return std::nullopt;
    case FieldType::kEmbedding:
      return "embeddings cannot be sent as CSV; send JSON rows";
  }
  return std::nullopt;
}

}  // namespace

Result<DecodedRows> DecodeCsvRows(std::string_view body, const VersionSchema& schema,
                                  const DecodeOptions& options, const DecodeLimits& given) {
  const DecodeLimits limits = ForRowsOf(given, schema.fields().size());
  CsvOptions csv;
  csv.threads = 1;
  TELLTALE_ASSIGN_OR_RETURN(Table table, ParseCsv(body, "the CSV body", csv));
  if (table.rows > limits.max_rows) return TooManyRows(limits);
  const Column* id_column = table.Find("id");
  const Column* time_column = table.Find("timestamp");
  std::vector<std::pair<const Column*, size_t>> mapped;  // column, schema field
  std::vector<std::string> unknown;
  for (const Column& column : table.columns) {
    if (&column == id_column || &column == time_column) continue;
    int field = schema.FindField(column.name);
    if (field < 0) {
      unknown.push_back(column.name);
    } else {
      mapped.emplace_back(&column, static_cast<size_t>(field));
    }
  }
  DecodedRows out;
  out.total = table.rows;
  for (size_t row = 0; row < table.rows; ++row) {
    Row decoded;
    decoded.cells.resize(schema.fields().size());
    decoded.event_time = options.receive_time;
    std::string line = "line " + std::to_string(row + 2) + ": ";
    auto reject = [&](RejectReason reason, const std::string& message, const std::string& field) {
      if (reason == RejectReason::kTypeError) {
        out.events.push_back({IntegrityEvent::Kind::kTypeError, decoded.event_time, field});
      }
      out.events.push_back({IntegrityEvent::Kind::kRejectedRow, decoded.event_time, ""});
      out.rejected.push_back({row, decoded.id, reason, line + message});
    };
    if (id_column && !id_column->IsNull(row)) decoded.id = id_column->TextAt(row);
    if (time_column && !time_column->IsNull(row)) {
      Result<int64_t> time = ParseRfc3339(time_column->TextAt(row));
      if (!time.ok()) {
        reject(RejectReason::kMalformed, "timestamp: " + time.status().message(), "");
        continue;
      }
      decoded.event_time = *time;
    }
    if (decoded.id.empty() && options.require_id) {
      reject(RejectReason::kMalformed, "id is missing", "");
      continue;
    }
    bool ok = true;
    for (const auto& [column, field] : mapped) {
      const FieldSpec& spec = schema.fields()[field];
      std::optional<std::string> error = ConvertCell(*column, row, spec, decoded.cells[field]);
      if (error) {
        reject(RejectReason::kTypeError, column->name + ": " + *error, spec.name);
        ok = false;
        break;
      }
      if (decoded.cells[field].kind == Cell::Kind::kString &&
          decoded.cells[field].text.size() > limits.max_string_bytes) {
        reject(RejectReason::kLimit,
               column->name + ": string longer than the limit of " +
                   std::to_string(limits.max_string_bytes) + " bytes",
               spec.name);
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    for (const std::string& name : unknown) {
      out.events.push_back(
          {IntegrityEvent::Kind::kUnknownField, decoded.event_time, "csv." + name});
    }
    out.rows.push_back(std::move(decoded));
    out.indexes.push_back(row);
  }
  return out;
}

}  // namespace telltale
