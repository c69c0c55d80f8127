// ServerMetrics: the server's own health in Prometheus text format (GET /metrics): rows ingested
// and rejected by reason, request latency by route group, requests by status, store size and the
// number of open windows.
#ifndef TELLTALE_SERVER_SERVER_METRICS_H_
#define TELLTALE_SERVER_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ingest/ingestor.h"

namespace telltale {

class LatencyHistogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,   0.5,   1,    2.5,   10};
  void Observe(double seconds);
  // Appends the _bucket, _sum and _count lines of `name` with the label `labels` ("route=...").
  void Render(const std::string& name, const std::string& labels, std::string& out) const;

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> counts_{};
  std::atomic<uint64_t> sum_nanoseconds_{0};
};

enum class RouteGroup { kIngest, kQuery, kRegistry, kOther };
inline constexpr int kRouteGroupCount = 4;

// What the store and the windows hold, read when /metrics is asked.
struct StoreGauges {
  uint64_t size_bytes = 0;                                     // DataStore::SizeBytes
  std::vector<std::pair<std::string, uint64_t>> part_bytes;    // DataStore::PartBytes
  std::vector<std::pair<std::string, uint64_t>> memory_bytes;  // DataStore::MemoryBytes
  size_t open_windows = 0;
  size_t held_index_entries = 0;
};

class ServerMetrics {
 public:
  void ObserveRequest(RouteGroup group, int status, double seconds);
  std::string Render(const IngestCounters& ingest, const StoreGauges& store) const;

 private:
  std::array<LatencyHistogram, kRouteGroupCount> latency_;
  std::array<std::atomic<uint64_t>, 6> responses_{};  // by status class: 1xx..5xx, other
};

}  // namespace telltale

#endif  // TELLTALE_SERVER_SERVER_METRICS_H_
