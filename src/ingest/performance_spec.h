// PerformanceSpec: how a version's rows and actuals become outcomes for the performance metrics —
// which prediction field holds the score, which the predicted label, which actual field is the
// truth — decided from the model's task and the version's schema.
//
//   binary_classification      score: the first numeric prediction; label: the first boolean or
//                              categorical prediction (used instead of score >= the schema's
//                              decision_threshold, 0.5 by default, when given); truth: the first
//                              actual. The schema's positive_class is the positive label, any
//                              other the negative; without it 1, true, yes and positive are
//                              positive, 0, false, no and negative negative, and others refused
//   multiclass_classification  label: the first boolean or categorical prediction; truth: the
//                              first actual, as text; the schema's class_probabilities name the
//                              prediction holding each class's probability (for the log loss)
//   regression                 score: the first numeric prediction; truth: the first numeric actual
//   ranking                    score: the first numeric prediction; query: the schema's query_id
//                              field; truth: the first numeric or boolean actual, the item's
//                              relevance (>= 0; true is 1)
#ifndef TELLTALE_INGEST_PERFORMANCE_SPEC_H_
#define TELLTALE_INGEST_PERFORMANCE_SPEC_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/prediction_ref.h"
#include "ingest/row.h"
#include "ingest/version_schema.h"
#include "performance/performance_accumulator.h"

namespace telltale {

enum class Task { kBinaryClassification, kMulticlassClassification, kRegression, kRanking };
std::optional<Task> ParseTask(std::string_view name);

// The fields of a row's "actuals" object, as sent.
using ActualFields = std::vector<std::pair<std::string, ActualValue>>;

class PerformanceSpec {
 public:
  static constexpr double kDefaultThreshold = 0.5;

  PerformanceSpec() = default;
  PerformanceSpec(Task task, const VersionSchema& schema);

  Task task() const { return task_; }
  // The actual field's name, or empty when the schema declares none.
  const std::string& actual_field() const { return actual_name_; }

  // What the model said in `row` (its score and label), into `ref`.
  void ReadPrediction(const Row& row, PredictionRef& ref) const;
  // Binary: the decision — the predicted label's class when given, else score >= threshold;
  // nullopt for a label that names neither class.
  std::optional<bool> PredictedPositive(const PredictionRef& ref) const;
  // Binary: whether a label names the positive class (true), the negative one (false) or neither.
  std::optional<bool> BinaryClass(std::string_view label) const;
  // The truth a row carries itself (a baseline row, or a prediction logged with its actual).
  std::optional<ActualValue> RowActual(const Row& row) const;
  // The truth among a row's actuals; InvalidArgument naming the field when it is missing or of
  // the wrong type.
  Result<ActualValue> ReadActual(const ActualFields& actuals) const;
  // For a row logged with its actual: InvalidArgument, as ReadActual's, when that actual cannot
  // be compared (a binary model's label of neither class).
  Status CheckRowActual(const Row& row) const;
  // The outcome of a prediction and its actual; InvalidArgument when the prediction carries
  // nothing to compare (a binary model logged without score or label, say).
  Result<Outcome> MakeOutcome(const PredictionRef& ref, const ActualValue& actual) const;

 private:
  // ReadActual's and CheckRowActual's test of the truth's value.
  Status CheckActualValue(const ActualValue& value) const;

  Task task_ = Task::kBinaryClassification;
  double threshold_ = kDefaultThreshold;
  std::optional<std::string> positive_class_;
  std::vector<std::pair<std::string, int>> class_probabilities_;  // label, field
  int score_field_ = -1;
  int label_field_ = -1;
  int actual_index_ = -1;
  int query_field_ = -1;
  FieldType actual_type_ = FieldType::kNumeric;
  std::string actual_name_;
};

}  // namespace telltale

#endif  // TELLTALE_INGEST_PERFORMANCE_SPEC_H_
