// VersionSchema: what a model version logs — its fields by role and type — and its segments, the
// named slices of rows every series is also kept for.
//
//   {"features": {"age": "numeric", "country": "categorical", "vec": {"type": "embedding",
//    "dimension": 8}}, "predictions": {"score": "numeric"}, "actuals": {...}, "raw": {...},
//    "query_id": "session"}
//   (query_id: the feature or raw field whose value groups a ranking model's rows into queries)
//   [{"name": "US", "where": {"country": ["US"]}},
//    {"name": "age 30-40", "where": {"age": {"gte": 30, "lt": 40}}}]
//
// Field names are unique across roles: a window profile holds one profile per name.
#ifndef TELLTALE_INGEST_VERSION_SCHEMA_H_
#define TELLTALE_INGEST_VERSION_SCHEMA_H_

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "profile/column_type.h"
#include "telltale/result.h"

namespace telltale {

enum class FieldType { kNumeric, kCategorical, kBoolean, kText, kTimestamp, kEmbedding };
enum class FieldRole { kFeature, kPrediction, kActual, kRaw };

std::string_view FieldTypeName(FieldType type);
// "features", "predictions", "actuals", "raw": the key a row and a schema use for the role.
std::string_view FieldRoleKey(FieldRole role);
// How drift treats the type: numeric, timestamps and embeddings (their norm) as numerical;
// categorical and boolean as categorical; text as text.
ColumnType DriftType(FieldType type);

struct FieldSpec {
  std::string name;
  FieldRole role = FieldRole::kFeature;
  FieldType type = FieldType::kNumeric;
  uint32_t dimension = 0;  // embeddings only
};

// One condition of a segment: the field's value is one of `in`, or lies in the range.
struct SegmentCondition {
  size_t field = 0;             // index into VersionSchema::fields
  std::vector<std::string> in;  // values as text (numbers in their shortest form, true/false)
  std::optional<double> gte, gt, lte, lt;
};

struct Segment {
  std::string name;
  std::vector<SegmentCondition> where;  // all must hold
};

class VersionSchema {
 public:
  static constexpr size_t kMaxFields = 10000;
  static constexpr size_t kMaxSegments = 100;
  static constexpr size_t kMaxClassProbabilities = 1000;

  // InvalidArgument names the role, field or segment that is wrong.
  static Result<VersionSchema> FromJson(const nlohmann::json& schema,
                                        const nlohmann::json& segments);

  const std::vector<FieldSpec>& fields() const { return fields_; }
  const std::vector<Segment>& segments() const { return segments_; }
  // The index of the field named by "query_id", or -1.
  int query_field() const { return query_field_; }
  // Binary classification: "decision_threshold", the score from which a prediction is positive
  // (when no label is logged), and "positive_class", the label of the positive class (as text).
  const std::optional<double>& decision_threshold() const { return decision_threshold_; }
  const std::optional<std::string>& positive_class() const { return positive_class_; }
  // Multiclass: "class_probabilities", each class label with the prediction field holding its
  // probability, in label order.
  const std::vector<std::pair<std::string, int>>& class_probabilities() const {
    return class_probabilities_;
  }
  // The field of `role` called `name`, or -1.
  int FindField(FieldRole role, std::string_view name) const;
  int FindField(std::string_view name) const;
  // The series number of a segment (its index + 1; 0 is all rows); NotFound for an unknown name.
  Result<uint32_t> SegmentSeries(std::string_view name) const;

  // The normalized forms stored in the control plane and returned by the API.
  nlohmann::json SchemaJson() const;
  nlohmann::json SegmentsJson() const;

 private:
  std::vector<FieldSpec> fields_;
  std::vector<Segment> segments_;
  int query_field_ = -1;
  std::optional<double> decision_threshold_;
  std::optional<std::string> positive_class_;
  std::vector<std::pair<std::string, int>> class_probabilities_;
};

}  // namespace telltale

#endif  // TELLTALE_INGEST_VERSION_SCHEMA_H_
