#include "ingest/pooled_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace telltale {
namespace {

TEST(PooledParserTest, AParserIsKeptForTheNextBodyAndKeepsItsDepthLimit) {
  const void* first = nullptr;
  {
    PooledParser parser(1000, 4);
    ASSERT_TRUE(parser.ok());
    first = &*parser;
    EXPECT_FALSE(parser->parse(std::string(R"({"a": [1, 2]})")).error());
  }
  size_t pooled = PooledParser::Waiting();
  EXPECT_GE(pooled, 1u);
  PooledParser again(10, 4);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(PooledParser::Waiting(), pooled - 1);
  EXPECT_EQ(&*again, first);  // the last one given back is the first taken
  EXPECT_GE(again->capacity(), 1000u);
  // The depth limit holds for a reused parser.
  EXPECT_EQ(again->parse(std::string("[[[[[[1]]]]]]")).error(), simdjson::DEPTH_ERROR);
}

TEST(PooledParserTest, ADifferentDepthLimitIsSetOnAReusedParser) {
  { PooledParser parser(100, 64); }
  PooledParser shallow(100, 2);
  ASSERT_TRUE(shallow.ok());
  EXPECT_EQ(shallow->max_depth(), 2u);
  EXPECT_EQ(shallow->parse(std::string("[[[1]]]")).error(), simdjson::DEPTH_ERROR);
}

TEST(PooledParserTest, ParsersForLargeBodiesAreNotKept) {
  size_t before = PooledParser::Waiting();
  {
    PooledParser large(PooledParser::kMaxPooledCapacity + 1, 32);
    ASSERT_TRUE(large.ok());
  }
  EXPECT_EQ(PooledParser::Waiting(), before > 0 ? before - 1 : 0);  // it took one and kept it
}

}  // namespace
}  // namespace telltale
