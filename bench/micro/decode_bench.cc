// Decoding and validating ingest bodies: 1,000 rows of 20 numeric and 5 categorical features with
// ids and timestamps, as the Python SDK sends them, in JSON and NDJSON. Items are rows.
// Run: build/telltale_micro_bench --benchmark_filter=Decode
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <random>
#include <string>

#include "ingest/row_decoder.h"

namespace telltale {
namespace {

constexpr int kNumbers = 20;
constexpr int kCategories = 5;

VersionSchema BenchSchema() {
  nlohmann::json features;
  for (int i = 0; i < kNumbers; ++i) features[fmt::format("num_{:02}", i)] = "numeric";
  for (int i = 0; i < kCategories; ++i) features[fmt::format("cat_{}", i)] = "categorical";
  return VersionSchema::FromJson({{"features", features}}, nullptr).value();
}

std::string BenchRows(size_t rows, bool ndjson) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(1, 2);
  std::string body = ndjson ? "" : "{\"rows\":[";
  for (size_t row = 0; row < rows; ++row) {
    if (!ndjson && row > 0) body += ',';
    body += fmt::format(
        "{{\"id\":\"req-{}\",\"timestamp\":\"2026-12-01T10:00:00Z\",\"features\":{{", row);
    for (int i = 0; i < kNumbers; ++i) body += fmt::format("\"num_{:02}\":{:.7g},", i, normal(rng));
    for (int i = 0; i < kCategories; ++i) {
      body += fmt::format("\"cat_{}\":\"{}{}\"{}", i, char('a' + i), rng() % 20,
                          i + 1 < kCategories ? "," : "}}");
    }
    if (ndjson) body += '\n';
  }
  if (!ndjson) body += "]}";
  return body;
}

void DecodeBody(benchmark::State& state, bool ndjson) {
  VersionSchema schema = BenchSchema();
  std::string body = BenchRows(1000, ndjson);
  DecodeOptions options;
  options.ndjson = ndjson;
  DecodeLimits limits;
  for (auto _ : state) {
    Result<DecodedRows> decoded = DecodeRows(body, schema, options, limits);
    if (!decoded.ok() || decoded->rows.size() != 1000) state.SkipWithError("decoding failed");
    benchmark::DoNotOptimize(decoded);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}

void BM_DecodeJsonRows(benchmark::State& state) { DecodeBody(state, false); }
void BM_DecodeNdjsonRows(benchmark::State& state) { DecodeBody(state, true); }
BENCHMARK(BM_DecodeJsonRows);
BENCHMARK(BM_DecodeNdjsonRows);

}  // namespace
}  // namespace telltale
