#include "ingest/pooled_parser.h"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

namespace telltale {
namespace {

template <typename Parser>
struct Pool {
  std::mutex mutex;
  std::vector<std::unique_ptr<Parser>> parsers;
};

template <typename Parser>
Pool<Parser>& ThePool() {
  static auto* pool = new Pool<Parser>();  // never destroyed: parsers may be returned during exit
  return *pool;
}

}  // namespace

template <typename Parser>
Pooled<Parser>::Pooled(size_t capacity, size_t max_depth) {
  Pool<Parser>& pool = ThePool<Parser>();
  {
    std::lock_guard lock(pool.mutex);
    if (!pool.parsers.empty()) {
      parser_ = std::move(pool.parsers.back());
      pool.parsers.pop_back();
    }
  }
  if (!parser_) parser_ = std::make_unique<Parser>();
  capacity = std::max<size_t>(capacity, 64);
  if (parser_->capacity() >= capacity && parser_->max_depth() == max_depth) {
    ok_ = true;
    return;
  }
  ok_ = parser_->allocate(std::max(capacity, parser_->capacity()), max_depth) == simdjson::SUCCESS;
}

template <typename Parser>
Pooled<Parser>::~Pooled() {
  if (!ok_ || parser_->capacity() > kMaxPooledCapacity) return;
  Pool<Parser>& pool = ThePool<Parser>();
  std::lock_guard lock(pool.mutex);
  if (pool.parsers.size() < kMaxPooled) pool.parsers.push_back(std::move(parser_));
}

template <typename Parser>
size_t Pooled<Parser>::Waiting() {
  Pool<Parser>& pool = ThePool<Parser>();
  std::lock_guard lock(pool.mutex);
  return pool.parsers.size();
}

template class Pooled<simdjson::dom::parser>;
template class Pooled<OnDemandParser>;

}  // namespace telltale
