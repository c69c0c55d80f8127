// YAML documents as JSON values, remembering the line each value came from, so that an error found
// in the JSON (by its path, "detector.above") can name the line of the YAML file.
#ifndef TELLTALE_COMMON_YAML_JSON_H_
#define TELLTALE_COMMON_YAML_JSON_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "telltale/result.h"

namespace YAML {
class Node;
}

namespace telltale {

// Path ("monitors[2].detector.above", "" for the root) -> 1-based line.
using YamlLines = std::map<std::string, int>;

// Plain scalars become booleans, numbers or null where YAML 1.2 reads them so; quoted ones stay
// strings. `prefix` starts the paths recorded in `lines`.
nlohmann::json YamlToJson(const YAML::Node& node, YamlLines* lines = nullptr,
                          const std::string& prefix = "");

// Every document of a YAML file (or text, for `path` "-" read from `text`); InvalidArgument names
// the file and line of a syntax error.
Result<std::vector<nlohmann::json>> ReadYamlDocuments(const std::string& path,
                                                      std::vector<YamlLines>* lines);

// The line of `path` or, failing that, of its nearest recorded parent.
int LineOf(const YamlLines& lines, std::string path);

}  // namespace telltale

#endif  // TELLTALE_COMMON_YAML_JSON_H_
