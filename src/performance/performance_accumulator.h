// PerformanceAccumulator: what a window keeps of its labelled predictions so that any metric of
// any range of windows can be computed by merging — and so that a corrected actual can be taken
// back out: every part is a sum or a count, and Add(outcome, -1) undoes Add(outcome, +1).
//
//   binary      confusion counts at the decision threshold; score histograms per class (4,096
//               bins on the logit scale) for ROC AUC and PR AUC; log loss and Brier sums
//   multiclass  the confusion matrix (actual, predicted) -> count
//   regression  sums of errors, absolute, squared and percentage errors, of y and y^2; max |error|
//   ranking     every labelled item's score and relevance by query (ranking_lists.h)
//   all         labelled count; label delays (quantile sketch, first labels only)
#ifndef TELLTALE_PERFORMANCE_PERFORMANCE_ACCUMULATOR_H_
#define TELLTALE_PERFORMANCE_PERFORMANCE_ACCUMULATOR_H_

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/btree_map.h>

#include "common/bytes.h"
#include "performance/ranking_lists.h"
#include "sketch/kll_sketch.h"
#include "telltale/result.h"

namespace telltale {

// One labelled prediction, in the terms of the version's task.
struct Outcome {
  enum class Kind : uint8_t { kBinary, kMulticlass, kRegression, kRanking };
  Kind kind = Kind::kBinary;
  // binary: the decision and the truth; `score` (a probability, or NaN without one)
  bool predicted_positive = false;
  bool actual_positive = false;
  double score = std::numeric_limits<double>::quiet_NaN();
  // multiclass: class labels; `score` is the probability the model gave the actual class (NaN
  // when it logs no class probabilities)
  std::string predicted_class;
  std::string actual_class;
  // regression, and ranking (the score and the relevance)
  double predicted = 0;
  double actual = 0;
  // ranking: the query the item was ranked for
  std::string query;
};

void PutOutcome(ByteWriter& out, const Outcome& outcome);
Result<Outcome> GetOutcome(ByteReader& in);

class PerformanceAccumulator {
 public:
  static constexpr int kScoreBins = 4096;

  // sign = +1 adds the outcome, -1 takes it back out (a corrected actual).
  void Add(const Outcome& outcome, int sign);
  // A binary prediction's score and decision, labelled or not: what performance estimation reads.
  void AddPrediction(double score, bool predicted_positive);
  // Seconds from the prediction to its first actual.
  void AddDelay(double seconds) { delays_.Update(seconds); }
  void Merge(const PerformanceAccumulator& other);

  uint64_t labeled() const { return labeled_; }
  bool empty() const {
    return labeled_ == 0 && delays_.count() == 0 && predicted_positive_bins_.empty() &&
           predicted_negative_bins_.empty() && rankings_.empty();
  }

  // The named metric, or nullopt when it is undefined here (no labels, a zero denominator, or a
  // metric of another task). Names: accuracy, precision, recall, f1, specificity, fpr, tp, fp, tn,
  // fn, roc_auc, pr_auc, log_loss, brier; macro_/micro_/weighted_ precision, recall, f1,
  // precision:CLASS, recall:CLASS, f1:CLASS, support:CLASS (multiclass, one class), log_loss;
  // mae, mse, rmse, mape, wape, r2, mean_error, max_abs_error; ndcg[@k], map[@k], mrr[@k],
  // precision@k, recall@k, queries; labeled; label_delay_pNN.
  std::optional<double> Metric(std::string_view name) const;
  static bool IsKnownMetric(std::string_view name);

  // Score histograms (4,096 bins on the logit scale): labelled scores by actual class, and every
  // prediction's score by decision.
  // Sparse: a window's scores fill few of the bins. A B-tree keeps them in a few cache lines.
  using Bins = absl::btree_map<uint16_t, uint64_t>;
  const Bins& positive_bins() const { return positive_bins_; }
  const Bins& negative_bins() const { return negative_bins_; }
  const Bins& predicted_positive_bins() const { return predicted_positive_bins_; }
  const Bins& predicted_negative_bins() const { return predicted_negative_bins_; }
  static int ScoreBin(double score);
  // Binary: the largest amount by which the histogram's ROC AUC can differ from the exact one
  // (half the share of positive-negative pairs whose scores share a bin).
  double RocAucErrorBound() const;

  // Binary: [[tn, fp], [fn, tp]]; multiclass: classes sorted, matrix[actual][predicted].
  struct ConfusionMatrix {
    std::vector<std::string> labels;
    std::vector<std::vector<uint64_t>> counts;
  };
  ConfusionMatrix Confusion() const;

  void Serialize(ByteWriter& out) const;
  static Result<PerformanceAccumulator> Deserialize(ByteReader& in);

 private:
  std::optional<double> BinaryMetric(std::string_view name) const;
  std::optional<double> MulticlassMetric(std::string_view name) const;
  std::optional<double> RegressionMetric(std::string_view name) const;

  uint64_t labeled_ = 0;
  // binary
  uint64_t tp_ = 0, fp_ = 0, tn_ = 0, fn_ = 0;
  uint64_t scored_ = 0;
  double log_loss_sum_ = 0, brier_sum_ = 0;
  Bins positive_bins_, negative_bins_;
  Bins predicted_positive_bins_, predicted_negative_bins_;
  // multiclass
  std::map<std::pair<std::string, std::string>, uint64_t> classes_;
  // regression
  uint64_t regressed_ = 0;
  double sum_error_ = 0, sum_abs_ = 0, sum_sq_ = 0, sum_ape_ = 0, sum_y_ = 0, sum_y2_ = 0,
         sum_abs_y_ = 0, max_abs_ = 0;
  // ranking
  RankingLists rankings_;
  KllSketch delays_;
};

}  // namespace telltale

#endif  // TELLTALE_PERFORMANCE_PERFORMANCE_ACCUMULATOR_H_
