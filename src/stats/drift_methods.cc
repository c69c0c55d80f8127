#include "stats/drift_methods.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "io/table.h"

#include "stats/distributions.h"
#include "stats/fisher_exact.h"
#include "stats/histogram.h"
#include "stats/ks_two_sample.h"
#include "stats/rank_tests.h"

namespace telltale {
namespace {

// Evidently bins a numerical column when its reference has more than this many distinct values.
constexpr double kMaxValuesForPerValueBins = 20;
constexpr double kSmallReference = 1000;
constexpr double kMaxValuesForCategoricalTest = 5;

// Shares per bin for psi, kl_div and jensenshannon (Evidently's get_binned_data): Sturges bins
// over reference and current together for numerical columns with many reference values,
// otherwise one bin per distinct value.
void BinnedShares(const DriftInput& input, std::vector<double>& reference,
                  std::vector<double>& current) {
  if (input.type == ColumnType::kNumerical &&
      input.reference_distinct > kMaxValuesForPerValueBins) {
    std::vector<double> edges =
        SturgesEdges(std::min(input.reference.min(), input.current.min()),
                     std::max(input.reference.max(), input.current.max()),
                     input.reference_size + input.current_size, input.integer_data);
    reference = HistogramCounts(input.reference, edges);
    current = HistogramCounts(input.current, edges);
  } else {
    reference = input.Pooled().reference;
    current = input.Pooled().current;
  }
  for (double& share : reference) share /= input.reference_size;
  for (double& share : current) share /= input.current_size;
}

// Replaces zero shares by a small value so logarithms stay finite (no renormalization).
void FillZeroes(std::vector<double>& shares) {
  double smallest = std::numeric_limits<double>::infinity();
  for (double share : shares) {
    if (share != 0) smallest = std::min(smallest, share);
  }
  if (!std::isfinite(smallest)) return;
  double fill = smallest <= 1e-4 ? smallest / 1e6 : 1e-4;
  for (double& share : shares) {
    if (share == 0) share = fill;
  }
}

// Binned shares with zeroes filled, as psi and kl_div use them.
void FilledShares(const DriftInput& input, std::vector<double>& reference,
                  std::vector<double>& current) {
  BinnedShares(input, reference, current);
  FillZeroes(reference);
  FillZeroes(current);
}

// Orders labels as Python's sorted() orders a column's values: numbers by value, text by text.
bool LabelLess(const std::string& a, const std::string& b) {
  std::optional<double> x = ParseNumber(a);
  std::optional<double> y = ParseNumber(b);
  if (x && y) return *x < *y;
  return a < b;
}

// scipy.special.rel_entr.
double RelativeEntropy(double x, double y) {
  if (std::isnan(x) || std::isnan(y)) return std::numeric_limits<double>::quiet_NaN();
  if (x > 0 && y > 0) return x * std::log(x / y);
  if (x == 0 && y >= 0) return 0;
  return std::numeric_limits<double>::infinity();
}

double Sum(const std::vector<double>& values) {
  double sum = 0;
  for (double value : values) sum += value;
  return sum;
}

// Divides every share by their sum, so they add up to one.
void Normalize(std::vector<double>& shares) {
  const double sum = Sum(shares);
  for (double& share : shares) share /= sum;
}

Status NeedsValues(const DriftInput& input, std::string_view method) {
  if (input.reference_size == 0 || input.current_size == 0) {
    return Status::InvalidArgument(std::string(method) + " needs at least one value on each side");
  }
  return Status::Ok();
}

Status NeedsEqualSizes(const DriftInput& input, std::string_view method) {
  if (std::abs(input.reference_size - input.current_size) > 1e-8 * input.reference_size) {
    return Status::InvalidArgument(
        std::string(method) + " needs reference and current of equal size (" +
        std::to_string(static_cast<uint64_t>(input.reference_size)) + " vs " +
        std::to_string(static_cast<uint64_t>(input.current_size)) + ")");
  }
  return Status::Ok();
}

Result<double> KsScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "ks"));
  // A distance the sketches could produce by themselves is not evidence of drift.
  double d = std::max(0.0, KsStatistic(input.reference, input.current) - input.cdf_error);
  return KsPValue(d, static_cast<uint64_t>(input.reference_size),
                  static_cast<uint64_t>(input.current_size));
}

// Shared by chisquare and g_test: observed current counts against expected ones.
Result<double> ChiSquareScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "chisquare"));
  const PooledCounts& counts = input.Pooled();
  const double scale = input.current_size / input.reference_size;
  double statistic = 0;
  for (size_t k = 0; k < counts.reference.size(); ++k) {
    double expected = counts.reference[k] * scale;
    double difference = counts.current[k] - expected;
    statistic += difference * difference / expected;
  }
  double degrees = static_cast<double>(counts.reference.size()) - 1;
  if (degrees <= 0) return 1.0;
  return ChiSquareSurvival(statistic, degrees);
}

Result<double> GTestScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "g_test"));
  // Evidently passes raw reference counts as expected frequencies, which scipy accepts only when
  // both samples have the same size.
  TELLTALE_RETURN_IF_ERROR(NeedsEqualSizes(input, "g_test"));
  const PooledCounts& counts = input.Pooled();
  double statistic = 0;
  for (size_t k = 0; k < counts.reference.size(); ++k) {
    double observed = counts.current[k];
    if (observed == 0) continue;
    statistic += observed * std::log(observed / counts.reference[k]);
  }
  statistic *= 2;
  double degrees = static_cast<double>(counts.reference.size()) - 1;
  if (degrees <= 0) return 1.0;
  return ChiSquareSurvival(statistic, degrees);
}

Result<double> ZScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "z"));
  const PooledCounts& counts = input.Pooled();
  size_t present = 0;
  for (size_t k = 0; k < counts.reference.size(); ++k) {
    present += (counts.reference[k] > 0 || counts.current[k] > 0) ? 1 : 0;
  }
  if (present <= 1) return 1.0;  // one value on both sides: no difference to test
  // Evidently tests the share of the smallest value against all others (numbers ordered as
  // numbers); two-sided, so which value is chosen does not matter when there are two.
  size_t first = 0;  // numerical values are held in ascending order
  for (size_t k = 1; k < input.labels.size(); ++k) {
    if (LabelLess(input.labels[k], input.labels[first])) first = k;
  }
  const double n1 = input.reference_size;
  const double n2 = input.current_size;
  const double p1 = (n1 - counts.reference[first]) / n1;
  const double p2 = (n2 - counts.current[first]) / n2;
  const double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const double z = (p1 - p2) / std::sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
  return 2 * (1 - NormalCdf(std::abs(z)));
}

// The L^p distance between the two samples' CDFs (scipy's _cdf_distance), p = 1 or 2.
double CdfDistance(const WeightedSample& u, const WeightedSample& v, int p) {
  double cu = 0;
  double cv = 0;
  double sum = 0;
  double previous = std::min(u.min(), v.min());
  ForEachPooledValue(u, v, [&](double x, double in_u, double in_v) {
    double difference = std::abs(cu / u.total - cv / v.total);
    sum += (p == 1 ? difference : difference * difference) * (x - previous);
    previous = x;
    cu += in_u;
    cv += in_v;
  });
  return p == 1 ? sum : std::sqrt(sum);
}

Result<double> WassersteinScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "wasserstein"));
  double norm = std::max(input.reference_std, 0.001);
  return CdfDistance(input.reference, input.current, 1) / norm;
}

Result<double> EnergyDistanceScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "ed"));
  return std::sqrt(2.0) * CdfDistance(input.reference, input.current, 2);
}

Result<double> PsiScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "psi"));
  std::vector<double> reference;
  std::vector<double> current;
  FilledShares(input, reference, current);
  double psi = 0;
  for (size_t k = 0; k < reference.size(); ++k) {
    psi += (reference[k] - current[k]) * std::log(reference[k] / current[k]);
  }
  return psi;
}

Result<double> KlDivergenceScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "kl_div"));
  std::vector<double> reference;
  std::vector<double> current;
  FilledShares(input, reference, current);
  // scipy.stats.entropy normalizes both vectors first.
  Normalize(reference);
  Normalize(current);
  double divergence = 0;
  for (size_t k = 0; k < reference.size(); ++k) {
    divergence += RelativeEntropy(reference[k], current[k]);
  }
  return divergence;
}

Result<double> JensenShannonScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "jensenshannon"));
  std::vector<double> p;
  std::vector<double> q;
  BinnedShares(input, p, q);
  Normalize(p);  // scipy.spatial.distance.jensenshannon normalizes too
  Normalize(q);
  double left = 0;
  double right = 0;
  for (size_t k = 0; k < p.size(); ++k) {
    double m = (p[k] + q[k]) / 2.0;
    left += RelativeEntropy(p[k], m);
    right += RelativeEntropy(q[k], m);
  }
  return std::sqrt((left + right) / 2.0);
}

Result<double> HellingerScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "hellinger"));
  double affinity = 0;
  if (input.type == ColumnType::kCategorical) {
    const PooledCounts& counts = input.Pooled();
    for (size_t k = 0; k < counts.reference.size(); ++k) {
      affinity += std::sqrt((counts.reference[k] / input.reference_size) *
                            (counts.current[k] / input.current_size));
    }
  } else {
    // Evidently bins over the distinct values of both samples (not the values themselves), and
    // compares density histograms.
    std::vector<double> edges = SturgesEdges(std::min(input.reference.min(), input.current.min()),
                                             std::max(input.reference.max(), input.current.max()),
                                             input.union_distinct, input.integer_data);
    std::vector<double> reference = HistogramCounts(input.reference, edges);
    std::vector<double> current = HistogramCounts(input.current, edges);
    double reference_total = Sum(reference);
    double current_total = Sum(current);
    double width = (edges.back() - edges.front()) / static_cast<double>(edges.size() - 1);
    for (size_t k = 0; k < reference.size(); ++k) {
      double bin = edges[k + 1] - edges[k];
      double p = reference[k] / (reference_total * bin);
      double q = current[k] / (current_total * bin);
      affinity += std::sqrt(p * q) * width;
    }
  }
  affinity = std::clamp(affinity, 0.0, 1.0);
  return std::sqrt(1 - affinity);
}

Result<double> TTestScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "t_test"));
  const double n1 = input.reference_size;
  const double n2 = input.current_size;
  const double v1 = std::pow(input.reference.PopulationStd(), 2) * n1 / (n1 - 1);
  const double v2 = std::pow(input.current.PopulationStd(), 2) * n2 / (n2 - 1);
  const double degrees = n1 + n2 - 2;
  const double pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / degrees;
  const double t =
      (input.reference.Mean() - input.current.Mean()) / std::sqrt(pooled * (1 / n1 + 1 / n2));
  if (std::isnan(t)) return std::numeric_limits<double>::quiet_NaN();
  return std::min(1.0, 2 * StudentTSurvival(std::abs(t), degrees));
}

// Number of ways to reach each U for samples of sizes n1, n2 (exact Mann-Whitney distribution).
std::vector<double> MannWhitneyFrequencies(int n1, int n2) {
  // f[i][j][u]: arrangements of i x-values and j y-values with statistic u; built incrementally.
  std::vector<std::vector<std::vector<double>>> f(n1 + 1, std::vector<std::vector<double>>(n2 + 1));
  for (int i = 0; i <= n1; ++i) {
    for (int j = 0; j <= n2; ++j) {
      f[i][j].assign(static_cast<size_t>(i) * static_cast<size_t>(j) + 1, 0.0);
      if (i == 0 || j == 0) {
        f[i][j][0] = 1;
        continue;
      }
      // The largest value is an x (adds j to U) or a y (adds nothing).
      for (size_t u = 0; u < f[i - 1][j].size(); ++u)
        f[i][j][u + static_cast<size_t>(j)] += f[i - 1][j][u];
      for (size_t u = 0; u < f[i][j - 1].size(); ++u) f[i][j][u] += f[i][j - 1][u];
    }
  }
  return f[n1][n2];
}

// scipy.stats.mannwhitneyu(reference, current, alternative="less"), method "auto".
Result<double> MannWhitneyScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "mannw"));
  const double n1 = input.reference_size;
  const double n2 = input.current_size;
  // Midranks over the merged samples.
  double rank_sum = 0;
  double tie_term = 0;
  double below = 0;
  bool ties = false;
  ForEachPooledValue(input.reference, input.current, [&](double, double in_x, double in_y) {
    double t = in_x + in_y;
    double midrank = below + (t + 1) / 2;
    rank_sum += in_x * midrank;
    tie_term += t * t * t - t;
    ties = ties || t > 1;
    below += t;
  });
  const double u1 = rank_sum - n1 * (n1 + 1) / 2;
  const double u2 = n1 * n2 - u1;  // "less" uses the survival function of U2
  double p;
  if ((n1 > 8 && n2 > 8) || ties) {
    const double n = n1 + n2;
    const double s = std::sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))));
    const double z = (u2 - n1 * n2 / 2 - 0.5) / s;
    p = NormalCdf(-z);
  } else {
    std::vector<double> frequencies =
        MannWhitneyFrequencies(static_cast<int>(n1), static_cast<int>(n2));
    double total = Sum(frequencies);
    double at_or_above = 0;
    for (size_t u = static_cast<size_t>(u2); u < frequencies.size(); ++u)
      at_or_above += frequencies[u];
    p = at_or_above / total;
  }
  return std::clamp(p, 0.0, 1.0);
}

Result<double> CramerVonMisesScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "cramer_von_mises"));
  return CramerVonMisesPValue(input.reference, input.current);
}

Result<double> AndersonScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "anderson"));
  return AndersonDarlingPValue(input.reference, input.current);
}

// Evidently's fisher_exact: a binary column, reference and current of equal size, the 2x2 table
// of each value's count on each side.
Result<double> FisherExactScore(const DriftInput& input) {
  TELLTALE_RETURN_IF_ERROR(NeedsValues(input, "fisher_exact"));
  const PooledCounts& counts = input.Pooled();
  if (counts.reference.size() > 2) {
    return Status::InvalidArgument("fisher_exact needs a binary column (found " +
                                   std::to_string(counts.reference.size()) + " values)");
  }
  TELLTALE_RETURN_IF_ERROR(NeedsEqualSizes(input, "fisher_exact"));
  auto count = [](const std::vector<double>& side, size_t k) {
    return k < side.size() ? static_cast<uint64_t>(side[k]) : 0;
  };
  return FisherExactPValue(count(counts.current, 1), count(counts.current, 0),
                           count(counts.reference, 1), count(counts.reference, 0));
}

}  // namespace

bool DriftMethod::Detects(double score, double threshold) const {
  switch (rule) {
    case DriftRule::kPValueBelow:
      return score < threshold;
    case DriftRule::kPValueAtOrBelow:
      return score <= threshold;
    case DriftRule::kDistanceAtOrAbove:
      return score >= threshold;
    case DriftRule::kDistanceAbove:
      return score > threshold;
  }
  return false;
}

bool DriftMethod::AppliesTo(ColumnType type) const {
  return type == ColumnType::kNumerical ? numerical : categorical;
}

const std::vector<DriftMethod>& DriftMethods() {
  static const std::vector<DriftMethod> methods = {
      {"ks", "two-sample Kolmogorov-Smirnov p-value", true, false, 0.05,
       DriftRule::kPValueAtOrBelow, KsScore},
      {"chisquare", "chi-square p-value", true, true, 0.05, DriftRule::kPValueBelow,
       ChiSquareScore},
      {"z", "two-proportion z-test p-value", true, true, 0.05, DriftRule::kPValueBelow, ZScore},
      {"wasserstein", "Wasserstein distance normed by reference std", true, false, 0.1,
       DriftRule::kDistanceAtOrAbove, WassersteinScore},
      {"jensenshannon", "Jensen-Shannon distance", true, true, 0.1, DriftRule::kDistanceAtOrAbove,
       JensenShannonScore},
      {"psi", "population stability index", true, true, 0.1, DriftRule::kDistanceAtOrAbove,
       PsiScore},
      {"kl_div", "Kullback-Leibler divergence", true, true, 0.1, DriftRule::kDistanceAtOrAbove,
       KlDivergenceScore},
      {"hellinger", "Hellinger distance", true, true, 0.1, DriftRule::kDistanceAtOrAbove,
       HellingerScore},
      {"ed", "energy distance", true, false, 0.1, DriftRule::kDistanceAbove, EnergyDistanceScore},
      {"t_test", "two-sample t-test p-value", true, false, 0.05, DriftRule::kPValueBelow,
       TTestScore},
      {"mannw", "Mann-Whitney U p-value (alternative less)", true, false, 0.05,
       DriftRule::kPValueBelow, MannWhitneyScore},
      {"cramer_von_mises", "Cramer-von Mises p-value", true, false, 0.1,
       DriftRule::kPValueAtOrBelow, CramerVonMisesScore},
      {"anderson", "Anderson-Darling k-sample p-value", true, false, 0.1, DriftRule::kPValueBelow,
       AndersonScore},
      {"g_test", "G-test p-value", true, true, 0.1, DriftRule::kPValueBelow, GTestScore},
      {"fisher_exact", "Fisher's exact test p-value (binary columns)", false, true, 0.1,
       DriftRule::kPValueBelow, FisherExactScore},
  };
  return methods;
}

const DriftMethod* FindDriftMethod(std::string_view name) {
  for (const DriftMethod& method : DriftMethods()) {
    if (method.name == name) return &method;
  }
  return nullptr;
}

std::string DriftMethodNames() {
  std::string names;
  for (const DriftMethod& method : DriftMethods()) {
    if (!names.empty()) names += ", ";
    names += method.name;
  }
  return names;
}

const DriftMethod& DefaultDriftMethod(const DriftInput& input) {
  const bool numerical_many_values =
      input.type == ColumnType::kNumerical && input.union_distinct > kMaxValuesForCategoricalTest;
  if (input.reference_size <= kSmallReference) {
    if (numerical_many_values) return *FindDriftMethod("ks");
    return *FindDriftMethod(input.union_distinct > 2 ? "chisquare" : "z");
  }
  return *FindDriftMethod(numerical_many_values ? "wasserstein" : "jensenshannon");
}

}  // namespace telltale
