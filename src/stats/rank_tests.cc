#include "stats/rank_tests.h"

#include <algorithm>
#include <boost/math/special_functions/bessel.hpp>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace telltale {
namespace {

// Above this many values in either sample the Cramér-von Mises p-value is asymptotic.
constexpr double kMaxExactCramerVonMises = 20;

// sum over k = 0..w-1 of (d - k)^2: the squared gaps between a tie group's shared midrank and the
// positions its w values take in their own sample.
double SquaredRankGaps(double d, double w) {
  return w * d * d - d * w * (w - 1) + (w - 1) * w * (2 * w - 1) / 6;
}

// numpy's floor_divide for doubles (fmod based, as Python's //).
double FloorDivide(double a, double b) {
  double mod = std::fmod(a, b);
  double quotient = (a - mod) / b;
  if (mod != 0 && ((b < 0) != (mod < 0))) quotient -= 1;
  if (quotient == 0) return std::copysign(0.0, a / b);
  double floored = std::floor(quotient);
  if (quotient - floored > 0.5) floored += 1;
  return floored;
}

// A distribution over integer statistic values: (value, number of arrangements), by value.
using Frequencies = std::vector<std::pair<int64_t, double>>;

Frequencies MergeShifted(const Frequencies& a, const Frequencies& b, int64_t shift) {
  Frequencies merged;
  merged.reserve(a.size() + b.size());
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
      merged.push_back(a[i++]);
    } else if (i == a.size() || b[j].first < a[i].first) {
      merged.push_back(b[j++]);
    } else {
      merged.emplace_back(a[i].first, a[i].second + b[j].second);
      ++i;
      ++j;
    }
  }
  for (auto& entry : merged) entry.first += shift;
  return merged;
}

// Exact p-value of the statistic u for samples of m and n values without ties (Xiao, Gordon and
// Yakovlev 2006): every path through the m x n rank lattice accumulates (a v - b u)^2 over the
// points it visits; the p-value is the share of paths at or above the observed statistic.
double ExactCramerVonMisesPValue(double u_statistic, int64_t m, int64_t n) {
  const int64_t lcm = std::lcm(m, n);
  const int64_t a = lcm / m;
  const int64_t b = lcm / n;
  const int64_t mn = m * n;
  const double zeta = FloorDivide(static_cast<double>(lcm * lcm * (m + n)) *
                                      (6 * u_statistic - static_cast<double>(mn * (4 * mn - 1))),
                                  static_cast<double>(6 * mn * mn));
  // paths[v]: the distribution at lattice point (u, v) for the current column u.
  std::vector<Frequencies> paths(static_cast<size_t>(m) + 1);
  paths[0] = {{0, 1.0}};
  for (int64_t u = 0; u <= n; ++u) {
    Frequencies below;
    for (int64_t v = 0; v <= m; ++v) {
      int64_t gap = a * v - b * u;
      below = MergeShifted(below, paths[static_cast<size_t>(v)], gap * gap);
      paths[static_cast<size_t>(v)] = below;
    }
  }
  uint64_t arrangements = 1;  // C(m + n, m), exact in 64 bits for m, n <= 20
  for (int64_t i = 1; i <= m; ++i) {
    arrangements = arrangements * static_cast<uint64_t>(n + i) / static_cast<uint64_t>(i);
  }
  double at_or_above = 0;
  for (const auto& [value, count] : paths[static_cast<size_t>(m)]) {
    if (static_cast<double>(value) >= zeta) at_or_above += count;
  }
  return at_or_above / static_cast<double>(arrangements);
}

// CDF of the limiting distribution of the one-sample Cramér-von Mises statistic (Csörgő and
// Faraway 1996, eq. 1.2), summed until a term falls below 1e-7.
double LimitingCramerVonMisesCdf(double x) {
  double total = 0;
  for (int k = 0;; ++k) {
    double scale = std::exp(std::lgamma(k + 0.5) - std::lgamma(k + 1.0)) /
                   (std::pow(std::numbers::pi, 1.5) * std::sqrt(x));
    double y = 4.0 * k + 1;
    double q = y * y / (16 * x);
    double term = scale * std::sqrt(y) * std::exp(-q) * boost::math::cyl_bessel_k(0.25, q);
    total += term;
    if (std::abs(term) < 1e-7) break;
  }
  return total;
}

bool Integral(double value) { return std::floor(value) == value; }

// numpy.polyfit(x, y, 2) by least squares (normal equations in long double), evaluated at t.
double QuadraticFitAt(const std::vector<double>& x, const std::vector<double>& y, double t) {
  long double m[3][4] = {};
  for (size_t i = 0; i < x.size(); ++i) {
    long double powers[3] = {static_cast<long double>(x[i]) * x[i], x[i], 1};
    for (int r = 0; r < 3; ++r) {
      for (int c = 0; c < 3; ++c) m[r][c] += powers[r] * powers[c];
      m[r][3] += powers[r] * y[i];
    }
  }
  for (int pivot = 0; pivot < 3; ++pivot) {
    int best = pivot;
    for (int r = pivot + 1; r < 3; ++r) {
      if (std::abs(m[r][pivot]) > std::abs(m[best][pivot])) best = r;
    }
    std::swap(m[pivot], m[best]);
    for (int r = 0; r < 3; ++r) {
      if (r == pivot) continue;
      long double factor = m[r][pivot] / m[pivot][pivot];
      for (int c = pivot; c < 4; ++c) m[r][c] -= factor * m[pivot][c];
    }
  }
  long double a = m[0][3] / m[0][0];
  long double b = m[1][3] / m[1][1];
  long double c = m[2][3] / m[2][2];
  return static_cast<double>((a * t + b) * t + c);
}

}  // namespace

Result<double> CramerVonMisesPValue(const WeightedSample& x, const WeightedSample& y) {
  const double nx = x.total;
  const double ny = y.total;
  if (nx <= 1 || ny <= 1) {
    return Status::InvalidArgument("cramer_von_mises needs at least two values on each side");
  }
  // U (Anderson 1962, eq. 10) from midranks in the pooled sample.
  double gaps_x = 0;
  double gaps_y = 0;
  double below = 0;
  double seen_x = 0;
  double seen_y = 0;
  ForEachPooledValue(x, y, [&](double, double in_x, double in_y) {
    double midrank = below + (in_x + in_y + 1) / 2;
    gaps_x += SquaredRankGaps(midrank - (seen_x + 1), in_x);
    gaps_y += SquaredRankGaps(midrank - (seen_y + 1), in_y);
    seen_x += in_x;
    seen_y += in_y;
    below += in_x + in_y;
  });
  const double u = nx * gaps_x + ny * gaps_y;
  if (std::max(nx, ny) <= kMaxExactCramerVonMises && Integral(nx) && Integral(ny)) {
    return ExactCramerVonMisesPValue(u, static_cast<int64_t>(nx), static_cast<int64_t>(ny));
  }
  // T (eq. 9), its mean and variance (eq. 11, 14) and the normalized statistic (eq. 15).
  const double k = nx * ny;
  const double n = nx + ny;
  const double t = u / (k * n) - (4 * k - 1) / (6 * n);
  const double mean = (1 + 1 / n) / 6;
  const double variance =
      (n + 1.0) * (4 * k * n - 3 * (nx * nx + ny * ny) - 2 * k) / (45 * n * n * 4 * k);
  const double normalized = 1.0 / 6 + (t - mean) / std::sqrt(45 * variance);
  if (normalized < 0.003) return 1.0;  // the limiting CDF is below 1.3e-18 there
  return std::max(0.0, 1.0 - LimitingCramerVonMisesCdf(normalized));
}

Result<double> AndersonDarlingPValue(const WeightedSample& x, const WeightedSample& y) {
  const double nx = x.total;
  const double ny = y.total;
  const double n = nx + ny;
  if (x.empty() || y.empty() || n < 4) {
    return Status::InvalidArgument("anderson needs at least four values, some on each side");
  }
  // A2akN, Scholz and Stephens (1987) eq. 7, for discrete data (midranks).
  double sum_x = 0;
  double sum_y = 0;
  double below = 0;
  double seen_x = 0;
  double seen_y = 0;
  size_t distinct = 0;
  ForEachPooledValue(x, y, [&](double, double in_x, double in_y) {
    const double tied = in_x + in_y;
    const double b = below + tied / 2;
    const double denominator = b * (n - b) - n * tied / 4;
    const double mx = seen_x + in_x / 2;
    const double my = seen_y + in_y / 2;
    sum_x += tied / n * std::pow(n * mx - b * nx, 2) / denominator;
    sum_y += tied / n * std::pow(n * my - b * ny, 2) / denominator;
    seen_x += in_x;
    seen_y += in_y;
    below += tied;
    ++distinct;
  });
  if (distinct < 2) {
    return Status::InvalidArgument("anderson needs more than one distinct value");
  }
  const double a2akn = (sum_x / nx + sum_y / ny) * (n - 1) / n;
  // Variance of the statistic under the null (Scholz and Stephens eq. 4), k = 2 samples.
  const double samples = 2;
  const double h_sum = 1 / nx + 1 / ny;
  double tail = 0;  // sum of 1/i for i from N - 1 - t to N - 1
  double g = 0;
  const auto total = static_cast<int64_t>(std::llround(n));
  for (int64_t t = 0; t + 2 < total; ++t) {
    tail += 1.0 / static_cast<double>(total - 1 - t);
    g += tail / static_cast<double>(t + 2);
  }
  const double h = tail + 1;
  const double ca = (4 * g - 6) * (samples - 1) + (10 - 6 * g) * h_sum;
  const double cb = (2 * g - 4) * samples * samples + 8 * h * samples +
                    (2 * g - 14 * h - 4) * h_sum - 8 * h + 4 * g - 6;
  const double cc = (6 * h + 2 * g - 2) * samples * samples + (4 * h - 4 * g + 6) * samples +
                    (2 * h - 6) * h_sum + 4 * h;
  const double cd = (2 * h + 6) * samples * samples - 4 * h * samples;
  const double variance =
      (ca * n * n * n + cb * n * n + cc * n + cd) / ((n - 1.0) * (n - 2.0) * (n - 3.0));
  const double m = samples - 1;
  const double a2 = (a2akn - m) / std::sqrt(variance);
  // Table 2 of Scholz and Stephens: critical values at seven significance levels, interpolated
  // by a quadratic in the log of the level.
  static const double kB0[] = {0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085};
  static const double kB1[] = {-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615};
  static const double kB2[] = {-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154};
  static const double kLevels[] = {0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001};
  std::vector<double> critical;
  std::vector<double> log_levels;
  for (size_t i = 0; i < std::size(kB0); ++i) {
    critical.push_back(kB0[i] + kB1[i] / std::sqrt(m) + kB2[i] / m);
    log_levels.push_back(std::log(kLevels[i]));
  }
  if (a2 < *std::min_element(critical.begin(), critical.end())) return 0.25;
  if (a2 > *std::max_element(critical.begin(), critical.end())) return 0.001;
  return std::exp(QuadraticFitAt(critical, log_levels, a2));
}

}  // namespace telltale
