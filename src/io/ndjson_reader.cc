#include "io/ndjson_reader.h"

#include <simdjson.h>

#include <memory>
#include <unordered_map>
#include <vector>

#include "io/column_builder.h"
#include "io/input_stream.h"

namespace telltale {
namespace {

Status LineError(const std::string& source, size_t line, const std::string& message) {
  return Status::InvalidArgument(source + ":" + std::to_string(line) + ": " + message);
}

// `padded` must have SIMDJSON_PADDING readable bytes after its logical end.
Result<Table> ParsePadded(std::string_view text, const std::string& source) {
  if (text.empty()) return Status::InvalidArgument(source + ": the file is empty");
  simdjson::dom::parser parser;
  std::vector<ColumnBuilder> builders;
  std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> index;
  std::vector<size_t> set_in_row;  // row number that last set each column
  size_t rows = 0;
  size_t line = 0;
  size_t start = 0;
  while (start < text.size()) {
    ++line;
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view record = text.substr(start, end - start);
    start = end + 1;
    if (!record.empty() && record.back() == '\r') record.remove_suffix(1);
    if (record.find_first_not_of(" \t") == std::string_view::npos) continue;

    simdjson::dom::element document;
    auto error = parser
                     .parse(reinterpret_cast<const uint8_t*>(record.data()), record.size(),
                            /*realloc_if_needed=*/false)
                     .get(document);
    if (error)
      return LineError(source, line,
                       std::string("invalid JSON: ") + simdjson::error_message(error));
    simdjson::dom::object object;
    if (document.get_object().get(object)) {
      return LineError(source, line, "expected a JSON object, one row per line");
    }
    ++rows;
    for (auto field : object) {
      std::string_view key = field.key;
      auto it = index.find(key);
      if (it == index.end()) {
        it = index.emplace(std::string(key), builders.size()).first;
        builders.emplace_back(std::string(key));
        for (size_t i = 0; i + 1 < rows; ++i) builders.back().AppendNull();
        set_in_row.push_back(0);
      }
      size_t column = it->second;
      if (set_in_row[column] == rows) {
        return LineError(source, line, "field '" + std::string(key) + "' appears twice");
      }
      set_in_row[column] = rows;
      ColumnBuilder& builder = builders[column];
      simdjson::dom::element value = field.value;
      switch (value.type()) {
        case simdjson::dom::element_type::INT64:
          builder.AppendNumber(static_cast<double>(int64_t(value)), true);
          break;
        case simdjson::dom::element_type::UINT64:
          builder.AppendNumber(static_cast<double>(uint64_t(value)),
                               uint64_t(value) < (uint64_t{1} << 63));
          break;
        case simdjson::dom::element_type::DOUBLE:
          builder.AppendNumber(double(value), false);
          break;
        case simdjson::dom::element_type::STRING:
          builder.AppendString(std::string_view(value));
          break;
        case simdjson::dom::element_type::BOOL:
          builder.AppendBool(bool(value));
          break;
        case simdjson::dom::element_type::NULL_VALUE:
          builder.AppendNull();
          break;
        case simdjson::dom::element_type::ARRAY:
        case simdjson::dom::element_type::OBJECT:
          builder.AppendString(simdjson::minify(value));
          break;
      }
    }
    for (size_t column = 0; column < builders.size(); ++column) {
      if (set_in_row[column] != rows) builders[column].AppendNull();
    }
  }
  if (rows == 0) return Status::InvalidArgument(source + ": contains no rows");
  Table table;
  table.source = source;
  table.rows = rows;
  for (ColumnBuilder& builder : builders) table.columns.push_back(std::move(builder).Finish());
  return table;
}

}  // namespace

Result<Table> ReadNdjsonFile(const std::string& path, ReadProgress* progress) {
  TELLTALE_ASSIGN_OR_RETURN(std::unique_ptr<InputStream> input, InputStream::Open(path, progress));
  TELLTALE_ASSIGN_OR_RETURN(std::string text, input->ReadAll());
  size_t size = text.size();
  text.resize(size + simdjson::SIMDJSON_PADDING, '\0');
  return ParsePadded(std::string_view(text.data(), size), path);
}

Result<Table> ParseNdjson(std::string_view text, const std::string& source) {
  std::string padded(text);
  padded.resize(text.size() + simdjson::SIMDJSON_PADDING, '\0');
  return ParsePadded(std::string_view(padded.data(), text.size()), source);
}

}  // namespace telltale
