// JoinedKeys: which keys the `joined` part of the id index may hold, in memory (a KeyFilter), so
// that looking up an actual whose prediction has no joined entry yet (its first actual) skips
// that part, where RocksDB would probe the bloom filter of every table file and memtable.
//
// The filter is built by scanning the part on a thread of its own: when the store opens, and
// again, twice as large as the keys need, once the filter in use is full. Until the first is
// built, every lookup asks the part. Keys written meanwhile go into the filter in use and the
// one being built, so neither ever misses a key the part holds. Keys deleted from the part stay
// in the filter until the next build (a lookup then asks the part, as without a filter).
//
// Memory: 10 bits per key of a filter's room, up to 2.5 bytes per joined key.
#ifndef TELLTALE_STORE_JOINED_KEYS_H_
#define TELLTALE_STORE_JOINED_KEYS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "store/key_filter.h"
#include "telltale/result.h"

namespace telltale {

class JoinedKeys {
 public:
  // Calls `visit(key)` for each key the part holds, until it returns false.
  using Scan = std::function<Status(const std::function<bool(std::string_view)>& visit)>;
  // `estimate` says about how many keys the part holds (for sizing a filter before its scan).
  JoinedKeys(Scan scan, std::function<uint64_t()> estimate, uint64_t min_keys);
  ~JoinedKeys();  // stops a build under way

  // Builds the first filter.
  void Start();
  // Held by a writer of the part from Adding until its write is done: a build starts only
  // between writes, so each key is in the part before its scan begins or added to its filter.
  std::mutex& writes_mutex() { return writes_mutex_; }
  // Adds the keys of `entries` (key, value) before they are written to the part; starts a larger
  // filter's build when the one in use would be full. writes_mutex() is held.
  void Adding(const std::vector<std::pair<std::string_view, std::string_view>>& entries);
  // Marks in `skip` each of `keys` the part certainly does not hold (others are left as they
  // are).
  void MarkAbsent(const std::vector<std::string>& keys, std::vector<bool>& skip) const;

  // Bytes of the filter in use (0 before the first is built), and whether one is being built.
  uint64_t bytes() const;
  bool building() const;

 private:
  // Starts building a filter with room for twice `keys` or what the part is thought to hold,
  // whichever is more; writes_mutex_ is held, and no build is under way.
  void StartBuild(uint64_t keys);
  void Build(std::shared_ptr<KeyFilter> filter);

  const Scan scan_;
  const std::function<uint64_t()> estimate_;
  const uint64_t min_keys_;
  std::mutex writes_mutex_;
  // Guards the two filters (the pointers: a filter itself takes adds and probes at once).
  mutable std::mutex mutex_;
  std::shared_ptr<KeyFilter> ready_;     // in use; null until the first is built
  std::shared_ptr<KeyFilter> building_;  // null unless a build is under way
  std::thread builder_;
  std::atomic<bool> stopping_{false};
};

}  // namespace telltale

#endif  // TELLTALE_STORE_JOINED_KEYS_H_
