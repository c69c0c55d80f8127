// IdLocks: exclusive holds on sets of ids, for a read-modify-write of what is stored under them
// (joining an actual reads the prediction's entry and writes it back with the actual). Requests
// whose ids do not overlap go on together; one that shares an id with a held set waits until that
// set is released. A caller takes all of its ids at once, so two callers never wait on each other.
//
// An id is held as a 64-bit hash of its owner and its text (KeyOf): no copy of the id is made, and
// two different ids that happen to share a hash only make one request wait for the other.
#ifndef TELLTALE_INGEST_ID_LOCKS_H_
#define TELLTALE_INGEST_ID_LOCKS_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_set.h>

namespace telltale {

class IdLocks {
 public:
  // Holds its ids until destroyed.
  class Hold {
   public:
    Hold(Hold&& other) noexcept : locks_(other.locks_), keys_(std::move(other.keys_)) {
      other.locks_ = nullptr;
    }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;
    Hold& operator=(Hold&&) = delete;
    ~Hold();

   private:
    friend class IdLocks;
    Hold(IdLocks* locks, std::vector<uint64_t> keys) : locks_(locks), keys_(std::move(keys)) {}
    IdLocks* locks_;
    std::vector<uint64_t> keys_;
  };

  // What is held for `id` of `owner` (ids are an owner's: a model's, say).
  static uint64_t KeyOf(int64_t owner, std::string_view id);

  // Waits until no other hold has any of `keys` (repeats allowed), then holds them all.
  Hold Acquire(std::vector<uint64_t> keys);
  // Ids held right now (for tests and metrics).
  size_t HeldCount() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable released_;
  absl::flat_hash_set<uint64_t> held_;
};

}  // namespace telltale

#endif  // TELLTALE_INGEST_ID_LOCKS_H_
