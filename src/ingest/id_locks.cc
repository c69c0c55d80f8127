#include "ingest/id_locks.h"

#include <absl/hash/hash.h>

#include <algorithm>
#include <utility>

namespace telltale {

uint64_t IdLocks::KeyOf(int64_t owner, std::string_view id) {
  return absl::Hash<std::pair<int64_t, std::string_view>>{}({owner, id});
}

IdLocks::Hold::~Hold() {
  if (locks_ == nullptr || keys_.empty()) return;
  {
    std::lock_guard lock(locks_->mutex_);
    for (uint64_t key : keys_) locks_->held_.erase(key);
  }
  locks_->released_.notify_all();
}

IdLocks::Hold IdLocks::Acquire(std::vector<uint64_t> keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::unique_lock lock(mutex_);
  released_.wait(lock, [&] {
    return std::none_of(keys.begin(), keys.end(),
                        [&](uint64_t key) { return held_.contains(key); });
  });
  held_.insert(keys.begin(), keys.end());
  return Hold(this, std::move(keys));
}

size_t IdLocks::HeldCount() const {
  std::lock_guard lock(mutex_);
  return held_.size();
}

}  // namespace telltale
