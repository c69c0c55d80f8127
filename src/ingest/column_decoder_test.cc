#include "ingest/column_decoder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <msgpack.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace telltale {
namespace {

constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();
const double kNaN = std::nan("");

VersionSchema TestSchema() {
  nlohmann::json schema = {{"features",
                            {{"age", "numeric"},
                             {"country", "categorical"},
                             {"member", "boolean"},
                             {"seen", "timestamp"},
                             {"note", "text"},
                             {"emb", {{"type", "embedding"}, {"dimension", 2}}}}},
                           {"predictions", {{"score", "numeric"}}},
                           {"raw", {{"score_raw", "numeric"}}}};
  return VersionSchema::FromJson(schema, nullptr).value();
}

// One column of a test batch, with what it holds per row.
struct TestColumn {
  std::string role;
  std::string name;
  std::string type;                  // number, boolean, timestamp, embedding, coded
  std::vector<double> numbers;       // number, boolean; embedding: rows x dimension
  size_t dimension = 0;              // embedding
  std::vector<int64_t> nanoseconds;  // timestamp
  std::vector<int32_t> codes;        // coded
  std::vector<std::string> dictionary;
};

TestColumn Column(std::string role, std::string name, std::string type,
                  std::vector<double> numbers = {}) {
  TestColumn column;
  column.role = std::move(role);
  column.name = std::move(name);
  column.type = std::move(type);
  column.numbers = std::move(numbers);
  return column;
}

struct TestBatch {
  size_t rows = 0;
  std::optional<std::vector<std::string>> ids;
  std::vector<int64_t> timestamps;  // empty: none
  std::vector<TestColumn> columns;
};

void PackStrings(msgpack::packer<msgpack::sbuffer>& packer, const std::vector<std::string>& texts) {
  std::string offsets;
  std::string data;
  auto put = [&](uint32_t offset) { offsets.append(reinterpret_cast<const char*>(&offset), 4); };
  put(0);
  for (const std::string& text : texts) {
    data += text;
    put(static_cast<uint32_t>(data.size()));
  }
  packer.pack_map(2);
  packer.pack(std::string("offsets"));
  packer.pack_bin(offsets.size());
  packer.pack_bin_body(offsets.data(), offsets.size());
  packer.pack(std::string("data"));
  packer.pack_bin(data.size());
  packer.pack_bin_body(data.data(), data.size());
}

template <typename T>
void PackValues(msgpack::packer<msgpack::sbuffer>& packer, const std::vector<T>& values) {
  packer.pack_bin(values.size() * sizeof(T));
  packer.pack_bin_body(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

std::string ColumnsBody(const TestBatch& batch) {
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> packer(buffer);
  std::vector<std::string> roles;
  for (const TestColumn& column : batch.columns) {
    if (std::find(roles.begin(), roles.end(), column.role) == roles.end()) {
      roles.push_back(column.role);
    }
  }
  packer.pack_map(1 + (batch.ids ? 1 : 0) + (batch.timestamps.empty() ? 0 : 1) + roles.size());
  packer.pack(std::string("rows"));
  packer.pack(batch.rows);
  if (batch.ids) {
    packer.pack(std::string("ids"));
    PackStrings(packer, *batch.ids);
  }
  if (!batch.timestamps.empty()) {
    packer.pack(std::string("timestamps"));
    PackValues(packer, batch.timestamps);
  }
  for (const std::string& role : roles) {
    packer.pack(role);
    std::vector<const TestColumn*> columns;
    for (const TestColumn& column : batch.columns) {
      if (column.role == role) columns.push_back(&column);
    }
    packer.pack_array(columns.size());
    for (const TestColumn* column : columns) {
      bool coded = column->type == "coded";
      packer.pack_map(column->type == "embedding" || coded ? 4 : 3);
      packer.pack(std::string("name"));
      packer.pack(column->name);
      packer.pack(std::string("type"));
      packer.pack(column->type);
      if (column->type == "embedding") {
        packer.pack(std::string("dimension"));
        packer.pack(column->dimension);
      }
      packer.pack(std::string(coded ? "codes" : "values"));
      if (coded) {
        PackValues(packer, column->codes);
      } else if (column->type == "timestamp") {
        PackValues(packer, column->nanoseconds);
      } else {
        PackValues(packer, column->numbers);
      }
      if (coded) {
        packer.pack(std::string("dictionary"));
        PackStrings(packer, column->dictionary);
      }
    }
  }
  return {buffer.data(), buffer.size()};
}

// The same batch as {"rows": [...]} JSON, each value written as the SDK writes it.
std::string JsonBody(const TestBatch& batch) {
  std::string body = "{\"rows\": [";
  for (size_t row = 0; row < batch.rows; ++row) {
    if (row > 0) body += ",";
    body += "{";
    std::vector<std::string> parts;
    if (batch.ids) parts.push_back("\"id\": " + nlohmann::json((*batch.ids)[row]).dump());
    if (!batch.timestamps.empty() && batch.timestamps[row] != kNoTime) {
      parts.push_back("\"timestamp\": \"" + FormatRfc3339(batch.timestamps[row] / 1'000'000'000) +
                      "\"");
    }
    std::string role;
    std::vector<std::string> cells;
    auto close_group = [&] {
      if (!role.empty()) {
        parts.push_back("\"" + role + "\": {" + fmt::format("{}", fmt::join(cells, ", ")) + "}");
      }
      cells.clear();
    };
    for (const TestColumn& column : batch.columns) {
      if (column.role != role) {
        close_group();
        role = column.role;
      }
      std::string value;
      if (column.type == "number" && !std::isnan(column.numbers[row])) {
        double number = column.numbers[row];
        value = number == std::floor(number) ? fmt::format("{:.0f}", number)
                                             : fmt::format("{:.17g}", number);
      } else if (column.type == "boolean" && !std::isnan(column.numbers[row])) {
        value = column.numbers[row] != 0 ? "true" : "false";
      } else if (column.type == "timestamp" && column.nanoseconds[row] != kNoTime) {
        value = "\"" + FormatRfc3339(column.nanoseconds[row] / 1'000'000'000) + "\"";
      } else if (column.type == "embedding" &&
                 !std::isnan(column.numbers[row * column.dimension])) {
        std::vector<std::string> items;
        for (size_t i = 0; i < column.dimension; ++i) {
          items.push_back(fmt::format("{:.17g}", column.numbers[row * column.dimension + i]));
        }
        value = "[" + fmt::format("{}", fmt::join(items, ", ")) + "]";
      } else if (column.type == "coded" && column.codes[row] >= 0) {
        value = column.dictionary[column.codes[row]];
      }
      if (!value.empty()) cells.push_back("\"" + column.name + "\": " + value);
    }
    close_group();
    body += fmt::format("{}", fmt::join(parts, ", ")) + "}";
  }
  return body + "]}";
}

void ExpectSameRows(const DecodedRows& json, const DecodedRows& columns) {
  ASSERT_EQ(json.total, columns.total);
  ASSERT_EQ(json.rows.size(), columns.rows.size());
  EXPECT_EQ(json.indexes, columns.indexes);
  for (size_t i = 0; i < json.rows.size(); ++i) {
    const Row& a = json.rows[i];
    const Row& b = columns.rows[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.event_time, b.event_time);
    ASSERT_EQ(a.cells.size(), b.cells.size());
    for (size_t c = 0; c < a.cells.size(); ++c) {
      EXPECT_EQ(a.cells[c].kind, b.cells[c].kind) << "row " << i << " cell " << c;
      EXPECT_EQ(a.cells[c].flag, b.cells[c].flag) << "row " << i << " cell " << c;
      EXPECT_EQ(a.cells[c].text, b.cells[c].text) << "row " << i << " cell " << c;
      if (a.cells[c].kind == Cell::Kind::kNumber) {
        EXPECT_DOUBLE_EQ(a.cells[c].number, b.cells[c].number) << "row " << i << " cell " << c;
        EXPECT_EQ(a.cells[c].integral, b.cells[c].integral) << "row " << i << " cell " << c;
      }
    }
  }
  ASSERT_EQ(json.rejected.size(), columns.rejected.size());
  for (size_t i = 0; i < json.rejected.size(); ++i) {
    EXPECT_EQ(json.rejected[i].index, columns.rejected[i].index);
    EXPECT_EQ(json.rejected[i].id, columns.rejected[i].id);
    EXPECT_EQ(json.rejected[i].reason, columns.rejected[i].reason);
    EXPECT_EQ(json.rejected[i].message, columns.rejected[i].message);
  }
  ASSERT_EQ(json.events.size(), columns.events.size());
  for (size_t i = 0; i < json.events.size(); ++i) {
    EXPECT_EQ(json.events[i].kind, columns.events[i].kind) << i;
    EXPECT_EQ(json.events[i].event_time, columns.events[i].event_time) << i;
    EXPECT_EQ(json.events[i].field, columns.events[i].field) << i;
  }
}

// Rows with every kind of column, missing values, values of the wrong type, an unknown column,
// bad ids and rows with and without timestamps.
TestBatch RandomBatch(size_t rows, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  auto sometimes = [&](double share) { return unit(random) < share; };
  TestBatch batch;
  batch.rows = rows;
  batch.ids.emplace();
  TestColumn age = Column("features", "age", "number");
  TestColumn country = Column("features", "country", "coded");
  country.dictionary = {"\"US\"", "\"DE\"", "7", "true", "2.5", "\"" + std::string(70, 'x') + "\""};
  TestColumn member = Column("features", "member", "coded");
  member.dictionary = {"true", "false", "\"yes\"", "3"};
  TestColumn seen = Column("features", "seen", "timestamp");
  TestColumn note = Column("features", "note", "coded");
  note.dictionary = {"\"fine\"", "\"\\u00e9t\\u00e9\"", "12"};
  TestColumn emb = Column("features", "emb", "embedding");
  emb.dimension = 2;
  TestColumn unknown = Column("features", "zzz", "number");
  TestColumn flag = Column("predictions", "score", "boolean");  // a boolean where a number belongs
  TestColumn score = Column("raw", "score_raw", "number");
  for (size_t row = 0; row < rows; ++row) {
    batch.ids->push_back(sometimes(0.03) ? "" : fmt::format("id-{}", row));
    batch.timestamps.push_back(sometimes(0.3) ? kNoTime
                                              : (1'790'000'000 + static_cast<int64_t>(row) * 61) *
                                                    1'000'000'000);
    age.numbers.push_back(sometimes(0.1)   ? kNaN
                          : sometimes(0.5) ? std::floor(unit(random) * 90)
                                           : unit(random) * 90);
    country.codes.push_back(static_cast<int32_t>(random() % 7) - 1);
    member.codes.push_back(sometimes(0.05) ? static_cast<int32_t>(random() % 4) : row % 2);
    seen.nanoseconds.push_back(
        sometimes(0.1) ? kNoTime : static_cast<int64_t>(random() % 2'000'000'000) * 1'000'000'000);
    note.codes.push_back(sometimes(0.05) ? 2 : static_cast<int32_t>(random() % 3) - 1);
    bool no_embedding = sometimes(0.1);
    emb.numbers.push_back(no_embedding ? kNaN : unit(random) * 4 - 2);
    emb.numbers.push_back(unit(random) * 4 - 2);
    unknown.numbers.push_back(sometimes(0.5) ? kNaN : unit(random));
    flag.numbers.push_back(sometimes(0.97) ? kNaN : 1);
    score.numbers.push_back(unit(random));
  }
  batch.columns = {age, country, member, seen, note, emb, unknown, flag, score};
  return batch;
}

TEST(DecodeColumnsTest, RowsComeOutAsTheSameRowsInJsonWouldWithTheSameRejections) {
  VersionSchema schema = TestSchema();
  DecodeOptions options;
  options.receive_time = 1'795'000'000;
  DecodeLimits limits;
  limits.max_string_bytes = 64;
  for (uint64_t seed : {1, 2, 3}) {
    TestBatch batch = RandomBatch(2000, seed);
    Result<DecodedRows> json = DecodeRows(JsonBody(batch), schema, options, limits);
    Result<DecodedRows> columns = DecodeColumns(ColumnsBody(batch), schema, options, limits);
    ASSERT_TRUE(json.ok()) << json.status().message();
    ASSERT_TRUE(columns.ok()) << columns.status().message();
    // Every kind of outcome is there to compare.
    EXPECT_GT(json->rows.size(), 1000u);
    std::set<RejectReason> reasons;
    for (const Rejection& rejection : json->rejected) reasons.insert(rejection.reason);
    EXPECT_EQ(reasons, (std::set<RejectReason>{RejectReason::kMalformed, RejectReason::kTypeError,
                                               RejectReason::kLimit}));
    ExpectSameRows(*json, *columns);
  }
}

TEST(DecodeColumnsTest, RowsWithoutIdsAreRejectedWhereIdsAreRequired) {
  VersionSchema schema = TestSchema();
  TestBatch batch;
  batch.rows = 2;
  batch.columns = {Column("features", "age", "number", {30, kNaN})};
  DecodeOptions options;
  Result<DecodedRows> production = DecodeColumns(ColumnsBody(batch), schema, options, {});
  ASSERT_TRUE(production.ok());
  ASSERT_EQ(production->rejected.size(), 2u);
  EXPECT_EQ(production->rejected[1].message, "id is missing");
  options.require_id = false;
  Result<DecodedRows> baseline = DecodeColumns(ColumnsBody(batch), schema, options, {});
  ASSERT_TRUE(baseline.ok());
  ASSERT_EQ(baseline->rows.size(), 2u);
  EXPECT_EQ(baseline->rows[0].cells[0].number, 30);
  EXPECT_TRUE(baseline->rows[0].cells[0].integral);
  EXPECT_EQ(baseline->rows[1].cells[0].kind, Cell::Kind::kMissing);
}

// A body that is not a columns body fails as a whole, naming what is wrong.
TEST(DecodeColumnsTest, MalformedBodiesFailWithWhatIsWrong) {
  VersionSchema schema = TestSchema();
  TestBatch batch;
  batch.rows = 2;
  batch.ids = std::vector<std::string>{"a", "b"};
  batch.columns = {Column("features", "age", "number", {30, 40})};
  const std::string good = ColumnsBody(batch);
  ASSERT_TRUE(DecodeColumns(good, schema, {}, {}).ok());

  auto fails_with = [&](const std::string& body, const std::string& words, StatusCode code) {
    Result<DecodedRows> decoded = DecodeColumns(body, schema, {}, {});
    ASSERT_FALSE(decoded.ok()) << words;
    EXPECT_EQ(decoded.status().code(), code) << decoded.status().message();
    EXPECT_NE(decoded.status().message().find(words), std::string::npos)
        << decoded.status().message();
  };
  fails_with(good.substr(0, good.size() - 3), "ends early", StatusCode::kInvalidArgument);
  fails_with(good + "x", "after the body", StatusCode::kInvalidArgument);
  fails_with("", "ends early", StatusCode::kInvalidArgument);
  fails_with("\x93\x01\x02\x03", "must be a map", StatusCode::kInvalidArgument);

  TestBatch short_values = batch;
  short_values.columns[0].numbers.pop_back();
  fails_with(ColumnsBody(short_values), "features.age.values holds 8 bytes; 2 values need 16",
             StatusCode::kInvalidArgument);
  TestBatch twice = batch;
  twice.columns.push_back(batch.columns[0]);
  fails_with(ColumnsBody(twice), "features.age appears twice", StatusCode::kInvalidArgument);
  TestBatch strange = batch;
  strange.columns[0].type = "decimal";
  fails_with(ColumnsBody(strange), "unknown column type 'decimal'", StatusCode::kInvalidArgument);
  TestBatch outside = batch;
  outside.columns = {Column("features", "country", "coded")};
  outside.columns[0].codes = {0, 1};
  outside.columns[0].dictionary = {"\"US\""};
  fails_with(ColumnsBody(outside), "codes[1] is 1, outside the dictionary of 1",
             StatusCode::kInvalidArgument);
  TestBatch not_utf8 = batch;
  not_utf8.ids = std::vector<std::string>{"a", "\xff"};
  fails_with(ColumnsBody(not_utf8), "ids.data is not UTF-8", StatusCode::kInvalidArgument);
  TestBatch cut = batch;
  cut.ids = std::vector<std::string>{"\xc3", "\xa9"};  // "é" cut in two
  fails_with(ColumnsBody(cut), "ids.offsets[1] cuts a UTF-8 character",
             StatusCode::kInvalidArgument);
  TestBatch bad_name = batch;
  bad_name.columns[0].name = "\xfe";
  fails_with(ColumnsBody(bad_name), "name is not UTF-8", StatusCode::kInvalidArgument);
  TestBatch large_dictionary = outside;
  large_dictionary.columns[0].codes = {0, 0};
  large_dictionary.columns[0].dictionary = {"\"US\"", "\"DE\"", "\"FR\""};
  fails_with(ColumnsBody(large_dictionary), "dictionary has 3 entries for 2 rows",
             StatusCode::kInvalidArgument);
  TestBatch not_json = outside;
  not_json.columns[0].codes = {0, 0};
  not_json.columns[0].dictionary = {"US"};
  fails_with(ColumnsBody(not_json), "dictionary[0] is not a JSON value",
             StatusCode::kInvalidArgument);
  DecodeLimits limits;
  limits.max_rows = 1;
  Result<DecodedRows> too_many = DecodeColumns(good, schema, {}, limits);
  EXPECT_EQ(too_many.status().code(), StatusCode::kResourceExhausted);
  DecodeLimits values;
  values.max_values = schema.fields().size();  // one row's worth
  Result<DecodedRows> too_wide = DecodeColumns(good, schema, {}, values);
  EXPECT_EQ(too_wide.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(too_wide.status().message().find("max_values"), std::string::npos);

  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> packer(buffer);
  packer.pack_map(2);
  packer.pack(std::string("rows"));
  packer.pack(0);
  packer.pack(std::string("columns"));
  packer.pack_array(0);
  fails_with({buffer.data(), buffer.size()}, "unknown key 'columns'", StatusCode::kInvalidArgument);
  // Deeper than a columns body goes.
  msgpack::sbuffer deep;
  msgpack::packer<msgpack::sbuffer> deep_packer(deep);
  for (int i = 0; i < 6; ++i) deep_packer.pack_array(1);
  deep_packer.pack(1);
  fails_with({deep.data(), deep.size()}, "over its limit", StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace telltale
