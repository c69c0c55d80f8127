#include "monitor/monitors_file.h"

#include <fmt/format.h>

#include "monitor/monitor_spec.h"
#include "notify/channel_spec.h"

namespace telltale {
namespace {

using nlohmann::json;

std::string Join(const std::string& prefix, const std::string& field) {
  if (prefix.empty()) return field;
  if (field.empty()) return prefix;
  return prefix + "." + field;
}

}  // namespace

std::string MonitorsFile::Locate(const FileEntry& entry, const std::string& field,
                                 const std::string& message) const {
  std::string path = Join(entry.path, field);
  int line = LineOf(lines[static_cast<size_t>(entry.document)], path);
  return fmt::format("{}:{}: {}{}", file, line, path.empty() ? "" : path + ": ", message);
}

Result<MonitorsFile> ReadMonitorsFile(const std::string& file) {
  MonitorsFile out;
  out.file = file;
  TELLTALE_ASSIGN_OR_RETURN(std::vector<json> documents, ReadYamlDocuments(file, &out.lines));
  for (size_t index = 0; index < documents.size(); ++index) {
    const json& document = documents[index];
    const int number = static_cast<int>(index);
    const YamlLines& lines = out.lines[index];
    if (document.is_null()) continue;
    if (!document.is_object()) {
      return Status::InvalidArgument(
          fmt::format("{}:{}: a document is a monitor or has monitors: and channels: lists", file,
                      LineOf(lines, "")));
    }
    if (document.contains("type") && !document.contains("monitors")) {
      out.monitors.push_back({document, "", number, LineOf(lines, "")});
      continue;
    }
    for (const auto& [key, value] : document.items()) {
      if (key != "monitors" && key != "channels") {
        return Status::InvalidArgument(
            fmt::format("{}:{}: {}: not a list telltale applies (monitors, channels)", file,
                        LineOf(lines, key), key));
      }
      if (!value.is_array()) {
        return Status::InvalidArgument(
            fmt::format("{}:{}: {}: must be a list", file, LineOf(lines, key), key));
      }
      for (size_t i = 0; i < value.size(); ++i) {
        std::string path = fmt::format("{}[{}]", key, i);
        auto& list = key == "monitors" ? out.monitors : out.channels;
        list.push_back({value[i], path, number, LineOf(lines, path)});
      }
    }
  }
  // Validate everything before anything is applied.
  for (const FileEntry& entry : out.monitors) {
    auto parsed = ParseMonitorSpec(entry.definition);
    if (const SpecError* error = std::get_if<SpecError>(&parsed)) {
      return Status::InvalidArgument(out.Locate(entry, error->path, error->message));
    }
  }
  for (const FileEntry& entry : out.channels) {
    auto parsed = ParseChannelSpec(entry.definition);
    if (const SpecError* error = std::get_if<SpecError>(&parsed)) {
      return Status::InvalidArgument(out.Locate(entry, error->path, error->message));
    }
  }
  return out;
}

}  // namespace telltale
