// Two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp(method="auto") computes
// it: the exact distribution when both samples have at most 10,000 values (Hodges' lattice-path
// recursion in Viehmann's numerically stable form), else the finite-n one-sample distribution of D
// at n = n1 n2 / (n1 + n2) (scipy's kstwo).
#ifndef TELLTALE_STATS_KS_TWO_SAMPLE_H_
#define TELLTALE_STATS_KS_TWO_SAMPLE_H_

#include <cstdint>

#include "stats/drift_input.h"

namespace telltale {

// sup |F_reference(x) - F_current(x)| over the two weighted samples.
double KsStatistic(const WeightedSample& reference, const WeightedSample& current);

// The p-value of statistic `d` for samples of n1 and n2 values.
double KsPValue(double d, uint64_t n1, uint64_t n2);

}  // namespace telltale

#endif  // TELLTALE_STATS_KS_TWO_SAMPLE_H_
