#include "store/data_store.h"

#include "ingest/prediction_ref.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

namespace telltale {
namespace {

class DataStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("telltale-data-store-" + std::to_string(std::random_device()()));
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(directory_);
  }
  // Closes without a checkpoint (what kill -9 leaves of the log) and opens again.
  void Reopen(DataStoreOptions options = {.min_free_bytes = 0}) {
    store_.reset();
    store_ = DataStore::Open(directory_.string(), options).value();
  }
  uint64_t Append(const std::string& record, const std::string& id, const std::string& value,
                  DataStore::IdEntries kind) {
    Result<uint64_t> sequence = store_->Append(record, 1, {{id, value}}, kind);
    EXPECT_TRUE(sequence.ok()) << sequence.status().message();
    return sequence.ok() ? *sequence : 0;
  }
  std::optional<std::string> Entry(const std::string& id) {
    return store_->GetIds(1, {id}).value()[0];
  }
  std::vector<std::pair<uint64_t, std::string>> Log() {
    std::vector<std::pair<uint64_t, std::string>> records;
    EXPECT_TRUE(store_
                    ->ForEachLogRecord([&](uint64_t sequence, std::string_view bytes) {
                      records.emplace_back(sequence, std::string(bytes));
                      return Status::Ok();
                    })
                    .ok());
    return records;
  }

  // Every value of one part of the closed store, read with RocksDB itself.
  std::vector<std::string> PartValues(const std::string& part) {
    store_.reset();
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", "log", "windows", "ids", "pending", "joined"}) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    rocksdb::Status opened =
        rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), directory_, families, &handles, &db);
    EXPECT_TRUE(opened.ok()) << opened.ToString();
    std::vector<std::string> values;
    if (!opened.ok()) return values;
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      if (handle->GetName() != part) continue;
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handle));
      for (it->SeekToFirst(); it->Valid(); it->Next()) values.push_back(it->value().ToString());
    }
    for (rocksdb::ColumnFamilyHandle* handle : handles) db->DestroyColumnFamilyHandle(handle);
    delete db;
    Reopen();
    return values;
  }
  uint64_t MemtableBytes() {
    for (const auto& [use, bytes] : store_->MemoryBytes()) {
      if (use == "memtables") return bytes;
    }
    return 0;
  }

  std::filesystem::path directory_;
  std::unique_ptr<DataStore> store_;
};

TEST_F(DataStoreTest,
       ACheckpointIsWantedOnceAnEighthOfTheLogsMemtableIsAppendedWithFewEntriesHeld) {
  const std::string record(1 << 20, 'r');  // 1 MiB: 16 of them are an eighth of 128 MiB
  std::vector<uint64_t> sequences;
  for (int i = 0; i < 15; ++i) {
    sequences.push_back(Append(record, "id" + std::to_string(i), "v", DataStore::IdEntries::kNew));
    EXPECT_FALSE(store_->WantsCheckpoint()) << i;
  }
  sequences.push_back(Append(record, "id15", "v", DataStore::IdEntries::kNew));
  EXPECT_TRUE(store_->WantsCheckpoint());
  ASSERT_TRUE(store_->Checkpoint({}, sequences).ok());
  EXPECT_FALSE(store_->WantsCheckpoint());
  EXPECT_TRUE(Log().empty());

  // Not while the checkpoint would have to write many held index entries (over a quarter of the
  // log's bytes): checkpoints that often, each writing many of them, cost throughput.
  const std::string rewritten(5 << 20, 'v');
  Append("actual", "id0", rewritten, DataStore::IdEntries::kReplacing);
  for (int i = 0; i < 16; ++i)
    Append(record, "more" + std::to_string(i), "v", DataStore::IdEntries::kNew);
  EXPECT_FALSE(store_->WantsCheckpoint());
  for (int i = 16; i < 24; ++i)
    Append(record, "more" + std::to_string(i), "v", DataStore::IdEntries::kNew);
  EXPECT_TRUE(store_->WantsCheckpoint());  // 24 MiB logged, 5 MiB held
}

TEST_F(DataStoreTest, ACheckpointIsWantedBeforeTheLogsMemtableFillsWhateverIsHeld) {
  // Each record 1 MiB with a held entry of 384 KiB: more held than a checkpoint for the log's
  // sake alone would write, so only the memtable (128 MiB) decides.
  const std::string record(1 << 20, 'r');
  const std::string rewritten(384 << 10, 'v');
  std::vector<uint64_t> sequences;
  auto append = [&](int i) {
    sequences.push_back(
        Append(record, "id" + std::to_string(i), rewritten, DataStore::IdEntries::kReplacing));
  };
  for (int i = 0; i < 36; ++i) append(i);  // ~50 MiB in the memtable
  EXPECT_FALSE(store_->WantsCheckpoint());
  for (int i = 36; i < 52; ++i) append(i);  // ~72 MiB: past half of it
  EXPECT_TRUE(store_->WantsCheckpoint());

  // The checkpoint deletes the records and has their memtable flushed while it holds little
  // else (the held entries, ~20 MiB, now in the joined part's memtable).
  EXPECT_GT(MemtableBytes(), 64u << 20);
  ASSERT_TRUE(store_->Checkpoint({}, sequences).ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (MemtableBytes() > 40u << 20 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_LE(MemtableBytes(), 40u << 20);
  EXPECT_FALSE(store_->WantsCheckpoint());
  EXPECT_TRUE(Log().empty());
  EXPECT_EQ(Entry("id51"), rewritten);
}

TEST_F(DataStoreTest, JoiningNeverRewritesThePredictionsOwnEntry) {
  Append("prediction", "a", "predicted", DataStore::IdEntries::kNew);
  // A prediction logged with its actual has it in its own entry, as every joined entry had
  // before the joined part existed: read the same.
  uint64_t record =
      Append("prediction", "b", "predicted with its actual", DataStore::IdEntries::kNew);
  uint64_t joined = Append("actual", "a", "with its actual", DataStore::IdEntries::kReplacing);
  ASSERT_TRUE(store_->Checkpoint({}, {record, joined}).ok());
  EXPECT_EQ(Entry("a"), "with its actual");
  EXPECT_EQ(Entry("b"), "predicted with its actual");

  std::vector<std::string> ids = PartValues("ids");
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"predicted", "predicted with its actual"}));
  EXPECT_EQ(PartValues("joined"), std::vector<std::string>{"with its actual"});

  // A correction replaces the joined entry, whether it is held or written.
  uint64_t corrected = Append("correction", "a", "corrected", DataStore::IdEntries::kReplacing);
  EXPECT_EQ(Entry("a"), "corrected");
  ASSERT_TRUE(store_->Checkpoint({}, {corrected}).ok());
  Reopen();
  EXPECT_EQ(Entry("a"), "corrected");
}

TEST_F(DataStoreTest, ARewrittenEntryIsReadFirstAndSurvivesARestartBeforeItsCheckpoint) {
  uint64_t predicted = Append("prediction", "a", "predicted", DataStore::IdEntries::kNew);
  uint64_t joined = Append("actual", "a", "with its actual", DataStore::IdEntries::kReplacing);
  EXPECT_EQ(Entry("a"), "with its actual");
  EXPECT_EQ(store_->HaveIds(1, {"a", "b"}).value(), (std::vector<bool>{true, false}));

  Reopen();
  EXPECT_EQ(Entry("a"), "with its actual");  // read back from the log
  EXPECT_EQ(Log(), (std::vector<std::pair<uint64_t, std::string>>{{predicted, "prediction"},
                                                                  {joined, "actual"}}));
  EXPECT_GT(Append("next", "b", "predicted", DataStore::IdEntries::kNew), joined);

  ASSERT_TRUE(store_->Checkpoint({}, {predicted, joined}).ok());
  EXPECT_EQ(Entry("a"), "with its actual");  // now from the index
  Reopen();
  EXPECT_EQ(Entry("a"), "with its actual");
  EXPECT_EQ(Log().size(), 1u);  // "next" only
}

TEST_F(DataStoreTest, ACheckpointWritesEveryHeldEntryThoughNotInOneWrite) {
  // More entries than one of the checkpoint's index writes takes (32,768).
  constexpr int kIds = 100'000;
  std::vector<std::string> ids;
  std::vector<std::pair<std::string, std::string>> predicted, joined;
  for (int i = 0; i < kIds; ++i) {
    ids.push_back("id" + std::to_string(i));
    predicted.emplace_back(ids.back(), "predicted");
    joined.emplace_back(ids.back(), "joined " + std::to_string(i));
  }
  const uint64_t first =
      store_->Append("predictions", 1, predicted, DataStore::IdEntries::kNew).value();
  const uint64_t second =
      store_->Append("actuals", 1, joined, DataStore::IdEntries::kReplacing).value();
  ASSERT_TRUE(store_->Checkpoint({}, {first, second}).ok());
  for (int restart = 0; restart < 2; ++restart) {
    std::vector<std::optional<std::string>> values = store_->GetIds(1, ids).value();
    for (int i = 0; i < kIds; ++i) ASSERT_EQ(values[i], joined[i].second) << i;
    EXPECT_TRUE(Log().empty());
    Reopen();
  }
}

TEST_F(DataStoreTest, EveryJoinedEntryIsFoundWhileTheFilterOfJoinedKeysIsBuiltAndGrows) {
  const DataStoreOptions options{.min_free_bytes = 0, .joined_filter_min_keys = 1000};
  Reopen(options);
  auto filter_bytes = [&] {
    while (store_->BuildingJoinedFilter())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (const auto& [use, bytes] : store_->MemoryBytes()) {
      if (use == "joined_filter") return bytes;
    }
    return uint64_t{0};
  };
  EXPECT_EQ(filter_bytes(), 1280u);  // 1,000 keys at 10 bits, in blocks of 64 bytes
  constexpr int kIds = 6000, kRounds = 12;
  std::vector<std::string> ids;
  std::vector<std::pair<std::string, std::string>> predicted;
  for (int i = 0; i < kIds; ++i) {
    ids.push_back("id" + std::to_string(i));
    predicted.emplace_back(ids.back(), "predicted");
  }
  uint64_t sequence =
      store_->Append("predictions", 1, predicted, DataStore::IdEntries::kNew).value();
  ASSERT_TRUE(store_->Checkpoint({}, {sequence}).ok());
  // 500 ids joined per round: the filter fills, and larger ones are built (on their own thread)
  // while later rounds write.
  std::vector<std::string> expected(kIds, "predicted");
  auto check = [&](const std::string& when) {
    std::vector<std::optional<std::string>> values = store_->GetIds(1, ids).value();
    for (int i = 0; i < kIds; ++i) ASSERT_EQ(values[i], expected[i]) << when << ", id " << i;
  };
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::pair<std::string, std::string>> joined;
    for (int i = round; i < kIds; i += kRounds) {
      expected[i] = "joined in round " + std::to_string(round);
      joined.emplace_back(ids[i], expected[i]);
    }
    sequence = store_->Append("actuals", 1, joined, DataStore::IdEntries::kReplacing).value();
    ASSERT_TRUE(store_->Checkpoint({}, {sequence}).ok());
    ASSERT_EQ(store_->HeldIdEntries(), 0u);
    check("round " + std::to_string(round));
  }
  EXPECT_GE(filter_bytes(), kIds * 10u / 8);
  check("with the last filter built");
  Reopen(options);
  check("while the first filter is built");
  EXPECT_GE(filter_bytes(), kIds * 10u / 8);
  check("after a restart");
}

TEST_F(DataStoreTest, ADroppedRecordsRewrittenEntriesAreNotWritten) {
  uint64_t predicted = Append("prediction", "a", "predicted", DataStore::IdEntries::kNew);
  uint64_t joined = Append("actual", "a", "with its actual", DataStore::IdEntries::kReplacing);
  ASSERT_TRUE(store_->Checkpoint({}, {predicted}, {joined}).ok());
  EXPECT_EQ(Entry("a"), "predicted");
  Reopen();
  EXPECT_EQ(Entry("a"), "predicted");
  EXPECT_TRUE(Log().empty());
}

TEST_F(DataStoreTest, DeletingAVersionForgetsItsRewrittenEntries) {
  Append("prediction", "a", "predicted", DataStore::IdEntries::kNew);
  Append("actual", "a", "with its actual", DataStore::IdEntries::kReplacing);
  ASSERT_TRUE(store_->DeleteVersion(1).ok());
  EXPECT_EQ(Entry("a"), std::nullopt);
  EXPECT_EQ(store_->HaveIds(1, {"a"}).value(), std::vector<bool>{false});
}

TEST_F(DataStoreTest, DeletingAVersionDeletesItsWrittenJoinedEntries) {
  uint64_t predicted = Append("prediction", "a", "predicted", DataStore::IdEntries::kNew);
  uint64_t joined = Append("actual", "a", "with its actual", DataStore::IdEntries::kReplacing);
  ASSERT_TRUE(store_->Checkpoint({}, {predicted, joined}).ok());
  ASSERT_TRUE(store_->DeleteVersion(1).ok());
  EXPECT_EQ(Entry("a"), std::nullopt);
  Reopen();
  EXPECT_EQ(Entry("a"), std::nullopt);
}

TEST_F(DataStoreTest, TheHighestIdsWithDataFollowWhatIsWrittenAndDeleted) {
  EXPECT_EQ(store_->HighestIdsWithData(), std::make_pair(int64_t{0}, int64_t{0}));
  ASSERT_TRUE(store_->Append("rows", 3, {{"a", "v"}}, DataStore::IdEntries::kNew).ok());
  uint64_t joined =
      store_->Append("actual", 9, {{"a", "joined"}}, DataStore::IdEntries::kReplacing).value();
  ASSERT_TRUE(
      store_->Checkpoint({{5, {Environment::kProduction, false, 0, 10}, "w"}}, {joined}).ok());
  ASSERT_TRUE(store_->PutPending(4, {{"early", "actual"}}).ok());
  ASSERT_TRUE(store_->PutPending(2, {{"early", "actual"}}).ok());
  EXPECT_EQ(store_->HighestIdsWithData(), std::make_pair(int64_t{9}, int64_t{4}));  // joined
  ASSERT_TRUE(store_->DeleteVersion(9).ok());
  EXPECT_EQ(store_->HighestIdsWithData().first, 5);  // a window
  ASSERT_TRUE(store_->DeleteVersion(5).ok());
  EXPECT_EQ(store_->HighestIdsWithData().first, 3);  // a prediction's entry
  ASSERT_TRUE(store_->DeletePendingActuals(4).ok());
  EXPECT_EQ(store_->GetPending(4, {"early"}).value()[0], std::nullopt);
  EXPECT_EQ(store_->GetPending(2, {"early"}).value()[0], "actual");
  Reopen();
  EXPECT_EQ(store_->HighestIdsWithData(), std::make_pair(int64_t{3}, int64_t{2}));
}

TEST_F(DataStoreTest, PredictionsAndPendingActualsPastRetentionAreDroppedWhenTheIndexesCompact) {
  constexpr int64_t kDay = 86400;
  const int64_t now = 1'790'000'000;
  FakeClock clock(now);
  Reopen({.min_free_bytes = 0,
          .ids_retention_seconds = 90 * kDay,
          .pending_retention_seconds = 7 * kDay,
          .clock = &clock});
  auto predicted_at = [](int64_t time) {
    PredictionRef ref;
    ref.event_time = time;
    return EncodePredictionRef(ref);
  };
  auto pending_since = [](int64_t time) { return EncodePendingActual({time, "{\"y\":1}"}); };
  uint64_t record =
      Append("rows", "old", predicted_at(now - 91 * kDay), DataStore::IdEntries::kNew);
  Append("rows", "recent", predicted_at(now - 89 * kDay), DataStore::IdEntries::kNew);
  Append("rows", "unreadable", "not a reference", DataStore::IdEntries::kNew);
  // Joined entries go with their prediction.
  uint64_t joined =
      Append("actual", "old", predicted_at(now - 91 * kDay), DataStore::IdEntries::kReplacing);
  ASSERT_TRUE(store_
                  ->PutPending(1, {{"stale", pending_since(now - 8 * kDay)},
                                   {"waiting", pending_since(now - 6 * kDay)}})
                  .ok());
  ASSERT_TRUE(store_->Checkpoint({}, {record, joined}).ok());
  EXPECT_NE(Entry("old"), std::nullopt);

  ASSERT_TRUE(store_->CompactIndexes().ok());
  EXPECT_EQ(store_->HaveIds(1, {"old", "recent", "unreadable"}).value(),
            (std::vector<bool>{false, true, true}));
  EXPECT_EQ(Entry("old"), std::nullopt);
  std::vector<std::optional<std::string>> pending =
      store_->GetPending(1, {"stale", "waiting"}).value();
  EXPECT_EQ(pending[0], std::nullopt);
  EXPECT_EQ(pending[1], pending_since(now - 6 * kDay));

  // Two days on, the recent prediction and the waiting actual are past retention too; the entry
  // that cannot be read stays.
  clock.Set(now + 2 * kDay);
  ASSERT_TRUE(store_->CompactIndexes().ok());
  EXPECT_EQ(store_->HaveIds(1, {"recent", "unreadable"}).value(), (std::vector<bool>{false, true}));
  EXPECT_EQ(store_->GetPending(1, {"waiting"}).value()[0], std::nullopt);
}

TEST_F(DataStoreTest, WithoutRetentionNothingIsDropped) {
  PredictionRef ancient;
  ancient.event_time = 0;
  Append("rows", "ancient", EncodePredictionRef(ancient), DataStore::IdEntries::kNew);
  ASSERT_TRUE(store_->CompactIndexes().ok());
  EXPECT_EQ(store_->HaveIds(1, {"ancient"}).value(), std::vector<bool>{true});
}

}  // namespace
}  // namespace telltale
