#include "ingest/performance_spec.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace telltale {
namespace {

PerformanceSpec BinarySpec(const nlohmann::json& extra = nlohmann::json::object()) {
  nlohmann::json schema = {{"predictions", {{"score", "numeric"}}},
                           {"actuals", {{"outcome", "categorical"}}}};
  schema.update(extra);
  Result<VersionSchema> parsed = VersionSchema::FromJson(schema, nlohmann::json());
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return PerformanceSpec(Task::kBinaryClassification, *parsed);
}

PredictionRef Scored(double score, std::string label = "") {
  PredictionRef ref;
  ref.score = score;
  ref.label = std::move(label);
  return ref;
}

TEST(PerformanceSpecTest, WithoutAPositiveClassOnlyKnownWordsNameAClass) {
  PerformanceSpec spec = BinarySpec();
  for (const char* positive : {"1", "true", "Yes", "POSITIVE"}) {
    EXPECT_EQ(spec.BinaryClass(positive), true) << positive;
  }
  for (const char* negative : {"0", "false", "No", "negative"}) {
    EXPECT_EQ(spec.BinaryClass(negative), false) << negative;
  }
  for (const char* neither : {"fraud", "2", "", "y"}) {
    EXPECT_EQ(spec.BinaryClass(neither), std::nullopt) << neither;
  }
  Result<ActualValue> refused = spec.ReadActual({{"outcome", ActualValue{std::nullopt, "fraud"}}});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("actuals.outcome: 'fraud' is neither class"),
            std::string::npos);
  EXPECT_TRUE(spec.ReadActual({{"outcome", ActualValue{1.0, "1"}}}).ok());
  EXPECT_FALSE(spec.MakeOutcome(Scored(0.9, "fraud"), ActualValue{1.0, "1"}).ok());
}

TEST(PerformanceSpecTest, AMissingActualNamesTheFieldsTheRowHasInstead) {
  PerformanceSpec spec = BinarySpec();
  auto reason = [&](const ActualFields& fields) {
    Result<ActualValue> read = spec.ReadActual(fields);
    return read.ok() ? std::string("accepted") : read.status().message();
  };
  ActualValue yes{1.0, "1"};
  EXPECT_EQ(reason({}), "actuals.outcome is missing");
  EXPECT_EQ(reason({{"outcom", yes}}), "actuals.outcome is missing (the row has actuals.outcom)");
  EXPECT_EQ(reason({{"a", yes}, {"b", yes}, {"c", yes}, {"d", yes}}),
            "actuals.outcome is missing (the row has actuals.a, actuals.b, actuals.c, ...)");
}

TEST(PerformanceSpecTest, ANamedPositiveClassMakesEveryOtherLabelNegative) {
  PerformanceSpec spec = BinarySpec({{"positive_class", "fraud"}});
  EXPECT_EQ(spec.BinaryClass("fraud"), true);
  EXPECT_EQ(spec.BinaryClass("legit"), false);
  EXPECT_EQ(spec.BinaryClass("1"), false);
  EXPECT_EQ(spec.BinaryClass("Fraud"), false);  // as sent: no case folding for a named class
  Result<Outcome> outcome = spec.MakeOutcome(Scored(0.1, "fraud"), ActualValue{std::nullopt, "x"});
  ASSERT_TRUE(outcome.ok());
  EXPECT_TRUE(outcome->predicted_positive);
  EXPECT_FALSE(outcome->actual_positive);
}

TEST(PerformanceSpecTest, TheDecisionThresholdComesFromTheSchema) {
  PerformanceSpec by_default = BinarySpec();
  EXPECT_EQ(by_default.PredictedPositive(Scored(0.5)), true);
  EXPECT_EQ(by_default.PredictedPositive(Scored(0.49)), false);
  PerformanceSpec strict = BinarySpec({{"decision_threshold", 0.8}});
  EXPECT_EQ(strict.PredictedPositive(Scored(0.79)), false);
  EXPECT_EQ(strict.PredictedPositive(Scored(0.8)), true);
  // A logged label decides over the score.
  EXPECT_EQ(strict.PredictedPositive(Scored(0.1, "yes")), true);
  // Both settings are kept in the stored schema.
  nlohmann::json stored = {{"predictions", {{"score", "numeric"}}},
                           {"decision_threshold", 0.8},
                           {"positive_class", true}};
  Result<VersionSchema> parsed = VersionSchema::FromJson(stored, nlohmann::json());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->SchemaJson()["decision_threshold"], 0.8);
  EXPECT_EQ(parsed->SchemaJson()["positive_class"], "true");
}

TEST(PerformanceSpecTest, ClassProbabilitiesAreBoundedAndNameNumericPredictions) {
  nlohmann::json schema = {{"predictions", {{"label", "categorical"}}}};
  nlohmann::json classes = nlohmann::json::object();
  for (size_t i = 0; i <= VersionSchema::kMaxClassProbabilities; ++i) {
    std::string field = "p" + std::to_string(i);
    schema["predictions"][field] = "numeric";
    classes["c" + std::to_string(i)] = field;
  }
  schema["class_probabilities"] = classes;
  Result<VersionSchema> too_many = VersionSchema::FromJson(schema, nlohmann::json());
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.status().message().find("more than 1000 classes"), std::string::npos);
  schema["class_probabilities"] = {{"a", "p0"}, {"b", "label"}};
  Result<VersionSchema> not_numeric = VersionSchema::FromJson(schema, nlohmann::json());
  ASSERT_FALSE(not_numeric.ok());
  EXPECT_NE(not_numeric.status().message().find("'label' is not a numeric prediction"),
            std::string::npos);
}

}  // namespace
}  // namespace telltale
