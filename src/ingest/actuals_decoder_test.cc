#include "ingest/actuals_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace telltale {
namespace {

TEST(DecodeActualsTest, RowsAreReadOneByOneAndBadOnesRejected) {
  Result<DecodedActuals> decoded = DecodeActuals(
      R"({"source": "labels", "rows": [{"id": "a", "actuals": {"label": true}},
          {"actuals": {"label": false}}, 3,
          {"id": "b", "actuals": {"label": false, "amount": 2.5}, "timestamp": "2026-11-24T10:00:00Z"}]})",
      false, {});
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_EQ(decoded->rows.size(), 2u);
  EXPECT_EQ(decoded->rows[0].id, "a");
  EXPECT_EQ(decoded->rows[1].index, 3u);
  ASSERT_EQ(decoded->rows[1].fields.size(), 2u);
  EXPECT_EQ(decoded->rows[1].fields[0].first, "label");
  EXPECT_EQ(decoded->rows[1].fields[0].second.label, "false");
  EXPECT_EQ(decoded->rows[1].fields[1].first, "amount");
  EXPECT_EQ(decoded->rows[1].fields[1].second.number, 2.5);
  EXPECT_EQ(decoded->rows[1].time, 1795514400);
  ASSERT_EQ(decoded->rejected.size(), 2u);
  EXPECT_EQ(decoded->rejected[0].index, 1u);
  EXPECT_EQ(decoded->rejected[1].index, 2u);
}

TEST(DecodeActualsTest, PendingFieldsReadBackAsDecoded) {
  Result<DecodedActuals> decoded = DecodeActuals(
      R"({"rows": [{"id": "a", "actuals": {"label": true, "amount": 0.1, "big": 1e300, "n": -7,
          "class": "caf\u00e9 \"q\"\n", "skipped": null, "label": false}},
          {"id": "b", "actuals": {}}]})",
      false, {});
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_EQ(decoded->rows.size(), 2u);
  for (const ActualRow& row : decoded->rows) {
    std::string json = ActualFieldsJson(row.fields);
    Result<ActualFields> back = ParseActualFields(json);
    ASSERT_TRUE(back.ok()) << json;
    // Read back: every field once, with its first value, as ReadActual would take it.
    ActualFields first_of_each;
    for (const auto& field : row.fields) {
      bool seen = std::any_of(first_of_each.begin(), first_of_each.end(),
                              [&](const auto& kept) { return kept.first == field.first; });
      if (!seen) first_of_each.push_back(field);
    }
    auto by_name = [](const auto& a, const auto& b) { return a.first < b.first; };
    std::sort(first_of_each.begin(), first_of_each.end(), by_name);
    std::sort(back->begin(), back->end(), by_name);
    ASSERT_EQ(back->size(), first_of_each.size()) << json;
    for (size_t i = 0; i < back->size(); ++i) {
      EXPECT_EQ((*back)[i].first, first_of_each[i].first) << json;
      EXPECT_EQ((*back)[i].second.number, first_of_each[i].second.number) << json;
      EXPECT_EQ((*back)[i].second.label, first_of_each[i].second.label) << json;
    }
  }
  EXPECT_EQ(ActualFieldsJson(decoded->rows[1].fields), "{}");
}

TEST(DecodeActualsTest, BodiesThatAreNotRowsFailAsAWhole) {
  DecodeLimits limits;
  limits.max_rows = 1;
  Result<DecodedActuals> many =
      DecodeActuals(R"({"rows": [{"id": "a"}, {"id": "b"}]})", false, limits);
  EXPECT_EQ(many.status().code(), StatusCode::kResourceExhausted);
  limits.max_rows = 10;
  limits.max_depth = 4;
  Result<DecodedActuals> deep =
      DecodeActuals(R"({"rows": [{"id": "a", "actuals": {"x": {"y": 1}}}]})", false, limits);
  EXPECT_EQ(deep.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(deep.status().message().find("row 0: nested deeper than the limit of 4 levels"),
            std::string::npos)
      << deep.status().message();
  for (const char* body : {"", "[1]", "{\"rows\": 1}", "{\"rows\": [{\"id\": \"a\"}", "{}"}) {
    EXPECT_EQ(DecodeActuals(body, false, {}).status().code(), StatusCode::kInvalidArgument) << body;
  }
}

}  // namespace
}  // namespace telltale
