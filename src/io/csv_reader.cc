#include "io/csv_reader.h"

#include <simdjson.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <unordered_set>
#include <vector>

#include "common/parallel.h"
#include "io/column_builder.h"
#include "io/input_stream.h"

namespace telltale {
namespace {

static_assert(std::endian::native == std::endian::little, "FindFieldEnd reads words little-endian");

// The index of the first `delimiter` or newline at or after `from`, or `size`; eight bytes at a
// time.
size_t FindFieldEnd(const char* data, size_t from, size_t size, char delimiter) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  const uint64_t delimiters = kOnes * static_cast<uint8_t>(delimiter);
  const uint64_t newlines = kOnes * static_cast<uint8_t>('\n');
  size_t i = from;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    // A byte of x or y is zero where the word holds a delimiter or newline; the lowest flagged
    // byte is exact (borrows only flag bytes above a real match).
    const uint64_t x = word ^ delimiters;
    const uint64_t y = word ^ newlines;
    const uint64_t found = ((x - kOnes) & ~x & kHighBits) | ((y - kOnes) & ~y & kHighBits);
    if (found != 0) return i + static_cast<size_t>(std::countr_zero(found) >> 3);
  }
  for (; i < size; ++i) {
    if (data[i] == delimiter || data[i] == '\n') return i;
  }
  return size;
}

// Below this many cells a batch is converted on the calling thread.
constexpr size_t kMinParallelCells = 1 << 16;

// Streaming parser: Feed() consumes complete records and keeps a partial one for the next chunk.
class CsvParser {
 public:
  // `expected_bytes`: the input's size when known (0 if not), to size the columns up front.
  CsvParser(std::string source, const CsvOptions& options, uint64_t expected_bytes = 0)
      : source_(std::move(source)), options_(options), expected_bytes_(expected_bytes) {}

  Status Feed(std::string_view chunk) {
    pending_.append(chunk);
    TELLTALE_ASSIGN_OR_RETURN(size_t consumed, ParseRecords(/*at_end=*/false));
    pending_.erase(0, consumed);
    if (pending_.size() > options_.max_record_bytes) {
      return Error(line_, "a row is longer than " +
                              std::to_string(options_.max_record_bytes >> 20) +
                              " MiB; is a quote left open?");
    }
    return Status::Ok();
  }

  Result<Table> Finish() {
    TELLTALE_ASSIGN_OR_RETURN(size_t consumed, ParseRecords(/*at_end=*/true));
    (void)consumed;
    if (!saw_any_byte_) return Status::InvalidArgument(source_ + ": the file is empty");
    if (!header_done_) return Status::InvalidArgument(source_ + ": no header row");
    if (rows_ == 0) {
      return Status::InvalidArgument(source_ + ": has a header but no data rows");
    }
    Table table;
    table.source = source_;
    table.rows = rows_;
    for (ColumnBuilder& builder : builders_) table.columns.push_back(std::move(builder).Finish());
    return table;
  }

 private:
  Status Error(size_t line, const std::string& message) const {
    return Status::InvalidArgument(source_ + ":" + std::to_string(line) + ": " + message);
  }

  // Parses the complete records at the start of pending_; returns the bytes they span.
  Result<size_t> ParseRecords(bool at_end) {
    const size_t first_line = line_;
    TELLTALE_ASSIGN_OR_RETURN(size_t consumed, ParseCompleteRecords(at_end));
    if (!reserved_ && !batch_.empty()) ReserveFromFirstRows(consumed);
    // Validated once for the whole span: cheaper than per record.
    TELLTALE_RETURN_IF_ERROR(ValidateUtf8(pending_.data(), consumed, first_line));
    AppendBatch();
    return consumed;
  }

  Result<size_t> ParseCompleteRecords(bool at_end) {
    const char* data = pending_.data();
    const size_t size = pending_.size();
    if (size > 0) saw_any_byte_ = true;
    size_t position = 0;
    while (position < size) {
      size_t record_start = position;
      size_t newlines = 0;
      fields_.clear();
      bool complete = false;
      bool incomplete = false;
      while (true) {
        if (position < size && data[position] == '"') {
          size_t quote_line = line_ + newlines;
          size_t scan = position + 1;
          bool escaped = false;
          size_t close = std::string::npos;
          while (scan < size) {
            const void* found = std::memchr(data + scan, '"', size - scan);
            if (found == nullptr) break;
            size_t at = static_cast<size_t>(static_cast<const char*>(found) - data);
            if (at + 1 < size && data[at + 1] == '"') {
              escaped = true;
              scan = at + 2;
              continue;
            }
            if (at + 1 == size && !at_end) break;  // might be the first of a doubled quote
            close = at;
            break;
          }
          if (close == std::string::npos) {
            if (at_end) return Error(quote_line, "unterminated quote");
            incomplete = true;
            break;
          }
          std::string_view content(data + position + 1, close - position - 1);
          for (char c : content) newlines += c == '\n';
          if (escaped) {
            std::string& text = unescaped_.emplace_back();
            text.reserve(content.size());
            for (size_t i = 0; i < content.size(); ++i) {
              text.push_back(content[i]);
              if (content[i] == '"') ++i;  // skip the second quote of a pair
            }
            content = text;
          }
          fields_.push_back(content);
          position = close + 1;
          if (position < size && data[position] != options_.delimiter && data[position] != '\n' &&
              data[position] != '\r') {
            return Error(line_ + newlines, "unexpected text after a closing quote in field " +
                                               std::to_string(fields_.size()));
          }
        } else {
          size_t end = FindFieldEnd(data, position, size, options_.delimiter);
          if (end == size && !at_end) {
            incomplete = true;
            break;
          }
          size_t field_end = end;
          if (field_end > position && data[field_end - 1] == '\r' &&
              (end == size || data[end] == '\n')) {
            --field_end;
          }
          fields_.emplace_back(data + position, field_end - position);
          position = end;
        }
        if (position >= size) {
          if (!at_end) {
            incomplete = true;
            break;
          }
          complete = true;
          break;
        }
        char c = data[position];
        if (c == options_.delimiter) {
          ++position;
          if (position == size && at_end) {
            fields_.emplace_back();  // a trailing delimiter ends with an empty field
            complete = true;
            break;
          }
          continue;
        }
        if (c == '\r') {
          ++position;
          if (position == size && !at_end) {
            incomplete = true;
            break;
          }
          if (position < size && data[position] == '\n') ++position;
        } else {
          ++position;  // '\n'
        }
        ++newlines;
        complete = true;
        break;
      }
      if (incomplete) {
        position = record_start;
        break;
      }
      if (!complete) break;
      bool blank = data[record_start] == '\n' || data[record_start] == '\r';
      TELLTALE_RETURN_IF_ERROR(CommitRecord(blank));
      line_ += newlines == 0 ? 1 : newlines;
    }
    return position;
  }

  // `bytes` start at line `line`.
  Status ValidateUtf8(const char* bytes, size_t length, size_t line) const {
    if (simdjson::validate_utf8(bytes, length)) return Status::Ok();
    // Find the line for the message.
    size_t start = 0;
    for (size_t i = 0; i <= length; ++i) {
      if (i == length || bytes[i] == '\n') {
        if (!simdjson::validate_utf8(bytes + start, i - start)) break;
        ++line;
        start = i + 1;
      }
    }
    return Error(line, "invalid UTF-8");
  }

  // `blank`: the line had no characters at all; pandas skips such lines.
  Status CommitRecord(bool blank) {
    if (blank) return Status::Ok();
    if (!header_done_) {
      std::unordered_set<std::string> seen;
      for (size_t i = 0; i < fields_.size(); ++i) {
        std::string name(fields_[i]);
        if (name.empty()) name = "Unnamed: " + std::to_string(i);
        if (!seen.insert(name).second) {
          return Error(line_, "the header names column '" + name + "' twice");
        }
        builders_.emplace_back(std::move(name));
      }
      header_done_ = true;
      return Status::Ok();
    }
    if (fields_.size() != builders_.size()) {
      return Error(line_, "row has " + std::to_string(fields_.size()) + " fields, the header has " +
                              std::to_string(builders_.size()));
    }
    batch_.insert(batch_.end(), fields_.begin(), fields_.end());
    ++rows_;
    return Status::Ok();
  }

  size_t BatchRows() const { return builders_.empty() ? 0 : batch_.size() / builders_.size(); }

  // After the first rows: the file size over their average length, with 5% to spare.
  void ReserveFromFirstRows(size_t consumed) {
    reserved_ = true;
    if (expected_bytes_ == 0 || consumed == 0) return;
    const double bytes_per_row = static_cast<double>(consumed) / static_cast<double>(BatchRows());
    const auto rows =
        static_cast<size_t>(static_cast<double>(expected_bytes_) / bytes_per_row * 1.05);
    for (ColumnBuilder& builder : builders_) builder.Reserve(rows);
  }

  // Converts the batched rows' cells into their columns, columns in parallel when the batch is
  // large enough to pay for the threads.
  void AppendBatch() {
    const size_t columns = builders_.size();
    const size_t rows = BatchRows();
    auto append_column = [this, columns, rows](size_t column) {
      ColumnBuilder& builder = builders_[column];
      for (size_t row = 0; row < rows; ++row) builder.AppendText(batch_[row * columns + column]);
    };
    const unsigned threads = batch_.size() < kMinParallelCells ? 1
                             : options_.threads > 0            ? options_.threads
                                                               : DefaultThreads();
    ParallelFor(columns, threads, append_column);
    batch_.clear();
    unescaped_.clear();
  }

  std::string source_;
  CsvOptions options_;
  uint64_t expected_bytes_ = 0;
  bool reserved_ = false;
  std::string pending_;
  std::vector<std::string_view> fields_;
  // Cells of the rows parsed but not yet appended, row by row; views into pending_ or unescaped_.
  std::vector<std::string_view> batch_;
  std::deque<std::string> unescaped_;  // deque: views into earlier elements stay valid
  std::vector<ColumnBuilder> builders_;
  size_t line_ = 1;
  size_t rows_ = 0;
  bool header_done_ = false;
  bool saw_any_byte_ = false;
};

}  // namespace

Result<Table> ReadCsvFile(const std::string& path, const CsvOptions& options,
                          ReadProgress* progress) {
  TELLTALE_ASSIGN_OR_RETURN(std::unique_ptr<InputStream> input, InputStream::Open(path, progress));
  CsvParser parser(path, options, input->UncompressedSize());
  std::string chunk;
  while (true) {
    chunk.clear();
    TELLTALE_ASSIGN_OR_RETURN(size_t read,
                              input->ReadInto(chunk, std::max<size_t>(options.chunk_bytes, 1)));
    if (read == 0) break;
    TELLTALE_RETURN_IF_ERROR(parser.Feed(chunk));
  }
  return parser.Finish();
}

Result<Table> ParseCsv(std::string_view text, const std::string& source,
                       const CsvOptions& options) {
  CsvParser parser(source, options);
  TELLTALE_RETURN_IF_ERROR(parser.Feed(text));
  return parser.Finish();
}

}  // namespace telltale
