// Profiling throughput from in-memory columns (target: >= 50 million values per second per core)
// and CSV parsing throughput (target: >= 500 MB/s). Run: build/telltale_micro_bench.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "io/csv_reader.h"
#include "profile/profiler.h"

namespace telltale {
namespace {

Column NumericColumn(size_t rows) {
  Column column;
  column.name = "x";
  column.integral = false;
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal(100, 15);
  std::vector<double> values(rows);
  for (double& value : values) value = normal(rng);
  column.numbers.AssignPlain(std::move(values));
  return column;
}

void BM_ProfileNumericColumn(benchmark::State& state) {
  Column column = NumericColumn(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    FieldProfile profile = ProfileColumn(column, ColumnType::kNumerical);
    benchmark::DoNotOptimize(profile.moments.mean());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ProfileNumericColumn)->Arg(1 << 20);

void BM_ProfileCategoricalColumn(benchmark::State& state) {
  Column column;
  column.kind = StorageKind::kString;
  column.dictionary = {"US", "DE", "FR", "GB", "CA", "BR", "JP", "IN"};
  std::mt19937_64 rng(2);
  column.codes.resize(static_cast<size_t>(state.range(0)));
  for (uint32_t& code : column.codes)
    code = static_cast<uint32_t>(rng() % column.dictionary.size());
  for (auto _ : state) {
    FieldProfile profile = ProfileColumn(column, ColumnType::kCategorical);
    benchmark::DoNotOptimize(profile.categories.total());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ProfileCategoricalColumn)->Arg(1 << 20);

void BM_ParseCsv(benchmark::State& state) {
  std::string text = "a,b,c,d,e,f,g,h\n";
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0, 1000);
  const char* colors[] = {"red", "green", "blue"};
  for (int row = 0; row < 100'000; ++row) {
    for (int c = 0; c < 6; ++c) text += std::to_string(normal(rng)) + ",";
    text += std::to_string(row) + "," + colors[row % 3] + "\n";
  }
  for (auto _ : state) {
    Result<Table> table = ParseCsv(text, "bench.csv");
    benchmark::DoNotOptimize(table.ok());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ParseCsv)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace telltale

BENCHMARK_MAIN();
