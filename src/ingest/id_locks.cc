#include "ingest/id_locks.h"

#include <algorithm>

namespace telltale {

IdLocks::Hold::~Hold() {
  if (locks_ == nullptr || ids_.empty()) return;
  {
    std::lock_guard lock(locks_->mutex_);
    for (const std::string& id : ids_) locks_->held_.erase(id);
  }
  locks_->released_.notify_all();
}

IdLocks::Hold IdLocks::Acquire(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::unique_lock lock(mutex_);
  released_.wait(lock, [&] {
    return std::none_of(ids.begin(), ids.end(),
                        [&](const std::string& id) { return held_.count(id) > 0; });
  });
  held_.insert(ids.begin(), ids.end());
  return Hold(this, std::move(ids));
}

size_t IdLocks::HeldCount() const {
  std::lock_guard lock(mutex_);
  return held_.size();
}

}  // namespace telltale
