#include "store/key_filter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

namespace telltale {
namespace {

// Keys shaped like the id index's: an 8-byte version prefix and an id.
std::string Key(uint64_t version, uint64_t id) {
  std::string key(8, '\0');
  for (int i = 0; i < 8; ++i) key[i] = static_cast<char>(version >> (56 - 8 * i));
  return key + "txn-" + std::to_string(id);
}

// The share of `absent` keys (never added) that the filter lets through.
double FalsePositiveRate(const KeyFilter& filter, uint64_t first, uint64_t absent) {
  uint64_t passed = 0;
  for (uint64_t id = first; id < first + absent; ++id)
    passed += filter.MayContain(KeyFilter::Hash(Key(7, id)));
  return static_cast<double>(passed) / static_cast<double>(absent);
}

TEST(KeyFilterTest, EveryKeyAddedIsFoundAndAboutOnePercentOfOthersPassAtCapacity) {
  constexpr uint64_t kKeys = 1'000'000;
  KeyFilter filter(kKeys);
  for (uint64_t id = 0; id < kKeys; ++id) filter.Add(KeyFilter::Hash(Key(7, id)));
  for (uint64_t id = 0; id < kKeys; ++id)
    ASSERT_TRUE(filter.MayContain(KeyFilter::Hash(Key(7, id)))) << id;
  EXPECT_EQ(filter.added(), kKeys);
  EXPECT_EQ(filter.bytes(), kKeys * 10 / 8 + 64 - (kKeys * 10 / 8) % 64);
  // A standard Bloom filter of 10 bits per key and 7 probes: (1 - e^(-7/10))^7 = 0.82%; keeping a
  // key's bits in one cache line costs a little more (Putze, Sanders, Singler 2007).
  const double standard = std::pow(1 - std::exp(-7.0 / 10), 7);
  const double rate = FalsePositiveRate(filter, kKeys, 2'000'000);
  EXPECT_GT(rate, standard * 0.9);
  EXPECT_LT(rate, standard * 1.3);  // 0.96% here
  // Other versions' keys with the same ids are other keys.
  uint64_t passed = 0;
  for (uint64_t id = 0; id < kKeys; ++id) passed += filter.MayContain(KeyFilter::Hash(Key(8, id)));
  EXPECT_LT(static_cast<double>(passed) / kKeys, standard * 1.5);
}

TEST(KeyFilterTest, PastItsCapacityItStillFindsEveryKeyButLetsMoreOthersThrough) {
  KeyFilter filter(100'000);
  for (uint64_t id = 0; id < 400'000; ++id) filter.Add(KeyFilter::Hash(Key(1, id)));
  for (uint64_t id = 0; id < 400'000; ++id)
    ASSERT_TRUE(filter.MayContain(KeyFilter::Hash(Key(1, id))));
  // 2.5 bits per key: (1 - e^(-7/2.5))^7 = 70% for a standard filter.
  EXPECT_GT(FalsePositiveRate(filter, 1'000'000, 100'000), 0.5);
}

TEST(KeyFilterTest, KeysAddedFromSeveralThreadsWhileOthersProbeAreAllFound) {
  KeyFilter filter(400'000);
  std::vector<std::thread> threads;
  for (uint64_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (uint64_t id = t * 100'000; id < (t + 1) * 100'000; ++id) {
        filter.Add(KeyFilter::Hash(Key(3, id)));
        EXPECT_TRUE(filter.MayContain(KeyFilter::Hash(Key(3, id))));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (uint64_t id = 0; id < 400'000; ++id)
    ASSERT_TRUE(filter.MayContain(KeyFilter::Hash(Key(3, id))));
  EXPECT_EQ(filter.added(), 400'000u);
}

}  // namespace
}  // namespace telltale
