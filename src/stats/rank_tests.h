// Two-sample tests on the pooled ranks of weighted samples, computed as scipy computes them
// (Evidently's cramer_von_mises and anderson methods call these scipy routines).
#ifndef TELLTALE_STATS_RANK_TESTS_H_
#define TELLTALE_STATS_RANK_TESTS_H_

#include "stats/drift_input.h"
#include "telltale/result.h"

namespace telltale {

// p-value of the two-sample Cramér-von Mises test (scipy.stats.cramervonmises_2samp, method
// "auto"): exact distribution of the rank statistic when both samples hold at most 20 values,
// else Anderson's normalized statistic against the limiting distribution. Ties get midranks.
Result<double> CramerVonMisesPValue(const WeightedSample& x, const WeightedSample& y);

// p-value of the k-sample Anderson-Darling test for two samples (scipy.stats.anderson_ksamp with
// midranks): Scholz and Stephens' interpolation of tabulated critical values, so the value is
// capped at 0.25 and floored at 0.001.
Result<double> AndersonDarlingPValue(const WeightedSample& x, const WeightedSample& y);

}  // namespace telltale

#endif  // TELLTALE_STATS_RANK_TESTS_H_
