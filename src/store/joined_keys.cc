#include "store/joined_keys.h"

#include <pthread.h>

#include <algorithm>

namespace telltale {

JoinedKeys::JoinedKeys(Scan scan, std::function<uint64_t()> estimate, uint64_t min_keys)
    : scan_(std::move(scan)), estimate_(std::move(estimate)), min_keys_(min_keys) {}

JoinedKeys::~JoinedKeys() {
  stopping_ = true;
  if (builder_.joinable()) builder_.join();
}

void JoinedKeys::Start() {
  std::lock_guard lock(writes_mutex_);
  StartBuild(0);
}

void JoinedKeys::StartBuild(uint64_t keys) {
  if (builder_.joinable()) builder_.join();  // the last build, finished
  auto filter = std::make_shared<KeyFilter>(std::max(min_keys_, 2 * std::max(estimate_(), keys)));
  {
    std::lock_guard lock(mutex_);
    building_ = filter;
  }
  builder_ = std::thread([this, filter = std::move(filter)] {
    pthread_setname_np(pthread_self(), "tt:joined-keys");  // for `top -H` and profilers
    Build(filter);
  });
}

void JoinedKeys::Build(std::shared_ptr<KeyFilter> filter) {
  // Keys written since `building_` was set are added by their writers; those before are in the
  // part.
  Status scanned = scan_([&](std::string_view key) {
    filter->Add(KeyFilter::Hash(key));
    return !stopping_.load(std::memory_order_relaxed);
  });
  std::lock_guard lock(mutex_);
  // A failed scan leaves the filter in use as it was; the next write starts another.
  if (scanned.ok() && !stopping_) ready_ = std::move(filter);
  building_ = nullptr;
}

void JoinedKeys::Adding(const std::vector<std::pair<std::string_view, std::string_view>>& entries) {
  std::shared_ptr<KeyFilter> ready, building;
  {
    std::lock_guard lock(mutex_);
    ready = ready_;
    building = building_;
  }
  // A full filter is built again larger; a failed build (none ready) is tried again.
  if (!building && (!ready || ready->added() + entries.size() > ready->capacity())) {
    StartBuild((ready ? ready->added() : 0) + entries.size());
    std::lock_guard lock(mutex_);
    building = building_;
  }
  for (const auto& [key, value] : entries) {
    const uint64_t hash = KeyFilter::Hash(key);
    if (ready) ready->Add(hash);
    if (building) building->Add(hash);
  }
}

void JoinedKeys::MarkAbsent(const std::vector<std::string>& keys, std::vector<bool>& skip) const {
  std::shared_ptr<KeyFilter> ready;
  {
    std::lock_guard lock(mutex_);
    ready = ready_;
  }
  if (!ready) return;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!skip[i] && !ready->MayContain(KeyFilter::Hash(keys[i]))) skip[i] = true;
  }
}

uint64_t JoinedKeys::bytes() const {
  std::lock_guard lock(mutex_);
  return ready_ ? ready_->bytes() : 0;
}

bool JoinedKeys::building() const {
  std::lock_guard lock(mutex_);
  return building_ != nullptr;
}

}  // namespace telltale
