#include "stats/ks_two_sample.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <vector>

#include "stats/kolmogorov_distribution.h"

namespace telltale {
namespace {

// scipy's limit for attempting the exact distribution.
constexpr uint64_t kMaxExactSize = 10'000;

// Pr(D_{n,n} >= h/n): 2 (A0 (1 - A1 (1 - A2 (...)))) with each Ai a ratio of h terms.
double ProbabilityOutsideSquare(uint64_t n, uint64_t h) {
  double p = 0.0;
  for (int64_t k = static_cast<int64_t>(n / h); k >= 0; --k) {
    double term = 1.0;
    for (uint64_t j = 0; j < h; ++j) {
      term = static_cast<double>(n - k * h - j) * term / static_cast<double>(n + k * h + j + 1);
    }
    p = term * (1.0 - p);
  }
  return 2 * p;
}

// Proportion of lattice paths from (0,0) to (m,n) that leave the band |x/m - y/n| < h/lcm,
// computed column by column as 1 - p directly (Viehmann 2021). Returns nullopt on overflow.
std::optional<double> ProbabilityOutsideBand(uint64_t m, uint64_t n, uint64_t g, uint64_t h) {
  if (m < n) std::swap(m, n);
  const int64_t mg = static_cast<int64_t>(m / g);
  const int64_t ng = static_cast<int64_t>(n / g);
  const int64_t hh = static_cast<int64_t>(h);
  const int64_t nn = static_cast<int64_t>(n);
  auto floor_div = [](int64_t a, int64_t b) {
    return static_cast<int64_t>(std::floor(static_cast<double>(a) / static_cast<double>(b)));
  };
  auto ceil_div = [](int64_t a, int64_t b) {
    return static_cast<int64_t>(std::ceil(static_cast<double>(a) / static_cast<double>(b)));
  };
  int64_t min_j = 0;
  int64_t max_j = std::min(ceil_div(hh, mg), nn + 1);
  int64_t current_length = max_j - min_j;
  const int64_t length = std::min(2 * max_j + 2, nn + 1);
  std::vector<double> a(static_cast<size_t>(length), 1.0);
  for (int64_t j = min_j; j < max_j; ++j) a[static_cast<size_t>(j)] = 0.0;
  for (int64_t i = 1; i <= static_cast<int64_t>(m); ++i) {
    const int64_t last_min_j = min_j;
    const int64_t last_length = current_length;
    min_j = std::min(std::max(floor_div(ng * i - hh, mg) + 1, int64_t{0}), nn);
    max_j = std::min(ceil_div(ng * i + hh, mg), nn + 1);
    if (max_j <= min_j) return 1.0;
    double value = min_j == 0 ? 0.0 : 1.0;
    for (int64_t jj = 0; jj < max_j - min_j; ++jj) {
      const int64_t j = jj + min_j;
      value = (a[static_cast<size_t>(jj + min_j - last_min_j)] * static_cast<double>(i) +
               value * static_cast<double>(j)) /
              static_cast<double>(i + j);
      if (!std::isfinite(value)) return std::nullopt;
      a[static_cast<size_t>(jj)] = value;
    }
    current_length = max_j - min_j;
    if (last_length > current_length) {
      for (int64_t k = max_j - min_j; k < max_j - min_j + (last_length - current_length); ++k) {
        a[static_cast<size_t>(k)] = 1.0;
      }
    }
  }
  return a[static_cast<size_t>(max_j - min_j - 1)];
}

}  // namespace

double KsStatistic(const WeightedSample& reference, const WeightedSample& current) {
  double cumulative_reference = 0;
  double cumulative_current = 0;
  double max_difference = 0;
  double min_difference = 0;
  ForEachPooledValue(reference, current, [&](double, double in_reference, double in_current) {
    cumulative_reference += in_reference;
    cumulative_current += in_current;
    double difference = cumulative_reference / reference.total - cumulative_current / current.total;
    max_difference = std::max(max_difference, difference);
    min_difference = std::min(min_difference, difference);
  });
  return std::clamp(std::max(max_difference, -min_difference), 0.0, 1.0);
}

double KsPValue(double d, uint64_t n1, uint64_t n2) {
  if (n1 == 0 || n2 == 0) return 1.0;
  if (std::max(n1, n2) <= kMaxExactSize) {
    const uint64_t g = std::gcd(n1, n2);
    // n1 / g is exact: g divides n1.
    const double lcm =
        static_cast<double>(n1 / g) * static_cast<double>(n2);  // NOLINT(bugprone-integer-division)
    // np.round rounds half to even, as nearbyint does in the default rounding mode.
    const uint64_t h = static_cast<uint64_t>(std::nearbyint(d * lcm));
    if (h == 0) return 1.0;
    std::optional<double> p = n1 == n2 ? std::optional<double>(ProbabilityOutsideSquare(n1, h))
                                       : ProbabilityOutsideBand(n1, n2, g, h);
    if (p && *p >= 0 && *p <= 1) return *p;
  }
  // Asymptotic: the one-sample distribution of D for n = n1 n2 / (n1 + n2), rounded half to even.
  const double m = static_cast<double>(std::max(n1, n2));
  const double n = static_cast<double>(std::min(n1, n2));
  const auto en = static_cast<int64_t>(std::nearbyint(m * n / (m + n)));
  return KolmogorovSurvival(std::max<int64_t>(en, 1), d);
}

}  // namespace telltale
