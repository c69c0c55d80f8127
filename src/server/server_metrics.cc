#include "server/server_metrics.h"

#include <fmt/format.h>

namespace telltale {
namespace {

constexpr const char* kGroupNames[kRouteGroupCount] = {"ingest", "query", "registry", "other"};

// A gauge with one series per value of `label`.
void RenderLabeledGauge(std::string_view name, std::string_view help, std::string_view label,
                        const std::vector<std::pair<std::string, uint64_t>>& series,
                        std::string& out) {
  out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
  for (const auto& [value, number] : series) {
    out += fmt::format("{}{{{}=\"{}\"}} {}\n", name, label, value, number);
  }
}

}  // namespace

void LatencyHistogram::Observe(double seconds) {
  size_t bucket = 0;
  while (bucket < kBounds.size() && seconds > kBounds[bucket]) ++bucket;
  ++counts_[bucket];
  sum_nanoseconds_ += static_cast<uint64_t>(seconds * 1e9);
}

void LatencyHistogram::Render(const std::string& name, const std::string& labels,
                              std::string& out) const {
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += counts_[i].load();
    out += fmt::format("{}_bucket{{{},le=\"{}\"}} {}\n", name, labels, kBounds[i], cumulative);
  }
  cumulative += counts_[kBounds.size()].load();
  out += fmt::format("{}_bucket{{{},le=\"+Inf\"}} {}\n", name, labels, cumulative);
  out += fmt::format("{}_sum{{{}}} {}\n", name, labels,
                     static_cast<double>(sum_nanoseconds_.load()) / 1e9);
  out += fmt::format("{}_count{{{}}} {}\n", name, labels, cumulative);
}

void ServerMetrics::ObserveRequest(RouteGroup group, int status, double seconds) {
  latency_[static_cast<size_t>(group)].Observe(seconds);
  int status_class = status / 100;
  ++responses_[status_class >= 1 && status_class <= 5 ? status_class - 1 : 5];
}

std::string ServerMetrics::Render(const IngestCounters& ingest, const StoreGauges& store) const {
  std::string out;
  out += "# HELP telltale_rows_ingested_total Rows accepted by ingestion.\n";
  out += "# TYPE telltale_rows_ingested_total counter\n";
  out += fmt::format("telltale_rows_ingested_total {}\n", ingest.accepted.load());
  out += "# HELP telltale_rows_rejected_total Rows rejected by ingestion, by reason.\n";
  out += "# TYPE telltale_rows_rejected_total counter\n";
  for (int reason = 0; reason < kRejectReasonCount; ++reason) {
    out += fmt::format("telltale_rows_rejected_total{{reason=\"{}\"}} {}\n",
                       RejectReasonName(static_cast<RejectReason>(reason)),
                       ingest.rejected[static_cast<size_t>(reason)].load());
  }
  out +=
      "# HELP telltale_actuals_total Actuals by outcome: joined to their prediction, pending "
      "(no prediction yet), unmatched (still none when pending_actuals ran out), refused (its "
      "prediction came, for a version that could not compare it).\n";
  out += "# TYPE telltale_actuals_total counter\n";
  out += fmt::format("telltale_actuals_total{{outcome=\"joined\"}} {}\n",
                     ingest.actuals_joined.load());
  out += fmt::format("telltale_actuals_total{{outcome=\"pending\"}} {}\n",
                     ingest.actuals_pending.load());
  out += fmt::format("telltale_actuals_total{{outcome=\"unmatched\"}} {}\n",
                     ingest.actuals_unmatched.load());
  out += fmt::format("telltale_actuals_total{{outcome=\"refused\"}} {}\n",
                     ingest.actuals_refused.load());
  out += "# HELP telltale_http_request_duration_seconds Request latency by route group.\n";
  out += "# TYPE telltale_http_request_duration_seconds histogram\n";
  for (int group = 0; group < kRouteGroupCount; ++group) {
    latency_[static_cast<size_t>(group)].Render("telltale_http_request_duration_seconds",
                                                fmt::format("route=\"{}\"", kGroupNames[group]),
                                                out);
  }
  out += "# HELP telltale_http_responses_total Responses by status class.\n";
  out += "# TYPE telltale_http_responses_total counter\n";
  static constexpr const char* kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
  for (size_t i = 0; i < responses_.size(); ++i) {
    out += fmt::format("telltale_http_responses_total{{code=\"{}\"}} {}\n", kClasses[i],
                       responses_[i].load());
  }
  out += "# HELP telltale_store_size_bytes Bytes of the data store on disk.\n";
  out += "# TYPE telltale_store_size_bytes gauge\n";
  out += fmt::format("telltale_store_size_bytes {}\n", store.size_bytes);
  RenderLabeledGauge("telltale_store_part_bytes",
                     "Bytes of each part of the data store in its table files (log, windows, ids: "
                     "the prediction index, joined: its entries joined to an actual, pending: "
                     "early actuals); recent writes are in the write-ahead log until flushed.",
                     "part", store.part_bytes, out);
  RenderLabeledGauge("telltale_store_memory_bytes",
                     "Memory of the data store by use (memtables: recent writes; table_readers: "
                     "index and filter blocks of the table files; block_cache: blocks read "
                     "recently; joined_filter: which ids have an actual joined).",
                     "use", store.memory_bytes, out);
  out += "# HELP telltale_open_windows Window profiles held in memory.\n";
  out += "# TYPE telltale_open_windows gauge\n";
  out += fmt::format("telltale_open_windows {}\n", store.open_windows);
  out +=
      "# HELP telltale_held_index_entries Id index entries rewritten with actuals since the last "
      "checkpoint, held in memory.\n";
  out += "# TYPE telltale_held_index_entries gauge\n";
  out += fmt::format("telltale_held_index_entries {}\n", store.held_index_entries);
  return out;
}

}  // namespace telltale
