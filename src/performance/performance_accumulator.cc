#include "performance/performance_accumulator.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <set>

namespace telltale {
namespace {

// Version 2 added the histograms of every prediction's score, version 3 the ranking lists.
constexpr uint8_t kFormatVersion = 3;
constexpr double kLogitRange = 16;  // scores are binned on logit(p) in [-16, 16]
constexpr uint32_t kMaxEntries = 1u << 24;

// Adds `sign` times `count` to a counter that can only go back to where it was.
void Bump(uint64_t& counter, int sign) {
  counter += static_cast<uint64_t>(static_cast<int64_t>(sign));
}

void BumpBin(PerformanceAccumulator::Bins& bins, int bin, int sign) {
  uint64_t& count = bins[static_cast<uint16_t>(bin)];
  Bump(count, sign);
  if (count == 0) bins.erase(static_cast<uint16_t>(bin));
}

std::optional<double> Ratio(double numerator, double denominator) {
  if (denominator == 0) return std::nullopt;
  return numerator / denominator;
}

void PutBins(ByteWriter& out, const PerformanceAccumulator::Bins& bins) {
  out.Put<uint32_t>(static_cast<uint32_t>(bins.size()));
  for (const auto& [bin, count] : bins) {
    out.Put<uint16_t>(bin);
    out.Put<uint64_t>(count);
  }
}

Status GetBins(ByteReader& in, PerformanceAccumulator::Bins& bins) {
  TELLTALE_ASSIGN_OR_RETURN(uint32_t size, in.Get<uint32_t>());
  if (size > PerformanceAccumulator::kScoreBins) return Status::Corruption("performance: bins");
  for (uint32_t i = 0; i < size; ++i) {
    TELLTALE_ASSIGN_OR_RETURN(uint16_t bin, in.Get<uint16_t>());
    TELLTALE_ASSIGN_OR_RETURN(uint64_t count, in.Get<uint64_t>());
    if (bin >= PerformanceAccumulator::kScoreBins) return Status::Corruption("performance: bin");
    bins[bin] = count;
  }
  return Status::Ok();
}

constexpr uint8_t kPredictedPositive = 1, kActualPositive = 2;

// The loss of giving probability `p` to what came true, clipped as scikit-learn's log_loss does.
double LogLoss(double p) { return -std::log(std::clamp(p, DBL_EPSILON, 1 - DBL_EPSILON)); }

// A per-class metric's name, "precision:barolo": its base and the class; nullopt for other names.
std::optional<std::pair<std::string_view, std::string_view>> PerClassName(std::string_view name) {
  const size_t colon = name.find(':');
  if (colon == std::string_view::npos || colon + 1 == name.size()) return std::nullopt;
  std::string_view base = name.substr(0, colon);
  if (base != "precision" && base != "recall" && base != "f1" && base != "support") {
    return std::nullopt;
  }
  return std::make_pair(base, name.substr(colon + 1));
}

}  // namespace

void PutOutcome(ByteWriter& out, const Outcome& outcome) {
  out.Put<uint8_t>(static_cast<uint8_t>(outcome.kind));
  out.Put<uint8_t>((outcome.predicted_positive ? kPredictedPositive : 0) |
                   (outcome.actual_positive ? kActualPositive : 0));
  out.Put<double>(outcome.score);
  out.PutString(outcome.predicted_class);
  out.PutString(outcome.actual_class);
  out.Put<double>(outcome.predicted);
  out.Put<double>(outcome.actual);
  if (outcome.kind == Outcome::Kind::kRanking) out.PutString(outcome.query);
}

Result<Outcome> GetOutcome(ByteReader& in) {
  Outcome outcome;
  TELLTALE_ASSIGN_OR_RETURN(uint8_t kind, in.Get<uint8_t>());
  if (kind > static_cast<uint8_t>(Outcome::Kind::kRanking)) {
    return Status::Corruption("outcome: unknown kind");
  }
  outcome.kind = static_cast<Outcome::Kind>(kind);
  TELLTALE_ASSIGN_OR_RETURN(uint8_t flags, in.Get<uint8_t>());
  outcome.predicted_positive = (flags & kPredictedPositive) != 0;
  outcome.actual_positive = (flags & kActualPositive) != 0;
  TELLTALE_ASSIGN_OR_RETURN(outcome.score, in.Get<double>());
  TELLTALE_ASSIGN_OR_RETURN(outcome.predicted_class, in.GetString());
  TELLTALE_ASSIGN_OR_RETURN(outcome.actual_class, in.GetString());
  TELLTALE_ASSIGN_OR_RETURN(outcome.predicted, in.Get<double>());
  TELLTALE_ASSIGN_OR_RETURN(outcome.actual, in.Get<double>());
  if (outcome.kind == Outcome::Kind::kRanking) {
    TELLTALE_ASSIGN_OR_RETURN(outcome.query, in.GetString());
  }
  return outcome;
}

int PerformanceAccumulator::ScoreBin(double score) {
  // Probabilities on the logit scale, so that scores crowded near 0 and 1 still spread over bins;
  // a score outside [0, 1] (a margin) is taken as a logit itself.
  double logit = score;
  if (score >= 0 && score <= 1) {
    logit = score <= 0 ? -kLogitRange : score >= 1 ? kLogitRange : std::log(score / (1 - score));
  }
  logit = std::clamp(logit, -kLogitRange, kLogitRange);
  int bin = static_cast<int>((logit + kLogitRange) / (2 * kLogitRange) * kScoreBins);
  return std::clamp(bin, 0, kScoreBins - 1);
}

void PerformanceAccumulator::Add(const Outcome& outcome, int sign) {
  Bump(labeled_, sign);
  switch (outcome.kind) {
    case Outcome::Kind::kBinary: {
      bool predicted = outcome.predicted_positive;
      bool actual = outcome.actual_positive;
      Bump(predicted ? (actual ? tp_ : fp_) : (actual ? fn_ : tn_), sign);
      double p = outcome.score;
      if (std::isnan(p)) break;
      BumpBin(actual ? positive_bins_ : negative_bins_, ScoreBin(p), sign);
      if (p < 0 || p > 1) break;  // not a probability: no log loss or Brier score
      Bump(scored_, sign);
      log_loss_sum_ += sign * LogLoss(actual ? p : 1 - p);
      double miss = p - (actual ? 1.0 : 0.0);
      brier_sum_ += sign * miss * miss;
      break;
    }
    case Outcome::Kind::kMulticlass: {
      auto key = std::make_pair(outcome.actual_class, outcome.predicted_class);
      uint64_t& count = classes_[key];
      Bump(count, sign);
      if (count == 0) classes_.erase(key);
      // The probability given to the true class, when the model logs its class probabilities.
      double p = outcome.score;
      if (std::isnan(p) || p < 0 || p > 1) break;
      Bump(scored_, sign);
      log_loss_sum_ += sign * LogLoss(p);
      break;
    }
    case Outcome::Kind::kRegression: {
      double error = outcome.predicted - outcome.actual;
      double y = outcome.actual;
      Bump(regressed_, sign);
      sum_error_ += sign * error;
      sum_abs_ += sign * std::abs(error);
      sum_sq_ += sign * error * error;
      sum_ape_ += sign * std::abs(error) / std::max(std::abs(y), DBL_EPSILON);
      sum_y_ += sign * y;
      sum_y2_ += sign * y * y;
      sum_abs_y_ += sign * std::abs(y);
      // The largest error ever seen here, corrected actuals included: a maximum cannot be undone.
      if (sign > 0) max_abs_ = std::max(max_abs_, std::abs(error));
      break;
    }
    case Outcome::Kind::kRanking:
      rankings_.Add(outcome.query, outcome.predicted, outcome.actual, sign);
      break;
  }
}

void PerformanceAccumulator::AddPrediction(double score, bool predicted_positive) {
  if (std::isnan(score)) return;
  BumpBin(predicted_positive ? predicted_positive_bins_ : predicted_negative_bins_, ScoreBin(score),
          +1);
}

void PerformanceAccumulator::Merge(const PerformanceAccumulator& other) {
  labeled_ += other.labeled_;
  tp_ += other.tp_;
  fp_ += other.fp_;
  tn_ += other.tn_;
  fn_ += other.fn_;
  scored_ += other.scored_;
  log_loss_sum_ += other.log_loss_sum_;
  brier_sum_ += other.brier_sum_;
  for (auto [into, from] : {std::pair{&positive_bins_, &other.positive_bins_},
                            {&negative_bins_, &other.negative_bins_},
                            {&predicted_positive_bins_, &other.predicted_positive_bins_},
                            {&predicted_negative_bins_, &other.predicted_negative_bins_}}) {
    for (const auto& [bin, count] : *from) (*into)[bin] += count;
  }
  for (const auto& [key, count] : other.classes_) classes_[key] += count;
  regressed_ += other.regressed_;
  sum_error_ += other.sum_error_;
  sum_abs_ += other.sum_abs_;
  sum_sq_ += other.sum_sq_;
  sum_ape_ += other.sum_ape_;
  sum_y_ += other.sum_y_;
  sum_y2_ += other.sum_y2_;
  sum_abs_y_ += other.sum_abs_y_;
  max_abs_ = std::max(max_abs_, other.max_abs_);
  rankings_.Merge(other.rankings_);
  delays_.Merge(other.delays_);
}

bool PerformanceAccumulator::IsKnownMetric(std::string_view name) {
  static const std::set<std::string_view> kNames = {"accuracy",
                                                    "precision",
                                                    "recall",
                                                    "f1",
                                                    "specificity",
                                                    "fpr",
                                                    "tp",
                                                    "fp",
                                                    "tn",
                                                    "fn",
                                                    "roc_auc",
                                                    "pr_auc",
                                                    "log_loss",
                                                    "brier",
                                                    "macro_precision",
                                                    "macro_recall",
                                                    "macro_f1",
                                                    "micro_precision",
                                                    "micro_recall",
                                                    "micro_f1",
                                                    "weighted_precision",
                                                    "weighted_recall",
                                                    "weighted_f1",
                                                    "mae",
                                                    "mse",
                                                    "rmse",
                                                    "mape",
                                                    "wape",
                                                    "r2",
                                                    "mean_error",
                                                    "max_abs_error",
                                                    "labeled"};
  if (kNames.count(name) || RankingLists::IsKnownMetric(name) || PerClassName(name)) return true;
  if (name.rfind("label_delay_p", 0) == 0 && name.size() == 15) {
    return std::isdigit(static_cast<unsigned char>(name[13])) &&
           std::isdigit(static_cast<unsigned char>(name[14]));
  }
  return false;
}

std::optional<double> PerformanceAccumulator::Metric(std::string_view name) const {
  if (name == "labeled") return static_cast<double>(labeled_);
  if (name.rfind("label_delay_p", 0) == 0) {
    if (delays_.count() == 0) return std::nullopt;
    int percent = (name[13] - '0') * 10 + (name[14] - '0');
    return delays_.Quantile(percent / 100.0);
  }
  if (!rankings_.empty()) return rankings_.Metric(name);
  if (tp_ + fp_ + tn_ + fn_ > 0) return BinaryMetric(name);
  if (!classes_.empty()) return MulticlassMetric(name);
  if (regressed_ > 0) return RegressionMetric(name);
  return std::nullopt;
}

std::optional<double> PerformanceAccumulator::BinaryMetric(std::string_view name) const {
  double tp = static_cast<double>(tp_), fp = static_cast<double>(fp_);
  double tn = static_cast<double>(tn_), fn = static_cast<double>(fn_);
  if (name == "tp") return tp;
  if (name == "fp") return fp;
  if (name == "tn") return tn;
  if (name == "fn") return fn;
  if (name == "accuracy") return Ratio(tp + tn, tp + fp + tn + fn);
  if (name == "precision") return Ratio(tp, tp + fp);
  if (name == "recall") return Ratio(tp, tp + fn);
  if (name == "f1") return Ratio(2 * tp, 2 * tp + fp + fn);
  if (name == "specificity") return Ratio(tn, tn + fp);
  if (name == "fpr") return Ratio(fp, fp + tn);
  if (name == "log_loss") return Ratio(log_loss_sum_, static_cast<double>(scored_));
  if (name == "brier") return Ratio(brier_sum_, static_cast<double>(scored_));
  if (name == "roc_auc" || name == "pr_auc") {
    double positives = 0, negatives = 0;
    for (const auto& [bin, count] : positive_bins_) positives += static_cast<double>(count);
    for (const auto& [bin, count] : negative_bins_) negatives += static_cast<double>(count);
    // ROC AUC needs both classes; average precision needs positives.
    if (positives == 0 || (negatives == 0 && name == "roc_auc")) return std::nullopt;
    // Thresholds from the highest bin down; a bin's scores count as tied.
    double area = 0, true_positives = 0, false_positives = 0, average_precision = 0;
    for (int bin = kScoreBins - 1; bin >= 0; --bin) {
      auto p = positive_bins_.find(static_cast<uint16_t>(bin));
      auto n = negative_bins_.find(static_cast<uint16_t>(bin));
      double pos = p == positive_bins_.end() ? 0 : static_cast<double>(p->second);
      double neg = n == negative_bins_.end() ? 0 : static_cast<double>(n->second);
      if (pos == 0 && neg == 0) continue;
      area += pos * (negatives - false_positives - neg) + 0.5 * pos * neg;
      true_positives += pos;
      false_positives += neg;
      average_precision += pos / positives * true_positives / (true_positives + false_positives);
    }
    return name == "roc_auc" ? area / (positives * negatives) : average_precision;
  }
  return std::nullopt;
}

double PerformanceAccumulator::RocAucErrorBound() const {
  double positives = 0, negatives = 0, tied = 0;
  for (const auto& [bin, count] : positive_bins_) {
    positives += static_cast<double>(count);
    auto n = negative_bins_.find(bin);
    if (n != negative_bins_.end())
      tied += static_cast<double>(count) * static_cast<double>(n->second);
  }
  for (const auto& [bin, count] : negative_bins_) negatives += static_cast<double>(count);
  return positives == 0 || negatives == 0 ? 0 : 0.5 * tied / (positives * negatives);
}

std::optional<double> PerformanceAccumulator::MulticlassMetric(std::string_view name) const {
  std::map<std::string, double> tp, predicted, actual;
  double total = 0, correct = 0;
  for (const auto& [key, count] : classes_) {
    double c = static_cast<double>(count);
    total += c;
    actual[key.first] += c;
    predicted[key.second] += c;
    if (key.first == key.second) {
      correct += c;
      tp[key.first] += c;
    }
  }
  if (name == "accuracy" || name == "micro_precision" || name == "micro_recall" ||
      name == "micro_f1") {
    return Ratio(correct, total);
  }
  if (name == "log_loss") return Ratio(log_loss_sum_, static_cast<double>(scored_));
  if (auto per_class = PerClassName(name)) {
    // One class against the rest; an undefined ratio is null, as scikit-learn's NaN.
    const std::string label(per_class->second);
    const double t = tp[label], p = predicted[label], a = actual[label];
    if (per_class->first == "support") return a;
    if (per_class->first == "precision") return Ratio(t, p);
    if (per_class->first == "recall") return Ratio(t, a);
    return Ratio(2 * t, p + a);
  }
  std::set<std::string> labels;
  for (const auto& [label, count] : actual) labels.insert(label);
  for (const auto& [label, count] : predicted) labels.insert(label);
  bool macro = name.rfind("macro_", 0) == 0, weighted = name.rfind("weighted_", 0) == 0;
  if (!macro && !weighted) return std::nullopt;
  std::string_view base = name.substr(macro ? 6 : 9);
  // As scikit-learn with zero_division=0: a class's undefined ratio counts as 0.
  double sum = 0, weights = 0;
  for (const std::string& label : labels) {
    double t = tp[label], p = predicted[label], a = actual[label];
    double value = 0;
    if (base == "precision") {
      value = p > 0 ? t / p : 0;
    } else if (base == "recall") {
      value = a > 0 ? t / a : 0;
    } else if (base == "f1") {
      value = p + a > 0 ? 2 * t / (p + a) : 0;
    } else {
      return std::nullopt;
    }
    double weight = weighted ? a : 1;
    sum += weight * value;
    weights += weight;
  }
  return Ratio(sum, weights);
}

std::optional<double> PerformanceAccumulator::RegressionMetric(std::string_view name) const {
  double n = static_cast<double>(regressed_);
  if (name == "mae") return sum_abs_ / n;
  if (name == "mse") return sum_sq_ / n;
  if (name == "rmse") return std::sqrt(sum_sq_ / n);
  if (name == "mape") return sum_ape_ / n;
  if (name == "wape") return Ratio(sum_abs_, sum_abs_y_);
  if (name == "mean_error") return sum_error_ / n;
  if (name == "max_abs_error") return max_abs_;
  if (name == "r2") {
    double total = sum_y2_ - sum_y_ * sum_y_ / n;
    if (total <= 0) return std::nullopt;
    return 1 - sum_sq_ / total;
  }
  return std::nullopt;
}

PerformanceAccumulator::ConfusionMatrix PerformanceAccumulator::Confusion() const {
  ConfusionMatrix matrix;
  if (tp_ + fp_ + tn_ + fn_ > 0 || classes_.empty()) {
    matrix.labels = {"negative", "positive"};
    matrix.counts = {{tn_, fp_}, {fn_, tp_}};
    return matrix;
  }
  std::set<std::string> labels;
  for (const auto& [key, count] : classes_) {
    labels.insert(key.first);
    labels.insert(key.second);
  }
  matrix.labels.assign(labels.begin(), labels.end());
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < matrix.labels.size(); ++i) index[matrix.labels[i]] = i;
  matrix.counts.assign(labels.size(), std::vector<uint64_t>(labels.size(), 0));
  for (const auto& [key, count] : classes_)
    matrix.counts[index[key.first]][index[key.second]] = count;
  return matrix;
}

void PerformanceAccumulator::Serialize(ByteWriter& out) const {
  out.Put<uint8_t>(kFormatVersion);
  for (uint64_t count : {labeled_, tp_, fp_, tn_, fn_, scored_, regressed_})
    out.Put<uint64_t>(count);
  for (double sum : {log_loss_sum_, brier_sum_, sum_error_, sum_abs_, sum_sq_, sum_ape_, sum_y_,
                     sum_y2_, sum_abs_y_, max_abs_}) {
    out.Put<double>(sum);
  }
  PutBins(out, positive_bins_);
  PutBins(out, negative_bins_);
  PutBins(out, predicted_positive_bins_);
  PutBins(out, predicted_negative_bins_);
  out.Put<uint32_t>(static_cast<uint32_t>(classes_.size()));
  for (const auto& [key, count] : classes_) {
    out.PutString(key.first);
    out.PutString(key.second);
    out.Put<uint64_t>(count);
  }
  delays_.Serialize(out);
  rankings_.Serialize(out);
}

Result<PerformanceAccumulator> PerformanceAccumulator::Deserialize(ByteReader& in) {
  TELLTALE_ASSIGN_OR_RETURN(uint8_t version, in.Get<uint8_t>());
  if (version == 0 || version > kFormatVersion) {
    return Status::Unsupported("performance format " + std::to_string(version));
  }
  PerformanceAccumulator out;
  for (uint64_t* count :
       {&out.labeled_, &out.tp_, &out.fp_, &out.tn_, &out.fn_, &out.scored_, &out.regressed_}) {
    TELLTALE_ASSIGN_OR_RETURN(*count, in.Get<uint64_t>());
  }
  for (double* sum :
       {&out.log_loss_sum_, &out.brier_sum_, &out.sum_error_, &out.sum_abs_, &out.sum_sq_,
        &out.sum_ape_, &out.sum_y_, &out.sum_y2_, &out.sum_abs_y_, &out.max_abs_}) {
    TELLTALE_ASSIGN_OR_RETURN(*sum, in.Get<double>());
  }
  TELLTALE_RETURN_IF_ERROR(GetBins(in, out.positive_bins_));
  TELLTALE_RETURN_IF_ERROR(GetBins(in, out.negative_bins_));
  if (version >= 2) {
    TELLTALE_RETURN_IF_ERROR(GetBins(in, out.predicted_positive_bins_));
    TELLTALE_RETURN_IF_ERROR(GetBins(in, out.predicted_negative_bins_));
  }
  TELLTALE_ASSIGN_OR_RETURN(uint32_t classes, in.Get<uint32_t>());
  if (classes > kMaxEntries) return Status::Corruption("performance: too many classes");
  for (uint32_t i = 0; i < classes; ++i) {
    TELLTALE_ASSIGN_OR_RETURN(std::string actual, in.GetString());
    TELLTALE_ASSIGN_OR_RETURN(std::string predicted, in.GetString());
    TELLTALE_ASSIGN_OR_RETURN(uint64_t count, in.Get<uint64_t>());
    out.classes_[{std::move(actual), std::move(predicted)}] = count;
  }
  TELLTALE_ASSIGN_OR_RETURN(out.delays_, KllSketch::Deserialize(in));
  if (version >= 3) {
    TELLTALE_ASSIGN_OR_RETURN(out.rankings_, RankingLists::Deserialize(in));
  }
  return out;
}

}  // namespace telltale
