// Status: the outcome of an operation that can fail, carried as a value.
//
// Every function that crosses a module boundary and can fail returns a Status or a Result<T>
// (result.h). A Status is either OK or a code with a message meant for the person who supplied the
// input: it names what was wrong (file, line, field, limit), not how telltale works inside.
#ifndef TELLTALE_STATUS_H_
#define TELLTALE_STATUS_H_

#include <string>
#include <string_view>
#include <utility>

namespace telltale {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // the caller's input is malformed or out of range
  kNotFound,           // a named file, field or object does not exist
  kCorruption,         // stored bytes do not decode (truncated, wrong magic, bad checksum)
  kIoError,            // the operating system refused a read or a write
  kUnsupported,        // a valid request this version cannot serve (e.g. a newer format version)
  kCancelled,          // the work was stopped because another part of it failed
  kAlreadyExists,      // an object of that name exists
  kResourceExhausted,  // a limit was reached (size, count, disk space)
  kUnavailable,        // the service cannot take the request now; retrying later may succeed
};

class Status {
 public:
  // An OK status.
  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status Corruption(std::string message) {
    return Status(StatusCode::kCorruption, std::move(message));
  }
  static Status IoError(std::string message) {
    return Status(StatusCode::kIoError, std::move(message));
  }
  static Status Unsupported(std::string message) {
    return Status(StatusCode::kUnsupported, std::move(message));
  }

  static Status Cancelled(std::string message) {
    return Status(StatusCode::kCancelled, std::move(message));
  }
  static Status AlreadyExists(std::string message) {
    return Status(StatusCode::kAlreadyExists, std::move(message));
  }
  static Status ResourceExhausted(std::string message) {
    return Status(StatusCode::kResourceExhausted, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // The message alone, without the code; empty for OK.
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "prefix: message", for adding context (a file name, a field)
  // as an error travels outwards. OK stays OK.
  Status WithContext(std::string_view prefix) const {
    if (ok()) return *this;
    return Status(code_, std::string(prefix) + ": " + message_);
  }

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

}  // namespace telltale

// Returns from the enclosing function if `expr` yields a non-OK Status.
#define TELLTALE_RETURN_IF_ERROR(expr)                   \
  do {                                                   \
    ::telltale::Status telltale_status_ = (expr);        \
    if (!telltale_status_.ok()) return telltale_status_; \
  } while (false)

#endif  // TELLTALE_STATUS_H_
