#include "performance/estimation.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace telltale {
namespace {

constexpr double kZ95 = 1.959964;

struct Block {
  double positives = 0;
  double total = 0;
  int last_bin = 0;
  double mean() const { return positives / total; }
};

}  // namespace

std::optional<Calibration> Calibration::Fit(const PerformanceAccumulator& validation) {
  const auto& positive = validation.positive_bins();
  const auto& negative = validation.negative_bins();
  if (positive.empty() || negative.empty()) return std::nullopt;
  // Pool adjacent violators over the bins in score order, weighted by their counts.
  std::set<uint16_t> bins;
  for (const auto& [bin, count] : positive) bins.insert(bin);
  for (const auto& [bin, count] : negative) bins.insert(bin);
  std::vector<Block> blocks;
  for (uint16_t bin : bins) {
    auto p = positive.find(bin);
    auto n = negative.find(bin);
    Block block;
    block.positives = p == positive.end() ? 0 : static_cast<double>(p->second);
    block.total = block.positives + (n == negative.end() ? 0 : static_cast<double>(n->second));
    block.last_bin = bin;
    blocks.push_back(block);
    while (blocks.size() > 1 && blocks[blocks.size() - 2].mean() >= blocks.back().mean()) {
      Block merged = blocks.back();
      blocks.pop_back();
      blocks.back().positives += merged.positives;
      blocks.back().total += merged.total;
      blocks.back().last_bin = merged.last_bin;
    }
  }
  // A step function over all bins: each block's mean up to its last bin; beyond the last block,
  // the last block's mean.
  Calibration calibration;
  calibration.probability_.resize(PerformanceAccumulator::kScoreBins);
  size_t block = 0;
  for (int bin = 0; bin < PerformanceAccumulator::kScoreBins; ++bin) {
    while (block + 1 < blocks.size() && bin > blocks[block].last_bin) ++block;
    calibration.probability_[static_cast<size_t>(bin)] = blocks[block].mean();
  }
  return calibration;
}

bool IsEstimatedMetric(std::string_view name) {
  static const std::set<std::string_view> kNames = {"estimated_accuracy",    "estimated_precision",
                                                    "estimated_recall",      "estimated_f1",
                                                    "estimated_specificity", "estimated_roc_auc"};
  return kNames.count(name) > 0;
}

std::optional<Estimate> EstimateMetric(std::string_view name, const PerformanceAccumulator& window,
                                       const Calibration& calibration) {
  double tp = 0, fp = 0, fn = 0, tn = 0;
  // Expected positives and negatives per bin, for the AUC.
  std::vector<double> positives(PerformanceAccumulator::kScoreBins, 0);
  std::vector<double> negatives(PerformanceAccumulator::kScoreBins, 0);
  auto add = [&](const PerformanceAccumulator::Bins& bins, bool predicted_positive) {
    for (const auto& [bin, count] : bins) {
      double p = calibration.Probability(bin);
      double n = static_cast<double>(count);
      (predicted_positive ? tp : fn) += n * p;
      (predicted_positive ? fp : tn) += n * (1 - p);
      positives[bin] += n * p;
      negatives[bin] += n * (1 - p);
    }
  };
  add(window.predicted_positive_bins(), true);
  add(window.predicted_negative_bins(), false);
  double total = tp + fp + fn + tn;
  if (total == 0) return std::nullopt;
  // value and the sample size its sampling error depends on
  double value = 0, sample = total;
  if (name == "estimated_accuracy") {
    value = (tp + tn) / total;
  } else if (name == "estimated_precision") {
    if (tp + fp == 0) return std::nullopt;
    value = tp / (tp + fp);
    sample = tp + fp;
  } else if (name == "estimated_recall") {
    if (tp + fn == 0) return std::nullopt;
    value = tp / (tp + fn);
    sample = tp + fn;
  } else if (name == "estimated_specificity") {
    if (tn + fp == 0) return std::nullopt;
    value = tn / (tn + fp);
    sample = tn + fp;
  } else if (name == "estimated_f1") {
    if (2 * tp + fp + fn == 0) return std::nullopt;
    value = 2 * tp / (2 * tp + fp + fn);
    sample = tp + (fp + fn) / 2;
  } else if (name == "estimated_roc_auc") {
    double all_positives = tp + fn, all_negatives = fp + tn;
    if (all_positives == 0 || all_negatives == 0) return std::nullopt;
    double area = 0, negatives_below = all_negatives;
    for (int bin = PerformanceAccumulator::kScoreBins - 1; bin >= 0; --bin) {
      negatives_below -= negatives[bin];
      area += positives[bin] * negatives_below + 0.5 * positives[bin] * negatives[bin];
    }
    value = area / (all_positives * all_negatives);
    sample = std::min(all_positives, all_negatives);
  } else {
    return std::nullopt;
  }
  double error = kZ95 * std::sqrt(std::max(0.0, value * (1 - value)) / std::max(1.0, sample));
  return Estimate{value, std::max(0.0, value - error), std::min(1.0, value + error)};
}

}  // namespace telltale
