#include "ingest/column_decoder.h"

#include <simdjson.h>
#include <msgpack.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "io/table.h"

namespace telltale {
namespace {

static_assert(std::endian::native == std::endian::little,
              "column bodies hold little-endian numbers, read here as they lie");

constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();
constexpr size_t kMaxIdBytes = 1024;

Status Malformed(const std::string& what) {
  return Status::InvalidArgument("malformed columns body: " + what);
}

template <typename T>
T Load(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

std::string_view Key(const msgpack::object_kv& entry) {
  if (entry.key.type != msgpack::type::STR) return {};
  return {entry.key.via.str.ptr, entry.key.via.str.size};
}

// The value of `key` in `map`, or null.
const msgpack::object* Find(const msgpack::object& map, std::string_view key) {
  for (uint32_t i = 0; i < map.via.map.size; ++i) {
    if (Key(map.via.map.ptr[i]) == key) return &map.via.map.ptr[i].val;
  }
  return nullptr;
}

// The bytes of a bin that must hold `count` values of `width` bytes.
Result<std::string_view> Values(const msgpack::object* value, size_t count, size_t width,
                                const std::string& what) {
  if (value == nullptr || value->type != msgpack::type::BIN) {
    return Malformed(what + " must be a bin");
  }
  if (value->via.bin.size != count * width) {
    return Malformed(what + " holds " + std::to_string(value->via.bin.size) + " bytes; " +
                     std::to_string(count) + " values need " + std::to_string(count * width));
  }
  return std::string_view(value->via.bin.ptr, value->via.bin.size);
}

// {"offsets": bin of count + 1 uint32, "data": bin}: `count` strings of UTF-8, checked once on
// reading.
class Strings {
 public:
  static Result<Strings> Read(const msgpack::object* value, size_t count, const std::string& what) {
    if (value == nullptr || value->type != msgpack::type::MAP) {
      return Malformed(what + " must be a map of offsets and data");
    }
    Strings strings;
    TELLTALE_ASSIGN_OR_RETURN(strings.offsets_, Values(Find(*value, "offsets"), count + 1,
                                                       sizeof(uint32_t), what + ".offsets"));
    const msgpack::object* data = Find(*value, "data");
    if (data == nullptr || data->type != msgpack::type::BIN) {
      return Malformed(what + ".data must be a bin");
    }
    strings.data_ = {data->via.bin.ptr, data->via.bin.size};
    if (!simdjson::validate_utf8(strings.data_.data(), strings.data_.size())) {
      return Malformed(what + ".data is not UTF-8");
    }
    uint32_t previous = 0;
    for (size_t i = 0; i <= count; ++i) {
      uint32_t offset = strings.Offset(i);
      if (offset < previous || offset > strings.data_.size() || (i == 0 && offset != 0)) {
        return Malformed(what + ".offsets[" + std::to_string(i) +
                         "] does not follow the one before within the data");
      }
      // Each string whole: no offset inside a character's bytes.
      if (offset < strings.data_.size() && (strings.data_[offset] & 0xC0) == 0x80) {
        return Malformed(what + ".offsets[" + std::to_string(i) + "] cuts a UTF-8 character");
      }
      previous = offset;
    }
    return strings;
  }

  std::string_view operator[](size_t i) const {
    return data_.substr(Offset(i), Offset(i + 1) - Offset(i));
  }

 private:
  uint32_t Offset(size_t i) const { return Load<uint32_t>(offsets_.data() + i * 4); }

  std::string_view offsets_;
  std::string_view data_;
};

// What reading one value found: a value (stored in its cell when the field is known), nothing, or
// a value the field does not take (described in a CellError).
enum class Found { kValue, kMissing, kWrong };

// A dictionary entry, read once against the field.
struct Entry {
  Found found = Found::kValue;
  Cell cell;
  CellError error;
};

class ColumnReader {
 public:
  ColumnReader(const VersionSchema& schema, const DecodeOptions& options,
               const DecodeLimits& limits, size_t rows)
      : schema_(schema), limits_(limits), rows_(rows), errors_(rows), error_fields_(rows) {
    for (Row& row : rows_) {
      row.cells.resize(schema.fields().size());
      row.event_time = options.receive_time;
    }
  }

  void ReadIds(const std::optional<Strings>& ids, bool require_id) {
    for (size_t row = 0; row < rows_.size(); ++row) {
      if (!ids) {
        if (require_id) Fail(row, RejectReason::kMalformed, "id is missing", "");
        continue;
      }
      std::string_view id = (*ids)[row];
      if (id.empty()) {
        Fail(row, RejectReason::kMalformed, "id is empty", "");
      } else if (id.size() > kMaxIdBytes) {
        Fail(row, RejectReason::kLimit,
             "id is longer than " + std::to_string(kMaxIdBytes) + " bytes", "");
      } else {
        rows_[row].id = id;
      }
    }
  }

  void ReadTimes(std::string_view nanoseconds) {
    for (size_t row = 0; row < rows_.size(); ++row) {
      int64_t time = Load<int64_t>(nanoseconds.data() + row * 8);
      if (time != kNoTime) rows_[row].event_time = SecondsOf(time);
    }
  }

  Status ReadColumn(FieldRole role, const msgpack::object& column) {
    const std::string role_key(FieldRoleKey(role));
    if (column.type != msgpack::type::MAP) return Malformed(role_key + ": a column must be a map");
    for (uint32_t i = 0; i < column.via.map.size; ++i) {
      std::string_view key = Key(column.via.map.ptr[i]);
      if (key != "name" && key != "type" && key != "values" && key != "dimension" &&
          key != "codes" && key != "dictionary") {
        return Malformed(role_key +
                         ": a column has name, type, values, dimension, codes and "
                         "dictionary, not '" +
                         std::string(key) + "'");
      }
    }
    const msgpack::object* name = Find(column, "name");
    const msgpack::object* type = Find(column, "type");
    if (name == nullptr || name->type != msgpack::type::STR || type == nullptr ||
        type->type != msgpack::type::STR) {
      return Malformed(role_key + ": a column needs a name and a type, both strings");
    }
    const std::string field_name(name->via.str.ptr, name->via.str.size);
    if (!simdjson::validate_utf8(field_name.data(), field_name.size())) {
      return Malformed(role_key + ": a column's name is not UTF-8");
    }
    const std::string what = role_key + "." + field_name;
    if (!named_.insert(what).second) return Malformed(what + " appears twice");
    const std::string_view kind(type->via.str.ptr, type->via.str.size);
    int field = schema_.FindField(role, field_name);
    if (kind == "coded") return ReadCoded(column, field, what);
    if (kind == "embedding") return ReadEmbedding(column, field, what);
    const size_t width = 8;
    TELLTALE_ASSIGN_OR_RETURN(std::string_view values, Values(Find(column, "values"), rows_.size(),
                                                              width, what + ".values"));
    if (kind == "number" || kind == "boolean") {
      const bool boolean = kind == "boolean";
      return Each(field, what, [&](size_t row, Cell& cell, CellError& error) {
        double value = Load<double>(values.data() + row * width);
        if (!std::isfinite(value)) return Found::kMissing;  // as JSON, which cannot hold it
        return boolean ? FromBoolean(field, value != 0, cell, error)
                       : FromNumber(field, value, cell, error);
      });
    }
    if (kind == "timestamp") {
      return Each(field, what, [&](size_t row, Cell& cell, CellError& error) {
        int64_t value = Load<int64_t>(values.data() + row * width);
        if (value == kNoTime) return Found::kMissing;
        return FromTime(field, SecondsOf(value), cell, error);
      });
    }
    return Malformed(what + ": unknown column type '" + std::string(kind) +
                     "' (number, boolean, timestamp, embedding or coded)");
  }

  void Finish(DecodedRows& out) {
    out.total = rows_.size();
    for (size_t row = 0; row < rows_.size(); ++row) {
      Row& accepted = rows_[row];
      if (errors_[row]) {
        CellError& error = *errors_[row];
        if (error.reason == RejectReason::kTypeError) {
          out.events.push_back(
              {IntegrityEvent::Kind::kTypeError, accepted.event_time, error_fields_[row]});
        }
        out.events.push_back({IntegrityEvent::Kind::kRejectedRow, accepted.event_time, ""});
        out.rejected.push_back({row, accepted.id, error.reason, std::move(error.message)});
        continue;
      }
      for (const auto& [name, present] : unknown_) {
        if (present[row]) {
          out.events.push_back({IntegrityEvent::Kind::kUnknownField, accepted.event_time, name});
        }
      }
      out.rows.push_back(std::move(accepted));
      out.indexes.push_back(row);
    }
  }

 private:
  static int64_t SecondsOf(int64_t nanoseconds) {
    int64_t seconds = nanoseconds / 1'000'000'000;
    return nanoseconds % 1'000'000'000 < 0 ? seconds - 1 : seconds;  // rounded down
  }

  // Calls read(row, cell, error) for each row not yet rejected, with the row's cell of the field
  // to store the value in, and rejects the rows whose value the field does not take. Values of a
  // field the schema does not know are only noted (an unknown-field event per row).
  template <typename ReadCell>
  Status Each(int field, const std::string& what, ReadCell read) {
    CellError error;
    if (field < 0) {
      Cell ignored;
      std::vector<bool> present(rows_.size());
      for (size_t row = 0; row < rows_.size(); ++row) {
        present[row] = read(row, ignored, error) != Found::kMissing;
      }
      unknown_.emplace_back(what, std::move(present));
      return Status::Ok();
    }
    const std::string& name = schema_.fields()[field].name;
    for (size_t row = 0; row < rows_.size(); ++row) {
      if (errors_[row]) continue;
      if (read(row, rows_[row].cells[field], error) == Found::kWrong) {
        Fail(row, error.reason, what + ": " + error.message, name);
      }
    }
    return Status::Ok();
  }

  void Fail(size_t row, RejectReason reason, std::string message, const std::string& field) {
    errors_[row] = CellError{reason, std::move(message)};
    error_fields_[row] = field;
  }

  Found WrongType(int field, std::string_view got, CellError& error) const {
    error = {RejectReason::kTypeError,
             "expected " + ExpectedValue(schema_.fields()[field]) + ", got " + std::string(got)};
    return Found::kWrong;
  }

  Found FromNumber(int field, double value, Cell& cell, CellError& error) const {
    if (field < 0) return Found::kValue;
    switch (schema_.fields()[field].type) {
      case FieldType::kNumeric:
      case FieldType::kTimestamp:  // Unix seconds
        cell.kind = Cell::Kind::kNumber;
        cell.number = value;
        // As the number would be written in JSON: whole values without a fraction.
        cell.integral = std::abs(value) < 0x1p53 && value == std::floor(value);
        return Found::kValue;
      case FieldType::kCategorical:
        cell.kind = Cell::Kind::kString;
        cell.text = FormatNumber(value);
        return Found::kValue;
      default:
        return WrongType(field, "a number", error);
    }
  }

  Found FromBoolean(int field, bool value, Cell& cell, CellError& error) const {
    if (field < 0) return Found::kValue;
    switch (schema_.fields()[field].type) {
      case FieldType::kBoolean:
        cell.kind = Cell::Kind::kBool;
        cell.flag = value;
        return Found::kValue;
      case FieldType::kCategorical:
        cell.kind = Cell::Kind::kString;
        cell.text = value ? "true" : "false";
        return Found::kValue;
      default:
        return WrongType(field, "a boolean", error);
    }
  }

  // A timestamp column's value, read as its RFC 3339 string would be.
  Found FromTime(int field, int64_t seconds, Cell& cell, CellError& error) const {
    if (field < 0) return Found::kValue;
    switch (schema_.fields()[field].type) {
      case FieldType::kTimestamp:
        cell.kind = Cell::Kind::kNumber;
        cell.number = static_cast<double>(seconds);
        return Found::kValue;
      case FieldType::kCategorical:
      case FieldType::kText:
        cell.kind = Cell::Kind::kString;
        cell.text = FormatRfc3339(seconds);
        return Found::kValue;
      default:
        return WrongType(field, "a string", error);
    }
  }

  Status ReadEmbedding(const msgpack::object& column, int field, const std::string& what) {
    const msgpack::object* dimension = Find(column, "dimension");
    if (dimension == nullptr || dimension->type != msgpack::type::POSITIVE_INTEGER ||
        dimension->via.u64 == 0 || dimension->via.u64 > (1u << 20)) {
      return Malformed(what + ": an embedding needs a dimension from 1 to 1048576");
    }
    const size_t size = dimension->via.u64;
    if (rows_.size() > 0 && size > std::numeric_limits<size_t>::max() / 8 / rows_.size()) {
      return Malformed(what + ".values is too large");
    }
    TELLTALE_ASSIGN_OR_RETURN(
        std::string_view values,
        Values(Find(column, "values"), rows_.size() * size, 8, what + ".values"));
    const FieldSpec* spec = field < 0 ? nullptr : &schema_.fields()[field];
    return Each(field, what, [&](size_t row, Cell& cell, CellError& error) {
      const char* first = values.data() + row * size * 8;
      if (std::isnan(Load<double>(first))) return Found::kMissing;
      if (spec == nullptr) return Found::kValue;
      if (spec->type != FieldType::kEmbedding) return WrongType(field, "a list", error);
      if (spec->dimension != size) {
        error = {RejectReason::kTypeError, "expected " + std::to_string(spec->dimension) +
                                               " numbers, got " + std::to_string(size)};
        return Found::kWrong;
      }
      double squares = 0;
      for (size_t i = 0; i < size; ++i) {
        double value = Load<double>(first + i * 8);
        squares += value * value;
      }
      cell.kind = Cell::Kind::kNumber;
      cell.number = std::sqrt(squares);
      return Found::kValue;
    });
  }

  // Codes into a dictionary of JSON literals, each validated once against the field.
  Status ReadCoded(const msgpack::object& column, int field, const std::string& what) {
    TELLTALE_ASSIGN_OR_RETURN(std::string_view codes, Values(Find(column, "codes"), rows_.size(),
                                                             sizeof(int32_t), what + ".codes"));
    const msgpack::object* dictionary = Find(column, "dictionary");
    const msgpack::object* offsets = dictionary != nullptr && dictionary->type == msgpack::type::MAP
                                         ? Find(*dictionary, "offsets")
                                         : nullptr;
    if (offsets == nullptr || offsets->type != msgpack::type::BIN || offsets->via.bin.size < 4 ||
        offsets->via.bin.size % 4 != 0) {
      return Malformed(what + ".dictionary must be a map of offsets and data");
    }
    const size_t entries = offsets->via.bin.size / 4 - 1;
    if (entries > rows_.size()) {
      return Malformed(what + ".dictionary has " + std::to_string(entries) + " entries for " +
                       std::to_string(rows_.size()) + " rows");
    }
    TELLTALE_ASSIGN_OR_RETURN(Strings literals,
                              Strings::Read(dictionary, entries, what + ".dictionary"));
    std::vector<Entry> results(entries);
    size_t longest = 0;
    for (size_t i = 0; i < entries; ++i) longest = std::max(longest, literals[i].size());
    simdjson::dom::parser parser;
    if (parser.allocate(std::max<size_t>(longest, 64), limits_.max_depth)) {
      return Status::ResourceExhausted("not enough memory to parse " + what + ".dictionary");
    }
    for (size_t i = 0; i < entries; ++i) {
      simdjson::dom::element value;
      if (parser.parse(literals[i].data(), literals[i].size(), true).get(value)) {
        return Malformed(what + ".dictionary[" + std::to_string(i) + "] is not a JSON value");
      }
      if (value.type() == simdjson::dom::element_type::NULL_VALUE) {
        results[i].found = Found::kMissing;
      } else if (field >= 0) {
        std::optional<CellError> error =
            ValidateJsonCell(schema_.fields()[field], value, limits_, results[i].cell);
        if (error) results[i] = {Found::kWrong, {}, std::move(*error)};
      }
    }
    for (size_t row = 0; row < rows_.size(); ++row) {
      int32_t code = Load<int32_t>(codes.data() + row * 4);
      if (code < -1 || code >= static_cast<int64_t>(entries)) {
        return Malformed(what + ".codes[" + std::to_string(row) + "] is " + std::to_string(code) +
                         ", outside the dictionary of " + std::to_string(entries));
      }
    }
    return Each(field, what, [&](size_t row, Cell& cell, CellError& error) {
      int32_t code = Load<int32_t>(codes.data() + row * 4);
      if (code < 0) return Found::kMissing;
      const Entry& entry = results[code];
      if (entry.found == Found::kValue) {
        cell = entry.cell;
      } else if (entry.found == Found::kWrong) {
        error = entry.error;
      }
      return entry.found;
    });
  }

  const VersionSchema& schema_;
  const DecodeLimits& limits_;
  std::vector<Row> rows_;
  std::vector<std::optional<CellError>> errors_;  // the first thing wrong with each row
  std::vector<std::string> error_fields_;         // the field of each row's type error
  std::vector<std::pair<std::string, std::vector<bool>>>
      unknown_;                  // "role.name", rows with a value
  std::set<std::string> named_;  // columns seen, "role.name"
};

}  // namespace

Result<DecodedRows> DecodeColumns(std::string_view body, const VersionSchema& schema,
                                  const DecodeOptions& options, const DecodeLimits& given) {
  const DecodeLimits limits = ForRowsOf(given, schema.fields().size());
  // Only the skeleton is MessagePack (a few maps and arrays); rows travel inside bins, which are
  // read where they lie in the body.
  const msgpack::unpack_limit limit(/*array=*/VersionSchema::kMaxFields, /*map=*/16,
                                    /*str=*/64 << 10, /*bin=*/body.size(), /*ext=*/0,
                                    /*depth=*/4);
  msgpack::object_handle handle;
  size_t offset = 0;
  try {
    handle = msgpack::unpack(
        body.data(), body.size(), offset,
        [](msgpack::type::object_type, size_t, void*) { return true; }, nullptr, limit);
  } catch (const msgpack::insufficient_bytes&) {
    return Malformed("it ends early");
  } catch (const msgpack::size_overflow& error) {
    return Malformed(std::string("a part is over its limit (") + error.what() + ")");
  } catch (const std::exception& error) {
    return Malformed(error.what());
  }
  if (offset != body.size()) return Malformed("content after the body's map");
  const msgpack::object& root = handle.get();
  if (root.type != msgpack::type::MAP) return Malformed("the body must be a map");

  const msgpack::object* rows = Find(root, "rows");
  if (rows == nullptr || rows->type != msgpack::type::POSITIVE_INTEGER) {
    return Malformed("\"rows\", the number of rows, must be a whole number of at least 0");
  }
  if (rows->via.u64 > limits.max_rows) return TooManyRows(limits);
  const size_t count = rows->via.u64;

  std::optional<Strings> ids;
  if (const msgpack::object* value = Find(root, "ids")) {
    TELLTALE_ASSIGN_OR_RETURN(ids, Strings::Read(value, count, "ids"));
  }
  ColumnReader reader(schema, options, limits, count);
  reader.ReadIds(ids, options.require_id);
  if (const msgpack::object* value = Find(root, "timestamps")) {
    TELLTALE_ASSIGN_OR_RETURN(std::string_view times, Values(value, count, 8, "timestamps"));
    reader.ReadTimes(times);
  }
  for (uint32_t i = 0; i < root.via.map.size; ++i) {
    std::string_view key = Key(root.via.map.ptr[i]);
    if (key == "rows" || key == "ids" || key == "timestamps") continue;
    std::optional<FieldRole> role;
    for (FieldRole candidate :
         {FieldRole::kFeature, FieldRole::kPrediction, FieldRole::kActual, FieldRole::kRaw}) {
      if (FieldRoleKey(candidate) == key) role = candidate;
    }
    if (!role) {
      return Malformed(
          "unknown key '" + std::string(key) +
          "'; the body has rows, ids, timestamps, features, predictions, actuals, raw");
    }
    const msgpack::object& columns = root.via.map.ptr[i].val;
    if (columns.type != msgpack::type::ARRAY) {
      return Malformed(std::string(key) + " must be an array of columns");
    }
    for (uint32_t j = 0; j < columns.via.array.size; ++j) {
      TELLTALE_RETURN_IF_ERROR(reader.ReadColumn(*role, columns.via.array.ptr[j]));
    }
  }
  DecodedRows out;
  reader.Finish(out);
  return out;
}

}  // namespace telltale
