#include "ingest/id_locks.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace telltale {
namespace {

using namespace std::chrono_literals;

// The keys of `ids` of owner 1.
std::vector<uint64_t> Keys(std::initializer_list<std::string_view> ids, int64_t owner = 1) {
  std::vector<uint64_t> keys;
  for (std::string_view id : ids) keys.push_back(IdLocks::KeyOf(owner, id));
  return keys;
}

TEST(IdLocksTest, KeysTellOwnersAndIdsApart) {
  EXPECT_EQ(IdLocks::KeyOf(1, "a"), IdLocks::KeyOf(1, "a"));
  EXPECT_NE(IdLocks::KeyOf(1, "a"), IdLocks::KeyOf(2, "a"));
  EXPECT_NE(IdLocks::KeyOf(1, "a"), IdLocks::KeyOf(1, "b"));
  EXPECT_NE(IdLocks::KeyOf(1, "12"), IdLocks::KeyOf(11, "2"));
}

TEST(IdLocksTest, DisjointSetsAreHeldTogetherAndReleasedWithTheirHolds) {
  IdLocks locks;
  {
    IdLocks::Hold first = locks.Acquire(Keys({"a", "b", "a"}));  // a repeat is held once
    IdLocks::Hold second = locks.Acquire(Keys({"c"}));
    IdLocks::Hold other_owner = locks.Acquire(Keys({"a"}, 2));  // another model's "a"
    EXPECT_EQ(locks.HeldCount(), 4u);
  }
  EXPECT_EQ(locks.HeldCount(), 0u);
}

TEST(IdLocksTest, AnOverlappingSetWaitsUntilTheHolderReleases) {
  IdLocks locks;
  std::optional<IdLocks::Hold> held(locks.Acquire(Keys({"a", "b"})));
  std::atomic<bool> acquired{false};
  std::thread waiter([&] {
    IdLocks::Hold hold = locks.Acquire(Keys({"x", "b"}));
    acquired = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(acquired.load());     // "b" is still held
  EXPECT_EQ(locks.HeldCount(), 2u);  // and the waiter holds nothing meanwhile, not even "x"
  held.reset();
  waiter.join();
  EXPECT_TRUE(acquired.load());
  EXPECT_EQ(locks.HeldCount(), 0u);
}

TEST(IdLocksTest, ReadModifyWritesUnderHoldsLoseNoUpdate) {
  IdLocks locks;
  int counters[3] = {0, 0, 0};  // plain ints: only the holds keep the increments apart
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        int k = (t + i) % 3;
        IdLocks::Hold hold = locks.Acquire({IdLocks::KeyOf(1, std::to_string(k))});
        int seen = counters[k];
        if (i % 100 == 0) std::this_thread::yield();
        counters[k] = seen + 1;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counters[0] + counters[1] + counters[2], 8000);
}

}  // namespace
}  // namespace telltale
