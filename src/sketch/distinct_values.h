// DistinctValues: exact counts of the distinct numbers of a column while there are at most `cap`
// of them. Past the cap the table is dropped and overflowed() is set: a numeric column with that
// many distinct values is treated as continuous, and the KLL and HLL sketches describe it.
//
// Low-cardinality numeric columns (codes, ratings, counts) get exact value counts this way, which
// drift tests and integer type inference need.
#ifndef TELLTALE_SKETCH_DISTINCT_VALUES_H_
#define TELLTALE_SKETCH_DISTINCT_VALUES_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "common/bytes.h"
#include "telltale/result.h"

namespace telltale {

class DistinctValues {
 public:
  static constexpr uint32_t kDefaultCap = 1000;

  explicit DistinctValues(uint32_t cap = kDefaultCap) : cap_(cap) {}

  // Counts a finite number; callers filter NaN and infinities.
  void Update(double value, uint64_t count = 1) {
    if (overflowed_ || count == 0) return;
    if (value == 0.0) value = 0.0;  // -0.0 and 0.0 are one value
    if (Add(value, count) && size_ > cap_) Overflow();
  }
  void Merge(const DistinctValues& other);

  uint32_t cap() const { return cap_; }
  bool overflowed() const { return overflowed_; }
  // Number of distinct values; only meaningful when !overflowed().
  size_t size() const { return size_; }
  // (value, count) sorted by value; empty when overflowed().
  std::vector<std::pair<double, uint64_t>> Sorted() const;

  void Serialize(ByteWriter& out) const;
  static Result<DistinctValues> Deserialize(ByteReader& in);

 private:
  // An open-addressing table (linear probing, at most half full): no allocation per value, so
  // that windows with hundreds of values each load and merge quickly. A count of 0 marks a free
  // slot.
  struct Slot {
    double value = 0;
    uint64_t count = 0;
  };
  // Adds `count` to `value`'s slot; true if the value is new.
  bool Add(double value, uint64_t count) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = SlotOf(value, mask);; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.count == 0) {
        slot = {value, count};
        ++size_;
        return true;
      }
      if (slot.value == value) {
        slot.count += count;
        return false;
      }
    }
  }
  static size_t SlotOf(double value, size_t mask);
  // Doubles the table (16 slots at first) and places every value again.
  void Grow();
  void Overflow() {
    overflowed_ = true;
    slots_ = {};
    size_ = 0;
  }

  uint32_t cap_;
  bool overflowed_ = false;
  size_t size_ = 0;
  std::vector<Slot> slots_;
};

}  // namespace telltale

#endif  // TELLTALE_SKETCH_DISTINCT_VALUES_H_
