// PooledParser: a simdjson parser taken from a small pool for one request and given back after.
// A parser's buffers are several times the size of the document it parses; allocated for every
// request and handed back to the kernel afterwards, their pages were zeroed and faulted in again
// each time (decoding 1,000-row bodies of 25 features on one core: 400k rows/s with a parser per
// body, 595k with pooled ones). Parsers for large bodies are not kept.
//
// `Parser` is simdjson's DOM parser (rows parsed into a tree) or an On-Demand parser (a body walked
// without one); each kind has its own pool.
#ifndef TELLTALE_INGEST_POOLED_PARSER_H_
#define TELLTALE_INGEST_POOLED_PARSER_H_

#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>

namespace telltale {

// simdjson's On-Demand parser with a buffer to copy a body into: it reads up to SIMDJSON_PADDING
// bytes past the end of what it parses.
struct OnDemandParser {
  simdjson::ondemand::parser parser;
  std::string padded;

  size_t capacity() const { return parser.capacity(); }
  size_t max_depth() const { return parser.max_depth(); }
  simdjson::error_code allocate(size_t bytes, size_t depth) {
    return parser.allocate(bytes, depth);
  }
  // Copies `body` into `padded` and starts walking it.
  simdjson::simdjson_result<simdjson::ondemand::document> Iterate(std::string_view body) {
    padded.reserve(body.size() + simdjson::SIMDJSON_PADDING);
    padded.assign(body);
    return parser.iterate(padded);
  }
};

template <typename Parser>
class Pooled {
 public:
  // Parsers that could hold a document of more than this are freed after use, not pooled.
  static constexpr size_t kMaxPooledCapacity = 4u << 20;
  // At most this many parsers of a kind wait in the pool.
  static constexpr size_t kMaxPooled = 8;

  // A parser for documents nested at most `max_depth` deep, with room for `capacity` bytes.
  // ok() is false when that memory could not be had.
  Pooled(size_t capacity, size_t max_depth);
  ~Pooled();
  Pooled(const Pooled&) = delete;
  Pooled& operator=(const Pooled&) = delete;

  bool ok() const { return ok_; }
  Parser& operator*() { return *parser_; }
  Parser* operator->() { return parser_.get(); }

  // Parsers of this kind waiting in the pool (for tests).
  static size_t Waiting();

 private:
  std::unique_ptr<Parser> parser_;
  bool ok_ = false;
};

using PooledParser = Pooled<simdjson::dom::parser>;
using PooledOnDemandParser = Pooled<OnDemandParser>;

}  // namespace telltale

#endif  // TELLTALE_INGEST_POOLED_PARSER_H_
