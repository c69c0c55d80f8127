// RetentionFilter: drops index entries past their retention while RocksDB compacts, so the id
// index and the pending actuals stay bounded by time instead of growing for ever.
//
// Each entry's time is read from its value (a prediction's event time, a pending actual's arrival
// time); an entry whose value cannot be read is kept. Compactions run as the store grows, and at
// least daily for files that have not been compacted (periodic_compaction_seconds), so an entry
// is gone within about a day after its retention ends.
#ifndef TELLTALE_STORE_RETENTION_FILTER_H_
#define TELLTALE_STORE_RETENTION_FILTER_H_

#include <rocksdb/compaction_filter.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/clock.h"

namespace telltale {

class RetentionFilter : public rocksdb::CompactionFilter {
 public:
  // The time (Unix seconds) of an entry, from its value; nullopt keeps it.
  using TimeOf = std::optional<int64_t> (*)(std::string_view value);

  // Entries older than `keep_seconds` by `clock` are dropped; 0 keeps everything.
  RetentionFilter(const char* name, TimeOf time_of, const Clock& clock, int64_t keep_seconds)
      : name_(name), time_of_(time_of), clock_(clock), keep_seconds_(keep_seconds) {}

  bool Filter(int level, const rocksdb::Slice& key, const rocksdb::Slice& value,
              std::string* new_value, bool* value_changed) const override;
  const char* Name() const override { return name_; }

 private:
  const char* name_;
  TimeOf time_of_;
  const Clock& clock_;
  int64_t keep_seconds_;
};

// A prediction's event time from its id index entry (an encoded PredictionRef).
std::optional<int64_t> PredictionTime(std::string_view value);
// A pending actual's arrival time (an encoded PendingActual).
std::optional<int64_t> PendingArrivalTime(std::string_view value);

}  // namespace telltale

#endif  // TELLTALE_STORE_RETENTION_FILTER_H_
