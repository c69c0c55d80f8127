#include "sketch/distinct_values.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace telltale {
namespace {
constexpr uint8_t kFormatVersion = 1;
}  // namespace

size_t DistinctValues::SlotOf(double value, size_t mask) {
  // MurmurHash3's 64-bit finalizer: every input bit reaches the low bits (small integers differ
  // only in a double's high bits).
  uint64_t bits = std::bit_cast<uint64_t>(value);
  bits ^= bits >> 33;
  bits *= 0xff51afd7ed558ccdull;
  bits ^= bits >> 33;
  bits *= 0xc4ceb9fe1a85ec53ull;
  bits ^= bits >> 33;
  return static_cast<size_t>(bits) & mask;
}

void DistinctValues::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<size_t>(16, old.size() * 2), Slot{});
  size_ = 0;
  for (const Slot& slot : old) {
    if (slot.count != 0) Add(slot.value, slot.count);
  }
}

void DistinctValues::Merge(const DistinctValues& other) {
  if (overflowed_) return;
  if (other.overflowed_) {
    Overflow();
    return;
  }
  for (const Slot& slot : other.slots_) {
    if (slot.count != 0) Update(slot.value, slot.count);
    if (overflowed_) return;
  }
}

std::vector<std::pair<double, uint64_t>> DistinctValues::Sorted() const {
  std::vector<std::pair<double, uint64_t>> sorted;
  sorted.reserve(size_);
  for (const Slot& slot : slots_) {
    if (slot.count != 0) sorted.emplace_back(slot.value, slot.count);
  }
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

void DistinctValues::Serialize(ByteWriter& out) const {
  out.Put<uint8_t>(kFormatVersion);
  out.Put<uint32_t>(cap_);
  out.Put<uint8_t>(overflowed_ ? 1 : 0);
  std::vector<std::pair<double, uint64_t>> sorted = Sorted();
  out.Put<uint32_t>(static_cast<uint32_t>(sorted.size()));
  for (const auto& [value, count] : sorted) {
    out.Put<double>(value);
    out.Put<uint64_t>(count);
  }
}

Result<DistinctValues> DistinctValues::Deserialize(ByteReader& in) {
  TELLTALE_ASSIGN_OR_RETURN(uint8_t version, in.Get<uint8_t>());
  if (version != kFormatVersion) {
    return Status::Unsupported("distinct values format version " + std::to_string(version));
  }
  TELLTALE_ASSIGN_OR_RETURN(uint32_t cap, in.Get<uint32_t>());
  DistinctValues values(cap);
  TELLTALE_ASSIGN_OR_RETURN(uint8_t overflowed, in.Get<uint8_t>());
  if (overflowed > 1) return Status::Corruption("distinct values overflow flag is not 0 or 1");
  values.overflowed_ = overflowed == 1;
  TELLTALE_ASSIGN_OR_RETURN(uint32_t size, in.Get<uint32_t>());
  if (size > cap || (values.overflowed_ && size != 0)) {
    return Status::Corruption("distinct values hold more entries than the cap");
  }
  // Each entry is 16 bytes: a count the input cannot hold is refused before any table is made.
  if (size > in.remaining() / 16) return Status::Corruption("distinct values: truncated entries");
  values.slots_.assign(std::bit_ceil(std::max<size_t>(16, 2 * (size_t{size} + 1))), Slot{});
  for (uint32_t i = 0; i < size; ++i) {
    TELLTALE_ASSIGN_OR_RETURN(double value, in.Get<double>());
    TELLTALE_ASSIGN_OR_RETURN(uint64_t count, in.Get<uint64_t>());
    if (!std::isfinite(value) || count == 0) {
      return Status::Corruption("distinct values hold a non-finite value or a zero count");
    }
    if (value == 0.0) value = 0.0;  // one slot for -0.0 and 0.0, as in Update
    if (!values.Add(value, count)) {
      return Status::Corruption("distinct value listed twice");
    }
  }
  return values;
}

}  // namespace telltale
