#include "store/retention_filter.h"

#include "ingest/prediction_ref.h"

namespace telltale {

bool RetentionFilter::Filter(int /*level*/, const rocksdb::Slice& /*key*/,
                             const rocksdb::Slice& value, std::string* /*new_value*/,
                             bool* /*value_changed*/) const {
  if (keep_seconds_ <= 0) return false;
  std::optional<int64_t> time = time_of_(value.ToStringView());
  return time && *time < clock_.Now() - keep_seconds_;
}

std::optional<int64_t> PredictionTime(std::string_view value) {
  Result<PredictionRef> ref = DecodePredictionRef(value);
  if (!ref.ok()) return std::nullopt;
  return ref->event_time;
}

std::optional<int64_t> PendingArrivalTime(std::string_view value) {
  Result<PendingActual> pending = DecodePendingActual(value);
  if (!pending.ok()) return std::nullopt;
  return pending->arrival_time;
}

}  // namespace telltale
