// The ingest path against a real RocksDB store in a temporary directory: durable appends, window
// folding, checkpoints, replay after a crash (exactly once), eviction and concurrent writers.
#include "ingest/ingestor.h"

#include "ingest/prediction_ref.h"
#include "ingest/row_decoder.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
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
    store_ = DataStore::Open(directory_.string(), {.min_free_bytes = 0}).value();
    windows_ = std::make_unique<LiveWindows>(*store_);
    windows_->AddVersion(1, schema_);
    ASSERT_TRUE(windows_->SetDayZone(1, zone_).ok());
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

  // Rows in `hours` consecutive hours from `first` (10 per hour, ids from `first_id`).
  void IngestHours(const char* first, int hours, int first_id = 0) {
    for (int hour = 0; hour < hours; ++hour) {
      std::string time = FormatRfc3339(ParseRfc3339(first).value() + hour * 3600);
      Ingest(Rows(first_id + hour * 10, 10, time.c_str()));
    }
  }
  // Rows per visited window (by its first hour) of [from, to).
  std::map<int64_t, uint64_t> RowsByWindow(int64_t from, int64_t to, LiveWindows::Span span,
                                           const std::string& days_of = "") {
    std::map<int64_t, uint64_t> rows;
    EXPECT_TRUE(
        windows_
            ->Visit(
                1, Environment::kProduction, 0, from, to, span,
                [&](int64_t hour, const WindowProfile& w) { rows[hour] += w.profile().rows(); },
                FieldSelection::All(), days_of)
            .ok());
    return rows;
  }

  // Version 2 of model 7: a binary classifier with a score and a boolean label.
  void AddClassifier() {
    auto schema = std::make_shared<const VersionSchema>(
        VersionSchema::FromJson({{"features", {{"x", "numeric"}}},
                                 {"predictions", {{"score", "numeric"}}},
                                 {"actuals", {{"label", "boolean"}}}},
                                nlohmann::json::array())
            .value());
    windows_->AddVersion(2, schema, 7, PerformanceSpec(Task::kBinaryClassification, *schema));
  }
  // Logs the classifier's predictions `ids`, scored 0.9 where `positive` says so and 0.1 elsewhere.
  void LogScored(const std::vector<std::string>& ids, const std::function<bool(size_t)>& positive) {
    nlohmann::json rows = nlohmann::json::array();
    for (size_t i = 0; i < ids.size(); ++i) {
      rows.push_back({{"id", ids[i]},
                      {"timestamp", "2026-11-24T09:30:00Z"},
                      {"features", {{"x", i}}},
                      {"predictions", {{"score", positive(i) ? 0.9 : 0.1}}}});
    }
    std::string body = nlohmann::json({{"rows", rows}}).dump();
    IngestRequest request;
    request.version_id = 2;
    request.body = body;
    EXPECT_EQ(ingestor_->Ingest(request)->accepted, ids.size());
  }
  // Sends the classifier's actuals (id, label).
  ActualsResult SendLabels(const std::vector<std::pair<std::string, bool>>& labels) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& [id, label] : labels) {
      rows.push_back({{"id", id}, {"actuals", {{"label", label}}}});
    }
    std::string body = nlohmann::json({{"rows", rows}}).dump();
    ActualsRequest request;
    request.model_id = 7;
    request.version_ids = {2};
    request.body = body;
    Result<ActualsResult> result = ingestor_->IngestActuals(request);
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? *result : ActualsResult{};
  }
  // The classifier's performance over all its hourly windows.
  PerformanceAccumulator ClassifierTotals() {
    PerformanceAccumulator total;
    EXPECT_TRUE(windows_
                    ->Visit(2, Environment::kProduction, 0, 0, 1 << 30, LiveWindows::Span::kHours,
                            [&](int64_t, const WindowProfile& window) {
                              total.Merge(window.performance());
                            })
                    .ok());
    return total;
  }

  std::filesystem::path directory_;
  const date::time_zone* zone_ = nullptr;  // the model's time zone (null: UTC)
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

TEST_F(IngestorTest, RowsReachTheirHourAndDayOnceWhateverQueriesAndCheckpointsComeBetween) {
  // Production rows are folded once and merged into the hour and the day when something reads or
  // writes them: each read in between must neither miss nor repeat rows.
  for (int round = 0; round < 6; ++round) {
    Ingest(Rows(round * 10, 10));
    uint64_t expected = (round + 1) * 10;
    EXPECT_EQ(Totals().first, expected) << round;
    EXPECT_EQ(Totals(0, LiveWindows::Span::kAny).first, expected) << round;
    EXPECT_EQ(Totals(1).first, expected / 2) << round;  // segment A: the odd ones
    if (round == 3) {
      ASSERT_TRUE(windows_->Checkpoint(HourOf(kNow) - 48).ok());
    }
  }
  double sum = 59.0 * 60 / 2;  // x = 0..59
  EXPECT_DOUBLE_EQ(Totals().second, sum);
  EXPECT_DOUBLE_EQ(Totals(0, LiveWindows::Span::kAny).second, sum);
  // The hour and its day hold the same sketch of x.
  std::vector<double> medians;
  ASSERT_TRUE(windows_
                  ->Visit(1, Environment::kProduction, 0, 0, 1 << 30, LiveWindows::Span::kAny,
                          [&](int64_t, const WindowProfile& w) {
                            medians.push_back(w.profile().Find("x")->quantiles.Quantile(0.5));
                          })
                  .ok());
  ASSERT_TRUE(windows_
                  ->Visit(1, Environment::kProduction, 0, 0, 1 << 30, LiveWindows::Span::kHours,
                          [&](int64_t, const WindowProfile& w) {
                            medians.push_back(w.profile().Find("x")->quantiles.Quantile(0.5));
                          })
                  .ok());
  ASSERT_EQ(medians.size(), 2u);
  EXPECT_EQ(medians[0], medians[1]);
  EXPECT_NEAR(medians[0], 29.5, 1.0);
  Close();  // the last two rounds were never checkpointed: replayed from the log
  Open();
  EXPECT_EQ(Totals().first, 60u);
  EXPECT_EQ(Totals(0, LiveWindows::Span::kAny).first, 60u);
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
  // Predictions and their actuals are sent at the same time from two threads, so actuals arrive
  // before, during and after their predictions.
  AddClassifier();
  constexpr int kRows = 2000, kBatch = 40;
  auto predictions = [&] {
    for (int first = 0; first < kRows; first += kBatch) {
      std::vector<std::string> ids;
      for (int i = first; i < first + kBatch; ++i) ids.push_back("p" + std::to_string(i));
      LogScored(ids, [&](size_t i) { return (first + static_cast<int>(i)) % 4 == 0; });
    }
  };
  auto actuals = [&] {
    for (int first = 0; first < kRows; first += kBatch) {
      std::vector<std::pair<std::string, bool>> labels;
      for (int i = first; i < first + kBatch; ++i)
        labels.emplace_back("p" + std::to_string(i), i % 2 == 0);
      ActualsResult result = SendLabels(labels);
      EXPECT_EQ(result.joined + result.pending, static_cast<size_t>(kBatch));
    }
  };
  std::thread first(predictions), second(actuals);
  first.join();
  second.join();
  PerformanceAccumulator total = ClassifierTotals();
  // Every id labelled exactly once: 1 in 4 predicted positive, 1 in 2 actually positive.
  EXPECT_EQ(total.labeled(), static_cast<uint64_t>(kRows));
  EXPECT_EQ(*total.Metric("tp"), kRows / 4);
  EXPECT_EQ(*total.Metric("fn"), kRows / 4);
  EXPECT_EQ(*total.Metric("tn"), kRows / 2);
  // And after a crash, the same from the log and the checkpoints.
  ASSERT_TRUE(windows_->Checkpoint(0).ok());
  Close();
  Open();
  AddClassifier();
  EXPECT_EQ(ClassifierTotals().labeled(), static_cast<uint64_t>(kRows));
}

TEST_F(IngestorTest, ConcurrentCorrectionsLeaveTheWindowsCountingTheLatestActualOnce) {
  AddClassifier();
  constexpr int kIds = 200;
  std::vector<std::string> ids;
  for (int i = 0; i < kIds; ++i) ids.push_back("q" + std::to_string(i));
  LogScored(ids, [](size_t i) { return i % 2 == 0; });
  // Four threads label overlapping ranges of the same ids again and again, each with its own coin:
  // which label is last for an id is up to the scheduler, but the windows must count exactly that
  // one, once.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(t);
      for (int round = 0; round < 25; ++round) {
        std::vector<std::pair<std::string, bool>> labels;
        int first = static_cast<int>(random() % (kIds / 2));
        for (int i = first; i < first + kIds / 2; ++i)
          labels.emplace_back(ids[i], random() % 2 == 0);
        EXPECT_EQ(SendLabels(labels).joined, static_cast<size_t>(kIds / 2));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::optional<std::string>> stored = store_->GetIds(2, ids).value();
  uint64_t labeled = 0, tp = 0, fp = 0, tn = 0, fn = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    ASSERT_TRUE(stored[i].has_value());
    PredictionRef ref = DecodePredictionRef(*stored[i]).value();
    if (!ref.actual) continue;
    ++labeled;
    bool positive = ref.score >= 0.5, truth = ref.actual->label == "true";
    (positive ? (truth ? tp : fp) : (truth ? fn : tn)) += 1;
  }
  PerformanceAccumulator total = ClassifierTotals();
  EXPECT_GT(labeled, 0u);
  EXPECT_EQ(total.labeled(), labeled);
  EXPECT_EQ(*total.Metric("tp"), static_cast<double>(tp));
  EXPECT_EQ(*total.Metric("fp"), static_cast<double>(fp));
  EXPECT_EQ(*total.Metric("tn"), static_cast<double>(tn));
  EXPECT_EQ(*total.Metric("fn"), static_cast<double>(fn));
}

TEST_F(IngestorTest, AVersionDeletedDuringACheckpointLeavesNothingOfItInTheStore) {
  // A checkpoint with many joined actuals to write takes a while; the version is deleted while it
  // runs. Written after the deletion, the windows and index entries it took would stay behind,
  // and a later version given the same id would join its actuals to them.
  AddClassifier();
  constexpr int kIds = 60000, kBatch = 10000;
  auto batch = [](int first) {
    std::vector<std::string> ids;
    for (int i = first; i < first + kBatch; ++i) ids.push_back("d" + std::to_string(i));
    return ids;
  };
  for (int first = 0; first < kIds; first += kBatch) {
    LogScored(batch(first), [](size_t i) { return i % 2 == 0; });
  }
  ASSERT_TRUE(windows_->Checkpoint(0).ok());
  for (int first = 0; first < kIds; first += kBatch) {
    std::vector<std::pair<std::string, bool>> labels;
    for (const std::string& id : batch(first)) labels.emplace_back(id, id.back() % 3 == 0);
    EXPECT_EQ(SendLabels(labels).joined, static_cast<size_t>(kBatch));
  }
  ASSERT_GE(store_->HeldIdEntries(), static_cast<size_t>(kIds));
  ASSERT_EQ(store_->HighestIdsWithData().first, 2);
  std::atomic<bool> started = false;
  std::thread checkpoint([&] {
    started = true;
    EXPECT_TRUE(windows_->Checkpoint(0).ok());
  });
  while (!started) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(windows_->DeleteVersion(2).ok());
  checkpoint.join();
  ASSERT_TRUE(windows_->Checkpoint(0).ok());
  EXPECT_EQ(store_->HighestIdsWithData().first, 0);  // no window or index entry of version 2
  EXPECT_EQ(store_->HeldIdEntries(), 0u);
  EXPECT_EQ(windows_->Schema(2), nullptr);
}

// Rows per day of `days`, summed from hourly windows: what day rollups must hold.
std::map<int64_t, uint64_t> ByDay(const std::map<int64_t, uint64_t>& hours,
                                  const DayCalendar& days) {
  std::map<int64_t, uint64_t> by_day;
  for (const auto& [hour, rows] : hours) by_day[days.DayOf(hour)] += rows;
  return by_day;
}

TEST_F(IngestorTest, DayRollupsAreDaysOfTheModelsTimeZone) {
  zone_ = date::locate_zone("Asia/Kolkata");  // +05:30: local midnight cuts a UTC hour
  Close();
  Open();
  IngestHours("2026-11-20T00:30:00Z", 80);
  ASSERT_TRUE(windows_->Checkpoint(HourOf(kNow)).ok());
  EXPECT_EQ(windows_->DayZone(1), "Asia/Kolkata");
  const DayCalendar days(zone_);
  const int64_t start = HourOf(ParseRfc3339("2026-11-20T00:00:00Z").value());
  for (auto [from, to] :
       {std::pair{start, start + 80}, {start + 7, start + 61}, {start - 50, start + 200}}) {
    std::map<int64_t, uint64_t> hours = RowsByWindow(from, to, LiveWindows::Span::kHours);
    std::map<int64_t, uint64_t> any =
        RowsByWindow(from, to, LiveWindows::Span::kAny, "Asia/Kolkata");
    // Whole local days come as one rollup each, the hours at either end as themselves.
    std::map<int64_t, uint64_t> expected;
    for (const auto& [hour, rows] : hours) {
      int64_t day = days.DayOf(hour);
      bool whole = day >= from && days.NextDay(day) <= to;
      expected[whole ? day : hour] += rows;
    }
    EXPECT_EQ(any, expected) << from - start << ".." << to - start;
  }
  // Local days of 2026-11-21 and 22 start at 18:30Z the evening before: their first windows are
  // the 19:00Z hours, and each holds 24 of them.
  std::map<int64_t, uint64_t> whole = RowsByWindow(start, start + 80, LiveWindows::Span::kAny);
  const int64_t day21 = HourOf(ParseRfc3339("2026-11-20T19:00:00Z").value());
  EXPECT_EQ(whole.at(day21), 240u);
  EXPECT_EQ(whole.at(day21 + 24), 240u);
  // Buckets of another zone's days cannot use these rollups: they get the hours.
  EXPECT_EQ(RowsByWindow(start, start + 80, LiveWindows::Span::kAny, "UTC"),
            RowsByWindow(start, start + 80, LiveWindows::Span::kHours));
}

TEST_F(IngestorTest, ChangingTheZoneRebuildsTheRollupsOnceAndCountsEveryRowOnce) {
  IngestHours("2026-11-20T00:30:00Z", 60);
  ASSERT_TRUE(windows_->Checkpoint(HourOf(kNow)).ok());
  IngestHours("2026-11-22T12:30:00Z", 20, 600);  // folded, in the log, not checkpointed
  const int64_t from = HourOf(ParseRfc3339("2026-11-19T00:00:00Z").value());
  const int64_t to = from + 24 * 6;
  const std::map<int64_t, uint64_t> hours = RowsByWindow(from, to, LiveWindows::Span::kHours);
  EXPECT_EQ(RowsByWindow(from, to, LiveWindows::Span::kAny, "UTC"), ByDay(hours, DayCalendar()));

  const date::time_zone* new_york = date::locate_zone("America/New_York");
  ASSERT_TRUE(windows_->SetDayZone(1, new_york).ok());
  EXPECT_EQ(windows_->DayZone(1), "America/New_York");
  const DayCalendar days(new_york);
  EXPECT_EQ(RowsByWindow(from, to, LiveWindows::Span::kAny, "America/New_York"),
            ByDay(hours, days));
  EXPECT_EQ(RowsByWindow(from, to, LiveWindows::Span::kHours), hours);
  // The rebuild took the folded records out of the log with it: a crash now replays nothing.
  size_t records = 0;
  ASSERT_TRUE(store_
                  ->ForEachLogRecord([&](uint64_t, std::string_view) {
                    ++records;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(records, 0u);
  zone_ = new_york;
  Close();
  Open();
  EXPECT_EQ(store_->GetDayZone(1).value(), "America/New_York");
  EXPECT_EQ(RowsByWindow(from, to, LiveWindows::Span::kAny, "America/New_York"),
            ByDay(hours, days));
  EXPECT_EQ(Totals(0, LiveWindows::Span::kAny).first, 800u);
  EXPECT_EQ(Totals(1, LiveWindows::Span::kAny), Totals(1));  // segments are rebuilt too
  // Rows after the change land in the new days; and back to UTC.
  IngestHours("2026-11-23T03:30:00Z", 3, 1000);
  ASSERT_TRUE(windows_->SetDayZone(1, nullptr).ok());
  std::map<int64_t, uint64_t> now_hours = RowsByWindow(from, to, LiveWindows::Span::kHours);
  EXPECT_EQ(RowsByWindow(from, to, LiveWindows::Span::kAny, "UTC"),
            ByDay(now_hours, DayCalendar()));
  EXPECT_EQ(Totals(0, LiveWindows::Span::kAny).first, 830u);
}

}  // namespace
}  // namespace telltale
