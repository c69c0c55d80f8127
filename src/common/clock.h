// Clock: where "now" comes from. The server reads it through this seam so tests can set the time.
#ifndef TELLTALE_COMMON_CLOCK_H_
#define TELLTALE_COMMON_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

namespace telltale {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix seconds.
  virtual int64_t Now() const = 0;
};

class SystemClock : public Clock {
 public:
  int64_t Now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t now) : now_(now) {}
  int64_t Now() const override { return now_.load(); }
  void Set(int64_t now) { now_ = now; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace telltale

#endif  // TELLTALE_COMMON_CLOCK_H_
