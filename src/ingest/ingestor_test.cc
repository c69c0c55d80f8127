// The ingest path against a real RocksDB store in a temporary directory: durable appends, window
// folding, checkpoints, replay after a crash (exactly once), eviction and concurrent writers.
#include "ingest/ingestor.h"

#include "ingest/row_decoder.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

namespace telltale {
namespace {

constexpr int64_t kNow = 1795514400;  // 2026-11-24T10:00:00Z

class IngestorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("telltale-ingestor-" + std::to_string(std::random_device()()));
    schema_ = std::make_shared<const VersionSchema>(
        VersionSchema::FromJson({{"features", {{"x", "numeric"}, {"c", "categorical"}}}},
                                nlohmann::json::parse(R"([{"name": "A", "where": {"c": ["a"]}}])"))
            .value());
    Open();
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(directory_);
  }
  // Opens the store and replays the log, as the server does at start.
  void Open() {
    store_ = DataStore::Open(directory_.string(), 0).value();
    windows_ = std::make_unique<LiveWindows>(*store_);
    windows_->AddVersion(1, schema_);
    ingestor_ = std::make_unique<Ingestor>(*store_, *windows_, clock_, IngestLimits{});
    ASSERT_TRUE(ingestor_->Recover().ok());
  }
  // Drops everything in memory without a checkpoint: what kill -9 leaves.
  void Close() {
    ingestor_.reset();
    windows_.reset();
    store_.reset();
  }
  IngestResult Ingest(const std::string& body) {
    IngestRequest request;
    request.version_id = 1;
    request.body = body;
    Result<IngestResult> result = ingestor_->Ingest(request);
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? *result : IngestResult{};
  }
  static std::string Rows(int first, int count, const char* time = "2026-11-24T09:30:00Z") {
    nlohmann::json rows = nlohmann::json::array();
    for (int i = first; i < first + count; ++i) {
      rows.push_back({{"id", "r" + std::to_string(i)},
                      {"timestamp", time},
                      {"features", {{"x", i}, {"c", i % 2 ? "a" : "b"}}}});
    }
    return nlohmann::json({{"rows", rows}}).dump();
  }
  // Rows and the sum of x over all windows of a series, from hourly windows or day rollups.
  std::pair<uint64_t, double> Totals(uint32_t segment = 0,
                                     LiveWindows::Span span = LiveWindows::Span::kHours) {
    uint64_t rows = 0;
    double sum = 0;
    EXPECT_TRUE(windows_
                    ->Visit(1, Environment::kProduction, segment, 0, 1 << 30, span,
                            [&](int64_t, const WindowProfile& window) {
                              rows += window.profile().rows();
                              const FieldProfile* x = window.profile().Find("x");
                              sum += x->moments.mean() * static_cast<double>(x->moments.count());
                            })
                    .ok());
    return {rows, sum};
  }

  std::filesystem::path directory_;
  std::shared_ptr<const VersionSchema> schema_;
  FakeClock clock_{kNow};
  std::unique_ptr<DataStore> store_;
  std::unique_ptr<LiveWindows> windows_;
  std::unique_ptr<Ingestor> ingestor_;
};

TEST_F(IngestorTest, EveryAcknowledgedRowIsCountedOnceAcrossCrashesAndCheckpoints) {
  EXPECT_EQ(Ingest(Rows(0, 100)).accepted, 100u);
  EXPECT_EQ(Ingest(Rows(100, 50)).accepted, 50u);
  ASSERT_TRUE(windows_->Checkpoint(0).ok());
  EXPECT_EQ(Ingest(Rows(150, 25)).accepted, 25u);  // in the log only
  Close();
  Open();
  EXPECT_EQ(Totals().first, 175u);
  EXPECT_DOUBLE_EQ(Totals().second, 174.0 * 175 / 2);
  EXPECT_EQ(Totals(1).first, 87u);                          // segment A: odd x
  EXPECT_EQ(Totals(0, LiveWindows::Span::kAny), Totals());  // the day rollups agree
  EXPECT_EQ(Totals(1, LiveWindows::Span::kAny), Totals(1));
  ASSERT_TRUE(windows_->Checkpoint(0).ok());
  Close();
  Open();  // replays nothing twice
  EXPECT_EQ(Totals().first, 175u);
  // Ids logged before the crash are still known.
  IngestResult again = Ingest(Rows(170, 10));
  EXPECT_EQ(again.accepted, 5u);
  EXPECT_EQ(again.rejected.size(), 5u);
  EXPECT_EQ(again.rejected[0].reason, RejectReason::kDuplicate);
}

TEST_F(IngestorTest, OldWindowsLeaveMemoryButNotTheStore) {
  Ingest(Rows(0, 10, "2026-11-20T09:00:00Z"));
  Ingest(Rows(10, 10, "2026-11-24T09:00:00Z"));
  // Two hours and their two days, for all rows and for segment A.
  EXPECT_EQ(windows_->open_windows(), 8u);
  ASSERT_TRUE(windows_->Checkpoint(HourOf(kNow) - 3).ok());
  EXPECT_EQ(windows_->open_windows(), 4u);
  EXPECT_EQ(Totals().first, 20u);
  EXPECT_EQ(Totals(0, LiveWindows::Span::kAny).first, 20u);
  // A late row reopens its window from the store.
  Ingest(Rows(20, 1, "2026-11-20T09:10:00Z"));
  EXPECT_EQ(Totals().first, 21u);
  ASSERT_TRUE(windows_->Checkpoint(HourOf(kNow) - 3).ok());
  Close();
  Open();
  EXPECT_EQ(Totals().first, 21u);
  EXPECT_EQ(Totals(0, LiveWindows::Span::kAny).first, 21u);
}

TEST_F(IngestorTest, RangesMergeDayRollupsAndTheHoursAtTheirEnds) {
  // Rows in 60 consecutive hours from 2026-11-21T00:00Z.
  for (int hour = 0; hour < 60; ++hour) {
    std::string time = FormatRfc3339(ParseRfc3339("2026-11-21T00:30:00Z").value() + hour * 3600);
    Ingest(Rows(hour * 10, 10, time.c_str()));
  }
  ASSERT_TRUE(windows_->Checkpoint(HourOf(kNow)).ok());  // everything goes to the store
  int64_t start = HourOf(ParseRfc3339("2026-11-21T00:00:00Z").value());
  for (auto [from, to] : {std::pair{start + 5, start + 53},
                          {start, start + 48},
                          {start + 1, start + 23},
                          {start + 23, start + 25},
                          {start - 100, start + 1000}}) {
    uint64_t by_hour = 0, any = 0, visits = 0;
    ASSERT_TRUE(windows_
                    ->Visit(1, Environment::kProduction, 0, from, to, LiveWindows::Span::kHours,
                            [&](int64_t, const WindowProfile& w) { by_hour += w.profile().rows(); })
                    .ok());
    ASSERT_TRUE(windows_
                    ->Visit(1, Environment::kProduction, 0, from, to, LiveWindows::Span::kAny,
                            [&](int64_t, const WindowProfile& w) {
                              any += w.profile().rows();
                              ++visits;
                            })
                    .ok());
    int64_t covered =
        std::max<int64_t>(0, std::min<int64_t>(to, start + 60) - std::max(from, start));
    EXPECT_EQ(by_hour, static_cast<uint64_t>(covered * 10)) << from - start << ".." << to - start;
    EXPECT_EQ(any, by_hour) << from - start << ".." << to - start;
    if (from == start && to == start + 48) {
      EXPECT_EQ(visits, 2u);  // two whole days
    }
  }
}

TEST_F(IngestorTest, ConcurrentWritersRacingForTheSameIdsAcceptEachOnce) {
  constexpr int kThreads = 4;
  constexpr int kRequests = 30;
  std::atomic<uint64_t> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRequests; ++r) {
        // Every thread sends the same ids; a checkpoint runs now and then meanwhile.
        IngestRequest request;
        request.version_id = 1;
        std::string body = Rows(r * 20, 20);
        request.body = body;
        Result<IngestResult> result = ingestor_->Ingest(request);
        ASSERT_TRUE(result.ok());
        accepted += result->accepted;
        if ((r + t) % 7 == 0) {
          ASSERT_TRUE(windows_->Checkpoint(0).ok());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), static_cast<uint64_t>(kRequests * 20));
  EXPECT_EQ(Totals().first, static_cast<uint64_t>(kRequests * 20));
  Close();
  Open();
  EXPECT_EQ(Totals().first, static_cast<uint64_t>(kRequests * 20));
}

TEST_F(IngestorTest, TimeBoundsUseTheClock) {
  IngestResult result = Ingest(R"({"rows": [{"id": "old", "timestamp": "2026-11-01T00:00:00Z"},
                                            {"id": "ahead", "timestamp": "2026-11-24T11:30:00Z"},
                                            {"id": "fine", "timestamp": "2026-11-24T10:30:00Z"}]})");
  EXPECT_EQ(result.accepted, 1u);
  ASSERT_EQ(result.rejected.size(), 2u);
  EXPECT_EQ(result.rejected[0].reason, RejectReason::kTooLate);
  EXPECT_EQ(result.rejected[1].reason, RejectReason::kInFuture);
  clock_.Set(kNow + 7200);
  EXPECT_EQ(Ingest(R"({"rows": [{"id": "ahead", "timestamp": "2026-11-24T11:30:00Z"}]})").accepted,
            1u);
}

TEST_F(IngestorTest, AtomicRequestsWriteNothingOnAnyRejection) {
  IngestRequest request;
  request.version_id = 1;
  request.atomic = true;
  std::string body = R"({"rows": [{"id": "a"}, {"id": "b", "features": {"x": "no"}}]})";
  request.body = body;
  Result<IngestResult> result = ingestor_->Ingest(request);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->refused);
  EXPECT_EQ(Totals().first, 0u);
  EXPECT_EQ(Ingest(R"({"rows": [{"id": "a"}]})").accepted, 1u);  // "a" was not claimed
}

TEST_F(IngestorTest, ActualsRacingTheirPredictionsAreEachJoinedOnce) {
  // Version 2 of model 7: a binary classifier. Predictions and their actuals are sent at the same
  // time from two threads, so actuals arrive before, during and after their predictions.
  auto schema = std::make_shared<const VersionSchema>(
      VersionSchema::FromJson({{"features", {{"x", "numeric"}}},
                               {"predictions", {{"score", "numeric"}}},
                               {"actuals", {{"label", "boolean"}}}},
                              nlohmann::json::array())
          .value());
  windows_->AddVersion(2, schema, 7, PerformanceSpec(Task::kBinaryClassification, *schema));
  constexpr int kRows = 2000, kBatch = 40;
  auto predictions = [&] {
    for (int first = 0; first < kRows; first += kBatch) {
      nlohmann::json rows = nlohmann::json::array();
      for (int i = first; i < first + kBatch; ++i) {
        rows.push_back({{"id", "p" + std::to_string(i)},
                        {"timestamp", "2026-11-24T09:30:00Z"},
                        {"features", {{"x", i}}},
                        {"predictions", {{"score", i % 4 == 0 ? 0.9 : 0.1}}}});
      }
      std::string body = nlohmann::json({{"rows", rows}}).dump();
      IngestRequest request;
      request.version_id = 2;
      request.body = body;
      EXPECT_EQ(ingestor_->Ingest(request)->accepted, static_cast<size_t>(kBatch));
    }
  };
  auto actuals = [&] {
    for (int first = 0; first < kRows; first += kBatch) {
      nlohmann::json rows = nlohmann::json::array();
      for (int i = first; i < first + kBatch; ++i) {
        rows.push_back({{"id", "p" + std::to_string(i)}, {"actuals", {{"label", i % 2 == 0}}}});
      }
      std::string body = nlohmann::json({{"rows", rows}}).dump();
      ActualsRequest request;
      request.model_id = 7;
      request.version_ids = {2};
      request.body = body;
      Result<ActualsResult> result = ingestor_->IngestActuals(request);
      ASSERT_TRUE(result.ok()) << result.status().message();
      EXPECT_EQ(result->joined + result->pending, static_cast<size_t>(kBatch));
    }
  };
  std::thread first(predictions), second(actuals);
  first.join();
  second.join();
  PerformanceAccumulator total;
  ASSERT_TRUE(
      windows_
          ->Visit(2, Environment::kProduction, 0, 0, 1 << 30, LiveWindows::Span::kHours,
                  [&](int64_t, const WindowProfile& window) { total.Merge(window.performance()); })
          .ok());
  // Every id labelled exactly once: 1 in 4 predicted positive, 1 in 2 actually positive.
  EXPECT_EQ(total.labeled(), static_cast<uint64_t>(kRows));
  EXPECT_EQ(*total.Metric("tp"), kRows / 4);
  EXPECT_EQ(*total.Metric("fn"), kRows / 4);
  EXPECT_EQ(*total.Metric("tn"), kRows / 2);
  // And after a crash, the same from the log and the checkpoints.
  ASSERT_TRUE(windows_->Checkpoint(0).ok());
  Close();
  Open();
  schema = std::make_shared<const VersionSchema>(*schema);
  windows_->AddVersion(2, schema, 7, PerformanceSpec(Task::kBinaryClassification, *schema));
  PerformanceAccumulator reopened;
  ASSERT_TRUE(windows_
                  ->Visit(2, Environment::kProduction, 0, 0, 1 << 30, LiveWindows::Span::kHours,
                          [&](int64_t, const WindowProfile& window) {
                            reopened.Merge(window.performance());
                          })
                  .ok());
  EXPECT_EQ(reopened.labeled(), static_cast<uint64_t>(kRows));
}

}  // namespace
}  // namespace telltale
