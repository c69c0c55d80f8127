// Monitors as code: a YAML file of monitors (and the channels they notify), as `telltale apply`
// reads it. Either one monitor per YAML document, or documents with `monitors:` and `channels:`
// lists. Every entry is validated before anything is sent, and an error names the file, the line
// and the field ("monitors.yaml:14: monitors[1].detector.above: must be a number").
#ifndef TELLTALE_MONITOR_MONITORS_FILE_H_
#define TELLTALE_MONITOR_MONITORS_FILE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/yaml_json.h"
#include "telltale/result.h"

namespace telltale {

struct FileEntry {
  nlohmann::json definition;  // as written (the server normalizes it)
  std::string path;           // where it sits in its document: "monitors[1]", "" for a document
  int document = 0;
  int line = 0;
};

struct MonitorsFile {
  std::string file;
  std::vector<FileEntry> monitors;
  std::vector<FileEntry> channels;
  std::vector<YamlLines> lines;  // per document

  // "FILE:LINE: PATH.FIELD: message" for a problem the server reported on `entry`'s `field`.
  std::string Locate(const FileEntry& entry, const std::string& field,
                     const std::string& message) const;
};

// InvalidArgument names the file, line and field of the first invalid entry.
Result<MonitorsFile> ReadMonitorsFile(const std::string& file);

}  // namespace telltale

#endif  // TELLTALE_MONITOR_MONITORS_FILE_H_
