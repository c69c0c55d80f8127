// RowEncoder: writes rows held as columns (the arrays of a DataFrame) as NDJSON lines in the shape
// `telltale serve` ingests: {"id", "timestamp", "features": {...}, "predictions": {...}, ...}.
// Plain C++ over borrowed arrays, so the Python module can run it without the GIL.
#ifndef TELLTALE_PYTHON_ROW_ENCODER_H_
#define TELLTALE_PYTHON_ROW_ENCODER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace telltale::python {

// Text kept with its length rounded up to a multiple of 16 bytes, so that it is copied in whole
// 16-byte moves rather than through a call to memcpy; the copy may write up to padded_size() bytes.
class PaddedText {
 public:
  PaddedText() = default;
  explicit PaddedText(std::string_view text);

  size_t size() const { return size_; }
  size_t padded_size() const { return bytes_.size(); }
  std::string_view view() const { return {bytes_.data(), size_}; }
  // Copies the text to `to` (which has room for padded_size() bytes); returns its end.
  char* CopyTo(char* to) const;

 private:
  std::string bytes_;
  size_t size_ = 0;
};

// One column. Missing cells (NaN, a negative code, NaT, a NaN first element of an embedding row)
// are left out of the row, which the server reads as missing.
struct EncodedColumn {
  enum class Kind { kNumber, kBoolean, kString, kJson, kTimestamp, kEmbedding };

  PaddedText key;  // the field name as a JSON string literal followed by ':'
  Kind kind = Kind::kNumber;
  const double* numbers = nullptr;  // kNumber, kBoolean (0/1), kEmbedding (rows x dimension)
  size_t dimension = 0;             // kEmbedding
  // kString, kJson: index into `dictionary`, negative when missing
  const int64_t* codes = nullptr;
  // kString, kJson: each value as a JSON literal (kJson columns mix numbers, strings, booleans)
  std::vector<PaddedText> dictionary;
  const int64_t* nanoseconds = nullptr;  // kTimestamp: since the Unix epoch; INT64_MIN is NaT
};

struct EncodedGroup {
  PaddedText role;  // "features", "predictions", "actuals" or "raw", as a JSON literal and ':'
  std::vector<EncodedColumn> columns;
};

struct RowBatch {
  size_t rows = 0;
  std::vector<PaddedText> ids;  // JSON string literals; empty for rows without ids (baselines)
  const int64_t* timestamps = nullptr;  // nanoseconds since the epoch, INT64_MIN for none
  std::vector<EncodedGroup> groups;
};

// Appends rows [begin, end) of `batch` to `out`, one JSON object and a newline per row.
void EncodeRows(const RowBatch& batch, size_t begin, size_t end, std::string& out);

// `text` as a JSON string literal, quotes included.
void AppendJsonString(std::string_view text, std::string& out);

}  // namespace telltale::python

#endif  // TELLTALE_PYTHON_ROW_ENCODER_H_
