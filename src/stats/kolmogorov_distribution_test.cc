#include "stats/kolmogorov_distribution.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace telltale {
namespace {

struct Case {
  int64_t n;
  double x;
  double expected;  // scipy.stats.kstwo.sf(x, n), scipy 1.17
};

// Points in every regime of the algorithm: Ruben-Gambino ends, Durbin's matrix, Pomeranz's
// recursion (n <= 140), Pelz-Good (large n), and the Smirnov sum in the upper tail.
TEST(KolmogorovDistributionTest, SurvivalMatchesScipyKstwo) {
  const Case cases[] = {
      {10, 0.07, 0.9999999619492741},
      {10, 0.2, 0.7487190399999999},
      {10, 0.3, 0.27053557479999946},
      {10, 0.62, 0.0003098012662193357},
      {50, 0.1, 0.6623112704658186},
      {50, 0.15, 0.19026366518248072},
      {50, 0.3, 0.00017353260202718738},
      {100, 0.05, 0.9532159710635725},
      {120, 0.15, 0.008029227977457063},
      {120, 0.25, 4.283039195002836e-07},
      {500, 0.02, 0.9859871786857471},
      {500, 0.04, 0.3902508696049749},
      {500, 0.07, 0.01416832020019071},
      {1000, 0.03, 0.3226902143914636},
      {5000, 0.01, 0.6954557253913853},
      {20000, 0.004, 0.9048968240702959},
      {200000, 0.002, 0.39995085369038097},
      {1000, 0.0008, 1.0},
      {1000, 0.9995, 0.0},
  };
  for (const Case& c : cases) {
    double p = KolmogorovSurvival(c.n, c.x);
    if (c.expected == 0.0 || c.expected == 1.0) {
      EXPECT_EQ(p, c.expected) << c.n << " " << c.x;
    } else {
      EXPECT_NEAR(p / c.expected, 1.0, 1e-9) << c.n << " " << c.x << " " << p;
    }
  }
}

TEST(KolmogorovDistributionTest, SmirnovOneSidedIsHalfTheUpperTail) {
  // For x >= 0.5 the two-sided tail is exactly twice the one-sided one.
  EXPECT_DOUBLE_EQ(KolmogorovSurvival(30, 0.6), 2 * SmirnovSurvival(30, 0.6));
  EXPECT_EQ(SmirnovSurvival(30, 0.0), 1.0);
  EXPECT_EQ(SmirnovSurvival(30, 1.0), 0.0);
}

}  // namespace
}  // namespace telltale
