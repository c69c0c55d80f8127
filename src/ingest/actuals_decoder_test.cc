#include "ingest/actuals_decoder.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(decoded->rows[1].fields_json, R"({"label":false,"amount":2.5})");
  EXPECT_EQ(decoded->rows[1].time, 1795514400);
  ASSERT_EQ(decoded->rejected.size(), 2u);
  EXPECT_EQ(decoded->rejected[0].index, 1u);
  EXPECT_EQ(decoded->rejected[1].index, 2u);
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
