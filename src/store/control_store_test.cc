#include "store/control_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

namespace telltale {
namespace {

class ControlStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::path(::testing::TempDir()) /
             ("control_store_test_" + std::to_string(::getpid()) + ".db"))
                .string();
    Cleanup();
    Result<std::unique_ptr<ControlStore>> opened = ControlStore::Open(path_);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    Cleanup();
  }
  void Cleanup() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  std::string path_;
  std::unique_ptr<ControlStore> store_;
};

TEST_F(ControlStoreTest, RepeatedLookupsSeeEveryChangeInBetween) {
  Result<Project> project = store_->CreateProject("p", 1);
  ASSERT_TRUE(project.ok());
  ASSERT_TRUE(store_->CreateKey(project->id, "k", Role::kWrite, "hash-1", "tt_", 1).ok());
  ModelRecord model;
  model.project_id = project->id;
  model.name = "m";
  model.task = "regression";
  Result<ModelRecord> created = store_->CreateModel(model);
  ASSERT_TRUE(created.ok());
  for (int round = 0; round < 3; ++round) {  // the same kept statements, answering each time
    Result<ModelRecord> found = store_->GetModel(project->id, "m");
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(found->description, round == 0 ? "" : "round " + std::to_string(round - 1));
    found->description = "round " + std::to_string(round);
    ASSERT_TRUE(store_->UpdateModel(*found).ok());
    EXPECT_EQ(store_->GetModelById(created->id)->description, found->description);
    EXPECT_FALSE(store_->GetModel(project->id, "other").ok());
    EXPECT_TRUE(store_->FindKeyByHash("hash-1")->has_value());
    EXPECT_FALSE(store_->FindKeyByHash("hash-2")->has_value());
  }
  Result<std::optional<ApiKeyRecord>> key = store_->FindKeyByHash("hash-1");
  ASSERT_TRUE(store_->RevokeKey(project->id, (*key)->id, 2).ok());
  EXPECT_FALSE(store_->FindKeyByHash("hash-1")->has_value());
}

TEST_F(ControlStoreTest, ALookupLeavesNoReadOpen) {
  Result<Project> project = store_->CreateProject("p", 1);
  ASSERT_TRUE(project.ok());
  ASSERT_TRUE(store_->CreateKey(project->id, "k", Role::kRead, "hash-1", "tt_", 1).ok());
  ASSERT_TRUE(store_->FindKeyByHash("hash-1")->has_value());  // a row found: not stepped to the end
  // Another connection can checkpoint the whole write-ahead log: no read of ours holds it back.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "SELECT count(*) FROM projects", nullptr, nullptr, nullptr),
            SQLITE_OK);
  int log_frames = -1, checkpointed = -1;
  EXPECT_EQ(sqlite3_wal_checkpoint_v2(other, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
                                      &checkpointed),
            SQLITE_OK);
  EXPECT_EQ(log_frames, 0);  // truncated: every frame was copied back and the log emptied
  sqlite3_close(other);
}

}  // namespace
}  // namespace telltale
