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
