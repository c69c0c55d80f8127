#include "ingest/row_decoder.h"

#include <date/date.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "common/utf8.h"
#include "ingest/pooled_parser.h"
#include "io/table.h"

namespace telltale {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string_view JsonTypeName(element_type type) {
  switch (type) {
    case element_type::ARRAY:
      return "a list";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

bool IsNumber(element_type type) {
  return type == element_type::INT64 || type == element_type::UINT64 ||
         type == element_type::DOUBLE;
}

double NumberOf(const element& value) {
  switch (value.type()) {
    case element_type::INT64:
      return static_cast<double>(int64_t(value));
    case element_type::UINT64:
      return static_cast<double>(uint64_t(value));
    default:
      return double(value);
  }
}

class RowValidator {
 public:
  RowValidator(const VersionSchema& schema, const DecodeOptions& options,
               const DecodeLimits& limits)
      : schema_(schema), options_(options), limits_(limits) {
    for (size_t i = 0; i < schema.fields().size(); ++i) {
      const FieldSpec& field = schema.fields()[i];
      by_role_[static_cast<int>(field.role)].emplace(field.name, i);
    }
  }

  void Validate(const element& value, size_t index, DecodedRows& out) {
    Row row;
    row.cells.resize(schema_.fields().size());
    row.event_time = options_.receive_time;
    std::vector<std::string> unknown;
    std::optional<CellError> error = ValidateRow(value, row, unknown);
    if (error) {
      if (error->reason == RejectReason::kTypeError) {
        out.events.push_back({IntegrityEvent::Kind::kTypeError, row.event_time, type_error_field_});
      }
      out.events.push_back({IntegrityEvent::Kind::kRejectedRow, row.event_time, ""});
      out.rejected.push_back({index, row.id, error->reason, std::move(error->message)});
      return;
    }
    for (std::string& field : unknown) {
      out.events.push_back({IntegrityEvent::Kind::kUnknownField, row.event_time, std::move(field)});
    }
    out.rows.push_back(std::move(row));
    out.indexes.push_back(index);
  }

 private:
  std::optional<CellError> ValidateRow(const element& value, Row& row,
                                       std::vector<std::string>& unknown) {
    if (value.type() != element_type::OBJECT) {
      return CellError{RejectReason::kMalformed,
                       "a row must be an object, got " + std::string(JsonTypeName(value.type()))};
    }
    simdjson::dom::object object = value;
    // The id and timestamp first, so every later message can name them; the row's event time
    // is read even when its id is wrong, for the rejection to be counted in its window.
    bool has_id = false;
    std::optional<CellError> first_error;
    auto fail = [&](RejectReason reason, std::string message) {
      if (!first_error) first_error = CellError{reason, std::move(message)};
    };
    for (auto [key, field] : object) {
      if (key == "id") {
        std::string_view id;
        if (field.type() != element_type::STRING) {
          fail(RejectReason::kMalformed,
               "id must be a string, got " + std::string(JsonTypeName(field.type())));
        } else if ((id = field).empty()) {
          fail(RejectReason::kMalformed, "id is empty");
        } else if (id.size() > kMaxIdBytes) {
          fail(RejectReason::kLimit, "id is longer than " + std::to_string(kMaxIdBytes) + " bytes");
        } else {
          row.id = id;
          has_id = true;
        }
      } else if (key == "timestamp") {
        if (field.type() != element_type::STRING) {
          fail(RejectReason::kMalformed, "timestamp must be an RFC 3339 string, got " +
                                             std::string(JsonTypeName(field.type())));
          continue;
        }
        Result<int64_t> time = ParseRfc3339(std::string_view(field));
        if (!time.ok()) {
          fail(RejectReason::kMalformed, time.status().message());
        } else {
          row.event_time = *time;
        }
      }
    }
    if (first_error) return first_error;
    if (!has_id && options_.require_id) return CellError{RejectReason::kMalformed, "id is missing"};
    for (auto [key, group] : object) {
      if (key == "id" || key == "timestamp") continue;
      int role = RoleOf(key);
      if (role < 0) {
        return CellError{RejectReason::kMalformed,
                         "unknown key '" + std::string(key) +
                             "'; a row has id, timestamp, features, predictions, actuals, raw"};
      }
      if (group.type() == element_type::NULL_VALUE) continue;
      if (group.type() != element_type::OBJECT) {
        return CellError{RejectReason::kMalformed, std::string(key) + " must be an object, got " +
                                                       std::string(JsonTypeName(group.type()))};
      }
      size_t position = 0;
      for (auto [name, cell] : simdjson::dom::object(group)) {
        int field = FieldAt(role, position++, name);
        if (field < 0) {
          unknown.emplace_back(std::string(key) + "." + std::string(name));
          continue;
        }
        const FieldSpec& spec = schema_.fields()[field];
        std::optional<CellError> error = ValidateJsonCell(spec, cell, limits_, row.cells[field]);
        if (error) {
          type_error_field_ = spec.name;
          error->message = std::string(key) + "." + spec.name + ": " + error->message;
          return error;
        }
      }
    }
    return std::nullopt;
  }

  // The schema index of the field `name`, the `position`-th key of a `role` group, or -1. Rows of
  // one request nearly always list their fields in the same order, so the field found at each
  // position in the previous row is tried before the hash map.
  int FieldAt(int role, size_t position, std::string_view name) {
    std::vector<int>& seen = seen_at_[role];
    if (position < seen.size() && seen[position] >= 0 &&
        schema_.fields()[seen[position]].name == name) {
      return seen[position];
    }
    auto found = by_role_[role].find(name);
    int field = found == by_role_[role].end() ? -1 : static_cast<int>(found->second);
    if (position < kRememberedPositions) {
      if (position >= seen.size()) seen.resize(position + 1, -1);
      seen[position] = field;
    }
    return field;
  }

  static int RoleOf(std::string_view key) {
    for (int role = 0; role < 4; ++role) {
      if (FieldRoleKey(static_cast<FieldRole>(role)) == key) return role;
    }
    return -1;
  }

  static constexpr size_t kMaxIdBytes = 1024;
  static constexpr size_t kRememberedPositions = 4096;
  const VersionSchema& schema_;
  const DecodeOptions& options_;
  const DecodeLimits& limits_;
  std::unordered_map<std::string_view, size_t> by_role_[4];
  std::vector<int> seen_at_[4];  // per role: the field found at each key position of the last row
  std::string type_error_field_;
};

}  // namespace

std::string ExpectedValue(const FieldSpec& spec) {
  switch (spec.type) {
    case FieldType::kNumeric:
      return "a number";
    case FieldType::kBoolean:
      return "true or false";
    case FieldType::kCategorical:
      return "a string, number or boolean";
    case FieldType::kText:
      return "a string";
    case FieldType::kTimestamp:
      return "an RFC 3339 string or Unix seconds";
    case FieldType::kEmbedding:
      return "a list of " + std::to_string(spec.dimension) + " numbers";
  }
  return "a value";
}

std::optional<CellError> ValidateJsonCell(const FieldSpec& spec, const element& value,
                                          const DecodeLimits& limits, Cell& cell) {
  element_type type = value.type();
  if (type == element_type::NULL_VALUE) return std::nullopt;  // missing
  auto wrong_type = [&] {
    return CellError{RejectReason::kTypeError, "expected " + ExpectedValue(spec) + ", got " +
                                                   std::string(JsonTypeName(type))};
  };
  if (type == element_type::STRING && std::string_view(value).size() > limits.max_string_bytes) {
    return CellError{RejectReason::kLimit, "string longer than the limit of " +
                                               std::to_string(limits.max_string_bytes) + " bytes"};
  }
  switch (spec.type) {
    case FieldType::kNumeric:
      if (!IsNumber(type)) return wrong_type();
      cell.kind = Cell::Kind::kNumber;
      cell.number = NumberOf(value);
      cell.integral = type != element_type::DOUBLE;
      return std::nullopt;
    case FieldType::kBoolean:
      if (type != element_type::BOOL) return wrong_type();
      cell.kind = Cell::Kind::kBool;
      cell.flag = bool(value);
      return std::nullopt;
    case FieldType::kCategorical:
      cell.kind = Cell::Kind::kString;
      if (type == element_type::STRING) {
        cell.text = std::string_view(value);
      } else if (IsNumber(type)) {
        cell.text = FormatNumber(NumberOf(value));
      } else if (type == element_type::BOOL) {
        cell.text = bool(value) ? "true" : "false";
      } else {
        return wrong_type();
      }
      return std::nullopt;
    case FieldType::kText:
      if (type != element_type::STRING) return wrong_type();
      cell.kind = Cell::Kind::kString;
      cell.text = std::string_view(value);
      return std::nullopt;
    case FieldType::kTimestamp:
      cell.kind = Cell::Kind::kNumber;
      if (IsNumber(type)) {
        cell.number = NumberOf(value);
      } else if (type == element_type::STRING) {
        Result<int64_t> time = ParseRfc3339(std::string_view(value));
        if (!time.ok()) return CellError{RejectReason::kTypeError, time.status().message()};
        cell.number = static_cast<double>(*time);
      } else {
        return wrong_type();
      }
      return std::nullopt;
    case FieldType::kEmbedding: {
      if (type != element_type::ARRAY) return wrong_type();
      simdjson::dom::array items = value;
      double squares = 0;
      size_t count = 0;
      for (element item : items) {
        if (!IsNumber(item.type())) return wrong_type();
        double number = NumberOf(item);
        squares += number * number;
        ++count;
      }
      if (count != spec.dimension) {
        return CellError{RejectReason::kTypeError, "expected " + std::to_string(spec.dimension) +
                                                       " numbers, got " + std::to_string(count)};
      }
      cell.kind = Cell::Kind::kNumber;
      cell.number = std::sqrt(squares);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

namespace {

Status ParseError(simdjson::error_code code, std::string_view where, const DecodeLimits& limits) {
  if (code == simdjson::DEPTH_ERROR) {
    return Status::ResourceExhausted(std::string(where) + "nested deeper than the limit of " +
                                     std::to_string(limits.max_depth) + " levels");
  }
  return Status::InvalidArgument(std::string(where) +
                                 "malformed JSON: " + simdjson::error_message(code));
}

}  // namespace

DecodeLimits ForRowsOf(DecodeLimits limits, size_t fields) {
  size_t rows = std::max<size_t>(1, limits.max_values / std::max<size_t>(1, fields));
  if (rows < limits.max_rows) {
    limits.max_rows = rows;
    limits.row_fields = fields;
  }
  return limits;
}

Status TooManyRows(const DecodeLimits& limits) {
  if (limits.row_fields > 0) {
    return Status::ResourceExhausted(
        "more than " + std::to_string(limits.max_rows) + " rows of " +
        std::to_string(limits.row_fields) + " fields in one request (the limit is " +
        std::to_string(limits.max_values) + " values per request, max_values)");
  }
  return Status::ResourceExhausted("more than " + std::to_string(limits.max_rows) +
                                   " rows in one request (the limit)");
}

namespace {

// The text of the value at the walk's position: a row, to be parsed on its own.
simdjson::simdjson_result<std::string_view> RawValue(simdjson::ondemand::value value) {
  simdjson::ondemand::json_type type;
  SIMDJSON_TRY(value.type().get(type));
  if (type == simdjson::ondemand::json_type::object) {
    simdjson::ondemand::object object;
    SIMDJSON_TRY(value.get_object().get(object));
    return object.raw_json();
  }
  if (type == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array array;
    SIMDJSON_TRY(value.get_array().get(array));
    return array.raw_json();
  }
  return value.raw_json_token();
}

}  // namespace

Status ForEachJsonRow(std::string_view body, const DecodeLimits& limits,
                      const std::function<void(const element&, size_t)>& visit) {
  // The root object and the rows array hold each row two levels down.
  if (limits.max_depth < 3 && !body.empty()) return ParseError(simdjson::DEPTH_ERROR, "", limits);
  PooledOnDemandParser walker(body.size(), limits.max_depth);
  PooledParser rows_parser(kRowParserCapacity, limits.max_depth - 2);
  if (!walker.ok() || !rows_parser.ok()) {
    return Status::ResourceExhausted("not enough memory to parse the body");
  }
  simdjson::ondemand::document document;
  simdjson::error_code error = walker->Iterate(body).get(document);
  if (error) return ParseError(error, "", limits);
  simdjson::ondemand::object root;
  error = document.get_object().get(root);
  if (error == simdjson::INCORRECT_TYPE) {
    return Status::InvalidArgument("the body must be an object {\"rows\": [...]}");
  }
  if (error) return ParseError(error, "", limits);
  bool found = false;
  size_t index = 0;
  for (auto field : root) {
    std::string_view key;
    if ((error = field.unescaped_key().get(key))) return ParseError(error, "", limits);
    if (key != "rows" || found) continue;  // the walk skips what was not read
    found = true;
    simdjson::ondemand::array rows;
    if (field.value().get_array().get(rows)) {
      return Status::InvalidArgument("the body must have \"rows\", a list of rows");
    }
    for (auto item : rows) {
      simdjson::ondemand::value row;
      std::string_view text;
      if ((error = item.get(row)) || (error = RawValue(row).get(text))) {
        return ParseError(error, "", limits);
      }
      if (index == limits.max_rows) return TooManyRows(limits);
      // The row's text lies inside the padded copy of the body, so it can be read in place.
      element parsed;
      if ((error = rows_parser->parse(text.data(), text.size(), false).get(parsed))) {
        return ParseError(error, "row " + std::to_string(index) + ": ", limits);
      }
      visit(parsed, index++);
    }
  }
  if (!found) return Status::InvalidArgument("the body must have \"rows\", a list of rows");
  // Nothing may follow the object.
  if (!document.current_location().error()) {
    return Status::InvalidArgument("malformed JSON: content after the body's object");
  }
  return Status::Ok();
}

Result<DecodedRows> DecodeRows(std::string_view body, const VersionSchema& schema,
                               const DecodeOptions& options, const DecodeLimits& given) {
  const DecodeLimits limits = ForRowsOf(given, schema.fields().size());
  DecodedRows out;
  RowValidator validator(schema, options, limits);
  if (options.ndjson) {
    PooledParser parser(std::min<size_t>(body.size(), kRowParserCapacity), limits.max_depth);
    if (!parser.ok()) return Status::ResourceExhausted("not enough memory to parse the body");
    TELLTALE_RETURN_IF_ERROR(ForEachNdjsonLine(body, [&](std::string_view line, size_t number) {
      if (out.total == limits.max_rows) return TooManyRows(limits);
      size_t index = out.total++;
      simdjson::simdjson_result<element> row = parser->parse(line.data(), line.size(), true);
      if (row.error() == simdjson::DEPTH_ERROR) {
        return ParseError(row.error(), "line " + std::to_string(number) + ": ", limits);
      }
      if (row.error()) {
        out.rejected.push_back({index, "", RejectReason::kMalformed,
                                "line " + std::to_string(number) +
                                    ": malformed JSON: " + simdjson::error_message(row.error())});
        out.events.push_back({IntegrityEvent::Kind::kRejectedRow, options.receive_time, ""});
        return Status::Ok();
      }
      validator.Validate(row.value_unsafe(), index, out);
      return Status::Ok();
    }));
    return out;
  }
  TELLTALE_RETURN_IF_ERROR(ForEachJsonRow(body, limits, [&](const element& row, size_t index) {
    validator.Validate(row, index, out);
    out.total = index + 1;
  }));
  return out;
}

Result<int64_t> ParseRfc3339(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("'" + Utf8Excerpt(text, 64) +
                                   "' is not an RFC 3339 date-time (2026-11-24T10:00:00Z)");
  };
  auto digits = [&](size_t at, size_t count, int& value) {
    if (at + count > text.size()) return false;
    auto [end, error] = std::from_chars(text.data() + at, text.data() + at + count, value);
    return error == std::errc() && end == text.data() + at + count;
  };
  int year, month, day, hour, minute, second;
  if (text.size() < 20 || !digits(0, 4, year) || text[4] != '-' || !digits(5, 2, month) ||
      text[7] != '-' || !digits(8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(11, 2, hour) ||
      text[13] != ':' || !digits(14, 2, minute) || text[16] != ':' || !digits(17, 2, second)) {
    return bad();
  }
  date::year_month_day ymd{date::year(year), date::month(static_cast<unsigned>(month)),
                           date::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return bad();
  size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    size_t first = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == first) return bad();
  }
  int offset_seconds = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int offset_hours, offset_minutes;
    if (!digits(at + 1, 2, offset_hours) || at + 3 >= text.size() || text[at + 3] != ':' ||
        !digits(at + 4, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return bad();
    }
    offset_seconds = (offset_hours * 60 + offset_minutes) * 60 * (text[at] == '-' ? -1 : 1);
    at += 6;
  } else {
    return bad();
  }
  if (at != text.size()) return bad();
  int64_t days = date::sys_days(ymd).time_since_epoch().count();
  return days * 86400 + hour * 3600 + minute * 60 + std::min(second, 59) - offset_seconds;
}

std::string FormatRfc3339(int64_t unix_seconds) {
  return date::format("%FT%TZ", date::sys_seconds(std::chrono::seconds(unix_seconds)));
}

}  // namespace telltale
