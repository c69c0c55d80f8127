// telltale._native: the parts of the Python SDK that run in C++ — encoding DataFrame columns as
// request bodies for the server (columnar, or NDJSON rows), and profiling them with the same
// sketches the server keeps (privacy mode). Both release the GIL while they work, so the caller's
// threads keep running.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "common/parallel.h"
#include "ingest/column_body.h"
#include "profile/dataset_profile.h"
#include "profile/profiler.h"
#include "report/profile_json.h"
#include "row_encoder.h"

namespace py = pybind11;

namespace telltale::python {
namespace {

using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Int64Array = py::array_t<int64_t, py::array::c_style | py::array::forcecast>;

EncodedColumn::Kind ParseKind(const std::string& kind) {
  using Kind = EncodedColumn::Kind;
  if (kind == "number") return Kind::kNumber;
  if (kind == "boolean") return Kind::kBoolean;
  if (kind == "string") return Kind::kString;
  if (kind == "json") return Kind::kJson;
  if (kind == "timestamp") return Kind::kTimestamp;
  if (kind == "embedding") return Kind::kEmbedding;
  throw py::value_error("unknown column kind '" + kind + "'");
}

// `text` as a JSON string literal followed by `suffix` (":" for a key), padded for the encoder.
PaddedText JsonLiteral(std::string_view text, std::string_view suffix = "") {
  std::string literal;
  AppendJsonString(text, literal);
  literal.append(suffix);
  return PaddedText(literal);
}

// A column spec from Python: (name, kind, values, dictionary). `values` is a float64 array for
// number/boolean, rows x dimension for embedding, int64 codes for string, int64 nanoseconds for
// timestamp; `dictionary` is the list of strings the codes index.
struct ColumnSpec {
  std::string name;
  EncodedColumn::Kind kind;
  py::array values;
  std::vector<std::string> dictionary;
};

ColumnSpec ReadSpec(const py::tuple& spec, size_t rows) {
  if (spec.size() != 4) throw py::value_error("a column spec is (name, kind, values, dictionary)");
  ColumnSpec column{spec[0].cast<std::string>(), ParseKind(spec[1].cast<std::string>()), {}, {}};
  using Kind = EncodedColumn::Kind;
  bool integers =
      column.kind == Kind::kString || column.kind == Kind::kJson || column.kind == Kind::kTimestamp;
  if (integers) {
    column.values = Int64Array::ensure(spec[2]);
  } else {
    column.values = DoubleArray::ensure(spec[2]);
  }
  if (!column.values)
    throw py::value_error("column '" + column.name + "': values are not an array");
  size_t expected_dims = column.kind == Kind::kEmbedding ? 2 : 1;
  if (static_cast<size_t>(column.values.ndim()) != expected_dims ||
      static_cast<size_t>(column.values.shape(0)) != rows) {
    throw py::value_error("column '" + column.name + "': expected " + std::to_string(rows) +
                          " rows");
  }
  if (column.kind == Kind::kString || column.kind == Kind::kJson) {
    column.dictionary = spec[3].cast<std::vector<std::string>>();
    const int64_t* codes = static_cast<const int64_t*>(column.values.data());
    auto size = static_cast<int64_t>(column.dictionary.size());
    for (size_t row = 0; row < rows; ++row) {
      if (codes[row] >= size) {
        throw py::value_error("column '" + column.name + "': a code is outside the dictionary");
      }
    }
  }
  return column;
}

// Rows held as columns, with the Python arrays they borrow kept alive, encoded on demand as NDJSON
// (RowBatch) or as a columnar body (ColumnBatch, telltale's
// application/vnd.telltale.columns+msgpack).
class PyRowBatch {
 public:
  PyRowBatch(size_t rows, const std::optional<std::vector<std::string>>& ids,
             const std::optional<py::array>& timestamps, const py::list& groups, bool columnar)
      : columnar_(columnar) {
    batch_.rows = rows;
    columns_.rows = rows;
    if (ids) {
      if (ids->size() != rows) throw py::value_error("expected one id per row");
      if (columnar_) {
        columns_.ids = *ids;
      } else {
        batch_.ids.reserve(rows);
        for (const std::string& id : *ids) batch_.ids.push_back(JsonLiteral(id));
      }
    }
    if (timestamps) {
      timestamps_ = Int64Array::ensure(*timestamps);
      if (!timestamps_ || timestamps_.ndim() != 1 ||
          static_cast<size_t>(timestamps_.shape(0)) != rows) {
        throw py::value_error("expected one timestamp per row");
      }
      batch_.timestamps = static_cast<const int64_t*>(timestamps_.data());
      columns_.timestamps = batch_.timestamps;
    }
    for (const py::handle& group : groups) {
      auto pair = group.cast<py::tuple>();
      std::string role = pair[0].cast<std::string>();
      // Only the form this batch is encoded in is built.
      if (columnar_) {
        columns_.groups.push_back({role, {}});
      } else {
        batch_.groups.push_back({JsonLiteral(role, ":"), {}});
      }
      for (const py::handle& spec : pair[1].cast<py::list>()) {
        ColumnSpec column = ReadSpec(spec.cast<py::tuple>(), rows);
        if (columnar_) {
          columns_.groups.back().columns.push_back(ToSource(column));
        } else {
          batch_.groups.back().columns.push_back(ToEncoded(column));
        }
        arrays_.push_back(std::move(column.values));
      }
    }
  }

  size_t rows() const { return batch_.rows; }
  std::string content_type() const {
    return columnar_ ? "application/vnd.telltale.columns+msgpack" : "application/x-ndjson";
  }

  py::bytes Encode(size_t begin, size_t end) const {
    if (begin > end || end > batch_.rows) throw py::index_error("row range outside the batch");
    std::string out;
    {
      py::gil_scoped_release release;
      if (columnar_) {
        out = WriteColumnBody(columns_, begin, end);
      } else {
        // Rows of a frame are about as long as each other: the first one tells how much to
        // reserve (at most 64 MiB, should the first row be an unusually long one).
        constexpr size_t kMaxReserve = 64 << 20;
        EncodeRows(batch_, begin, std::min(begin + 1, end), out);
        out.reserve(std::min(kMaxReserve, out.size() * (end - begin) * 9 / 8));
        if (begin < end) EncodeRows(batch_, begin + 1, end, out);
      }
    }
    return py::bytes(out);
  }

 private:
  static EncodedColumn ToEncoded(const ColumnSpec& column) {
    EncodedColumn out;
    out.key = JsonLiteral(column.name, ":");
    out.kind = column.kind;
    if (column.kind == EncodedColumn::Kind::kJson) {
      out.codes = static_cast<const int64_t*>(column.values.data());
      out.dictionary.reserve(column.dictionary.size());
      for (const std::string& literal : column.dictionary) out.dictionary.emplace_back(literal);
    } else if (column.kind == EncodedColumn::Kind::kString) {
      out.codes = static_cast<const int64_t*>(column.values.data());
      out.dictionary.reserve(column.dictionary.size());
      for (const std::string& value : column.dictionary)
        out.dictionary.push_back(JsonLiteral(value));
    } else if (column.kind == EncodedColumn::Kind::kTimestamp) {
      out.nanoseconds = static_cast<const int64_t*>(column.values.data());
    } else {
      out.numbers = static_cast<const double*>(column.values.data());
      if (column.kind == EncodedColumn::Kind::kEmbedding) {
        out.dimension = static_cast<size_t>(column.values.shape(1));
      }
    }
    return out;
  }

  static ColumnSource ToSource(const ColumnSpec& column) {
    using Kind = EncodedColumn::Kind;
    ColumnSource out;
    out.name = column.name;
    switch (column.kind) {
      case Kind::kNumber:
      case Kind::kBoolean:
        out.kind = column.kind == Kind::kNumber ? ColumnSource::Kind::kNumber
                                                : ColumnSource::Kind::kBoolean;
        out.numbers = static_cast<const double*>(column.values.data());
        break;
      case Kind::kEmbedding:
        out.kind = ColumnSource::Kind::kEmbedding;
        out.numbers = static_cast<const double*>(column.values.data());
        out.dimension = static_cast<size_t>(column.values.shape(1));
        break;
      case Kind::kTimestamp:
        out.kind = ColumnSource::Kind::kTimestamp;
        out.nanoseconds = static_cast<const int64_t*>(column.values.data());
        break;
      case Kind::kString:
      case Kind::kJson:
        out.kind = ColumnSource::Kind::kCoded;
        out.codes = static_cast<const int64_t*>(column.values.data());
        out.dictionary.reserve(column.dictionary.size());
        for (const std::string& value : column.dictionary) {
          if (column.kind == Kind::kJson) {
            out.dictionary.push_back(value);
          } else {
            std::string literal;
            AppendJsonString(value, literal);
            out.dictionary.push_back(std::move(literal));
          }
        }
        break;
    }
    return out;
  }

  bool columnar_;
  RowBatch batch_;
  ColumnBatch columns_;
  Int64Array timestamps_;
  std::vector<py::array> arrays_;
};

std::optional<ColumnType> ParseDeclared(const py::object& declared) {
  if (declared.is_none()) return std::nullopt;
  std::optional<ColumnType> type = ParseColumnType(declared.cast<std::string>());
  if (!type) throw py::value_error("unknown drift type '" + declared.cast<std::string>() + "'");
  return type;
}

// The storage the server's fold would give the column's cells.
Column ToColumn(const ColumnSpec& spec, size_t rows) {
  using Kind = EncodedColumn::Kind;
  Column column;
  column.name = spec.name;
  const auto* numbers = static_cast<const double*>(spec.values.data());
  const auto* integers = static_cast<const int64_t*>(spec.values.data());
  switch (spec.kind) {
    case Kind::kNumber:
    case Kind::kBoolean:
      column.kind = spec.kind == Kind::kNumber ? StorageKind::kNumber : StorageKind::kBoolean;
      column.numbers.AssignPlain(std::vector<double>(numbers, numbers + rows));
      for (size_t row = 0; row < rows; ++row) {
        const double value = numbers[row];
        if (std::isnan(value)) continue;
        if (value != std::floor(value) || !std::isfinite(value)) {
          column.integral = false;
          break;
        }
      }
      break;
    case Kind::kJson:
      throw py::value_error("column '" + spec.name + "': profile mixed columns as strings");
    case Kind::kString:
      column.kind = StorageKind::kString;
      column.dictionary = spec.dictionary;
      column.codes.resize(rows);
      for (size_t row = 0; row < rows; ++row) {
        column.codes[row] =
            integers[row] < 0 ? Column::kNullCode : static_cast<uint32_t>(integers[row]);
      }
      break;
    case Kind::kTimestamp: {
      std::vector<double> seconds(rows);
      for (size_t row = 0; row < rows; ++row) {
        int64_t value = integers[row];
        seconds[row] = value == std::numeric_limits<int64_t>::min()
                           ? std::nan("")
                           : std::floor(static_cast<double>(value) / 1e9);
      }
      column.numbers.AssignPlain(std::move(seconds));
      break;
    }
    case Kind::kEmbedding: {
      // The server profiles an embedding by its Euclidean norm.
      auto dimension = static_cast<size_t>(spec.values.shape(1));
      std::vector<double> norms(rows);
      column.integral = false;
      for (size_t row = 0; row < rows; ++row) {
        const double* values = numbers + row * dimension;
        double squares = 0;
        for (size_t i = 0; i < dimension; ++i) squares += values[i] * values[i];
        norms[row] = dimension == 0 || std::isnan(values[0]) ? std::nan("") : std::sqrt(squares);
      }
      column.numbers.AssignPlain(std::move(norms));
      break;
    }
  }
  for (size_t row = 0; row < column.size(); ++row) column.null_count += column.IsNull(row);
  return column;
}

// Profiles columns given as (name, kind, values, dictionary, drift_type) into the serialized
// DatasetProfile format the server's profile upload takes.
py::bytes ProfileColumns(const py::list& specs, size_t rows, unsigned threads, uint16_t kll_k,
                         uint8_t hll_lg_k, uint32_t category_cap) {
  std::vector<ColumnSpec> columns;
  std::vector<std::optional<ColumnType>> declared;
  for (const py::handle& item : specs) {
    auto spec = item.cast<py::tuple>();
    if (spec.size() != 5) {
      throw py::value_error("a profile column is (name, kind, values, dictionary, drift_type)");
    }
    columns.push_back(ReadSpec(py::make_tuple(spec[0], spec[1], spec[2], spec[3]), rows));
    declared.push_back(ParseDeclared(spec[4]));
  }
  SketchOptions options;
  options.kll_k = kll_k;
  options.hll_lg_k = hll_lg_k;
  options.category_cap = category_cap;
  std::string bytes;
  {
    py::gil_scoped_release release;
    std::vector<FieldProfile> fields(columns.size(), FieldProfile(options));
    ParallelFor(columns.size(), std::max(1u, threads), [&](size_t i) {
      // Text fields keep no value: privacy mode sends statistics, never free text.
      AddColumn(ToColumn(columns[i], rows), declared[i], true, fields[i], TextValues::kCountOnly);
    });
    DatasetProfile profile;
    profile.set_rows(rows);
    for (size_t i = 0; i < columns.size(); ++i) profile.Put(columns[i].name, std::move(fields[i]));
    bytes = profile.Serialize();
  }
  return py::bytes(bytes);
}

DatasetProfile Load(const py::bytes& bytes) {
  Result<DatasetProfile> profile = DatasetProfile::Deserialize(std::string_view(bytes));
  if (!profile.ok()) throw py::value_error(profile.status().message());
  return std::move(*profile);
}

}  // namespace
}  // namespace telltale::python

PYBIND11_MODULE(_native, module) {
  using namespace telltale::python;
  module.doc() = "telltale's C++ core for the Python SDK: row encoding and profiling";
  py::class_<PyRowBatch>(module, "RowBatch")
      .def(py::init<size_t, const std::optional<std::vector<std::string>>&,
                    const std::optional<py::array>&, const py::list&, bool>(),
           py::arg("rows"), py::arg("ids"), py::arg("timestamps"), py::arg("groups"),
           py::arg("columnar") = false)
      .def_property_readonly("rows", &PyRowBatch::rows)
      .def_property_readonly("content_type", &PyRowBatch::content_type)
      .def("encode", &PyRowBatch::Encode, py::arg("begin"), py::arg("end"),
           "rows [begin, end) as a request body of content_type");
  module.def("profile_columns", &ProfileColumns, py::arg("columns"), py::arg("rows"),
             py::arg("threads") = 1, py::arg("kll_k") = 200, py::arg("hll_lg_k") = 12,
             py::arg("category_cap") = 1000);
  module.def("profile_json",
             [](const py::bytes& bytes) { return telltale::FormatProfileJson(Load(bytes)); });
  module.def("merge_profiles", [](const py::bytes& left, const py::bytes& right) {
    telltale::DatasetProfile merged = Load(left);
    merged.Merge(Load(right));
    return py::bytes(merged.Serialize());
  });
}
