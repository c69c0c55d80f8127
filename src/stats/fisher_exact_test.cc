#include "stats/fisher_exact.h"

#include <gtest/gtest.h>

namespace telltale {
namespace {

// Expected values are scipy.stats.fisher_exact(table).pvalue (scipy 1.17).
TEST(FisherExactTest, MatchesScipyTwoSided) {
  EXPECT_NEAR(FisherExactPValue(8, 2, 1, 5), 0.034965034965034975, 1e-15);
  EXPECT_NEAR(FisherExactPValue(0, 5, 5, 0), 0.007936507936507938, 1e-15);
  EXPECT_NEAR(FisherExactPValue(100, 200, 150, 120) / 9.654218494855555e-08, 1.0, 1e-9);
  EXPECT_NEAR(FisherExactPValue(1000, 900, 950, 1010) / 0.010011822121882286, 1.0, 1e-9);
}

TEST(FisherExactTest, BalancedTableHasPValueOne) { EXPECT_EQ(FisherExactPValue(3, 3, 3, 3), 1.0); }

TEST(FisherExactTest, EmptyRowOrColumnHasPValueOne) {
  EXPECT_EQ(FisherExactPValue(0, 0, 4, 7), 1.0);
  EXPECT_EQ(FisherExactPValue(0, 3, 0, 9), 1.0);
}

TEST(FisherExactTest, SymmetricUnderSwappingColumns) {
  EXPECT_DOUBLE_EQ(FisherExactPValue(12, 30, 25, 17), FisherExactPValue(30, 12, 17, 25));
}

}  // namespace
}  // namespace telltale
