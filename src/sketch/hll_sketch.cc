#include "sketch/hll_sketch.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace telltale {
namespace {

// Version 1: dense, one byte per register. Version 2: sparse, the non-zero registers only, as
// u32 (index << 8 | rank) — written when that is smaller (a sketch of few values).
constexpr uint8_t kDenseVersion = 1;
constexpr uint8_t kSparseVersion = 2;

// Ertl's sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1), for the share of empty registers.
double Sigma(double x) {
  if (x == 1.0) return std::numeric_limits<double>::infinity();
  double y = 1.0;
  double z = x;
  while (true) {
    x *= x;
    double previous = z;
    z += x * y;
    y += y;
    if (z == previous) return z;
  }
}

// Ertl's tau(x) = (1 - x - sum_{k>=1} (1 - x^(2^-k))^2 2^-k) / 3, for saturated registers.
double Tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0;
  double z = 1.0 - x;
  while (true) {
    x = std::sqrt(x);
    double previous = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
    if (z == previous) return z / 3.0;
  }
}

}  // namespace

HllSketch::HllSketch(uint8_t lg_k)
    : lg_k_(std::clamp(lg_k, kMinLgK, kMaxLgK)), registers_(size_t{1} << lg_k_, 0) {}

double HllSketch::RelativeStandardError() const {
  return 1.04 / std::sqrt(static_cast<double>(registers_.size()));
}

HllSketch HllSketch::FoldedTo(uint8_t lg_k) const {
  HllSketch folded(lg_k);
  uint8_t shift = lg_k_ - lg_k;
  uint32_t low_mask = (uint32_t{1} << shift) - 1;
  for (uint32_t index = 0; index < registers_.size(); ++index) {
    uint8_t rank = registers_[index];
    if (rank == 0) continue;
    // The index bits dropped by folding become the leading bits of the smaller sketch's rank.
    uint32_t low = index & low_mask;
    uint8_t folded_rank = low != 0 ? static_cast<uint8_t>(shift - std::bit_width(low) + 1)
                                   : static_cast<uint8_t>(shift + rank);
    uint8_t& target = folded.registers_[index >> shift];
    target = std::max(target, folded_rank);
  }
  return folded;
}

void HllSketch::Merge(const HllSketch& other) {
  if (other.lg_k_ < lg_k_) *this = FoldedTo(other.lg_k_);
  if (other.lg_k_ > lg_k_) {
    Merge(other.FoldedTo(lg_k_));
    return;
  }
  // Locals only: byte stores may alias anything, so a bound read through `this` would be reloaded
  // every iteration and keep the loop from vectorizing.
  uint8_t* __restrict ours = registers_.data();
  const uint8_t* __restrict theirs = other.registers_.data();
  const size_t size = registers_.size();
  for (size_t i = 0; i < size; ++i) ours[i] = std::max(ours[i], theirs[i]);
}

double HllSketch::Estimate() const {
  const int q = 64 - lg_k_;
  std::vector<uint32_t> histogram(static_cast<size_t>(q) + 2, 0);
  for (uint8_t rank : registers_) ++histogram[rank];
  const double m = static_cast<double>(registers_.size());
  double z = m * Tau(1.0 - histogram[q + 1] / m);
  for (int k = q; k >= 1; --k) z = 0.5 * (z + histogram[k]);
  z += m * Sigma(histogram[0] / m);
  constexpr double kAlphaInfinity = 0.7213475204444817;  // 1 / (2 ln 2)
  return kAlphaInfinity * m * m / z;
}

void HllSketch::Serialize(ByteWriter& out) const {
  size_t non_zero = 0;
  for (uint8_t rank : registers_) non_zero += rank != 0;
  if (non_zero * sizeof(uint32_t) < registers_.size()) {
    out.Put<uint8_t>(kSparseVersion);
    out.Put<uint8_t>(lg_k_);
    out.Put<uint32_t>(static_cast<uint32_t>(non_zero));
    for (size_t i = 0; i < registers_.size(); ++i) {
      if (registers_[i] != 0) out.Put<uint32_t>(static_cast<uint32_t>(i << 8) | registers_[i]);
    }
    return;
  }
  out.Put<uint8_t>(kDenseVersion);
  out.Put<uint8_t>(lg_k_);
  out.PutRaw(std::string_view(reinterpret_cast<const char*>(registers_.data()), registers_.size()));
}

Result<HllSketch> HllSketch::Deserialize(ByteReader& in) {
  TELLTALE_ASSIGN_OR_RETURN(uint8_t version, in.Get<uint8_t>());
  if (version != kDenseVersion && version != kSparseVersion) {
    return Status::Unsupported("HLL sketch format version " + std::to_string(version));
  }
  TELLTALE_ASSIGN_OR_RETURN(uint8_t lg_k, in.Get<uint8_t>());
  if (lg_k < kMinLgK || lg_k > kMaxLgK) {
    return Status::Corruption("HLL lg_k=" + std::to_string(lg_k) + " outside [4, 18]");
  }
  HllSketch sketch(lg_k);
  const uint8_t max_rank = static_cast<uint8_t>(64 - lg_k + 1);
  if (version == kSparseVersion) {
    TELLTALE_ASSIGN_OR_RETURN(uint32_t count, in.Get<uint32_t>());
    if (count > sketch.registers_.size()) return Status::Corruption("HLL: too many registers");
    for (uint32_t i = 0; i < count; ++i) {
      TELLTALE_ASSIGN_OR_RETURN(uint32_t entry, in.Get<uint32_t>());
      uint32_t index = entry >> 8;
      uint8_t rank = static_cast<uint8_t>(entry & 0xff);
      if (index >= sketch.registers_.size() || rank == 0 || rank > max_rank) {
        return Status::Corruption("HLL: a sparse register is out of range");
      }
      sketch.registers_[index] = rank;
    }
    return sketch;
  }
  TELLTALE_ASSIGN_OR_RETURN(std::string_view bytes, in.GetRaw(sketch.registers_.size()));
  for (size_t i = 0; i < bytes.size(); ++i) {
    uint8_t rank = static_cast<uint8_t>(bytes[i]);
    if (rank > max_rank) return Status::Corruption("HLL register holds an impossible rank");
    sketch.registers_[i] = rank;
  }
  return sketch;
}

}  // namespace telltale
