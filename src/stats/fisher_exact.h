// Fisher's exact test on a 2x2 contingency table, two-sided, as scipy.stats.fisher_exact.
#ifndef TELLTALE_STATS_FISHER_EXACT_H_
#define TELLTALE_STATS_FISHER_EXACT_H_

#include <cstdint>

namespace telltale {

// Table [[a, b], [c, d]]. A table with an empty row or column has p-value 1.
double FisherExactPValue(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

}  // namespace telltale

#endif  // TELLTALE_STATS_FISHER_EXACT_H_
