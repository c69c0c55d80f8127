#include "common/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>

namespace telltale {
namespace {

using nlohmann::json;

json Scalar(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  int64_t integer = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), integer);
  if (error == std::errc() && end == text.data() + text.size()) return integer;
  double number = 0;
  auto [real_end, real_error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (real_error == std::errc() && real_end == text.data() + text.size() && std::isfinite(number)) {
    return number;
  }
  return text;
}

}  // namespace

json YamlToJson(const YAML::Node& node, YamlLines* lines, const std::string& prefix) {
  if (lines != nullptr) (*lines)[prefix] = node.Mark().line + 1;
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return Scalar(node);
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (size_t i = 0; i < node.size(); ++i) {
        out.push_back(YamlToJson(node[i], lines, prefix + "[" + std::to_string(i) + "]"));
      }
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& entry : node) {
        std::string key = entry.first.as<std::string>();
        std::string path = prefix;
        if (!path.empty()) path += '.';
        path += key;
        if (lines != nullptr) (*lines)[path] = entry.first.Mark().line + 1;
        out[key] = YamlToJson(entry.second, lines, path);
        if (lines != nullptr) (*lines)[path] = entry.first.Mark().line + 1;
      }
      return out;
    }
  }
  return nullptr;
}

Result<std::vector<json>> ReadYamlDocuments(const std::string& path,
                                            std::vector<YamlLines>* lines) {
  try {
    std::vector<YAML::Node> documents = YAML::LoadAllFromFile(path);
    std::vector<json> out;
    for (const YAML::Node& document : documents) {
      YamlLines document_lines;
      out.push_back(YamlToJson(document, &document_lines));
      if (lines != nullptr) lines->push_back(std::move(document_lines));
    }
    return out;
  } catch (const YAML::BadFile&) {
    return Status::NotFound("cannot read " + path);
  } catch (const YAML::Exception& error) {
    return Status::InvalidArgument(path + ":" + std::to_string(error.mark.line + 1) + ": " +
                                   error.msg);
  }
}

int LineOf(const YamlLines& lines, std::string path) {
  while (true) {
    if (auto it = lines.find(path); it != lines.end()) return it->second;
    if (path.empty()) return 0;
    size_t cut = path.find_last_of(".[");
    path = cut == std::string::npos ? "" : path.substr(0, cut);
  }
}

}  // namespace telltale
