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
#include "io/separator_mask.h"

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
// Rows are split into fields on several threads only in pieces of this many bytes or more.
constexpr size_t kMinParallelBytes = size_t{512} << 10;

// Streaming parser: Parse() consumes the complete records at the start of its text; the caller
// gives the rest again, with the next chunk after it. The text is parsed where it lies, not copied.
class CsvParser {
 public:
  // `expected_bytes`: the input's size when known (0 if not), to size the columns up front.
  CsvParser(std::string source, const CsvOptions& options, uint64_t expected_bytes = 0)
      : source_(std::move(source)), options_(options), expected_bytes_(expected_bytes) {}

  // Returns the bytes of `text` parsed: all of them when `at_end` (the input ends with `text`).
  Result<size_t> Parse(std::string_view text, bool at_end) {
    input_ = text;
    TELLTALE_ASSIGN_OR_RETURN(size_t consumed, ParseRecords(at_end));
    input_ = {};
    if (text.size() - consumed > options_.max_record_bytes) {
      return Error(line_, "a row is longer than " +
                              std::to_string(options_.max_record_bytes >> 20) +
                              " MiB; is a quote left open?");
    }
    return consumed;
  }

  // After the last Parse(), the one `at_end`.
  Result<Table> Finish() {
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

  // Parses the complete records at the start of input_; returns the bytes they span. The header
  // is parsed alone; a large span of rows without any quote character is split at newlines into
  // one piece per thread, each parsed on its own thread.
  Result<size_t> ParseRecords(bool at_end) {
    size_t consumed = 0;
    if (!header_done_) {
      TELLTALE_ASSIGN_OR_RETURN(consumed, ParseSerially(0, at_end, /*header_only=*/true));
      if (!header_done_) return consumed;
    }
    const unsigned threads = options_.threads > 0 ? options_.threads : DefaultThreads();
    size_t end = input_.size();
    if (!at_end) {
      const void* last_newline = memrchr(input_.data() + consumed, '\n', end - consumed);
      end = last_newline == nullptr
                ? consumed
                : static_cast<size_t>(static_cast<const char*>(last_newline) - input_.data()) + 1;
    }
    const bool quote_free = std::memchr(input_.data() + consumed, '"', end - consumed) == nullptr;
    // Each thread gets a piece of at least kMinParallelBytes.
    const auto pieces =
        static_cast<unsigned>(std::min<size_t>(threads, (end - consumed) / kMinParallelBytes));
    if (pieces > 1 && quote_free) {
      return ParseInParallel(consumed, end, at_end && end == input_.size(), pieces);
    }
    return ParseSerially(consumed, at_end, /*header_only=*/false);
  }

  // Parses the complete records of input_ from `from` on one thread; returns where they end.
  Result<size_t> ParseSerially(size_t from, bool at_end, bool header_only) {
    const size_t first_line = line_;
    pieces_.resize(1);  // records are committed into the one piece
    TELLTALE_ASSIGN_OR_RETURN(size_t consumed, ParseCompleteRecords(from, at_end, header_only));
    if (!reserved_ && !pieces_[0].empty()) ReserveFromFirstRows(consumed - from, BatchRows());
    // Validated once for the whole span: cheaper than per record.
    TELLTALE_RETURN_IF_ERROR(ValidateUtf8(input_.data() + from, consumed - from, first_line));
    AppendBatch();
    return consumed;
  }

  // Parses input_[from, end), which holds no quote and ends just after a newline (or is the
  // input's end when `input_end`), in one piece per thread; returns `end`. Errors are those the
  // serial parse reports: the first wrong field count, then the first invalid UTF-8.
  Result<size_t> ParseInParallel(size_t from, size_t end, bool input_end, unsigned threads) {
    const char* data = input_.data();
    std::vector<size_t> bounds = {from};
    for (unsigned piece = 1; piece < threads; ++piece) {
      size_t target = std::max(bounds.back(), from + (end - from) / threads * piece);
      const void* newline = std::memchr(data + target, '\n', end - target);
      bounds.push_back(newline == nullptr
                           ? end
                           : static_cast<size_t>(static_cast<const char*>(newline) - data) + 1);
    }
    bounds.push_back(end);
    const size_t count = bounds.size() - 1;
    pieces_.resize(count);
    std::vector<PieceSummary> summaries(count);
    ParallelFor(count, threads, [&](size_t piece) {
      summaries[piece] = SplitQuoteFree(bounds[piece], bounds[piece + 1], pieces_[piece]);
    });
    size_t line = line_;
    for (const PieceSummary& summary : summaries) {
      if (summary.wrong_fields) {
        return FieldCountError(line + summary.wrong_fields_line, summary.wrong_fields_count);
      }
      line += summary.newlines;
    }
    line = line_;
    for (size_t piece = 0; piece < count; ++piece) {
      if (!summaries[piece].utf8_valid) {
        return ValidateUtf8(data + bounds[piece], bounds[piece + 1] - bounds[piece], line);
      }
      line += summaries[piece].newlines;
      rows_ += summaries[piece].rows;
    }
    // A last record without a newline still counts as a line, as in the serial parse.
    line_ = line + (input_end && end > from && data[end - 1] != '\n' ? 1 : 0);
    if (!reserved_ && BatchRows() > 0) ReserveFromFirstRows(end - from, BatchRows());
    AppendBatch();
    return end;
  }

  struct PieceSummary {
    size_t rows = 0;
    size_t newlines = 0;
    bool utf8_valid = true;
    bool wrong_fields = false;
    size_t wrong_fields_line = 0;  // the piece's newlines before the record with wrong_fields_count
    size_t wrong_fields_count = 0;
  };

  // Splits the records of input_[begin, end) into `cells`, row by row, as the serial parse does
  // when there are no quotes: fields end at the delimiter or newline, a carriage return before a
  // newline is dropped, a line starting with a line end is skipped as blank, and a delimiter ending
  // the input ends with an empty field. `end` is just after a newline or the input's end.
  PieceSummary SplitQuoteFree(size_t begin, size_t end,
                              std::vector<std::string_view>& cells) const {
    const char* data = input_.data();
    const size_t columns = builders_.size();
    PieceSummary summary;
    summary.utf8_valid = simdjson::validate_utf8(data + begin, end - begin);
    cells.clear();
    size_t record_start = begin;
    size_t record_cells = 0;
    size_t field_start = begin;
    // Ends the record whose last field ends at `field_end`; false on a wrong field count.
    auto end_record = [&](size_t field_end) {
      size_t text_end = field_end;
      if (text_end > field_start && data[text_end - 1] == '\r') --text_end;
      cells.emplace_back(data + field_start, text_end - field_start);
      const size_t fields = cells.size() - record_cells;
      if (data[record_start] == '\n' || data[record_start] == '\r') {
        cells.resize(record_cells);  // blank
      } else if (fields != columns) {
        summary.wrong_fields = true;
        summary.wrong_fields_line = summary.newlines;
        summary.wrong_fields_count = fields;
        return false;
      } else {
        ++summary.rows;
      }
      record_start = field_end + 1;
      record_cells = cells.size();
      return true;
    };
    for (size_t block = begin; block < end; block += 64) {
      uint64_t separators =
          SeparatorMask(data + block, std::min<size_t>(64, end - block), options_.delimiter);
      while (separators != 0) {
        const size_t at = block + static_cast<size_t>(std::countr_zero(separators));
        separators &= separators - 1;
        if (data[at] == '\n') {
          if (!end_record(at)) return summary;
          ++summary.newlines;
        } else {
          cells.emplace_back(data + field_start, at - field_start);
        }
        field_start = at + 1;
      }
    }
    // The input's end without a newline ends the last record; after a delimiter, with an empty
    // field.
    if (record_start < end) end_record(end);
    return summary;
  }

  // The records from `from` on, one by one; with `header_only`, stops after the header.
  Result<size_t> ParseCompleteRecords(size_t from, bool at_end, bool header_only) {
    const char* data = input_.data();
    const size_t size = input_.size();
    if (size > 0) saw_any_byte_ = true;
    size_t position = from;
    while (position < size && !(header_only && header_done_)) {
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
    if (fields_.size() != builders_.size()) return FieldCountError(line_, fields_.size());
    pieces_[0].insert(pieces_[0].end(), fields_.begin(), fields_.end());
    ++rows_;
    return Status::Ok();
  }

  Status FieldCountError(size_t line, size_t fields) const {
    return Error(line, "row has " + std::to_string(fields) + " fields, the header has " +
                           std::to_string(builders_.size()));
  }

  // Rows parsed but not yet appended.
  size_t BatchRows() const {
    size_t cells = 0;
    for (const std::vector<std::string_view>& piece : pieces_) cells += piece.size();
    return builders_.empty() ? 0 : cells / builders_.size();
  }

  // After the first rows, spanning `bytes`: the file size over their average length, with 5% to
  // spare.
  void ReserveFromFirstRows(size_t bytes, size_t rows) {
    reserved_ = true;
    if (expected_bytes_ == 0 || bytes == 0 || rows == 0) return;
    const double bytes_per_row = static_cast<double>(bytes) / static_cast<double>(rows);
    const auto expected_rows =
        static_cast<size_t>(static_cast<double>(expected_bytes_) / bytes_per_row * 1.05);
    for (ColumnBuilder& builder : builders_) builder.Reserve(expected_rows);
  }

  // Converts the batched rows' cells into their columns, columns in parallel when the batch is
  // large enough to pay for the threads.
  void AppendBatch() {
    const size_t columns = builders_.size();
    auto append_column = [this, columns](size_t column) {
      ColumnBuilder& builder = builders_[column];
      for (const std::vector<std::string_view>& cells : pieces_) {
        for (size_t at = column; at < cells.size(); at += columns) builder.AppendText(cells[at]);
      }
    };
    const unsigned threads = BatchRows() * columns < kMinParallelCells ? 1
                             : options_.threads > 0                    ? options_.threads
                                                                       : DefaultThreads();
    ParallelFor(columns, threads, append_column);
    for (std::vector<std::string_view>& cells : pieces_) cells.clear();
    unescaped_.clear();
  }

  std::string source_;
  CsvOptions options_;
  uint64_t expected_bytes_ = 0;
  bool reserved_ = false;
  std::string_view input_;  // the text of the current Parse()
  std::vector<std::string_view> fields_;
  // Cells of the rows parsed but not yet appended, row by row, in pieces (one per thread that
  // parsed them, in input order); views into input_ or unescaped_.
  std::vector<std::vector<std::string_view>> pieces_;
  std::deque<std::string> unescaped_;  // deque: views into earlier elements stay valid
  std::vector<ColumnBuilder> builders_;
  size_t line_ = 1;
  size_t rows_ = 0;
  bool header_done_ = false;
  bool saw_any_byte_ = false;
};

// A delimiter that is also a quote or a line end would make rows ambiguous.
Status CheckDelimiter(const CsvOptions& options) {
  if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r') {
    return Status::InvalidArgument(
        "the CSV delimiter cannot be a double quote or a line end; use , ; | or a tab");
  }
  return Status::Ok();
}

}  // namespace

Result<Table> ReadCsvFile(const std::string& path, const CsvOptions& options,
                          ReadProgress* progress) {
  TELLTALE_RETURN_IF_ERROR(CheckDelimiter(options));
  TELLTALE_ASSIGN_OR_RETURN(std::unique_ptr<InputStream> input, InputStream::Open(path, progress));
  CsvParser parser(path, options, input->UncompressedSize());
  std::string text;  // an unfinished row of the last chunk, then the next chunk
  while (true) {
    TELLTALE_ASSIGN_OR_RETURN(size_t read,
                              input->ReadInto(text, std::max<size_t>(options.chunk_bytes, 1)));
    if (read == 0) break;
    TELLTALE_ASSIGN_OR_RETURN(size_t consumed, parser.Parse(text, /*at_end=*/false));
    text.erase(0, consumed);
  }
  TELLTALE_RETURN_IF_ERROR(parser.Parse(text, /*at_end=*/true).status());
  return parser.Finish();
}

Result<Table> ParseCsv(std::string_view text, const std::string& source,
                       const CsvOptions& options) {
  TELLTALE_RETURN_IF_ERROR(CheckDelimiter(options));
  CsvParser parser(source, options);
  TELLTALE_RETURN_IF_ERROR(parser.Parse(text, /*at_end=*/true).status());
  return parser.Finish();
}

}  // namespace telltale
