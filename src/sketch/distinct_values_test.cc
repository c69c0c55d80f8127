#include "sketch/distinct_values.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <utility>
#include <vector>

namespace telltale {
namespace {

TEST(DistinctValuesTest, ExactUntilTheCapThenOverflows) {
  DistinctValues values(10);
  for (int i = 0; i < 100; ++i) values.Update(i % 10);
  values.Update(-0.0);
  EXPECT_FALSE(values.overflowed());
  EXPECT_EQ(values.size(), 10u);
  auto sorted = values.Sorted();
  EXPECT_EQ(sorted.front(), std::make_pair(0.0, uint64_t{11}));
  values.Update(10.5);
  EXPECT_TRUE(values.overflowed());
  EXPECT_TRUE(values.Sorted().empty());

  DistinctValues a(10);
  DistinctValues b(10);
  a.Update(1, 2);
  b.Update(1);
  b.Update(2);
  a.Merge(b);
  EXPECT_EQ(a.Sorted(), (std::vector<std::pair<double, uint64_t>>{{1, 3}, {2, 1}}));
  a.Merge(values);
  EXPECT_TRUE(a.overflowed());
}

TEST(DistinctValuesTest, SerializationRoundTripsAndRejectsCorruption) {
  DistinctValues values(10);
  for (int i = 0; i < 30; ++i) values.Update(i % 7 * 0.5);
  ByteWriter writer;
  values.Serialize(writer);
  ByteReader reader(writer.bytes());
  Result<DistinctValues> loaded = DistinctValues::Deserialize(reader);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->Sorted(), values.Sorted());
  std::string bytes = writer.bytes();
  ByteReader short_reader(std::string_view(bytes).substr(0, bytes.size() - 3));
  EXPECT_FALSE(DistinctValues::Deserialize(short_reader).ok());
}

// The table against std::map on many values: integers (which differ only in a double's high
// bits), halves, random doubles and repeats, with merges of parts, up to and past the cap.
TEST(DistinctValuesTest, AgreesWithAMapAndOverflowsExactlyPastTheCap) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> uniform(-1e6, 1e6);
  for (int distinct : {1, 15, 16, 17, 500, 999, 1000, 1001}) {
    std::vector<double> pool;
    for (int i = 0; i < distinct; ++i) {
      pool.push_back(i % 3 == 0 ? i : i % 3 == 1 ? i * 0.5 - 100 : uniform(random));
    }
    std::sort(pool.begin(), pool.end());
    pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
    std::map<double, uint64_t> expected;
    DistinctValues whole;
    std::vector<DistinctValues> parts(4);
    for (int i = 0; i < 5000; ++i) {
      double value = pool[random() % pool.size()];
      ++expected[value];
      whole.Update(value);
      parts[static_cast<size_t>(i) % parts.size()].Update(value);
    }
    DistinctValues merged;
    for (const DistinctValues& part : parts) merged.Merge(part);
    const bool over = expected.size() > DistinctValues::kDefaultCap;
    std::vector<std::pair<double, uint64_t>> sorted(expected.begin(), expected.end());
    for (const DistinctValues* values : {&whole, &merged}) {
      EXPECT_EQ(values->overflowed(), over) << distinct;
      if (!over) {
        EXPECT_EQ(values->size(), expected.size()) << distinct;
        EXPECT_EQ(values->Sorted(), sorted) << distinct;
      }
    }
    ByteWriter writer;
    whole.Serialize(writer);
    ByteReader reader(writer.bytes());
    EXPECT_EQ(DistinctValues::Deserialize(reader).value().Sorted(), whole.Sorted());
  }
}

TEST(DistinctValuesTest, AnEntryCountTheInputCannotHoldIsRefusedWithoutAllocatingIt) {
  ByteWriter writer;
  writer.Put<uint8_t>(1);
  writer.Put<uint32_t>(4000000000u);  // cap
  writer.Put<uint8_t>(0);
  writer.Put<uint32_t>(3999999999u);  // entries claimed, none present
  ByteReader reader(writer.bytes());
  Result<DistinctValues> loaded = DistinctValues::Deserialize(reader);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("truncated"), std::string::npos);
}

TEST(DistinctValuesTest, AValueListedTwiceIsCorruption) {
  ByteWriter writer;
  writer.Put<uint8_t>(1);
  writer.Put<uint32_t>(10);
  writer.Put<uint8_t>(0);
  writer.Put<uint32_t>(2);
  for (double value : {0.0, -0.0}) {
    writer.Put<double>(value);
    writer.Put<uint64_t>(1);
  }
  ByteReader reader(writer.bytes());
  EXPECT_FALSE(DistinctValues::Deserialize(reader).ok());
}

}  // namespace
}  // namespace telltale
