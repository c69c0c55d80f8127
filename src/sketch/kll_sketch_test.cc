#include "sketch/kll_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace telltale {
namespace {

constexpr size_t kValues = 1'000'000;

std::vector<double> MakeValues(const std::string& distribution, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> values(kValues);
  if (distribution == "uniform") {
    std::uniform_real_distribution<double> d(-5.0, 5.0);
    for (double& v : values) v = d(rng);
  } else if (distribution == "normal") {
    std::normal_distribution<double> d(100.0, 15.0);
    for (double& v : values) v = d(rng);
  } else if (distribution == "lognormal") {
    std::lognormal_distribution<double> d(0.0, 2.0);
    for (double& v : values) v = d(rng);
  } else if (distribution == "heavy_ties") {
    // Twelve values, most of the mass on three of them.
    std::discrete_distribution<int> d({30, 25, 20, 5, 5, 3, 3, 3, 2, 2, 1, 1});
    for (double& v : values) v = d(rng);
  } else if (distribution == "sorted" || distribution == "reverse_sorted") {
    std::exponential_distribution<double> d(0.5);
    for (double& v : values) v = d(rng);
    std::sort(values.begin(), values.end());
    if (distribution == "reverse_sorted") std::reverse(values.begin(), values.end());
  }
  return values;
}

// Largest |estimated rank - true rank| over 2,000 evenly spaced true order statistics.
double MaxRankError(const KllSketch& sketch, std::vector<double> values) {
  std::sort(values.begin(), values.end());
  KllSortedView view = sketch.View();
  double worst = 0.0;
  const size_t queries = 2000;
  for (size_t q = 0; q <= queries; ++q) {
    double x = values[std::min(values.size() - 1, q * values.size() / queries)];
    double truth =
        static_cast<double>(std::upper_bound(values.begin(), values.end(), x) - values.begin()) /
        static_cast<double>(values.size());
    worst = std::max(worst, std::abs(view.Rank(x) - truth));
  }
  return worst;
}

class KllDistributionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(KllDistributionTest, SingleSketchStaysWithinPublishedBound) {
  std::vector<double> values = MakeValues(GetParam(), 1);
  KllSketch sketch;
  for (double v : values) sketch.Update(v);
  EXPECT_EQ(sketch.count(), kValues);
  EXPECT_EQ(sketch.min(), *std::min_element(values.begin(), values.end()));
  EXPECT_EQ(sketch.max(), *std::max_element(values.begin(), values.end()));
  // Level capacities sum to about 3k, plus a floor of 8 items on each of the lowest levels.
  EXPECT_LT(sketch.retained(), 3u * KllSketch::kDefaultK + 8u * 12);
  double bound = KllSketch::NormalizedRankError(KllSketch::kDefaultK, /*double_sided=*/true);
  EXPECT_NEAR(bound, 0.0165, 0.0002);
  EXPECT_LE(MaxRankError(sketch, values), bound) << GetParam();
}

TEST_P(KllDistributionTest, MergeOfManySmallSketchesStaysWithinPublishedBound) {
  std::vector<double> values = MakeValues(GetParam(), 2);
  KllSketch merged;
  const size_t pieces = 1000;
  const size_t piece_size = values.size() / pieces;
  for (size_t p = 0; p < pieces; ++p) {
    KllSketch piece;
    for (size_t i = p * piece_size; i < (p + 1) * piece_size; ++i) piece.Update(values[i]);
    merged.Merge(piece);
  }
  EXPECT_EQ(merged.count(), kValues);
  double bound = KllSketch::NormalizedRankError(KllSketch::kDefaultK, true);
  EXPECT_LE(MaxRankError(merged, values), bound) << GetParam();
}

TEST_P(KllDistributionTest, BatchedUpdatesStayWithinPublishedBound) {
  std::vector<double> values = MakeValues(GetParam(), 3);
  KllSketch sketch;
  const size_t batch = 4096;
  for (size_t start = 0; start < values.size(); start += batch) {
    size_t size = std::min(batch, values.size() - start);
    sketch.UpdateBatch(std::span<const double>(values.data() + start, size));
  }
  EXPECT_EQ(sketch.count(), kValues);
  EXPECT_EQ(sketch.min(), *std::min_element(values.begin(), values.end()));
  EXPECT_LT(sketch.retained(), 3u * KllSketch::kDefaultK + 8u * 12);
  double error = MaxRankError(sketch, values);
  EXPECT_LE(error, KllSketch::NormalizedRankError(KllSketch::kDefaultK, true)) << GetParam();
  // The estimated standard deviation of one rank query is of the size of the observed errors:
  // the largest of 2,001 queries lies within four of them.
  double estimated = sketch.EstimatedRankErrorStd();
  EXPECT_GT(estimated, 0.0);
  EXPECT_LE(error, 4 * estimated) << GetParam();
  EXPECT_LE(estimated, KllSketch::NormalizedRankError(KllSketch::kDefaultK, false)) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Distributions, KllDistributionTest,
                         ::testing::Values("uniform", "normal", "lognormal", "heavy_ties", "sorted",
                                           "reverse_sorted"));

TEST(KllSketchTest, ExactSketchHasNoEstimatedError) {
  KllSketch sketch;
  for (int i = 0; i < 150; ++i) sketch.Update(i);
  EXPECT_TRUE(sketch.exact());
  EXPECT_EQ(sketch.EstimatedRankErrorStd(), 0.0);
}

TEST(KllSketchTest, ExactWhileFewerValuesThanK) {
  KllSketch sketch;
  for (int i = 1; i <= 100; ++i) sketch.Update(i);
  EXPECT_TRUE(sketch.exact());
  EXPECT_DOUBLE_EQ(sketch.Rank(50), 0.5);
  EXPECT_DOUBLE_EQ(sketch.Rank(0.5), 0.0);
  EXPECT_DOUBLE_EQ(sketch.Rank(100), 1.0);
  EXPECT_DOUBLE_EQ(sketch.Quantile(0.5), 50);
  EXPECT_DOUBLE_EQ(sketch.Quantile(0.0), 1);
  EXPECT_DOUBLE_EQ(sketch.Quantile(1.0), 100);
  EXPECT_DOUBLE_EQ(sketch.View().RankExclusive(50), 0.49);
}

TEST(KllSketchTest, IgnoresNaN) {
  KllSketch sketch;
  sketch.Update(std::nan(""));
  sketch.Update(1.0);
  EXPECT_EQ(sketch.count(), 1u);
}

TEST(KllSketchTest, SmallerKMeansLargerError) {
  EXPECT_GT(KllSketch::NormalizedRankError(50, true), KllSketch::NormalizedRankError(200, true));
  std::vector<double> values = MakeValues("normal", 3);
  KllSketch sketch(50);
  for (double v : values) sketch.Update(v);
  EXPECT_LE(MaxRankError(sketch, values), KllSketch::NormalizedRankError(50, true));
  EXPECT_LT(sketch.retained(), 3u * 50 + 8u * 12);
}

TEST(KllSketchTest, SerializationRoundTripsExactly) {
  std::vector<double> values = MakeValues("lognormal", 4);
  KllSketch sketch;
  for (size_t i = 0; i < 100'000; ++i) sketch.Update(values[i]);
  ByteWriter writer;
  sketch.Serialize(writer);
  ByteReader reader(writer.bytes());
  Result<KllSketch> loaded = KllSketch::Deserialize(reader);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->count(), sketch.count());
  EXPECT_EQ(loaded->View().values(), sketch.View().values());
  EXPECT_EQ(loaded->View().cumulative_weights(), sketch.View().cumulative_weights());
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(KllSketchTest, RejectsTruncatedAndCorruptBytes) {
  KllSketch sketch;
  for (int i = 0; i < 10'000; ++i) sketch.Update(i);
  ByteWriter writer;
  sketch.Serialize(writer);
  const std::string& bytes = writer.bytes();
  for (size_t length : {size_t{0}, size_t{1}, size_t{10}, bytes.size() / 2, bytes.size() - 1}) {
    ByteReader reader(std::string_view(bytes).substr(0, length));
    Result<KllSketch> loaded = KllSketch::Deserialize(reader);
    EXPECT_FALSE(loaded.ok()) << "accepted a truncation to " << length << " bytes";
  }
  std::string corrupt = bytes;
  corrupt[3] ^= 0x40;  // the count no longer matches the weights
  ByteReader reader(corrupt);
  Result<KllSketch> loaded = KllSketch::Deserialize(reader);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace telltale
