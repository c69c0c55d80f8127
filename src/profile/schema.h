// Schema: what the user says about columns, overriding inference. Read from a JSON or YAML file:
//
//   columns:            # column -> numerical | categorical | text
//     age: numerical
//     zip: categorical
//   target: churned     # optional; marks the column's role in reports
//   prediction: score   # optional; a name or a list of names
//
// Evidently-style lists are accepted too: numerical_columns, categorical_columns, text_columns.
#ifndef TELLTALE_PROFILE_SCHEMA_H_
#define TELLTALE_PROFILE_SCHEMA_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "profile/column_type.h"
#include "telltale/result.h"

namespace telltale {

struct Schema {
  std::map<std::string, ColumnType> types;
  std::optional<std::string> target;
  std::vector<std::string> predictions;

  std::optional<ColumnType> TypeOf(const std::string& column) const {
    auto found = types.find(column);
    if (found == types.end()) return std::nullopt;
    return found->second;
  }
  // "target", "prediction" or "feature".
  std::string RoleOf(const std::string& column) const {
    if (target && *target == column) return "target";
    for (const std::string& prediction : predictions) {
      if (prediction == column) return "prediction";
    }
    return "feature";
  }
};

Result<Schema> LoadSchema(const std::string& path);
// Parses schema text; `source` names it in errors.
Result<Schema> ParseSchema(const std::string& text, const std::string& source);

}  // namespace telltale

#endif  // TELLTALE_PROFILE_SCHEMA_H_
