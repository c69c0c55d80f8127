#include "ingest/actuals_decoder.h"

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "ingest/pooled_parser.h"
#include "io/table.h"

namespace telltale {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr size_t kMaxIdBytes = 1024;

// The fields of an "actuals" object; an error message for a value that is not a scalar.
std::optional<std::string> ReadFields(simdjson::dom::object object, ActualFields& fields) {
  for (auto [key, value] : object) {
    ActualValue actual;
    switch (value.type()) {
      case element_type::INT64:
      case element_type::UINT64:
      case element_type::DOUBLE:
        actual.number = double(value);
        actual.label = FormatNumber(*actual.number);
        break;
      case element_type::BOOL:
        actual.label = bool(value) ? "true" : "false";
        break;
      case element_type::STRING:
        actual.label = std::string(std::string_view(value));
        break;
      case element_type::NULL_VALUE:
        continue;
      default:
        return "actuals." + std::string(key) + ": expected a number, string or boolean";
    }
    fields.emplace_back(std::string(key), std::move(actual));
  }
  return std::nullopt;
}

void DecodeRow(element row, size_t index, DecodedActuals& out) {
  auto reject = [&](std::string id, std::string message) {
    out.rejected.push_back({index, std::move(id), RejectReason::kMalformed, std::move(message)});
  };
  if (row.type() != element_type::OBJECT) return reject("", "a row must be an object");
  ActualRow actual;
  actual.index = index;
  simdjson::dom::object object = row;
  element id;
  if (object["id"].get(id) != simdjson::SUCCESS || id.type() != element_type::STRING) {
    return reject("", "a row needs \"id\", the id of the prediction it is the truth for");
  }
  actual.id = std::string(std::string_view(id));
  if (actual.id.empty() || actual.id.size() > kMaxIdBytes) {
    return reject(Utf8Excerpt(actual.id, 64), "the id must have 1 to 1024 bytes");
  }
  bool has_actuals = false;
  for (auto [key, value] : object) {
    if (key == "id") continue;
    if (key == "timestamp") {
      if (value.type() != element_type::STRING) {
        return reject(actual.id, "timestamp must be an RFC 3339 string");
      }
      Result<int64_t> time = ParseRfc3339(std::string_view(value));
      if (!time.ok()) return reject(actual.id, "timestamp: " + time.status().message());
      actual.time = *time;
    } else if (key == "actuals") {
      if (value.type() != element_type::OBJECT) {
        return reject(actual.id, "\"actuals\" must be an object of field -> value");
      }
      if (std::optional<std::string> error = ReadFields(value, actual.fields)) {
        return reject(actual.id, *error);
      }
      has_actuals = true;
    } else {
      return reject(actual.id,
                    "unknown key '" + std::string(key) + "'; a row has id, actuals, timestamp");
    }
  }
  if (!has_actuals) return reject(actual.id, "a row needs \"actuals\"");
  out.rows.push_back(std::move(actual));
}

}  // namespace

Result<DecodedActuals> DecodeActuals(std::string_view body, bool ndjson,
                                     const DecodeLimits& limits) {
  DecodedActuals out;
  if (ndjson) {
    PooledParser parser(std::min<size_t>(body.size(), kRowParserCapacity), limits.max_depth);
    if (!parser.ok()) return Status::ResourceExhausted("not enough memory to parse the body");
    size_t index = 0;
    TELLTALE_RETURN_IF_ERROR(ForEachNdjsonLine(body, [&](std::string_view line, size_t number) {
      if (index == limits.max_rows) return TooManyRows(limits);
      element row;
      simdjson::error_code error = parser->parse(line.data(), line.size(), true).get(row);
      if (error == simdjson::DEPTH_ERROR) {
        return Status::ResourceExhausted("line " + std::to_string(number) +
                                         ": nested deeper than the limit of " +
                                         std::to_string(limits.max_depth) + " levels");
      }
      if (error) {
        out.rejected.push_back({index++, "", RejectReason::kMalformed,
                                "line " + std::to_string(number) +
                                    ": malformed JSON: " + simdjson::error_message(error)});
        return Status::Ok();
      }
      DecodeRow(row, index++, out);
      return Status::Ok();
    }));
    return out;
  }
  TELLTALE_RETURN_IF_ERROR(ForEachJsonRow(
      body, limits, [&](const element& row, size_t index) { DecodeRow(row, index, out); }));
  return out;
}

std::string ActualFieldsJson(const ActualFields& fields) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : fields) {
    if (object.contains(name)) continue;
    // A number's label is its shortest exact form, which reads back as the same double.
    object[name] = value.number ? nlohmann::json(*value.number) : nlohmann::json(value.label);
  }
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<ActualFields> ParseActualFields(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json.data(), json.size()).get(object) != simdjson::SUCCESS) {
    return Status::Corruption("pending actual: not a JSON object");
  }
  ActualFields fields;
  if (std::optional<std::string> error = ReadFields(object, fields)) {
    return Status::Corruption("pending actual: " + *error);
  }
  return fields;
}

}  // namespace telltale
