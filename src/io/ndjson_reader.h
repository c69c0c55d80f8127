// NDJSON reading: one JSON object per line, blank lines skipped. Fields may come in any order and
// be absent (null); a field first seen late is null in earlier rows. JSON types map to storage
// directly: numbers (integers stay integral), strings, booleans, null; a nested object or array is
// kept as its JSON text. Errors name the file and line.
#ifndef TELLTALE_IO_NDJSON_READER_H_
#define TELLTALE_IO_NDJSON_READER_H_

#include <string>
#include <string_view>

#include "io/read_progress.h"
#include "io/table.h"
#include "telltale/result.h"

namespace telltale {

// Reads an NDJSON file, plain or gzip-compressed.
Result<Table> ReadNdjsonFile(const std::string& path, ReadProgress* progress = nullptr);
// Parses NDJSON text held in memory; `source` names it in errors.
Result<Table> ParseNdjson(std::string_view text, const std::string& source);

}  // namespace telltale

#endif  // TELLTALE_IO_NDJSON_READER_H_
