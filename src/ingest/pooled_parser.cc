#include "ingest/pooled_parser.h"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

namespace telltale {
namespace {

struct Pool {
  std::mutex mutex;
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers;
};

Pool& ThePool() {
  static Pool* pool = new Pool();  // never destroyed: parsers may be returned during exit
  return *pool;
}

}  // namespace

PooledParser::PooledParser(size_t capacity, size_t max_depth) {
  Pool& pool = ThePool();
  {
    std::lock_guard lock(pool.mutex);
    if (!pool.parsers.empty()) {
      parser_ = std::move(pool.parsers.back());
      pool.parsers.pop_back();
    }
  }
  if (!parser_) parser_ = std::make_unique<simdjson::dom::parser>();
  capacity = std::max<size_t>(capacity, 64);
  if (parser_->capacity() >= capacity && parser_->max_depth() == max_depth) {
    ok_ = true;
    return;
  }
  ok_ = parser_->allocate(std::max(capacity, parser_->capacity()), max_depth) == simdjson::SUCCESS;
}

PooledParser::~PooledParser() {
  if (!ok_ || parser_->capacity() > kMaxPooledCapacity) return;
  Pool& pool = ThePool();
  std::lock_guard lock(pool.mutex);
  if (pool.parsers.size() < kMaxPooled) pool.parsers.push_back(std::move(parser_));
}

size_t PooledParser::Pooled() {
  Pool& pool = ThePool();
  std::lock_guard lock(pool.mutex);
  return pool.parsers.size();
}

}  // namespace telltale
