// Row: one validated prediction (or training) row, its values in schema field order, and what the
// validator found wrong with the rows it did not accept.
#ifndef TELLTALE_INGEST_ROW_H_
#define TELLTALE_INGEST_ROW_H_

#include <cstdint>
#include <string>
#include <vector>

namespace telltale {

struct Cell {
  enum class Kind : uint8_t { kMissing, kNumber, kBool, kString };
  Kind kind = Kind::kMissing;
  bool integral = false;  // kNumber written as an integer
  bool flag = false;      // kBool
  double number = 0;      // kNumber; an embedding's L2 norm, a timestamp's Unix seconds
  std::string text;       // kString
};

struct Row {
  std::string id;
  int64_t event_time = 0;  // Unix seconds
  std::vector<Cell> cells;
};

// Why a row was not accepted; each reason is also counted in /metrics.
enum class RejectReason : uint8_t {
  kMalformed,  // not an object, a bad id or timestamp, an unknown key
  kTypeError,  // a value of the wrong type for its field
  kTooLate,    // older than the allowed lateness
  kInFuture,   // further ahead than the allowed clock skew
  kDuplicate,  // the id was logged before for this version
  kLimit,      // a string over the length limit
  kExpired,    // an actual whose prediction is older than the actuals retention
};
std::string_view RejectReasonName(RejectReason reason);
inline constexpr int kRejectReasonCount = 7;

struct Rejection {
  size_t index = 0;  // position of the row in the request
  std::string id;    // empty when the row had none
  RejectReason reason = RejectReason::kMalformed;
  std::string message;
};

// Something the integrity metrics count: a type error in a field of a rejected row, or a field the
// schema does not know on an accepted row. Counted in the window of the row's event time.
struct IntegrityEvent {
  enum class Kind : uint8_t { kTypeError, kUnknownField, kRejectedRow, kDuplicate };
  Kind kind = Kind::kTypeError;
  int64_t event_time = 0;
  std::string field;
};

}  // namespace telltale

#endif  // TELLTALE_INGEST_ROW_H_
