#include "common/sort_doubles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

namespace telltale {
namespace {

TEST(SortDoublesTest, SortsLikeStdSortAcrossSignsAndMagnitudes) {
  std::mt19937_64 rng(4);
  std::normal_distribution<double> normal(0, 1e3);
  std::vector<double> values(100'000);
  for (double& value : values) value = normal(rng);
  const double specials[] = {0.0,
                             -0.0,
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::denorm_min(),
                             -std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::lowest(),
                             1e-300,
                             -1e-300};
  values.insert(values.end(), std::begin(specials), std::end(specials));
  std::shuffle(values.begin(), values.end(), rng);
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end());
  SortDoubles(values);
  EXPECT_EQ(values, expected);
}

// Small and large inputs with infinities among them, sorted, reversed and full of ties: every value
// comes out exactly once.
TEST(SortDoublesTest, KeepsEveryInfinityAndTie) {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> small(-3, 3);
  for (size_t size : {2, 5, 17, 100, 5000}) {
    for (int shape = 0; shape < 4; ++shape) {
      std::vector<double> values(size);
      for (double& value : values) value = small(rng) * 0.5;
      values[0] = kInfinity;
      values[size / 2] = -kInfinity;
      if (size > 4) values[size - 2] = kInfinity;
      if (shape == 1) std::sort(values.begin(), values.end());
      if (shape == 2) std::sort(values.rbegin(), values.rend());
      if (shape == 3) std::fill(values.begin() + 1, values.end(), kInfinity);
      std::vector<double> expected = values;
      std::sort(expected.begin(), expected.end());
      SortDoubles(values);
      EXPECT_EQ(values, expected) << "size " << size << ", shape " << shape;
    }
  }
}

TEST(SortDoublesTest, HandlesEmptyAndSingleValues) {
  std::vector<double> empty;
  SortDoubles(empty);
  EXPECT_TRUE(empty.empty());
  std::vector<double> one = {-2.5};
  SortDoubles(one);
  EXPECT_EQ(one, std::vector<double>{-2.5});
}

}  // namespace
}  // namespace telltale
