#include "io/table_reader.h"

#include <memory>

#include "io/input_stream.h"
#include "io/ndjson_reader.h"

namespace telltale {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

Result<InputFormat> DetectFormat(const std::string& path) {
  std::string_view name = path;
  if (EndsWith(name, ".gz")) name.remove_suffix(3);
  if (EndsWith(name, ".ndjson") || EndsWith(name, ".jsonl") || EndsWith(name, ".json")) {
    return InputFormat::kNdjson;
  }
  if (EndsWith(name, ".csv") || EndsWith(name, ".tsv") || EndsWith(name, ".txt")) {
    return InputFormat::kCsv;
  }
  TELLTALE_ASSIGN_OR_RETURN(std::unique_ptr<InputStream> input, InputStream::Open(path));
  std::string head;
  TELLTALE_ASSIGN_OR_RETURN(size_t read, input->ReadInto(head, 4096));
  size_t first = head.find_first_not_of(" \t\r\n");
  (void)read;
  return first != std::string::npos && head[first] == '{' ? InputFormat::kNdjson
                                                          : InputFormat::kCsv;
}

}  // namespace

Result<Table> ReadTable(const std::string& path, const ReadOptions& options) {
  InputFormat format = options.format;
  if (format == InputFormat::kAuto) {
    TELLTALE_ASSIGN_OR_RETURN(format, DetectFormat(path));
  }
  CsvOptions csv = options.csv;
  if (format == InputFormat::kCsv && EndsWith(path, ".tsv") && csv.delimiter == ',')
    csv.delimiter = '\t';
  return format == InputFormat::kNdjson ? ReadNdjsonFile(path, options.progress)
                                        : ReadCsvFile(path, csv, options.progress);
}

}  // namespace telltale
