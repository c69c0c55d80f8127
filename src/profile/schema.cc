#include "profile/schema.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace telltale {
namespace {

Status SchemaError(const std::string& source, const YAML::Node& node, const std::string& message) {
  std::string where = source;
  if (node.IsDefined() && node.Mark().line >= 0)
    where += ":" + std::to_string(node.Mark().line + 1);
  return Status::InvalidArgument(where + ": " + message);
}

Result<std::vector<std::string>> NameList(const std::string& source, const YAML::Node& node,
                                          const std::string& key) {
  std::vector<std::string> names;
  if (node.IsScalar()) {
    names.push_back(node.as<std::string>());
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (!item.IsScalar())
        return SchemaError(source, item, "'" + key + "' must list column names");
      names.push_back(item.as<std::string>());
    }
  } else {
    return SchemaError(source, node, "'" + key + "' must be a column name or a list of them");
  }
  return names;
}

}  // namespace

Result<Schema> ParseSchema(const std::string& text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    return Status::InvalidArgument(source + ":" + std::to_string(error.mark.line + 1) + ": " +
                                   error.msg);
  }
  if (!root.IsMap()) return SchemaError(source, root, "a schema must be a mapping");
  Schema schema;
  for (const auto& entry : root) {
    std::string key = entry.first.as<std::string>();
    const YAML::Node& value = entry.second;
    if (key == "columns") {
      if (!value.IsMap())
        return SchemaError(source, value, "'columns' must map column names to types");
      for (const auto& column : value) {
        std::string type_name = column.second.IsScalar() ? column.second.as<std::string>() : "";
        std::optional<ColumnType> type = ParseColumnType(type_name);
        if (!type) {
          return SchemaError(source, column.second,
                             "column '" + column.first.as<std::string>() + "' has type '" +
                                 type_name + "'; expected numerical, categorical or text");
        }
        schema.types[column.first.as<std::string>()] = *type;
      }
    } else if (key == "numerical_columns" || key == "categorical_columns" ||
               key == "text_columns") {
      TELLTALE_ASSIGN_OR_RETURN(std::vector<std::string> names, NameList(source, value, key));
      ColumnType type = *ParseColumnType(key.substr(0, key.find('_')));
      for (const std::string& name : names) schema.types[name] = type;
    } else if (key == "target") {
      if (!value.IsScalar()) return SchemaError(source, value, "'target' must be one column name");
      schema.target = value.as<std::string>();
    } else if (key == "prediction" || key == "predictions") {
      TELLTALE_ASSIGN_OR_RETURN(schema.predictions, NameList(source, value, key));
    } else {
      return SchemaError(source, entry.first,
                         "unknown key '" + key +
                             "'; expected columns, target, prediction, numerical_columns, "
                             "categorical_columns or text_columns");
    }
  }
  return schema;
}

Result<Schema> LoadSchema(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Status::NotFound(path + ": no such file");
  std::stringstream text;
  text << file.rdbuf();
  return ParseSchema(text.str(), path);
}

}  // namespace telltale
