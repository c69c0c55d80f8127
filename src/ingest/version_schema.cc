#include "ingest/version_schema.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "io/table.h"

namespace telltale {
namespace {

constexpr FieldRole kRoles[] = {FieldRole::kFeature, FieldRole::kPrediction, FieldRole::kActual,
                                FieldRole::kRaw};
constexpr FieldType kTypes[] = {FieldType::kNumeric,   FieldType::kCategorical,
                                FieldType::kBoolean,   FieldType::kText,
                                FieldType::kTimestamp, FieldType::kEmbedding};
constexpr uint32_t kMaxDimension = 65536;

std::optional<FieldType> ParseFieldType(std::string_view name) {
  for (FieldType type : kTypes) {
    if (FieldTypeName(type) == name) return type;
  }
  return std::nullopt;
}

std::string KnownTypes() {
  std::string names;
  for (FieldType type : kTypes) {
    if (!names.empty()) names += ", ";
    names += FieldTypeName(type);
  }
  return names;
}

Result<FieldSpec> ParseField(FieldRole role, const std::string& name, const nlohmann::json& spec) {
  std::string where = "schema." + std::string(FieldRoleKey(role)) + "." + name;
  FieldSpec field;
  field.name = name;
  field.role = role;
  if (name.empty())
    return Status::InvalidArgument("schema." + std::string(FieldRoleKey(role)) +
                                   ": a field name is empty");
  const nlohmann::json* type_name = &spec;
  if (spec.is_object()) {
    if (!spec.contains("type")) return Status::InvalidArgument(where + ": missing \"type\"");
    type_name = &spec["type"];
  }
  if (!type_name->is_string()) {
    return Status::InvalidArgument(where + ": the type must be a string, one of " + KnownTypes());
  }
  std::optional<FieldType> type = ParseFieldType(type_name->get<std::string>());
  if (!type) {
    return Status::InvalidArgument(where + ": unknown type '" + type_name->get<std::string>() +
                                   "'; known: " + KnownTypes());
  }
  field.type = *type;
  if (field.type == FieldType::kEmbedding) {
    const nlohmann::json* dimension =
        spec.is_object() && spec.contains("dimension") ? &spec["dimension"] : nullptr;
    if (dimension == nullptr || !dimension->is_number_integer() || *dimension <= 0 ||
        *dimension > kMaxDimension) {
      return Status::InvalidArgument(where + ": an embedding needs \"dimension\", 1 to " +
                                     std::to_string(kMaxDimension));
    }
    field.dimension = dimension->get<uint32_t>();
  }
  return field;
}

std::string ValueText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return FormatNumber(value.get<double>());
}

// "class_probabilities": {class label: numeric prediction field}, each field used once.
Result<std::vector<std::pair<std::string, int>>> ParseClassProbabilities(
    const VersionSchema& schema, const nlohmann::json& classes) {
  const std::string where = "schema.class_probabilities";
  if (!classes.is_object() || classes.size() < 2) {
    return Status::InvalidArgument(where +
                                   ": expected an object of at least two class labels, each "
                                   "naming the numeric prediction that holds its probability");
  }
  if (classes.size() > VersionSchema::kMaxClassProbabilities) {
    return Status::InvalidArgument(where + ": more than " +
                                   std::to_string(VersionSchema::kMaxClassProbabilities) +
                                   " classes (each prediction keeps them all with its id)");
  }
  std::vector<std::pair<std::string, int>> parsed;
  std::set<int> used;
  for (const auto& [label, name] : classes.items()) {
    std::string at = where;
    at += "." + label;
    if (label.empty()) return Status::InvalidArgument(where + ": a class label is empty");
    if (!name.is_string()) return Status::InvalidArgument(at + ": expected a field name");
    int index = schema.FindField(FieldRole::kPrediction, name.get<std::string>());
    if (index < 0 || schema.fields()[static_cast<size_t>(index)].type != FieldType::kNumeric) {
      return Status::InvalidArgument(at + ": '" + name.get<std::string>() +
                                     "' is not a numeric prediction of the schema");
    }
    if (!used.insert(index).second) {
      return Status::InvalidArgument(at + ": '" + name.get<std::string>() +
                                     "' is the probability of another class already");
    }
    parsed.emplace_back(label, index);
  }
  return parsed;
}

// "query_id": a feature or raw field of a type whose values name a query.
Result<int> ParseQueryField(const VersionSchema& schema, const nlohmann::json& name) {
  if (!name.is_string()) return Status::InvalidArgument("schema.query_id: expected a field name");
  int index = schema.FindField(name.get<std::string>());
  if (index < 0) {
    return Status::InvalidArgument("schema.query_id: no field '" + name.get<std::string>() +
                                   "' in the schema");
  }
  const FieldSpec& field = schema.fields()[static_cast<size_t>(index)];
  if (field.role != FieldRole::kFeature && field.role != FieldRole::kRaw) {
    return Status::InvalidArgument("schema.query_id: '" + field.name +
                                   "' must be a feature or raw field");
  }
  if (field.type != FieldType::kCategorical && field.type != FieldType::kNumeric &&
      field.type != FieldType::kText) {
    return Status::InvalidArgument("schema.query_id: '" + field.name +
                                   "' must be categorical, numeric or text");
  }
  return index;
}

Result<SegmentCondition> ParseCondition(const VersionSchema& schema, const std::string& where,
                                        const std::string& field_name,
                                        const nlohmann::json& condition) {
  SegmentCondition parsed;
  int field = schema.FindField(field_name);
  if (field < 0)
    return Status::InvalidArgument(where + ": the schema has no field '" + field_name + "'");
  parsed.field = static_cast<size_t>(field);
  const std::string at = where + "." + field_name;  // e.g. segments[0].where.age
  if (condition.is_array()) {
    if (condition.empty()) return Status::InvalidArgument(at + ": empty list");
    for (const nlohmann::json& value : condition) {
      if (!value.is_string() && !value.is_number() && !value.is_boolean()) {
        return Status::InvalidArgument(at + ": list values must be strings, numbers or booleans");
      }
      parsed.in.push_back(ValueText(value));
    }
    return parsed;
  }
  if (!condition.is_object() || condition.empty()) {
    return Status::InvalidArgument(at +
                                   ": expected a list of values or a range {gte, gt, lte, lt}");
  }
  FieldType type = schema.fields()[parsed.field].type;
  if (type != FieldType::kNumeric && type != FieldType::kTimestamp) {
    return Status::InvalidArgument(at + ": a range needs a numeric field");
  }
  for (const auto& [bound, value] : condition.items()) {
    if (!value.is_number()) {
      return Status::InvalidArgument(fmt::format("{}.{}: not a number", at, bound));
    }
    double number = value.get<double>();
    if (bound == "gte") {
      parsed.gte = number;
    } else if (bound == "gt") {
      parsed.gt = number;
    } else if (bound == "lte") {
      parsed.lte = number;
    } else if (bound == "lt") {
      parsed.lt = number;
    } else {
      return Status::InvalidArgument(
          fmt::format("{}: unknown bound '{}'; known: gte, gt, lte, lt", at, bound));
    }
  }
  return parsed;
}

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kNumeric:
      return "numeric";
    case FieldType::kCategorical:
      return "categorical";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kText:
      return "text";
    case FieldType::kTimestamp:
      return "timestamp";
    case FieldType::kEmbedding:
      return "embedding";
  }
  return "numeric";
}

std::string_view FieldRoleKey(FieldRole role) {
  switch (role) {
    case FieldRole::kFeature:
      return "features";
    case FieldRole::kPrediction:
      return "predictions";
    case FieldRole::kActual:
      return "actuals";
    case FieldRole::kRaw:
      return "raw";
  }
  return "features";
}

ColumnType DriftType(FieldType type) {
  switch (type) {
    case FieldType::kCategorical:
    case FieldType::kBoolean:
      return ColumnType::kCategorical;
    case FieldType::kText:
      return ColumnType::kText;
    default:
      return ColumnType::kNumerical;
  }
}

Result<VersionSchema> VersionSchema::FromJson(const nlohmann::json& schema,
                                              const nlohmann::json& segments) {
  VersionSchema parsed;
  if (!schema.is_object()) return Status::InvalidArgument("schema: expected an object");
  for (const auto& [key, value] : schema.items()) {
    bool known = key == "query_id" || key == "decision_threshold" || key == "positive_class" ||
                 key == "class_probabilities";
    for (FieldRole role : kRoles) known |= FieldRoleKey(role) == key;
    if (!known) {
      return Status::InvalidArgument("schema: unknown key '" + key +
                                     "'; known: features, predictions, actuals, raw, query_id, "
                                     "decision_threshold, positive_class, class_probabilities");
    }
  }
  std::set<std::string> names;
  for (FieldRole role : kRoles) {
    std::string key(FieldRoleKey(role));
    if (!schema.contains(key)) continue;
    const nlohmann::json& fields = schema[key];
    if (!fields.is_object()) {
      return Status::InvalidArgument("schema." + key + ": expected an object of name: type");
    }
    for (const auto& [name, spec] : fields.items()) {
      TELLTALE_ASSIGN_OR_RETURN(FieldSpec field, ParseField(role, name, spec));
      if (!names.insert(name).second) {
        std::string at = "schema." + key;
        at += "." + name;
        return Status::InvalidArgument(at +
                                       ": the name is used twice; field names are unique across "
                                       "features, predictions, actuals and raw");
      }
      parsed.fields_.push_back(std::move(field));
    }
  }
  if (parsed.fields_.empty()) return Status::InvalidArgument("schema: no fields");
  if (parsed.fields_.size() > kMaxFields) {
    return Status::InvalidArgument("schema: more than " + std::to_string(kMaxFields) + " fields");
  }
  if (schema.contains("query_id")) {
    TELLTALE_ASSIGN_OR_RETURN(parsed.query_field_, ParseQueryField(parsed, schema["query_id"]));
  }
  if (schema.contains("class_probabilities")) {
    TELLTALE_ASSIGN_OR_RETURN(parsed.class_probabilities_,
                              ParseClassProbabilities(parsed, schema["class_probabilities"]));
  }
  if (schema.contains("decision_threshold")) {
    const nlohmann::json& threshold = schema["decision_threshold"];
    if (!threshold.is_number() || !std::isfinite(threshold.get<double>())) {
      return Status::InvalidArgument("schema.decision_threshold: expected a number");
    }
    parsed.decision_threshold_ = threshold.get<double>();
  }
  if (schema.contains("positive_class")) {
    const nlohmann::json& positive = schema["positive_class"];
    const bool scalar = positive.is_string() || positive.is_boolean() || positive.is_number();
    std::string text = scalar ? ValueText(positive) : "";
    if (text.empty()) {
      return Status::InvalidArgument(
          "schema.positive_class: expected the positive class's label (a string, number or "
          "boolean)");
    }
    parsed.positive_class_ = std::move(text);
  }

  if (segments.is_null()) return parsed;
  if (!segments.is_array()) return Status::InvalidArgument("segments: expected a list");
  if (segments.size() > kMaxSegments) {
    return Status::InvalidArgument("segments: more than " + std::to_string(kMaxSegments));
  }
  std::set<std::string> segment_names;
  for (size_t i = 0; i < segments.size(); ++i) {
    std::string where = "segments[" + std::to_string(i) + "]";
    const nlohmann::json& segment = segments[i];
    if (!segment.is_object() || !segment.contains("name") || !segment["name"].is_string() ||
        segment["name"].get<std::string>().empty()) {
      return Status::InvalidArgument(where + ": needs a \"name\"");
    }
    Segment parsed_segment;
    parsed_segment.name = segment["name"].get<std::string>();
    if (!segment_names.insert(parsed_segment.name).second) {
      return Status::InvalidArgument(where + ": segment '" + parsed_segment.name + "' twice");
    }
    if (!segment.contains("where") || !segment["where"].is_object() || segment["where"].empty()) {
      return Status::InvalidArgument(where + ": needs \"where\", an object of field conditions");
    }
    for (const auto& [field_name, condition] : segment["where"].items()) {
      TELLTALE_ASSIGN_OR_RETURN(SegmentCondition parsed_condition,
                                ParseCondition(parsed, where + ".where", field_name, condition));
      parsed_segment.where.push_back(std::move(parsed_condition));
    }
    parsed.segments_.push_back(std::move(parsed_segment));
  }
  return parsed;
}

int VersionSchema::FindField(FieldRole role, std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].role == role && fields_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int VersionSchema::FindField(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Result<uint32_t> VersionSchema::SegmentSeries(std::string_view name) const {
  for (size_t i = 0; i < segments_.size(); ++i) {
    if (segments_[i].name == name) return static_cast<uint32_t>(i + 1);
  }
  return Status::NotFound("segment '" + std::string(name) + "' is not defined for this version");
}

nlohmann::json VersionSchema::SchemaJson() const {
  nlohmann::json schema = nlohmann::json::object();
  for (const FieldSpec& field : fields_) {
    nlohmann::json& role = schema[std::string(FieldRoleKey(field.role))];
    if (field.type == FieldType::kEmbedding) {
      role[field.name] = {{"type", "embedding"}, {"dimension", field.dimension}};
    } else {
      role[field.name] = FieldTypeName(field.type);
    }
  }
  if (query_field_ >= 0) schema["query_id"] = fields_[static_cast<size_t>(query_field_)].name;
  if (decision_threshold_) schema["decision_threshold"] = *decision_threshold_;
  if (positive_class_) schema["positive_class"] = *positive_class_;
  for (const auto& [label, field] : class_probabilities_) {
    schema["class_probabilities"][label] = fields_[static_cast<size_t>(field)].name;
  }
  return schema;
}

nlohmann::json VersionSchema::SegmentsJson() const {
  nlohmann::json segments = nlohmann::json::array();
  for (const Segment& segment : segments_) {
    nlohmann::json where = nlohmann::json::object();
    for (const SegmentCondition& condition : segment.where) {
      const std::string& name = fields_[condition.field].name;
      if (!condition.in.empty()) {
        where[name] = condition.in;
        continue;
      }
      nlohmann::json range = nlohmann::json::object();
      if (condition.gte) range["gte"] = *condition.gte;
      if (condition.gt) range["gt"] = *condition.gt;
      if (condition.lte) range["lte"] = *condition.lte;
      if (condition.lt) range["lt"] = *condition.lt;
      where[name] = range;
    }
    segments.push_back({{"name", segment.name}, {"where", where}});
  }
  return segments;
}

}  // namespace telltale
