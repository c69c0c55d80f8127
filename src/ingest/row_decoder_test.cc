#include "ingest/row_decoder.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace telltale {
namespace {

VersionSchema TestSchema() {
  nlohmann::json schema = {{"features",
                            {{"age", "numeric"},
                             {"country", "categorical"},
                             {"member", "boolean"},
                             {"seen", "timestamp"},
                             {"emb", {{"type", "embedding"}, {"dimension", 2}}}}},
                           {"predictions", {{"score", "numeric"}}}};
  return VersionSchema::FromJson(schema, nullptr).value();
}

TEST(ParseRfc3339Test, AcceptsTheForms) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z").value(), 0);
  EXPECT_EQ(ParseRfc3339("2026-11-24T10:00:00Z").value(), 1795514400);
  EXPECT_EQ(ParseRfc3339("2026-11-24T11:30:00+01:30").value(), 1795514400);
  EXPECT_EQ(ParseRfc3339("2026-11-24T05:00:00-05:00").value(), 1795514400);
  EXPECT_EQ(ParseRfc3339("2026-11-24T10:00:00.999999Z").value(), 1795514400);
  EXPECT_EQ(ParseRfc3339("2026-11-24 10:00:00z").value(), 1795514400);
  EXPECT_EQ(ParseRfc3339("1969-12-31T23:00:00Z").value(), -3600);
  EXPECT_EQ(ParseRfc3339("2016-12-31T23:59:60Z").value(), 1483228799);  // leap second
}

TEST(ParseRfc3339Test, RejectsWhatIsNotADateTime) {
  for (const char* text : {"2026-02-30T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T10:00:00",
                           "2026-11-24", "2026-11-24T10:00Z", "2026-11-24T10:00:00+0100",
                           "2026-11-24T10:00:00.Z", "2026-11-24T10:00:00Z junk", "yesterday", ""}) {
    Result<int64_t> parsed = ParseRfc3339(text);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_NE(parsed.status().message().find("RFC 3339"), std::string::npos);
    }
  }
}

TEST(ParseRfc3339Test, FormatsBack) {
  EXPECT_EQ(FormatRfc3339(1795514400), "2026-11-24T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(-3600), "1969-12-31T23:00:00Z");
}

TEST(DecodeRowsTest, ValidRowsBecomeCellsInSchemaOrder) {
  VersionSchema schema = TestSchema();
  DecodeOptions options;
  options.receive_time = 500;
  Result<DecodedRows> decoded = DecodeRows(
      R"({"rows": [{"id": "a", "timestamp": "1970-01-01T00:01:40Z",
                    "features": {"age": 31, "country": 7, "member": true, "seen": 12.5,
                                 "emb": [3, 4]}, "predictions": {"score": 0.25}},
                   {"id": "b", "features": {"age": null}}]})",
      schema, options, {});
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_EQ(decoded->rows.size(), 2u);
  EXPECT_TRUE(decoded->rejected.empty());
  const Row& a = decoded->rows[0];
  auto cell = [&](const char* name) { return a.cells[schema.FindField(name)]; };
  EXPECT_EQ(a.id, "a");
  EXPECT_EQ(a.event_time, 100);
  EXPECT_EQ(cell("age").kind, Cell::Kind::kNumber);
  EXPECT_EQ(cell("age").number, 31);
  EXPECT_TRUE(cell("age").integral);
  EXPECT_EQ(cell("country").kind, Cell::Kind::kString);
  EXPECT_EQ(cell("country").text, "7");
  EXPECT_TRUE(cell("member").flag);
  EXPECT_EQ(cell("seen").number, 12.5);
  EXPECT_EQ(cell("emb").number, 5);  // the embedding's norm
  EXPECT_EQ(cell("score").number, 0.25);
  EXPECT_FALSE(cell("score").integral);
  const Row& b = decoded->rows[1];
  EXPECT_EQ(b.event_time, 500);  // the receive time
  for (const Cell& missing : b.cells) EXPECT_EQ(missing.kind, Cell::Kind::kMissing);
  EXPECT_EQ(decoded->indexes, (std::vector<size_t>{0, 1}));
}

TEST(DecodeRowsTest, FieldsAreFoundWhateverTheirOrderFromRowToRow) {
  VersionSchema schema = TestSchema();
  // Each row lists its fields in another order than the row before, with unknown fields between.
  Result<DecodedRows> decoded = DecodeRows(
      R"({"rows": [{"id": "a", "features": {"age": 1, "country": "x", "member": true}},
                   {"id": "b", "features": {"country": "y", "age": 2, "member": false}},
                   {"id": "c", "features": {"extra": 0, "member": true, "age": 3}},
                   {"id": "d", "features": {"age": 4, "extra": 1, "country": "z"},
                    "predictions": {"age": 9, "score": 0.5}}]})",
      schema, {}, {});
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_EQ(decoded->rows.size(), 4u);
  auto cell = [&](size_t row, const char* name) {
    return decoded->rows[row].cells[schema.FindField(name)];
  };
  const char* countries[] = {"x", "y", nullptr, "z"};
  for (size_t row = 0; row < 4; ++row) {
    EXPECT_EQ(cell(row, "age").number, row + 1) << row;
    if (countries[row] == nullptr) {
      EXPECT_EQ(cell(row, "country").kind, Cell::Kind::kMissing);
    } else {
      EXPECT_EQ(cell(row, "country").text, countries[row]) << row;
    }
  }
  EXPECT_TRUE(cell(0, "member").flag);
  EXPECT_FALSE(cell(1, "member").flag);
  EXPECT_EQ(cell(3, "member").kind, Cell::Kind::kMissing);
  EXPECT_EQ(cell(3, "score").number, 0.5);  // "age" among the predictions is not the feature
  size_t unknown = 0;
  for (const IntegrityEvent& event : decoded->events) {
    if (event.kind == IntegrityEvent::Kind::kUnknownField) ++unknown;
  }
  EXPECT_EQ(unknown, 3u);  // features.extra twice, predictions.age once
}

TEST(DecodeRowsTest, RejectsRowsOneByOneWithTheField) {
  VersionSchema schema = TestSchema();
  Result<DecodedRows> decoded = DecodeRows(R"({"rows": [{"id": "a", "features": {"age": "x"}},
                              {"id": 5},
                              {"id": "c", "features": {"emb": [1]}},
                              {"id": "d", "features": {"bogus": 1}},
                              {"id": "e", "weird": {}}]})",
                                           schema, {}, {});
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->rows.size(), 1u);
  EXPECT_EQ(decoded->rows[0].id, "d");
  ASSERT_EQ(decoded->rejected.size(), 4u);
  EXPECT_EQ(decoded->rejected[0].message, "features.age: expected a number, got a string");
  EXPECT_EQ(decoded->rejected[0].reason, RejectReason::kTypeError);
  EXPECT_EQ(decoded->rejected[1].message, "id must be a string, got a number");
  EXPECT_EQ(decoded->rejected[2].message, "features.emb: expected 2 numbers, got 1");
  EXPECT_EQ(decoded->rejected[3].index, 4u);
  int unknown = 0, type_errors = 0;
  for (const IntegrityEvent& event : decoded->events) {
    unknown += event.kind == IntegrityEvent::Kind::kUnknownField && event.field == "features.bogus";
    type_errors += event.kind == IntegrityEvent::Kind::kTypeError;
  }
  EXPECT_EQ(unknown, 1);
  EXPECT_EQ(type_errors, 2);
}

TEST(DecodeRowsTest, NdjsonLinesAreRowsAndABadLineIsOneRejection) {
  DecodeOptions options;
  options.ndjson = true;
  Result<DecodedRows> decoded = DecodeRows(
      "{\"id\": \"a\"}\r\n\n{\"id\": \"b\", oops}\n{\"id\": \"c\"}", TestSchema(), options, {});
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->total, 3u);
  ASSERT_EQ(decoded->rows.size(), 2u);
  ASSERT_EQ(decoded->rejected.size(), 1u);
  EXPECT_EQ(decoded->rejected[0].index, 1u);
  EXPECT_EQ(decoded->rejected[0].message.rfind("line 3: malformed JSON", 0), 0u);
}

TEST(DecodeRowsTest, RowsAreFoundBesideOtherKeysAndErrorsNameTheRow) {
  VersionSchema schema = TestSchema();
  // Other keys are passed over, before and after "rows"; a row that is not an object is rejected.
  Result<DecodedRows> decoded =
      DecodeRows(R"({"source": {"rows": [1]}, "rows": [{"id": "a"}, 7, {"id": "b"}], "note": "x"})",
                 schema, {}, {});
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->total, 3u);
  ASSERT_EQ(decoded->rows.size(), 2u);
  EXPECT_EQ(decoded->rows[1].id, "b");
  ASSERT_EQ(decoded->rejected.size(), 1u);
  EXPECT_EQ(decoded->rejected[0].index, 1u);
  // A number out of range in the third row: the message says which row.
  Result<DecodedRows> bad =
      DecodeRows(R"({"rows": [{"id": "a"}, {"id": "b"}, {"id": "c", "features": {"age": 1e999}}]})",
                 schema, {}, {});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind("row 2: malformed JSON", 0), 0u) << bad.status().message();
  // Nothing may follow the body's object.
  Result<DecodedRows> trailing =
      DecodeRows(R"({"rows": [{"id": "a"}]} {"rows": []})", schema, {}, {});
  EXPECT_EQ(trailing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(trailing.status().message().find("after the body"), std::string::npos);
}

TEST(DecodeRowsTest, LimitsFailTheWholeBody) {
  DecodeLimits limits;
  limits.max_rows = 2;
  limits.max_depth = 4;
  limits.max_string_bytes = 3;
  VersionSchema schema = TestSchema();
  Result<DecodedRows> rows =
      DecodeRows(R"({"rows": [{"id":"a"},{"id":"b"},{"id":"c"}]})", schema, {}, limits);
  EXPECT_EQ(rows.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(rows.status().message().find("more than 2 rows"), std::string::npos);
  Result<DecodedRows> deep =
      DecodeRows(R"({"rows": [{"id": "a", "raw": {"x": {"y": {"z": 1}}}}]})", schema, {}, limits);
  EXPECT_EQ(deep.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(deep.status().message().find("4 levels"), std::string::npos);
  limits.max_depth = 32;
  Result<DecodedRows> long_string =
      DecodeRows(R"({"rows": [{"id": "a", "features": {"country": "abcd"}}]})", schema, {}, limits);
  ASSERT_TRUE(long_string.ok());
  ASSERT_EQ(long_string->rejected.size(), 1u);
  EXPECT_EQ(long_string->rejected[0].reason, RejectReason::kLimit);
  // A wide schema takes fewer rows: 6 fields and at most 12 values make 2 rows.
  DecodeLimits values;
  values.max_values = 12;
  for (bool ndjson : {false, true}) {
    DecodeOptions options;
    options.ndjson = ndjson;
    std::string body = ndjson ? "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n"
                              : R"({"rows": [{"id":"a"},{"id":"b"},{"id":"c"}]})";
    Result<DecodedRows> wide = DecodeRows(body, schema, options, values);
    EXPECT_EQ(wide.status().code(), StatusCode::kResourceExhausted);
    EXPECT_EQ(wide.status().message(),
              "more than 2 rows of 6 fields in one request (the limit is 12 values per request, "
              "max_values)");
    options.require_id = false;
    EXPECT_TRUE(
        DecodeRows(ndjson ? "{}\n{}\n" : R"({"rows": [{}, {}]})", schema, options, values).ok());
  }
  for (const char* body : {"", "[]", "{\"rows\": {}}", "{\"rows\": [", "{\"rows\": [1e999]}"}) {
    EXPECT_EQ(DecodeRows(body, schema, {}, {}).status().code(), StatusCode::kInvalidArgument)
        << body;
  }
}

}  // namespace
}  // namespace telltale
