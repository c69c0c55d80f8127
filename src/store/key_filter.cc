#include "store/key_filter.h"

#include <algorithm>

#include "common/hash.h"

namespace telltale {
namespace {

constexpr uint64_t kBitsPerKey = 10;
constexpr int kProbes = 7;  // near ln 2 * bits per key, the standard filter's best
constexpr uint64_t kMix = 0x9E3779B97F4A7C15ull;  // 2^64 / golden ratio

}  // namespace

KeyFilter::KeyFilter(uint64_t capacity)
    : capacity_(capacity),
      // At most 2^32 blocks (BlockOf scales 32 bits): 256 GiB, far past any index here.
      blocks_(
          std::clamp<uint64_t>((capacity * kBitsPerKey + kBlockBytes * 8 - 1) / (kBlockBytes * 8),
                               1, uint64_t{1} << 32)),
      words_(new std::atomic<uint64_t>[blocks_ * kWordsPerBlock]) {
  for (uint64_t i = 0; i < blocks_ * kWordsPerBlock; ++i)
    words_[i].store(0, std::memory_order_relaxed);
}

uint64_t KeyFilter::Hash(std::string_view key) { return HashBytes(key); }

// Each probe takes the top 9 bits (a bit of the 512 in the block) of the hash multiplied by an
// odd constant once more; `visit(word, mask)` returns false to stop.
template <typename Visit>
bool KeyFilter::ForEachBit(uint64_t hash, Visit&& visit) const {
  std::atomic<uint64_t>* block = &words_[BlockOf(hash) * kWordsPerBlock];
  uint64_t probe = hash;
  for (int i = 0; i < kProbes; ++i) {
    probe *= kMix;
    const uint32_t bit = static_cast<uint32_t>(probe >> 55);
    if (!visit(block[bit >> 6], uint64_t{1} << (bit & 63))) return false;
  }
  return true;
}

void KeyFilter::Add(uint64_t hash) {
  ForEachBit(hash, [](std::atomic<uint64_t>& word, uint64_t mask) {
    word.fetch_or(mask, std::memory_order_relaxed);
    return true;
  });
  added_.fetch_add(1, std::memory_order_relaxed);
}

bool KeyFilter::MayContain(uint64_t hash) const {
  return ForEachBit(hash, [](const std::atomic<uint64_t>& word, uint64_t mask) {
    return (word.load(std::memory_order_relaxed) & mask) != 0;
  });
}

}  // namespace telltale
