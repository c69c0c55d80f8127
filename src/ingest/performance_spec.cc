#include "ingest/performance_spec.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <limits>

#include "io/table.h"

namespace telltale {

std::optional<Task> ParseTask(std::string_view name) {
  if (name == "binary_classification") return Task::kBinaryClassification;
  if (name == "multiclass_classification") return Task::kMulticlassClassification;
  if (name == "regression") return Task::kRegression;
  if (name == "ranking") return Task::kRanking;
  return std::nullopt;
}

namespace {

// Whether `text` is one of `words` (lowercase) in any case; no copy (every actual asks).
bool IsAnyOf(std::string_view text, std::initializer_list<std::string_view> words) {
  for (std::string_view word : words) {
    if (text.size() == word.size() &&
        std::equal(text.begin(), text.end(), word.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == static_cast<unsigned char>(b);
        })) {
      return true;
    }
  }
  return false;
}

}  // namespace

PerformanceSpec::PerformanceSpec(Task task, const VersionSchema& schema)
    : task_(task),
      threshold_(schema.decision_threshold().value_or(kDefaultThreshold)),
      positive_class_(schema.positive_class()),
      class_probabilities_(schema.class_probabilities()),
      query_field_(schema.query_field()) {
  const std::vector<FieldSpec>& fields = schema.fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    const FieldSpec& field = fields[i];
    int index = static_cast<int>(i);
    if (field.role == FieldRole::kPrediction) {
      if (field.type == FieldType::kNumeric && score_field_ < 0) score_field_ = index;
      bool label = field.type == FieldType::kBoolean || field.type == FieldType::kCategorical;
      if (label && label_field_ < 0) label_field_ = index;
    }
    if (field.role == FieldRole::kActual && actual_index_ < 0) {
      bool usable = task == Task::kRegression ? field.type == FieldType::kNumeric
                    : task == Task::kRanking
                        ? field.type == FieldType::kNumeric || field.type == FieldType::kBoolean
                        : field.type != FieldType::kEmbedding && field.type != FieldType::kText;
      if (usable) {
        actual_index_ = index;
        actual_type_ = field.type;
        actual_name_ = field.name;
      }
    }
  }
}

namespace {

// A cell's value as text: strings as they are, numbers in their shortest form, true/false.
std::string CellText(const Cell& cell) {
  switch (cell.kind) {
    case Cell::Kind::kString:
      return cell.text;
    case Cell::Kind::kNumber:
      return FormatNumber(cell.number);
    case Cell::Kind::kBool:
      return cell.flag ? "true" : "false";
    case Cell::Kind::kMissing:
      break;
  }
  return "";
}

// An actual as text: a number in its shortest form, anything else as sent.
std::string TruthText(const ActualValue& actual) {
  return actual.number ? FormatNumber(*actual.number) : actual.label;
}

// Why `label`, found in `what`, is refused by a binary model without a positive_class.
std::string NotABinaryClass(std::string_view what, std::string_view label) {
  return std::string(what) + " '" + std::string(label) +
         "' is neither class of a binary model: the positive class is 1, true, yes or positive "
         "and the negative class 0, false, no or negative (in any case), unless the version's "
         "schema names its positive_class";
}

}  // namespace

void PerformanceSpec::ReadPrediction(const Row& row, PredictionRef& ref) const {
  if (score_field_ >= 0) {
    const Cell& cell = row.cells[static_cast<size_t>(score_field_)];
    if (cell.kind == Cell::Kind::kNumber) ref.score = cell.number;
  }
  if (label_field_ >= 0) ref.label = CellText(row.cells[static_cast<size_t>(label_field_)]);
  if (query_field_ >= 0) ref.query = CellText(row.cells[static_cast<size_t>(query_field_)]);
  if (task_ == Task::kMulticlassClassification && !class_probabilities_.empty()) {
    ref.probabilities.clear();
    for (const auto& [label, field] : class_probabilities_) {
      const Cell& cell = row.cells[static_cast<size_t>(field)];
      ref.probabilities.push_back(cell.kind == Cell::Kind::kNumber
                                      ? cell.number
                                      : std::numeric_limits<double>::quiet_NaN());
    }
  }
}

std::optional<ActualValue> PerformanceSpec::RowActual(const Row& row) const {
  if (actual_index_ < 0) return std::nullopt;
  const Cell& cell = row.cells[static_cast<size_t>(actual_index_)];
  if (cell.kind == Cell::Kind::kMissing) return std::nullopt;
  std::optional<double> number;
  if (cell.kind == Cell::Kind::kNumber) number = cell.number;
  return ActualValue{number, CellText(cell)};
}

std::optional<bool> PerformanceSpec::BinaryClass(std::string_view label) const {
  if (positive_class_) return label == *positive_class_;
  if (IsAnyOf(label, {"1", "true", "yes", "positive"})) return true;
  if (IsAnyOf(label, {"0", "false", "no", "negative"})) return false;
  return std::nullopt;
}

std::optional<bool> PerformanceSpec::PredictedPositive(const PredictionRef& ref) const {
  if (ref.label.empty()) return ref.score >= threshold_;
  return BinaryClass(ref.label);
}

Result<ActualValue> PerformanceSpec::ReadActual(const ActualFields& actuals) const {
  if (actual_index_ < 0) {
    return Status::InvalidArgument("the version declares no actual field to compare against");
  }
  auto found = std::find_if(actuals.begin(), actuals.end(),
                            [&](const auto& field) { return field.first == actual_name_; });
  if (found == actuals.end()) {
    // A misspelt or renamed field is the usual cause: name what the row has instead.
    std::string message = "actuals." + actual_name_ + " is missing";
    constexpr size_t kNamed = 3;
    for (size_t i = 0; i < actuals.size() && i < kNamed; ++i) {
      message += (i == 0 ? " (the row has actuals." : ", actuals.") + actuals[i].first;
    }
    if (actuals.size() > kNamed) message += ", ...";
    if (!actuals.empty()) message += ")";
    return Status::InvalidArgument(message);
  }
  TELLTALE_RETURN_IF_ERROR(CheckActualValue(found->second));
  return found->second;
}

Status PerformanceSpec::CheckRowActual(const Row& row) const {
  std::optional<ActualValue> actual = RowActual(row);
  return actual ? CheckActualValue(*actual) : Status::Ok();
}

Status PerformanceSpec::CheckActualValue(const ActualValue& value) const {
  if (actual_type_ == FieldType::kNumeric && !value.number) {
    return Status::InvalidArgument("actuals." + actual_name_ + ": expected a number, got '" +
                                   value.label + "'");
  }
  if (actual_type_ == FieldType::kBoolean && value.label != "true" && value.label != "false") {
    return Status::InvalidArgument("actuals." + actual_name_ + ": expected true or false");
  }
  if (task_ == Task::kBinaryClassification && !BinaryClass(TruthText(value))) {
    return Status::InvalidArgument(
        NotABinaryClass("actuals." + actual_name_ + ":", TruthText(value)));
  }
  return Status::Ok();
}

Result<Outcome> PerformanceSpec::MakeOutcome(const PredictionRef& ref,
                                             const ActualValue& actual) const {
  Outcome outcome;
  std::string truth = TruthText(actual);
  switch (task_) {
    case Task::kBinaryClassification: {
      outcome.kind = Outcome::Kind::kBinary;
      if (ref.label.empty() && std::isnan(ref.score)) {
        return Status::InvalidArgument("the prediction has no score or label to compare");
      }
      std::optional<bool> predicted = PredictedPositive(ref);
      if (!predicted) {
        return Status::InvalidArgument(NotABinaryClass("the predicted label", ref.label));
      }
      std::optional<bool> positive = BinaryClass(truth);
      if (!positive) return Status::InvalidArgument(NotABinaryClass("the actual", truth));
      outcome.score = ref.score;
      outcome.predicted_positive = *predicted;
      outcome.actual_positive = *positive;
      return outcome;
    }
    case Task::kMulticlassClassification: {
      outcome.kind = Outcome::Kind::kMulticlass;
      if (ref.label.empty()) return Status::InvalidArgument("the prediction has no label");
      outcome.predicted_class = ref.label;
      outcome.actual_class = truth;
      // The probability the model gave the true class, for the log loss (NaN without one).
      auto found = std::find_if(class_probabilities_.begin(), class_probabilities_.end(),
                                [&](const auto& entry) { return entry.first == truth; });
      const size_t position = static_cast<size_t>(found - class_probabilities_.begin());
      if (found != class_probabilities_.end() && position < ref.probabilities.size()) {
        outcome.score = ref.probabilities[position];
      }
      return outcome;
    }
    case Task::kRegression:
      outcome.kind = Outcome::Kind::kRegression;
      if (std::isnan(ref.score) || !actual.number) {
        return Status::InvalidArgument("regression needs a numeric prediction and actual");
      }
      outcome.predicted = ref.score;
      outcome.actual = *actual.number;
      return outcome;
    case Task::kRanking: {
      outcome.kind = Outcome::Kind::kRanking;
      if (std::isnan(ref.score)) {
        return Status::InvalidArgument("the prediction has no numeric score to rank by");
      }
      if (ref.query.empty()) return Status::InvalidArgument("the prediction has no query id");
      double relevance = actual.number ? *actual.number : actual.label == "true" ? 1.0 : 0.0;
      if (!std::isfinite(relevance) || relevance < 0) {
        return Status::InvalidArgument("actuals." + actual_name_ +
                                       ": a relevance is a number >= 0 or a boolean");
      }
      outcome.predicted = ref.score;
      outcome.actual = relevance;
      outcome.query = ref.query;
      return outcome;
    }
  }
  return Status::InvalidArgument("unknown task");
}

}  // namespace telltale
