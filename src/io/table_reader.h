// ReadTable: opens a data file by its format: CSV, or NDJSON for .ndjson/.jsonl/.json names
// (each optionally .gz). Other names are sniffed: a first non-blank byte of '{' means NDJSON.
#ifndef TELLTALE_IO_TABLE_READER_H_
#define TELLTALE_IO_TABLE_READER_H_

#include <string>

#include "io/csv_reader.h"
#include "io/table.h"
#include "telltale/result.h"

namespace telltale {

enum class InputFormat { kAuto, kCsv, kNdjson };

struct ReadOptions {
  InputFormat format = InputFormat::kAuto;
  CsvOptions csv;
  // Counts the bytes read, for a progress display (optional).
  ReadProgress* progress = nullptr;
};

Result<Table> ReadTable(const std::string& path, const ReadOptions& options = {});

}  // namespace telltale

#endif  // TELLTALE_IO_TABLE_READER_H_
