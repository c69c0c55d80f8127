// Performance estimated before labels arrive (binary classification), in the spirit of NannyML's
// confidence-based estimation (CBPE): the scores of the validation set, with its actuals, give a
// calibration — the probability that a prediction with a given score is positive — and a window's
// expected confusion matrix follows from the calibrated scores of all its predictions:
//
//   expected TP = sum of p over predicted positives     expected FP = sum of (1 - p) over them
//   expected FN = sum of p over predicted negatives     expected TN = sum of (1 - p) over them
//
// The calibration is isotonic (pool adjacent violators) over the score bins of the validation set,
// so it holds while the relation between scores and outcomes stays as it was in validation: it
// follows covariate shift, and it is wrong under concept drift, which only labels can reveal.
#ifndef TELLTALE_PERFORMANCE_ESTIMATION_H_
#define TELLTALE_PERFORMANCE_ESTIMATION_H_

#include <optional>
#include <string_view>
#include <vector>

#include "performance/performance_accumulator.h"

namespace telltale {

class Calibration {
 public:
  // Fitted on a labelled baseline's score histograms; nullopt without both classes.
  static std::optional<Calibration> Fit(const PerformanceAccumulator& validation);
  // The calibrated probability of a score bin.
  double Probability(int bin) const { return probability_[static_cast<size_t>(bin)]; }

 private:
  std::vector<double> probability_;  // per score bin
};

struct Estimate {
  double value = 0;
  double lower = 0;  // a 95% band from the sampling error of the window's size
  double upper = 0;
};

// "estimated_accuracy", "estimated_precision", "estimated_recall", "estimated_f1",
// "estimated_specificity", "estimated_roc_auc".
bool IsEstimatedMetric(std::string_view name);
std::optional<Estimate> EstimateMetric(std::string_view name, const PerformanceAccumulator& window,
                                       const Calibration& calibration);

}  // namespace telltale

#endif  // TELLTALE_PERFORMANCE_ESTIMATION_H_
