// KeyFilter: a Bloom filter of keys in memory, for answering "certainly not there" without asking
// the store. Blocked: a key's bits all lie in one 64-byte block (one cache line), 7 of them, at
// 10 bits per key of the capacity it was made for — about 1% false positives then (a standard
// filter of that size has 0.8%), more once it holds more keys than that. Never a false negative.
//
// Adding and probing may run at once, from any threads.
#ifndef TELLTALE_STORE_KEY_FILTER_H_
#define TELLTALE_STORE_KEY_FILTER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace telltale {

class KeyFilter {
 public:
  // Room for `capacity` keys (at least one block).
  explicit KeyFilter(uint64_t capacity);

  static uint64_t Hash(std::string_view key);
  void Add(uint64_t hash);
  bool MayContain(uint64_t hash) const;

  // Keys added, counting a key added twice twice.
  uint64_t added() const { return added_.load(std::memory_order_relaxed); }
  uint64_t capacity() const { return capacity_; }
  uint64_t bytes() const { return blocks_ * kBlockBytes; }

 private:
  static constexpr uint64_t kBlockBytes = 64;
  static constexpr int kWordsPerBlock = kBlockBytes / 8;
  // The block of `hash`, from its high half (the probes use the whole hash, remixed).
  uint64_t BlockOf(uint64_t hash) const { return ((hash >> 32) * blocks_) >> 32; }
  // Calls `visit(word, mask)` for each of the key's bits until it returns false; whether none did.
  template <typename Visit>
  bool ForEachBit(uint64_t hash, Visit&& visit) const;

  uint64_t capacity_;
  uint64_t blocks_;
  std::unique_ptr<std::atomic<uint64_t>[]> words_;
  std::atomic<uint64_t> added_{0};
};

}  // namespace telltale

#endif  // TELLTALE_STORE_KEY_FILTER_H_
