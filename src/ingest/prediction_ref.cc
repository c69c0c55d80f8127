#include "ingest/prediction_ref.h"

#include "common/bytes.h"

namespace telltale {
namespace {

constexpr uint8_t kMagic = 0xA7;  // distinguishes a ref from the 8-byte hour of older indexes
constexpr uint8_t kHasActual = 1, kHasNumber = 2, kHasQuery = 4, kHasProbabilities = 8;
constexpr uint32_t kMaxSegments = 1024;
constexpr int64_t kHourSeconds = 3600;

}  // namespace

std::string EncodePredictionRef(const PredictionRef& ref) {
  ByteWriter out;
  out.Put<uint8_t>(kMagic);
  out.Put<int64_t>(ref.event_time);
  out.Put<uint16_t>(static_cast<uint16_t>(ref.segments.size()));
  for (uint32_t segment : ref.segments) out.Put<uint16_t>(static_cast<uint16_t>(segment));
  out.Put<double>(ref.score);
  out.PutString(ref.label);
  uint8_t flags = 0;
  if (ref.actual) flags |= kHasActual;
  if (ref.actual && ref.actual->number) flags |= kHasNumber;
  if (!ref.query.empty()) flags |= kHasQuery;
  if (!ref.probabilities.empty()) flags |= kHasProbabilities;
  out.Put<uint8_t>(flags);
  if (ref.actual) {
    if (ref.actual->number) out.Put<double>(*ref.actual->number);
    out.PutString(ref.actual->label);
    out.Put<int64_t>(ref.first_actual_time);
  }
  if (!ref.query.empty()) out.PutString(ref.query);
  if (!ref.probabilities.empty()) {
    out.Put<uint16_t>(static_cast<uint16_t>(ref.probabilities.size()));
    for (double probability : ref.probabilities) out.Put<double>(probability);
  }
  return out.Release();
}

Result<int64_t> PredictionEventTime(std::string_view bytes) {
  if (bytes.size() == 8) {
    // The index of an older telltale: the hour only, big-endian with the sign bit flipped.
    uint64_t ordered = 0;
    for (char byte : bytes) ordered = ordered << 8 | static_cast<uint8_t>(byte);
    return static_cast<int64_t>(ordered ^ (1ull << 63)) * kHourSeconds;
  }
  ByteReader in(bytes);
  TELLTALE_ASSIGN_OR_RETURN(uint8_t magic, in.Get<uint8_t>());
  if (magic != kMagic) return Status::Corruption("id index: not a prediction reference");
  return in.Get<int64_t>();
}

Result<PredictionRef> DecodePredictionRef(std::string_view bytes) {
  PredictionRef ref;
  TELLTALE_ASSIGN_OR_RETURN(ref.event_time, PredictionEventTime(bytes));
  if (bytes.size() == 8) return ref;
  ByteReader in(bytes.substr(1 + sizeof(int64_t)));
  TELLTALE_ASSIGN_OR_RETURN(uint16_t segments, in.Get<uint16_t>());
  if (segments > kMaxSegments) return Status::Corruption("id index: too many segments");
  for (uint16_t i = 0; i < segments; ++i) {
    TELLTALE_ASSIGN_OR_RETURN(uint16_t segment, in.Get<uint16_t>());
    ref.segments.push_back(segment);
  }
  TELLTALE_ASSIGN_OR_RETURN(ref.score, in.Get<double>());
  TELLTALE_ASSIGN_OR_RETURN(ref.label, in.GetString());
  TELLTALE_ASSIGN_OR_RETURN(uint8_t flags, in.Get<uint8_t>());
  if (flags & kHasActual) {
    ActualValue actual;
    if (flags & kHasNumber) {
      TELLTALE_ASSIGN_OR_RETURN(double number, in.Get<double>());
      actual.number = number;
    }
    TELLTALE_ASSIGN_OR_RETURN(actual.label, in.GetString());
    TELLTALE_ASSIGN_OR_RETURN(ref.first_actual_time, in.Get<int64_t>());
    ref.actual = std::move(actual);
  }
  if (flags & kHasQuery) {
    TELLTALE_ASSIGN_OR_RETURN(ref.query, in.GetString());
  }
  if (flags & kHasProbabilities) {
    TELLTALE_ASSIGN_OR_RETURN(uint16_t count, in.Get<uint16_t>());
    ref.probabilities.resize(count);
    for (double& probability : ref.probabilities) {
      TELLTALE_ASSIGN_OR_RETURN(probability, in.Get<double>());
    }
  }
  if (in.remaining() != 0) return Status::Corruption("id index: trailing bytes");
  return ref;
}

std::string EncodePendingActual(const PendingActual& pending) {
  ByteWriter out;
  out.Put<int64_t>(pending.arrival_time);
  out.PutString(pending.actuals_json);
  return out.Release();
}

Result<int64_t> PendingArrivalTime(std::string_view bytes) {
  return ByteReader(bytes).Get<int64_t>();
}

Result<PendingActual> DecodePendingActual(std::string_view bytes) {
  ByteReader in(bytes);
  PendingActual pending;
  TELLTALE_ASSIGN_OR_RETURN(pending.arrival_time, in.Get<int64_t>());
  TELLTALE_ASSIGN_OR_RETURN(pending.actuals_json, in.GetString());
  return pending;
}

}  // namespace telltale
