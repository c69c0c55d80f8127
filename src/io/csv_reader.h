// CSV reading (RFC 4180): a header row, quoted fields with embedded delimiters, newlines and
// doubled quotes, LF or CRLF line ends, blank lines skipped. Cells are typed as pandas types them
// (see table.h). Input is parsed as it streams in, so memory holds the columns, not the file.
//
// Errors name the file and line: empty file, header without rows, a row with the wrong number of
// fields, an unterminated quote, text after a closing quote, invalid UTF-8, duplicate header names.
#ifndef TELLTALE_IO_CSV_READER_H_
#define TELLTALE_IO_CSV_READER_H_

#include <string>
#include <string_view>

#include "io/read_progress.h"
#include "io/table.h"
#include "telltale/result.h"

namespace telltale {

struct CsvOptions {
  // The field separator.
  char delimiter = ',';
  // A record (row) longer than this is refused, so an unterminated quote cannot exhaust memory.
  size_t max_record_bytes = size_t{256} << 20;
  // How much is read from the file at a time.
  size_t chunk_bytes = size_t{4} << 20;
  // Threads splitting rows without quotes into fields (a piece of the chunk each) and converting
  // cells into columns (columns in parallel); 0 means all cores, 1 does both on the caller's
  // thread.
  unsigned threads = 0;
};

// Reads a CSV file, plain or gzip-compressed.
Result<Table> ReadCsvFile(const std::string& path, const CsvOptions& options = {},
                          ReadProgress* progress = nullptr);
// Parses CSV text held in memory; `source` names it in errors.
Result<Table> ParseCsv(std::string_view text, const std::string& source,
                       const CsvOptions& options = {});

}  // namespace telltale

#endif  // TELLTALE_IO_CSV_READER_H_
