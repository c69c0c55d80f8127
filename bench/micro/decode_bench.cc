// Decoding and validating ingest bodies: 1,000 rows of 20 numeric and 5 categorical features with
// ids and timestamps, in JSON, NDJSON and the columnar body the Python SDK sends. Items are rows.
// Run: build/telltale_micro_bench --benchmark_filter=Decode
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <random>
#include <string>

#include "ingest/column_body.h"
#include "ingest/column_decoder.h"
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

// Decodes `body` (1,000 rows of BenchSchema) with `decode` (DecodeRows or DecodeColumns).
template <typename Decode>
void DecodeBody(benchmark::State& state, const std::string& body, const DecodeOptions& options,
                Decode decode) {
  VersionSchema schema = BenchSchema();
  DecodeLimits limits;
  for (auto _ : state) {
    Result<DecodedRows> decoded = decode(body, schema, options, limits);
    if (!decoded.ok() || decoded->rows.size() != 1000) state.SkipWithError("decoding failed");
    benchmark::DoNotOptimize(decoded);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}

void DecodeJsonBody(benchmark::State& state, bool ndjson) {
  DecodeOptions options;
  options.ndjson = ndjson;
  DecodeBody(state, BenchRows(1000, ndjson), options, &DecodeRows);
}

// The same kind of rows as a columnar body.
std::string BenchColumns(size_t rows) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(1, 2);
  static std::vector<std::vector<double>> numbers;
  static std::vector<std::vector<int64_t>> codes;
  static std::vector<int64_t> times;
  numbers.assign(kNumbers, std::vector<double>(rows));
  codes.assign(kCategories, std::vector<int64_t>(rows));
  times.assign(rows, 1'796'119'200'000'000'000);
  ColumnBatch batch;
  batch.rows = rows;
  batch.timestamps = times.data();
  ColumnGroup features{"features", {}};
  for (int i = 0; i < kNumbers; ++i) {
    for (double& value : numbers[i]) value = normal(rng);
    ColumnSource column;
    column.name = fmt::format("num_{:02}", i);
    column.numbers = numbers[i].data();
    features.columns.push_back(std::move(column));
  }
  for (int i = 0; i < kCategories; ++i) {
    for (int64_t& code : codes[i]) code = static_cast<int64_t>(rng() % 20);
    ColumnSource column;
    column.name = fmt::format("cat_{}", i);
    column.kind = ColumnSource::Kind::kCoded;
    column.codes = codes[i].data();
    for (int value = 0; value < 20; ++value) {
      column.dictionary.push_back(fmt::format("\"{}{}\"", char('a' + i), value));
    }
    features.columns.push_back(std::move(column));
  }
  batch.groups.push_back(std::move(features));
  for (size_t row = 0; row < rows; ++row) batch.ids.push_back(fmt::format("req-{}", row));
  return WriteColumnBody(batch, 0, rows);
}

void BM_DecodeColumnRows(benchmark::State& state) {
  DecodeBody(state, BenchColumns(1000), DecodeOptions(), &DecodeColumns);
}
BENCHMARK(BM_DecodeColumnRows);

void BM_DecodeJsonRows(benchmark::State& state) { DecodeJsonBody(state, false); }
void BM_DecodeNdjsonRows(benchmark::State& state) { DecodeJsonBody(state, true); }
BENCHMARK(BM_DecodeJsonRows);
BENCHMARK(BM_DecodeNdjsonRows);

}  // namespace
}  // namespace telltale
