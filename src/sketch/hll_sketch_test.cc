#include "sketch/hll_sketch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace telltale {
namespace {

TEST(HllSketchTest, EmptyEstimatesZero) {
  HllSketch sketch;
  EXPECT_EQ(sketch.Estimate(), 0.0);
}

TEST(HllSketchTest, RelativeErrorWithinThreeStandardErrorsFromThousandToTenMillion) {
  const double bound = 3 * 1.04 / std::sqrt(4096.0);
  for (uint64_t distinct : {1'000ULL, 10'000ULL, 100'000ULL, 1'000'000ULL, 10'000'000ULL}) {
    HllSketch sketch;
    EXPECT_NEAR(sketch.RelativeStandardError(), 1.04 / 64, 1e-12);
    // Each value twice: duplicates must not count.
    for (int pass = 0; pass < 2; ++pass) {
      for (uint64_t i = 0; i < distinct; ++i) sketch.Update(static_cast<double>(i) * 1.5 + 7);
    }
    double error = std::abs(sketch.Estimate() - static_cast<double>(distinct)) / distinct;
    EXPECT_LE(error, bound) << distinct << " distinct values estimated as " << sketch.Estimate();
  }
}

TEST(HllSketchTest, StringsAndSmallCounts) {
  HllSketch sketch;
  for (int i = 0; i < 10; ++i) sketch.Update("category-" + std::to_string(i % 5));
  EXPECT_NEAR(sketch.Estimate(), 5.0, 0.1);
}

TEST(HllSketchTest, MergeIsTheUnion) {
  HllSketch a;
  HllSketch b;
  HllSketch both;
  for (int i = 0; i < 600'000; ++i) {
    std::string value = "user-" + std::to_string(i);
    if (i < 400'000) a.Update(value);
    if (i >= 200'000) b.Update(value);
    both.Update(value);
  }
  a.Merge(b);
  EXPECT_EQ(a.Estimate(), both.Estimate());
  EXPECT_LE(std::abs(a.Estimate() - 600'000) / 600'000, 3 * a.RelativeStandardError());
}

TEST(HllSketchTest, MergeAcrossSizesFoldsToTheSmaller) {
  HllSketch large(14);
  HllSketch small(10);
  HllSketch reference(10);
  for (int i = 0; i < 200'000; ++i) {
    (i % 2 ? large : small).Update(static_cast<double>(i));
    reference.Update(static_cast<double>(i));
  }
  small.Merge(large);
  EXPECT_EQ(small.lg_k(), 10);
  // Folding is exact: the result equals a sketch of the smaller size that saw every value.
  EXPECT_EQ(small.Estimate(), reference.Estimate());
}

TEST(HllSketchTest, SerializationRoundTripsAndRejectsCorruption) {
  HllSketch sketch;
  for (int i = 0; i < 50'000; ++i) sketch.Update(static_cast<double>(i));
  ByteWriter writer;
  sketch.Serialize(writer);
  ByteReader reader(writer.bytes());
  Result<HllSketch> loaded = HllSketch::Deserialize(reader);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->Estimate(), sketch.Estimate());

  std::string truncated = writer.bytes().substr(0, 100);
  ByteReader short_reader(truncated);
  EXPECT_FALSE(HllSketch::Deserialize(short_reader).ok());
  std::string corrupt = writer.bytes();
  corrupt[10] = static_cast<char>(100);  // no register can hold rank 100 at lg_k 12
  ByteReader corrupt_reader(corrupt);
  EXPECT_EQ(HllSketch::Deserialize(corrupt_reader).status().code(), StatusCode::kCorruption);
}

TEST(HllSketchTest, FewValuesAreWrittenSparselyAndLoadExactly) {
  for (int values : {0, 1, 20, 900, 1100, 5000}) {
    HllSketch sketch;
    for (int i = 0; i < values; ++i) sketch.Update("v" + std::to_string(i));
    ByteWriter writer;
    sketch.Serialize(writer);
    // Sparse while fewer than a quarter of the 4,096 registers are set: 6 + 4 bytes per register.
    if (values <= 900) {
      EXPECT_LT(writer.bytes().size(), 6u + 4u * static_cast<size_t>(values) + 1) << values;
    } else if (values >= 5000) {
      EXPECT_EQ(writer.bytes().size(), 2u + 4096u) << values;
    }
    ByteReader reader(writer.bytes());
    Result<HllSketch> loaded = HllSketch::Deserialize(reader);
    ASSERT_TRUE(loaded.ok()) << values;
    EXPECT_EQ(loaded->Estimate(), sketch.Estimate()) << values;
    // Merging the loaded copy into the original changes nothing: the registers are identical.
    HllSketch merged = sketch;
    merged.Merge(*loaded);
    EXPECT_EQ(merged.Estimate(), sketch.Estimate());
  }
}

TEST(HllSketchTest, CorruptSparseSketchesAreRejected) {
  HllSketch sketch;
  for (int i = 0; i < 10; ++i) sketch.Update(static_cast<double>(i));
  ByteWriter writer;
  sketch.Serialize(writer);
  std::string bytes = writer.bytes();
  ASSERT_EQ(bytes[0], 2);
  for (size_t length = 0; length < bytes.size(); ++length) {
    ByteReader reader(std::string_view(bytes).substr(0, length));
    EXPECT_FALSE(HllSketch::Deserialize(reader).ok()) << length;
  }
  std::string bad_index = bytes;
  bad_index[9] = static_cast<char>(0xff);  // index >= 4096
  ByteReader bad_index_reader(bad_index);
  EXPECT_EQ(HllSketch::Deserialize(bad_index_reader).status().code(), StatusCode::kCorruption);
  std::string bad_rank = bytes;
  bad_rank[6] = 0;  // a sparse register of rank 0
  ByteReader bad_rank_reader(bad_rank);
  EXPECT_EQ(HllSketch::Deserialize(bad_rank_reader).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace telltale
