// telltale_load: posts batches of rows to a telltale server over keep-alive connections and reports
// throughput and request latency; or, with --parse-only, decodes the same bodies in-process (the
// ceiling the server's ingestion is compared with).
//
//   telltale_load --url http://127.0.0.1:8080 --token KEY --model m --version v1
//                 [--connections 8] [--seconds 30] [--rate ROWS_PER_S] [--rows 1000]
//                 [--features 25] [--max-rows N] [--ndjson | --columns]
//   telltale_load --parse-only [--fold] [--seconds 10] [--threads 2] [--rows 1000] [--features 25]
//                 [--ndjson | --columns]
//   telltale_load --url ... --model m --actuals N --first-id ID [--connections 8] [--rows 1000]
//
// Prints one JSON object. Each request's rows carry fresh ids (a counter from --first-id written
// into a prepared body), so none is rejected as a duplicate; event times spread over the last
// hours. With --task binary_classification the version declares a boolean actual `label`; with
// --actuals N the generator posts actuals for the N ids from --first-id on, in a shuffled order.
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ingest/column_body.h"
#include "ingest/column_decoder.h"
#include "ingest/row_decoder.h"
#include "ingest/window_profile.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kIdDigits = 12;

// A request body of `rows` rows whose ids are 12-digit counters patched in place.
struct BodyTemplate {
  std::string text;
  std::vector<size_t> id_offsets;

  void Stamp(uint64_t first_id) {
    for (size_t i = 0; i < id_offsets.size(); ++i) Write(i, first_id + i);
  }
  // Ids from a list (as many as the body has rows).
  void StampIds(const uint64_t* ids) {
    for (size_t i = 0; i < id_offsets.size(); ++i) Write(i, ids[i]);
  }

 private:
  void Write(size_t row, uint64_t id) {
    for (int digit = kIdDigits - 1; digit >= 0; --digit) {
      text[id_offsets[row] + static_cast<size_t>(digit)] = static_cast<char>('0' + id % 10);
      id /= 10;
    }
  }
};

// A body of `rows` actuals (a boolean label each) whose ids are patched in.
BodyTemplate MakeActualsBody(int rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  BodyTemplate body;
  body.text = "{\"rows\":[";
  for (int r = 0; r < rows; ++r) {
    if (r) body.text += ',';
    body.text += "{\"id\":\"";
    body.id_offsets.push_back(body.text.size());
    body.text += std::string(kIdDigits, '0');
    body.text += std::string("\",\"actuals\":{\"label\":") + (rng() % 2 ? "true" : "false") + "}}";
  }
  body.text += "]}";
  return body;
}

// The same rows as NDJSON, one per line (the Python SDK's format).
BodyTemplate ToNdjson(BodyTemplate body) {
  constexpr std::string_view kPrefix = "{\"rows\":[";
  body.text = body.text.substr(kPrefix.size(), body.text.size() - kPrefix.size() - 2);
  for (size_t& offset : body.id_offsets) offset -= kPrefix.size();
  // Each row but the first starts with {"id":" right after the comma that separated it.
  constexpr size_t kIdStart = std::string_view("{\"id\":\"").size();
  for (size_t row = 1; row < body.id_offsets.size(); ++row) {
    body.text[body.id_offsets[row] - kIdStart - 1] = '\n';
  }
  body.text += '\n';
  return body;
}

std::string FeatureName(int i) { return "f" + std::to_string(i); }

BodyTemplate MakeBody(int rows, int features, uint64_t seed, int64_t now) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  BodyTemplate body;
  body.text = "{\"rows\":[";
  char time[32];
  for (int r = 0; r < rows; ++r) {
    if (r) body.text += ',';
    body.text += "{\"id\":\"";
    body.id_offsets.push_back(body.text.size());
    body.text += std::string(kIdDigits, '0');
    time_t t = static_cast<time_t>(now - static_cast<int64_t>(rng() % 7200));
    // gmtime_r: connections build their bodies side by side, and gmtime's one shared result mixed
    // one body's date with another's hour (rows a day ahead, refused as in the future).
    std::tm fields{};
    gmtime_r(&t, &fields);
    std::strftime(time, sizeof(time), "%Y-%m-%dT%H:%M:%SZ", &fields);
    body.text += "\",\"timestamp\":\"" + std::string(time) + "\",\"features\":{";
    for (int f = 0; f < features; ++f) {
      if (f) body.text += ',';
      body.text += "\"" + FeatureName(f) + "\":";
      if (f % 5 == 4) {
        body.text += "\"c" + std::to_string(rng() % 20) + "\"";
      } else {
        char number[32];
        std::snprintf(number, sizeof(number), "%.4f", normal(rng) * (f + 1) + f);
        body.text += number;
      }
    }
    body.text += "},\"predictions\":{\"score\":" + std::to_string((rng() % 1000) / 1000.0) + "}}";
  }
  body.text += "]}";
  return body;
}

// Rows like MakeBody's as a columnar body (the Python SDK's format for DataFrames). The ids are
// fixed-width texts lying one after another in the body, so they are patched in place as well.
BodyTemplate MakeColumnsBody(int rows, int features, uint64_t seed, int64_t now) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  std::vector<int64_t> times(static_cast<size_t>(rows));
  std::vector<std::vector<double>> numbers(static_cast<size_t>(features));
  std::vector<std::vector<int64_t>> codes(static_cast<size_t>(features));
  std::vector<double> scores(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    times[r] = (now - static_cast<int64_t>(rng() % 7200)) * 1'000'000'000;
    for (int f = 0; f < features; ++f) {
      if (f % 5 == 4) {
        codes[f].push_back(static_cast<int64_t>(rng() % 20));
      } else {
        numbers[f].push_back(normal(rng) * (f + 1) + f);
      }
    }
    scores[r] = static_cast<double>(rng() % 1000) / 1000.0;
  }
  telltale::ColumnBatch batch;
  batch.rows = static_cast<size_t>(rows);
  batch.ids.assign(batch.rows, std::string(kIdDigits, '0'));
  batch.timestamps = times.data();
  telltale::ColumnGroup group{"features", {}};
  for (int f = 0; f < features; ++f) {
    telltale::ColumnSource column;
    column.name = FeatureName(f);
    if (f % 5 == 4) {
      column.kind = telltale::ColumnSource::Kind::kCoded;
      column.codes = codes[f].data();
      for (int c = 0; c < 20; ++c) column.dictionary.push_back("\"c" + std::to_string(c) + "\"");
    } else {
      column.numbers = numbers[f].data();
    }
    group.columns.push_back(std::move(column));
  }
  batch.groups.push_back(std::move(group));
  telltale::ColumnSource score;
  score.name = "score";
  score.numbers = scores.data();
  batch.groups.push_back({"predictions", {std::move(score)}});
  BodyTemplate body;
  body.text = telltale::WriteColumnBody(batch, 0, batch.rows);
  size_t ids = body.text.find(std::string(batch.rows * kIdDigits, '0'));
  if (ids == std::string::npos) std::abort();
  for (size_t r = 0; r < batch.rows; ++r) body.id_offsets.push_back(ids + r * kIdDigits);
  return body;
}

nlohmann::json SchemaJson(int features, bool with_actual) {
  nlohmann::json schema;
  for (int f = 0; f < features; ++f) {
    schema["features"][FeatureName(f)] = f % 5 == 4 ? "categorical" : "numeric";
  }
  schema["predictions"]["score"] = "numeric";
  if (with_actual) schema["actuals"]["label"] = "boolean";
  return schema;
}

double Percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  size_t index = static_cast<size_t>(q * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return values[index];
}

int ParseOnly(int seconds, int threads, int rows, int features, bool ndjson, bool columns,
              bool fold) {
  telltale::VersionSchema schema =
      telltale::VersionSchema::FromJson(SchemaJson(features, false), nullptr).value();
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  std::atomic<uint64_t> decoded{0};
  std::atomic<uint64_t> bytes{0};
  auto deadline = Clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      BodyTemplate body = columns
                              ? MakeColumnsBody(rows, features, static_cast<uint64_t>(t) + 1, now)
                              : MakeBody(rows, features, static_cast<uint64_t>(t) + 1, now);
      if (ndjson) body = ToNdjson(std::move(body));
      telltale::DecodeOptions options;
      options.receive_time = now;
      options.ndjson = ndjson;
      uint64_t id = static_cast<uint64_t>(t) << 40;
      telltale::WindowProfile window(schema);
      std::vector<const telltale::Row*> accepted;
      while (Clock::now() < deadline) {
        body.Stamp(id);
        id += static_cast<uint64_t>(rows);
        auto result = columns ? telltale::DecodeColumns(body.text, schema, options, {})
                              : telltale::DecodeRows(body.text, schema, options, {});
        if (!result.ok() || result->rows.size() != static_cast<size_t>(rows)) std::abort();
        if (fold) {
          accepted.clear();
          for (const telltale::Row& row : result->rows) accepted.push_back(&row);
          window.Fold(schema, accepted);
        }
        decoded += result->rows.size();
        bytes += body.text.size();
      }
    });
  }
  auto start = Clock::now();
  for (auto& worker : workers) worker.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  nlohmann::json out = {
      {"mode", "parse_only"},
      {"format", columns  ? "columns"
                 : ndjson ? "ndjson"
                          : "json"},
      {"threads", threads},
      {"fold", fold},
      {"rows_per_second", static_cast<double>(decoded.load()) / elapsed},
      {"megabytes_per_second", static_cast<double>(bytes.load()) / elapsed / 1e6}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Load generator for telltale's ingestion."};
  std::string url = "http://127.0.0.1:8080", token, model = "bench", version = "v1";
  std::string task = "regression";
  int connections = 8, seconds = 30, rows = 1000, features = 25, threads = 2;
  double rate = 0;
  uint64_t max_rows = 0, actuals = 0;
  int64_t first_id = -1;
  bool parse_only = false, fold = false, setup = false, ndjson = false, columns = false;
  app.add_option("--url", url);
  app.add_option("--token", token);
  app.add_option("--model", model);
  app.add_option("--version", version);
  app.add_option("--connections", connections);
  app.add_option("--seconds", seconds);
  app.add_option("--rate", rate, "target rows per second (0: as fast as possible)");
  app.add_option("--rows", rows, "rows per request");
  app.add_option("--features", features);
  app.add_option("--max-rows", max_rows, "stop after this many rows (0: run for --seconds)");
  app.add_option("--threads", threads, "--parse-only threads");
  app.add_flag("--parse-only", parse_only);
  app.add_flag("--fold", fold,
               "with --parse-only: fold the decoded rows into a window profile per thread, as the "
               "server does (the sketches of every field)");
  app.add_flag("--ndjson", ndjson, "send (or with --parse-only, decode) NDJSON bodies");
  app.add_flag("--columns", columns,
               "send (or with --parse-only, decode) columnar bodies, as the Python SDK does");
  app.add_flag("--setup", setup, "create the model and version first");
  app.add_option("--task", task, "with --setup: regression or binary_classification");
  app.add_option("--first-id", first_id, "the first row id (default: the current time x 10^6)");
  app.add_option("--actuals", actuals, "post actuals for this many ids from --first-id instead");
  CLI11_PARSE(app, argc, argv);
  if (parse_only) return ParseOnly(seconds, threads, rows, features, ndjson, columns, fold);

  httplib::Headers headers = {{"Authorization", "Bearer " + token}};
  std::string path = "/api/v1/models/" + model + "/versions/" + version + "/predictions";
  if (setup) {
    httplib::Client client(url);
    client.Post("/api/v1/models", headers, nlohmann::json({{"name", model}, {"task", task}}).dump(),
                "application/json");
    nlohmann::json schema = SchemaJson(features, task == "binary_classification");
    auto created = client.Post("/api/v1/models/" + model + "/versions", headers,
                               nlohmann::json({{"version", version}, {"schema", schema}}).dump(),
                               "application/json");
    if (!created || (created->status != 201 && created->status != 409)) {
      std::fprintf(stderr, "cannot create the version\n");
      return 2;
    }
  }
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  uint64_t first =
      first_id >= 0 ? static_cast<uint64_t>(first_id) : static_cast<uint64_t>(now) * 1000000;
  std::atomic<uint64_t> next_id{first};
  // Actuals: the ids of the predictions in a shuffled order, taken a request at a time.
  std::vector<uint64_t> shuffled;
  if (actuals > 0) {
    path = "/api/v1/models/" + model + "/actuals";
    shuffled.resize(actuals);
    for (uint64_t i = 0; i < actuals; ++i) shuffled[i] = first + i;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(42));
    max_rows = actuals - actuals % static_cast<uint64_t>(rows);
  }
  std::atomic<uint64_t> next_actual{0};
  std::atomic<uint64_t> sent_rows{0}, errors{0};
  std::mutex latency_mutex;
  std::vector<double> latencies;
  auto start = Clock::now();
  auto deadline = start + std::chrono::seconds(seconds);
  // With a rate, each connection sends its share on a fixed schedule (open loop).
  double interval = rate > 0 ? connections * rows / rate : 0;
  std::vector<std::thread> workers;
  for (int c = 0; c < connections; ++c) {
    workers.emplace_back([&, c] {
      httplib::Client client(url);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(60);
      BodyTemplate body = actuals > 0 ? MakeActualsBody(rows, static_cast<uint64_t>(c) + 7)
                          : columns
                              ? MakeColumnsBody(rows, features, static_cast<uint64_t>(c) + 7, now)
                              : MakeBody(rows, features, static_cast<uint64_t>(c) + 7, now);
      if (ndjson) body = ToNdjson(std::move(body));
      std::vector<double> mine;
      auto next = start + std::chrono::duration<double>(interval * c / connections);
      while (Clock::now() < deadline && (max_rows == 0 || sent_rows.load() < max_rows)) {
        if (interval > 0) {
          std::this_thread::sleep_until(next);
          next +=
              std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval));
        }
        if (actuals > 0) {
          uint64_t from = next_actual.fetch_add(static_cast<uint64_t>(rows));
          if (from + static_cast<uint64_t>(rows) > max_rows) break;
          body.StampIds(&shuffled[from]);
        } else {
          body.Stamp(next_id.fetch_add(static_cast<uint64_t>(rows)));
        }
        auto sent = Clock::now();
        auto response = client.Post(path, headers, body.text,
                                    columns  ? std::string(telltale::kColumnsContentType)
                                    : ndjson ? "application/x-ndjson"
                                             : "application/json");
        mine.push_back(std::chrono::duration<double>(Clock::now() - sent).count());
        if (!response || response->status != 200) {
          ++errors;
          continue;
        }
        sent_rows += static_cast<uint64_t>(rows);
      }
      std::lock_guard lock(latency_mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& worker : workers) worker.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  nlohmann::json out = {{"mode", "http"},
                        {"connections", connections},
                        {"target_rows_per_second", rate},
                        {"rows", sent_rows.load()},
                        {"seconds", elapsed},
                        {"rows_per_second", static_cast<double>(sent_rows.load()) / elapsed},
                        {"requests", latencies.size()},
                        {"errors", errors.load()},
                        {"latency_p50_ms", Percentile(latencies, 0.5) * 1000},
                        {"latency_p99_ms", Percentile(latencies, 0.99) * 1000},
                        {"latency_max_ms", Percentile(latencies, 1.0) * 1000}};
  std::printf("%s\n", out.dump().c_str());
  return errors.load() == 0 ? 0 : 1;
}
