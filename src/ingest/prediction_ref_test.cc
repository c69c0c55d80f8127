#include "ingest/prediction_ref.h"

#include <gtest/gtest.h>

#include <cmath>

namespace telltale {
namespace {

TEST(PredictionRefTest, RoundTripsWithAndWithoutAnActual) {
  PredictionRef ref;
  ref.event_time = 1764000123;
  ref.segments = {1, 3};
  ref.score = 0.25;
  ref.label = "churn";
  Result<PredictionRef> back = DecodePredictionRef(EncodePredictionRef(ref));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->event_time, ref.event_time);
  EXPECT_EQ(back->segments, ref.segments);
  EXPECT_EQ(back->score, 0.25);
  EXPECT_EQ(back->label, "churn");
  EXPECT_FALSE(back->actual);
  ref.actual = ActualValue{2.5, "2.5"};
  ref.first_actual_time = 1764086400;
  back = DecodePredictionRef(EncodePredictionRef(ref));
  ASSERT_TRUE(back.ok() && back->actual);
  EXPECT_EQ(*back->actual->number, 2.5);
  EXPECT_EQ(back->first_actual_time, 1764086400);
  EXPECT_EQ(back->query, "");
  ref.query = "session-17";
  back = DecodePredictionRef(EncodePredictionRef(ref));
  ASSERT_TRUE(back.ok() && back->actual);
  EXPECT_EQ(back->query, "session-17");
  EXPECT_EQ(back->first_actual_time, 1764086400);
  EXPECT_TRUE(back->probabilities.empty());
  ref.probabilities = {0.25, 0.5, std::nan("")};
  std::string bytes = EncodePredictionRef(ref);
  back = DecodePredictionRef(bytes);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->probabilities.size(), 3u);
  EXPECT_EQ(back->probabilities[1], 0.5);
  EXPECT_TRUE(std::isnan(back->probabilities[2]));
  EXPECT_EQ(back->query, "session-17");
  EXPECT_FALSE(DecodePredictionRef(bytes.substr(0, bytes.size() - 4)).ok());
}

TEST(PredictionRefTest, TheHourOnlyEntriesOfOlderIndexesStillDecode) {
  // The older value: the hour, big-endian, sign bit flipped.
  int64_t hour = 490000;
  uint64_t ordered = static_cast<uint64_t>(hour) ^ (1ull << 63);
  std::string bytes;
  for (int shift = 56; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>(ordered >> shift));
  Result<PredictionRef> ref = DecodePredictionRef(bytes);
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->event_time, hour * 3600);
  EXPECT_TRUE(std::isnan(ref->score));
  EXPECT_FALSE(DecodePredictionRef("garbage!!").ok());
  EXPECT_EQ(PredictionEventTime(bytes).value(), hour * 3600);
}

TEST(PredictionRefTest, TimesAreReadFromTheHeadAlone) {
  PredictionRef ref;
  ref.event_time = 1795514400;
  ref.segments = {1, 3};
  ref.label = "fraud";
  EXPECT_EQ(PredictionEventTime(EncodePredictionRef(ref)).value(), 1795514400);
  EXPECT_FALSE(PredictionEventTime("garbage!!").ok());
  EXPECT_FALSE(PredictionEventTime("").ok());
  EXPECT_EQ(PendingArrivalTime(EncodePendingActual({1795000000, "{\"y\": 1}"})).value(),
            1795000000);
  EXPECT_FALSE(PendingArrivalTime("abc").ok());
}

}  // namespace
}  // namespace telltale
