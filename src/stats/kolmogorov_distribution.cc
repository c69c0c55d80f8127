#include "stats/kolmogorov_distribution.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace telltale {
namespace {

constexpr int kScaleExponent = 128;
const double kScaleUp = std::ldexp(1.0, kScaleExponent);
const double kScaleDown = std::ldexp(1.0, -kScaleExponent);

double Clip(double p) { return std::clamp(p, 0.0, 1.0); }

// log(n! / n^n) by Stirling's series.
double LogFactorialOverPower(double n) {
  static constexpr double kCoefficients[] = {-2.955065359477124183e-2,  6.4102564102564102564e-3,
                                             -1.9175269175269175269e-3, 8.4175084175084175084e-4,
                                             -5.952380952380952381e-4,  7.9365079365079365079e-4,
                                             -2.7777777777777777778e-3, 8.3333333333333333333e-2};
  const double rn = 1.0 / n;
  const double y = rn / n;
  double series = 0;
  for (double c : kCoefficients) series = series * y + c;
  return std::log(n) / 2 - n + std::log(2 * std::numbers::pi) / 2 + rn * series;
}

using Matrix = std::vector<double>;  // m x m, row-major

Matrix Multiply(const Matrix& a, const Matrix& b, int m) {
  Matrix c(static_cast<size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) {
    for (int k = 0; k < m; ++k) {
      const double aik = a[static_cast<size_t>(i) * m + k];
      if (aik == 0) continue;
      for (int j = 0; j < m; ++j)
        c[static_cast<size_t>(i) * m + j] += aik * b[static_cast<size_t>(k) * m + j];
    }
  }
  return c;
}

// P(D_n <= d) by Durbin's matrix method (Marsaglia, Tsang and Wang 2003).
double DurbinCdf(int64_t n, double d) {
  if (d >= 1.0) return 1.0;
  const double nd = static_cast<double>(n) * d;
  if (nd <= 0.5) return 0.0;
  const int k = static_cast<int>(std::ceil(nd));
  const double h = k - nd;
  const int m = 2 * k - 1;
  std::vector<double> v(static_cast<size_t>(m));
  std::vector<double> w(static_cast<size_t>(m));
  double factorial = 1.0;  // 1 / j!
  for (int j = 1; j <= m; ++j) {
    w[static_cast<size_t>(j - 1)] = factorial;
    factorial /= j;
    v[static_cast<size_t>(j - 1)] = (1.0 - std::pow(h, j)) * factorial;
  }
  const double tt = std::pow(std::max(2 * h - 1.0, 0.0), m) - 2 * std::pow(h, m);
  v[static_cast<size_t>(m - 1)] = (1.0 + tt) * factorial;
  Matrix hm(static_cast<size_t>(m) * m, 0.0);
  auto at = [m](Matrix& x, int r, int c) -> double& { return x[static_cast<size_t>(r) * m + c]; };
  for (int i = 1; i < m; ++i) {
    for (int r = i - 1; r < m; ++r) at(hm, r, i) = w[static_cast<size_t>(r - (i - 1))];
  }
  for (int r = 0; r < m; ++r) at(hm, r, 0) = v[static_cast<size_t>(r)];
  for (int c = 0; c < m; ++c) at(hm, m - 1, c) = v[static_cast<size_t>(m - 1 - c)];

  Matrix power(static_cast<size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) at(power, i, i) = 1.0;
  int64_t exponent = 0;     // scaling of `power`
  int64_t hm_exponent = 0;  // scaling of `hm`
  for (int64_t remaining = n; remaining > 0; remaining /= 2) {
    if (remaining % 2) {
      power = Multiply(power, hm, m);
      exponent += hm_exponent;
    }
    hm = Multiply(hm, hm, m);
    hm_exponent *= 2;
    if (std::abs(at(hm, k - 1, k - 1)) > kScaleUp) {
      for (double& x : hm) x /= kScaleUp;
      hm_exponent += kScaleExponent;
    }
  }
  double p = at(power, k - 1, k - 1);
  for (int64_t i = 1; i <= n; ++i) {
    p = static_cast<double>(i) * p / static_cast<double>(n);
    if (std::abs(p) < kScaleDown) {
      p *= kScaleUp;
      exponent -= kScaleExponent;
    }
  }
  if (exponent != 0) p = std::ldexp(p, static_cast<int>(exponent));
  return Clip(p);
}

// The interval of lattice columns row i of Pomeranz's recursion uses.
void PomeranzInterval(int64_t i, int64_t n, int64_t ll, int64_t ceilf, int64_t roundf, int64_t& j1,
                      int64_t& j2) {
  if (i == 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const int64_t half = (i + 1) / 2;
    if ((i + 1) % 2 == 0) {  // i odd
      if (half == n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  j1 = std::max<int64_t>(j1 + 2, 0);
  j2 = std::min(j2, n);
}

// P(D_n <= x) by Pomeranz's recursion (1974), for small n.
double PomeranzCdf(int64_t n, double x) {
  const double t = static_cast<double>(n) * x;
  const auto ll = static_cast<int64_t>(std::floor(t));
  const double f = t - static_cast<double>(ll);
  const double g = std::min(f, 1.0 - f);
  const int64_t ceilf = f > 0 ? 1 : 0;
  const int64_t roundf = f > 0.5 ? 1 : 0;
  const auto powers = static_cast<size_t>(2 * (ll + 1));
  std::vector<double> gpower(powers);
  std::vector<double> twogpower(powers);
  std::vector<double> onem2gpower(powers);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1.0;
  const double nn = static_cast<double>(n);
  for (size_t m = 1; m < powers; ++m) {
    gpower[m] = gpower[m - 1] * (g / nn) / static_cast<double>(m);
    twogpower[m] = twogpower[m - 1] * (2 * g / nn) / static_cast<double>(m);
    onem2gpower[m] = onem2gpower[m - 1] * ((1 - 2 * g) / nn) / static_cast<double>(m);
  }
  std::vector<double> v0(powers, 0.0);
  std::vector<double> v1(powers, 0.0);
  v1[0] = 1;
  int64_t v0s = 0;
  int64_t v1s = 0;
  int64_t exponent = 0;
  int64_t j1 = 0;
  int64_t j2 = 0;
  PomeranzInterval(0, n, ll, ceilf, roundf, j1, j2);
  for (int64_t i = 1; i < 2 * n + 2; ++i) {
    const int64_t k1 = j1;
    std::swap(v0, v1);
    std::swap(v0s, v1s);
    std::fill(v1.begin(), v1.end(), 0.0);
    PomeranzInterval(i, n, ll, ceilf, roundf, j1, j2);
    const std::vector<double>& weights =
        (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 ? twogpower : onem2gpower);
    const int64_t length = j2 - k1 + 1;
    if (length <= 0) continue;
    // Full convolution of v0[k1 - v0s, +length) with weights[0, length), entries
    // [j1 - k1, j1 - k1 + (j2 - j1 + 1)) of it (slices cut at the arrays' ends, as numpy's).
    const int64_t a_start = k1 - v0s;
    const int64_t a_length = std::min<int64_t>(length, static_cast<int64_t>(powers) - a_start);
    const int64_t b_length = std::min<int64_t>(length, static_cast<int64_t>(powers));
    const int64_t first = j1 - k1;
    const int64_t count = j2 - j1 + 1;
    double largest = 0;
    for (int64_t c = 0; c < count; ++c) {
      const int64_t index = first + c;
      double sum = 0;
      for (int64_t p = std::max<int64_t>(0, index - b_length + 1);
           p <= std::min(index, a_length - 1); ++p) {
        sum += v0[static_cast<size_t>(a_start + p)] * weights[static_cast<size_t>(index - p)];
      }
      v1[static_cast<size_t>(c)] = sum;
      largest = std::max(largest, sum);
    }
    if (largest > 0 && largest < kScaleDown) {
      for (double& value : v1) value *= kScaleUp;
      exponent -= kScaleExponent;
    }
    v1s = v0s + j1 - k1;
  }
  double answer = v1[static_cast<size_t>(n - v1s)];
  for (int64_t m = 1; m <= n; ++m) {
    if (std::abs(answer) > kScaleUp) {
      answer *= kScaleDown;
      exponent += kScaleExponent;
    }
    answer *= static_cast<double>(m);
  }
  if (exponent != 0) answer = std::ldexp(answer, static_cast<int>(exponent));
  return Clip(answer);
}

// P(D_n <= x) by the Pelz-Good asymptotic expansion (1976), for large n.
double PelzGoodCdf(int64_t n, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  constexpr double kPi = std::numbers::pi;
  const double pi2 = kPi * kPi;
  const double pi4 = pi2 * pi2;
  const double pi6 = pi4 * pi2;
  const double sqrt2pi = std::sqrt(2 * kPi);
  const double z = std::sqrt(static_cast<double>(n)) * x;
  const double z2 = z * z;
  const double z3 = z2 * z;
  const double z4 = z2 * z2;
  const double z6 = z4 * z2;
  const double qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0.0;
  double q = std::exp(qlog);
  const double k1a = -z2;
  const double k1b = pi2 / 4;
  const double k2a = 6 * z6 + 2 * z4;
  const double k2b = (2 * z4 - 5 * z2) * pi2 / 4;
  const double k2c = pi4 * (1 - 2 * z2) / 16;
  const double k3d = pi6 * (5 - 30 * z2) / 64;
  const double k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
  const double k3b = pi2 * (135 * z4 - 96 * z6) / 4;
  const double k3a = -30 * z6 - 90 * std::pow(z, 8);
  double terms[4] = {0, 0, 0, 0};
  const auto maxk = static_cast<int64_t>(std::ceil(16 * z / kPi));
  for (int64_t k = maxk; k > 0; --k) {
    const double m = 2.0 * static_cast<double>(k) - 1;
    const double m2 = m * m;
    const double m4 = m2 * m2;
    const double m6 = m4 * m2;
    const double qpower = std::pow(q, 8.0 * static_cast<double>(k));
    const double coefficients[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                                    k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (int i = 0; i < 4; ++i) terms[i] = terms[i] * qpower + coefficients[i];
  }
  const double divisors[4] = {z, 6 * z4, 72 * std::pow(z, 7), 6480 * std::pow(z, 10)};
  for (int i = 0; i < 4; ++i) terms[i] = terms[i] * q * sqrt2pi / divisors[i];
  q = std::exp(-pi2 / 2 / z2);
  double k2extra = 0;
  double k3extra = 0;
  const double sqrt3z = std::sqrt(3.0) * z;
  for (int64_t k = maxk; k > 0; --k) {
    const double kk = static_cast<double>(k);
    const double qpower = std::pow(q, kk * kk);
    k2extra += kk * kk * qpower;
    k3extra += (sqrt3z + kPi * kk) * (sqrt3z - kPi * kk) * kk * kk * qpower;
  }
  terms[2] += k2extra * pi2 * sqrt2pi / (-36 * z3);
  terms[3] += k3extra * pi2 * sqrt2pi / (216 * z6);
  double sum = 0;
  for (int i = 0; i < 4; ++i) sum += terms[i] / std::pow(static_cast<double>(n), i / 2.0);
  return sum;
}

}  // namespace

double SmirnovSurvival(int64_t n, double x) {
  if (x <= 0) return 1.0;
  if (x >= 1) return 0.0;
  const auto nn = static_cast<long double>(n);
  const long double log_n_factorial = std::lgamma(nn + 1);
  const auto last = static_cast<int64_t>(std::floor(static_cast<double>(n) * (1 - x)));
  long double sum = 0;
  for (int64_t j = 0; j <= last; ++j) {
    const long double jj = static_cast<long double>(j);
    const long double below = x + jj / nn;  // x + j/n
    const long double above = 1 - below;    // 1 - x - j/n
    if (above <= 0 && j < n) continue;
    long double log_term = log_n_factorial - std::lgamma(jj + 1) - std::lgamma(nn - jj + 1) +
                           (jj - 1) * std::log(below);
    if (j < n) log_term += (nn - jj) * std::log(above);
    sum += std::exp(log_term);
  }
  return Clip(static_cast<double>(x * sum));
}

double KolmogorovSurvival(int64_t n, double x) {
  if (n <= 0 || std::isnan(x)) return std::nan("");
  if (x >= 1.0) return 0.0;
  if (x <= 0.0) return 1.0;
  const double nd = static_cast<double>(n);
  const double t = nd * x;
  if (t <= 1.0) {  // Ruben-Gambino: 1/2n <= x <= 1/n
    if (t <= 0.5) return 1.0;
    double cdf;
    if (n <= 140) {
      cdf = 1;
      for (int64_t i = 1; i <= n; ++i) cdf *= static_cast<double>(i) * (1.0 / nd) * (2 * t - 1);
    } else {
      cdf = std::exp(LogFactorialOverPower(nd) + nd * std::log(2 * t - 1));
    }
    return Clip(1.0 - cdf);
  }
  if (t >= nd - 1) return Clip(2 * std::pow(1.0 - x, nd));  // Ruben-Gambino
  if (x >= 0.5) return Clip(2 * SmirnovSurvival(n, x));
  const double nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return Clip(1.0 - DurbinCdf(n, x));
    if (nx2 <= 4) return Clip(1.0 - PomeranzCdf(n, x));
    return Clip(2 * SmirnovSurvival(n, x));
  }
  if (nx2 >= 370.0) return 0.0;
  if (nx2 >= 2.2) return Clip(2 * SmirnovSurvival(n, x));
  const double cdf =
      (n <= 100000 && nd * std::pow(x, 1.5) <= 1.4) ? DurbinCdf(n, x) : PelzGoodCdf(n, x);
  return Clip(1.0 - cdf);
}

}  // namespace telltale
