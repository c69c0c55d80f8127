#include "ingest/id_locks.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace telltale {
namespace {

using namespace std::chrono_literals;

TEST(IdLocksTest, DisjointSetsAreHeldTogetherAndReleasedWithTheirHolds) {
  IdLocks locks;
  {
    IdLocks::Hold first = locks.Acquire({"a", "b", "a"});  // a repeat is held once
    IdLocks::Hold second = locks.Acquire({"c"});
    EXPECT_EQ(locks.HeldCount(), 3u);
  }
  EXPECT_EQ(locks.HeldCount(), 0u);
}

TEST(IdLocksTest, AnOverlappingSetWaitsUntilTheHolderReleases) {
  IdLocks locks;
  std::optional<IdLocks::Hold> held(locks.Acquire({"a", "b"}));
  std::atomic<bool> acquired{false};
  std::thread waiter([&] {
    IdLocks::Hold hold = locks.Acquire({"x", "b"});
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
        IdLocks::Hold hold = locks.Acquire({std::to_string(k)});
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
