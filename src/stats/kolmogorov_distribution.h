// The distribution of the two-sided one-sample Kolmogorov-Smirnov statistic D_n for finite n, as
// scipy.stats.kstwo computes it (Simard and L'Ecuyer 2011): which algorithm runs depends on n and
// n x^2 (Ruben-Gambino ends, Durbin's matrix in the Marsaglia-Tsang-Wang form, Pomeranz's
// recursion, the Pelz-Good expansion, and the Smirnov one-sided sum in the upper tail).
#ifndef TELLTALE_STATS_KOLMOGOROV_DISTRIBUTION_H_
#define TELLTALE_STATS_KOLMOGOROV_DISTRIBUTION_H_

#include <cstdint>

namespace telltale {

// P(D_n >= x), n >= 1.
double KolmogorovSurvival(int64_t n, double x);

// P(D+_n >= x) for the one-sided statistic (Smirnov; scipy.special.smirnov), by the Birnbaum-Tingey
// sum of positive terms in log space.
double SmirnovSurvival(int64_t n, double x);

}  // namespace telltale

#endif  // TELLTALE_STATS_KOLMOGOROV_DISTRIBUTION_H_
