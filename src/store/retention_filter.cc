#include "store/retention_filter.h"

namespace telltale {
namespace {

class RetentionFilter : public rocksdb::CompactionFilter {
 public:
  RetentionFilter(const char* name, RetentionFilterFactory::TimeOf time_of, int64_t cutoff)
      : name_(name), time_of_(time_of), cutoff_(cutoff) {}

  bool Filter(int /*level*/, const rocksdb::Slice& /*key*/, const rocksdb::Slice& value,
              std::string* /*new_value*/, bool* /*value_changed*/) const override {
    Result<int64_t> time = time_of_(value.ToStringView());
    return time.ok() && *time < cutoff_;
  }
  const char* Name() const override { return name_; }

 private:
  const char* name_;
  RetentionFilterFactory::TimeOf time_of_;
  int64_t cutoff_;  // entries older than this go
};

}  // namespace

std::unique_ptr<rocksdb::CompactionFilter> RetentionFilterFactory::CreateCompactionFilter(
    const rocksdb::CompactionFilter::Context& /*context*/) {
  if (keep_seconds_ <= 0) return nullptr;  // no filter: everything is kept
  return std::make_unique<RetentionFilter>(name_, time_of_, clock_.Now() - keep_seconds_);
}

}  // namespace telltale
