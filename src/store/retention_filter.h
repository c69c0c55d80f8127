// RetentionFilterFactory: drops index entries past their retention while RocksDB compacts, so the
// id index and the pending actuals stay bounded by time instead of growing for ever.
//
// Each compaction gets a filter with its own cutoff (the clock read once); an entry's time is read
// from the head of its value (a prediction's event time, a pending actual's arrival time), and an
// entry whose value cannot be read is kept. Compactions run as the store grows, and at least daily
// for files that have not been compacted (periodic_compaction_seconds), so an entry is gone within
// about a day after its retention ends.
#ifndef TELLTALE_STORE_RETENTION_FILTER_H_
#define TELLTALE_STORE_RETENTION_FILTER_H_

#include <rocksdb/compaction_filter.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "common/clock.h"
#include "telltale/result.h"

namespace telltale {

class RetentionFilterFactory : public rocksdb::CompactionFilterFactory {
 public:
  // The time (Unix seconds) of an entry, from its value; an error keeps the entry.
  using TimeOf = Result<int64_t> (*)(std::string_view value);

  // Entries older than `keep_seconds` by `clock` (which outlives the factory) are dropped; 0
  // keeps everything.
  RetentionFilterFactory(const char* name, TimeOf time_of, const Clock& clock, int64_t keep_seconds)
      : name_(name), time_of_(time_of), clock_(clock), keep_seconds_(keep_seconds) {}

  std::unique_ptr<rocksdb::CompactionFilter> CreateCompactionFilter(
      const rocksdb::CompactionFilter::Context& context) override;
  const char* Name() const override { return name_; }

 private:
  const char* name_;
  TimeOf time_of_;
  const Clock& clock_;
  int64_t keep_seconds_;
};

}  // namespace telltale

#endif  // TELLTALE_STORE_RETENTION_FILTER_H_
