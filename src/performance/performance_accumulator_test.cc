#include "performance/performance_accumulator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace telltale {
namespace {

Outcome Binary(bool predicted, bool actual, double score) {
  Outcome outcome;
  outcome.predicted_positive = predicted;
  outcome.actual_positive = actual;
  outcome.score = score;
  return outcome;
}

Outcome Regression(double predicted, double actual) {
  Outcome outcome;
  outcome.kind = Outcome::Kind::kRegression;
  outcome.predicted = predicted;
  outcome.actual = actual;
  return outcome;
}

PerformanceAccumulator RoundTrip(const PerformanceAccumulator& accumulator) {
  ByteWriter out;
  accumulator.Serialize(out);
  std::string bytes = out.Release();
  ByteReader in(bytes);
  Result<PerformanceAccumulator> back = PerformanceAccumulator::Deserialize(in);
  EXPECT_TRUE(back.ok()) << back.status().message();
  return std::move(*back);
}

TEST(PerformanceAccumulatorTest, BinaryCountsAndRatios) {
  PerformanceAccumulator accumulator;
  accumulator.Add(Binary(true, true, 0.9), +1);
  accumulator.Add(Binary(true, false, 0.7), +1);
  accumulator.Add(Binary(false, false, 0.2), +1);
  accumulator.Add(Binary(false, true, 0.4), +1);
  accumulator.Add(Binary(false, false, 0.1), +1);
  EXPECT_EQ(*accumulator.Metric("tp"), 1);
  EXPECT_EQ(*accumulator.Metric("fp"), 1);
  EXPECT_EQ(*accumulator.Metric("tn"), 2);
  EXPECT_EQ(*accumulator.Metric("fn"), 1);
  EXPECT_DOUBLE_EQ(*accumulator.Metric("accuracy"), 0.6);
  EXPECT_DOUBLE_EQ(*accumulator.Metric("precision"), 0.5);
  EXPECT_DOUBLE_EQ(*accumulator.Metric("recall"), 0.5);
  EXPECT_DOUBLE_EQ(*accumulator.Metric("f1"), 0.5);
  EXPECT_DOUBLE_EQ(*accumulator.Metric("specificity"), 2.0 / 3);
  // Positives 0.9, 0.4 against negatives 0.7, 0.2, 0.1: 5 of 6 pairs ordered right.
  EXPECT_NEAR(*accumulator.Metric("roc_auc"), 5.0 / 6, 1e-12);
  double log_loss =
      -(std::log(0.9) + std::log(0.3) + std::log(0.8) + std::log(0.4) + std::log(0.9)) / 5;
  EXPECT_NEAR(*accumulator.Metric("log_loss"), log_loss, 1e-12);
  EXPECT_FALSE(accumulator.Metric("mae"));              // another task's metric
  EXPECT_FALSE(PerformanceAccumulator().Metric("f1"));  // no labels
}

TEST(PerformanceAccumulatorTest, TakingAnOutcomeBackOutRestoresTheSerializedState) {
  PerformanceAccumulator before;
  std::mt19937 random(3);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < 500; ++i) {
    double score = unit(random);
    before.Add(Binary(score >= 0.5, unit(random) < score, score), +1);
  }
  ByteWriter original;
  before.Serialize(original);
  PerformanceAccumulator after = before;
  Outcome wrong = Binary(true, false, 0.75);
  after.Add(wrong, +1);
  after.Add(wrong, -1);
  ByteWriter restored;
  after.Serialize(restored);
  // Counts and bins return exactly; the float sums to within rounding.
  EXPECT_EQ(*after.Metric("fp"), *before.Metric("fp"));
  EXPECT_EQ(*after.Metric("roc_auc"), *before.Metric("roc_auc"));
  EXPECT_NEAR(*after.Metric("log_loss"), *before.Metric("log_loss"), 1e-12);
}

TEST(PerformanceAccumulatorTest, MergeOfPartsEqualsWholeAndSurvivesSerialization) {
  PerformanceAccumulator whole, first, second;
  for (int i = 0; i < 200; ++i) {
    Outcome outcome = Regression(i * 0.5, i * 0.45 + (i % 7));
    whole.Add(outcome, +1);
    (i < 80 ? first : second).Add(outcome, +1);
    whole.AddDelay(i);
    (i < 80 ? first : second).AddDelay(i);
  }
  first.Merge(second);
  PerformanceAccumulator back = RoundTrip(first);
  for (const char* metric :
       {"mae", "mse", "rmse", "mape", "wape", "r2", "mean_error", "max_abs_error", "labeled"}) {
    ASSERT_TRUE(back.Metric(metric)) << metric;
    EXPECT_NEAR(*back.Metric(metric), *whole.Metric(metric), 1e-9) << metric;
  }
  // Delays are a quantile sketch: the median of 0..199 within its rank error.
  EXPECT_NEAR(*back.Metric("label_delay_p50"), 99.5, 200 * 0.0165);
}

TEST(PerformanceAccumulatorTest, MulticlassAveragesAsScikitLearnDoes) {
  // y_true = [a, a, b, c, c, c], y_pred = [a, b, b, c, a, c]
  PerformanceAccumulator accumulator;
  const char* pairs[][2] = {{"a", "a"}, {"a", "b"}, {"b", "b"}, {"c", "c"}, {"c", "a"}, {"c", "c"}};
  for (auto& pair : pairs) {
    Outcome outcome;
    outcome.kind = Outcome::Kind::kMulticlass;
    outcome.actual_class = pair[0];
    outcome.predicted_class = pair[1];
    accumulator.Add(outcome, +1);
  }
  // sklearn: precision a=1/2, b=1/2, c=1; recall a=1/2, b=1, c=2/3.
  EXPECT_NEAR(*accumulator.Metric("accuracy"), 4.0 / 6, 1e-12);
  EXPECT_NEAR(*accumulator.Metric("macro_precision"), (0.5 + 0.5 + 1) / 3, 1e-12);
  EXPECT_NEAR(*accumulator.Metric("macro_recall"), (0.5 + 1 + 2.0 / 3) / 3, 1e-12);
  EXPECT_NEAR(*accumulator.Metric("weighted_recall"), (2 * 0.5 + 1 * 1 + 3 * 2.0 / 3) / 6, 1e-12);
  PerformanceAccumulator::ConfusionMatrix matrix = accumulator.Confusion();
  EXPECT_EQ(matrix.labels, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(matrix.counts[2], (std::vector<uint64_t>{1, 0, 2}));
}

TEST(PerformanceAccumulatorTest, MulticlassPerClassMetricsAndLogLossFromClassProbabilities) {
  // y_true = [a, a, b, c], y_pred = [a, b, b, a]; the true class's probabilities 0.7, 0.4, 0.9,
  // 0.2 (and a row without probabilities, left out of the log loss).
  PerformanceAccumulator accumulator;
  const char* pairs[][2] = {{"a", "a"}, {"a", "b"}, {"b", "b"}, {"c", "a"}};
  const double probability[] = {0.7, 0.4, 0.9, 0.2};
  for (int i = 0; i < 4; ++i) {
    Outcome outcome;
    outcome.kind = Outcome::Kind::kMulticlass;
    outcome.actual_class = pairs[i][0];
    outcome.predicted_class = pairs[i][1];
    outcome.score = probability[i];
    accumulator.Add(outcome, +1);
  }
  Outcome unscored;
  unscored.kind = Outcome::Kind::kMulticlass;
  unscored.actual_class = unscored.predicted_class = "b";
  accumulator.Add(unscored, +1);
  EXPECT_NEAR(*accumulator.Metric("log_loss"),
              -(std::log(0.7) + std::log(0.4) + std::log(0.9) + std::log(0.2)) / 4, 1e-12);
  // a: tp 1, predicted 2, actual 2; b: tp 2, predicted 3, actual 2; c: never predicted.
  EXPECT_NEAR(*accumulator.Metric("precision:a"), 0.5, 1e-12);
  EXPECT_NEAR(*accumulator.Metric("recall:b"), 1.0, 1e-12);
  EXPECT_NEAR(*accumulator.Metric("f1:b"), 2.0 * 2 / (3 + 2), 1e-12);
  EXPECT_EQ(accumulator.Metric("precision:c"), std::nullopt);  // undefined: never predicted
  EXPECT_EQ(*accumulator.Metric("recall:c"), 0.0);
  EXPECT_EQ(*accumulator.Metric("support:c"), 1.0);
  EXPECT_EQ(*accumulator.Metric("support:zebra"), 0.0);
  EXPECT_TRUE(PerformanceAccumulator::IsKnownMetric("f1:a:b"));  // the class is "a:b"
  EXPECT_FALSE(PerformanceAccumulator::IsKnownMetric("f1:"));
  EXPECT_FALSE(PerformanceAccumulator::IsKnownMetric("mae:a"));
  // A corrected actual takes its probability back out; the state survives serialization.
  Outcome corrected;
  corrected.kind = Outcome::Kind::kMulticlass;
  corrected.actual_class = "c";
  corrected.predicted_class = "a";
  corrected.score = 0.2;
  accumulator.Add(corrected, -1);
  ByteWriter out;
  accumulator.Serialize(out);
  std::string bytes = out.Release();
  ByteReader in(bytes);
  Result<PerformanceAccumulator> back = PerformanceAccumulator::Deserialize(in);
  ASSERT_TRUE(back.ok());
  EXPECT_NEAR(*back->Metric("log_loss"), -(std::log(0.7) + std::log(0.4) + std::log(0.9)) / 3,
              1e-12);
}

TEST(PerformanceAccumulatorTest, HistogramAucStaysWithinItsBoundOfTheExactAuc) {
  std::mt19937 random(11);
  std::normal_distribution<double> noise(0, 1);
  std::vector<std::pair<double, bool>> scored;
  PerformanceAccumulator accumulator;
  for (int i = 0; i < 20000; ++i) {
    bool positive = i % 3 == 0;
    double score = 1 / (1 + std::exp(-(noise(random) + (positive ? 1.5 : -1.5) * 3)));
    scored.emplace_back(score, positive);
    accumulator.Add(Binary(score >= 0.5, positive, score), +1);
  }
  // Exact AUC by counting ordered pairs (ties half).
  std::sort(scored.begin(), scored.end());
  double negatives_below = 0, pairs = 0, positives = 0, negatives = 0;
  for (const auto& [score, positive] : scored) {
    if (positive) {
      pairs += negatives_below;
      ++positives;
    } else {
      ++negatives_below;
      ++negatives;
    }
  }
  double exact = pairs / (positives * negatives);
  double bound = accumulator.RocAucErrorBound();
  EXPECT_LE(bound, 0.002);
  EXPECT_NEAR(*accumulator.Metric("roc_auc"), exact, bound + 1e-12);
}

}  // namespace
}  // namespace telltale
