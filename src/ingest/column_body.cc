#include "ingest/column_body.h"

#include <msgpack.hpp>

#include <bit>
#include <string_view>

namespace telltale {
namespace {

static_assert(std::endian::native == std::endian::little,
              "column bodies hold little-endian numbers, written here as they lie");

using Packer = msgpack::packer<msgpack::sbuffer>;

void PackKey(Packer& packer, std::string_view key) {
  packer.pack_str(static_cast<uint32_t>(key.size()));
  packer.pack_str_body(key.data(), static_cast<uint32_t>(key.size()));
}

void PackBin(Packer& packer, const void* data, size_t bytes) {
  packer.pack_bin(static_cast<uint32_t>(bytes));
  packer.pack_bin_body(static_cast<const char*>(data), static_cast<uint32_t>(bytes));
}

// {"offsets", "data"} of strings [begin, end) of `texts`.
void PackStrings(Packer& packer, const std::vector<std::string>& texts, size_t begin, size_t end) {
  std::vector<uint32_t> offsets;
  offsets.reserve(end - begin + 1);
  std::string data;
  offsets.push_back(0);
  for (size_t i = begin; i < end; ++i) {
    data += texts[i];
    offsets.push_back(static_cast<uint32_t>(data.size()));
  }
  packer.pack_map(2);
  PackKey(packer, "offsets");
  PackBin(packer, offsets.data(), offsets.size() * sizeof(uint32_t));
  PackKey(packer, "data");
  PackBin(packer, data.data(), data.size());
}

std::string_view KindName(ColumnSource::Kind kind) {
  switch (kind) {
    case ColumnSource::Kind::kNumber:
      return "number";
    case ColumnSource::Kind::kBoolean:
      return "boolean";
    case ColumnSource::Kind::kTimestamp:
      return "timestamp";
    case ColumnSource::Kind::kEmbedding:
      return "embedding";
    case ColumnSource::Kind::kCoded:
      return "coded";
  }
  return "";
}

void PackColumn(Packer& packer, const ColumnSource& column, size_t begin, size_t end) {
  const size_t rows = end - begin;
  using Kind = ColumnSource::Kind;
  packer.pack_map(column.kind == Kind::kEmbedding || column.kind == Kind::kCoded ? 4 : 3);
  PackKey(packer, "name");
  PackKey(packer, column.name);
  PackKey(packer, "type");
  PackKey(packer, KindName(column.kind));
  switch (column.kind) {
    case Kind::kNumber:
    case Kind::kBoolean:
      PackKey(packer, "values");
      PackBin(packer, column.numbers + begin, rows * sizeof(double));
      break;
    case Kind::kTimestamp:
      PackKey(packer, "values");
      PackBin(packer, column.nanoseconds + begin, rows * sizeof(int64_t));
      break;
    case Kind::kEmbedding:
      PackKey(packer, "dimension");
      packer.pack(column.dimension);
      PackKey(packer, "values");
      PackBin(packer, column.numbers + begin * column.dimension,
              rows * column.dimension * sizeof(double));
      break;
    case Kind::kCoded: {
      // Only the values these rows use, coded anew in order of first use: a batch's dictionary
      // never has more entries than the batch has rows.
      std::vector<int32_t> recoded(column.dictionary.size(), -1);
      std::vector<std::string> used;
      std::vector<int32_t> codes(rows);
      for (size_t row = 0; row < rows; ++row) {
        int64_t code = column.codes[begin + row];
        if (code < 0) {
          codes[row] = -1;
          continue;
        }
        int32_t& entry = recoded[static_cast<size_t>(code)];
        if (entry < 0) {
          entry = static_cast<int32_t>(used.size());
          used.push_back(column.dictionary[static_cast<size_t>(code)]);
        }
        codes[row] = entry;
      }
      PackKey(packer, "codes");
      PackBin(packer, codes.data(), codes.size() * sizeof(int32_t));
      PackKey(packer, "dictionary");
      PackStrings(packer, used, 0, used.size());
      break;
    }
  }
}

}  // namespace

std::string WriteColumnBody(const ColumnBatch& batch, size_t begin, size_t end) {
  msgpack::sbuffer buffer;
  Packer packer(buffer);
  const bool ids = !batch.ids.empty();
  const bool timestamps = batch.timestamps != nullptr;
  packer.pack_map(static_cast<uint32_t>(1 + ids + timestamps + batch.groups.size()));
  PackKey(packer, "rows");
  packer.pack(end - begin);
  if (ids) {
    PackKey(packer, "ids");
    PackStrings(packer, batch.ids, begin, end);
  }
  if (timestamps) {
    PackKey(packer, "timestamps");
    PackBin(packer, batch.timestamps + begin, (end - begin) * sizeof(int64_t));
  }
  for (const ColumnGroup& group : batch.groups) {
    PackKey(packer, group.role);
    packer.pack_array(static_cast<uint32_t>(group.columns.size()));
    for (const ColumnSource& column : group.columns) PackColumn(packer, column, begin, end);
  }
  return {buffer.data(), buffer.size()};
}

}  // namespace telltale
