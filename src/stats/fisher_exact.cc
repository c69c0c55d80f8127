#include "stats/fisher_exact.h"

#include <algorithm>
#include <boost/math/distributions/hypergeometric.hpp>
#include <cmath>

namespace telltale {
namespace {

// The number of row-1 items among `draws` items drawn from `total`, `successes` of them row 1;
// probabilities outside the support are 0 rather than errors.
class Hypergeometric {
 public:
  Hypergeometric(uint64_t total, uint64_t successes, uint64_t draws)
      : distribution_(static_cast<unsigned>(successes), static_cast<unsigned>(draws),
                      static_cast<unsigned>(total)),
        low_(successes + draws > total ? static_cast<int64_t>(successes + draws - total) : 0),
        high_(static_cast<int64_t>(std::min(successes, draws))) {}

  double Pmf(int64_t x) const {
    if (x < low_ || x > high_) return 0;
    return boost::math::pdf(distribution_, static_cast<unsigned>(x));
  }
  double Cdf(int64_t x) const {
    if (x < low_) return 0;
    if (x >= high_) return 1;
    return boost::math::cdf(distribution_, static_cast<unsigned>(x));
  }
  double Survival(int64_t x) const {
    if (x < low_) return 1;
    if (x >= high_) return 0;
    return boost::math::cdf(boost::math::complement(distribution_, static_cast<unsigned>(x)));
  }

 private:
  boost::math::hypergeometric_distribution<double> distribution_;
  int64_t low_;
  int64_t high_;
};

// The largest x in [low, high] with f(x) <= target, for f ascending on that range (scipy's
// binary search for the far tail of a two-sided test).
template <typename F>
int64_t SearchAscending(F f, double target, int64_t low, int64_t high) {
  while (low < high) {
    int64_t middle = low + (high - low) / 2;
    double value = f(middle);
    if (value < target) {
      low = middle + 1;
    } else if (value > target) {
      high = middle - 1;
    } else {
      return middle;
    }
  }
  return f(low) <= target ? low : low - 1;
}

}  // namespace

double FisherExactPValue(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0) return 1.0;
  const uint64_t row1 = a + b;
  const uint64_t row2 = c + d;
  const uint64_t column1 = a + c;
  const Hypergeometric h(row1 + row2, row1, column1);
  const auto x = static_cast<int64_t>(a);
  const auto mode =
      static_cast<int64_t>(static_cast<double>(column1 + 1) * static_cast<double>(row1 + 1) /
                           static_cast<double>(row1 + row2 + 2));
  const double p_exact = h.Pmf(x);
  const double p_mode = h.Pmf(mode);
  // Tables as likely as the observed one, within rounding, count as at least as extreme.
  constexpr double kEpsilon = 1e-14;
  const double gamma = 1 + kEpsilon;
  if (std::abs(p_exact - p_mode) / std::max(p_exact, p_mode) <= kEpsilon) return 1.0;
  double p;
  if (x < mode) {
    const double lower = h.Cdf(x);
    const auto last = static_cast<int64_t>(column1);
    if (h.Pmf(last) > p_exact * gamma) return lower;
    int64_t far =
        SearchAscending([&h](int64_t k) { return -h.Pmf(k); }, -p_exact * gamma, mode, last);
    p = lower + h.Survival(far);
  } else {
    const double upper = h.Survival(x - 1);
    if (h.Pmf(0) > p_exact * gamma) return upper;
    int64_t far = SearchAscending([&h](int64_t k) { return h.Pmf(k); }, p_exact * gamma, 0, mode);
    p = upper + h.Cdf(far);
  }
  return std::min(p, 1.0);
}

}  // namespace telltale
