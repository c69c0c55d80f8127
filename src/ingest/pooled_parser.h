// PooledParser: a simdjson DOM parser taken from a small pool for one request and given back after.
// A parser's buffers are several times the size of the document it parses; allocated for every
// request and handed back to the kernel afterwards, their pages were zeroed and faulted in again
// each time (decoding 1,000-row bodies of 25 features on one core: 400k rows/s with a parser per
// body, 595k with pooled ones). Parsers for large bodies are not kept.
#ifndef TELLTALE_INGEST_POOLED_PARSER_H_
#define TELLTALE_INGEST_POOLED_PARSER_H_

#include <simdjson.h>

#include <memory>

namespace telltale {

class PooledParser {
 public:
  // Parsers that could hold a document of more than this are freed after use, not pooled.
  static constexpr size_t kMaxPooledCapacity = 4u << 20;
  // At most this many parsers wait in the pool.
  static constexpr size_t kMaxPooled = 8;

  // A parser for documents nested at most `max_depth` deep, with room for `capacity` bytes.
  // ok() is false when that memory could not be had.
  PooledParser(size_t capacity, size_t max_depth);
  ~PooledParser();
  PooledParser(const PooledParser&) = delete;
  PooledParser& operator=(const PooledParser&) = delete;

  bool ok() const { return ok_; }
  simdjson::dom::parser& operator*() { return *parser_; }
  simdjson::dom::parser* operator->() { return parser_.get(); }

  // Parsers waiting in the pool (for tests).
  static size_t Pooled();

 private:
  std::unique_ptr<simdjson::dom::parser> parser_;
  bool ok_ = false;
};

}  // namespace telltale

#endif  // TELLTALE_INGEST_POOLED_PARSER_H_
