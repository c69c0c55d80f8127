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

  // Creates a model named `name` with versions `versions`; returns the model's id.
  int64_t AddModel(int64_t project_id, const std::string& name,
                   const std::vector<std::string>& versions = {}) {
    ModelRecord model;
    model.project_id = project_id;
    model.name = name;
    model.task = "regression";
    Result<ModelRecord> created = store_->CreateModel(model);
    EXPECT_TRUE(created.ok()) << created.status().message();
    for (const std::string& label : versions) {
      VersionRecord version;
      version.model_id = created->id;
      version.version = label;
      EXPECT_TRUE(store_->CreateVersion(version).ok());
    }
    return created->id;
  }
  std::vector<int64_t> VersionIds(int64_t model_id) {
    Result<std::vector<VersionRecord>> versions = store_->ListVersions(model_id);
    EXPECT_TRUE(versions.ok());
    std::vector<int64_t> ids;
    for (const VersionRecord& version : versions.ok() ? *versions : std::vector<VersionRecord>{})
      ids.push_back(version.id);
    return ids;
  }

  std::string path_;
  std::unique_ptr<ControlStore> store_;
};

TEST_F(ControlStoreTest, IdsAreNeverGivenOutTwiceNotEvenAfterDeletingTheNewest) {
  const int64_t project = store_->CreateProject("p", 1)->id;
  const int64_t first = AddModel(project, "a", {"v1", "v2"});
  const std::vector<int64_t> deleted = VersionIds(first);
  ASSERT_TRUE(store_->DeleteModel(first).ok());
  EXPECT_TRUE(VersionIds(first).empty());  // its versions went with it
  const int64_t second = AddModel(project, "b", {"v1"});
  EXPECT_GT(second, first);
  EXPECT_GT(VersionIds(second).at(0), deleted.back());
}

TEST_F(ControlStoreTest, IdsStayAboveThoseTheDataStoreHoldsDataOf) {
  const int64_t project = store_->CreateProject("p", 1)->id;
  ASSERT_TRUE(store_->KeepIdsAbove(10, 20).ok());  // before any model: no sequence row yet
  const int64_t model = AddModel(project, "a", {"v1"});
  EXPECT_EQ(model, 11);
  EXPECT_EQ(VersionIds(model), std::vector<int64_t>{21});
  ASSERT_TRUE(store_->KeepIdsAbove(3, 4).ok());  // never lowered
  const int64_t next = AddModel(project, "b", {"v1"});
  EXPECT_EQ(next, 12);
  EXPECT_EQ(VersionIds(next), std::vector<int64_t>{22});
}

TEST_F(ControlStoreTest, AStoreFromBeforeIdsWereKeptUniqueKeepsItsRowsAndStopsReusingIds) {
  store_.reset();
  Cleanup();
  // The tables as the first schema had them (ids reused after deleting the newest).
  sqlite3* old = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &old), SQLITE_OK);
  const char* schema = R"sql(
    CREATE TABLE projects (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL);
    CREATE TABLE api_keys (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES
      projects(id), name TEXT NOT NULL, role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
      prefix TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER);
    CREATE TABLE models (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES
      projects(id), name TEXT NOT NULL, task TEXT NOT NULL, timezone TEXT NOT NULL,
      description TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
      UNIQUE (project_id, name));
    CREATE TABLE versions (id INTEGER PRIMARY KEY, model_id INTEGER NOT NULL REFERENCES
      models(id) ON DELETE CASCADE, version TEXT NOT NULL, schema_json TEXT NOT NULL,
      segments_json TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE (model_id, version));
    INSERT INTO projects VALUES (1, 'p', 1);
    INSERT INTO models VALUES (1, 1, 'kept', 'regression', 'UTC', 'd', 1, 2);
    INSERT INTO models VALUES (2, 1, 'newest', 'regression', 'UTC', '', 1, 1);
    INSERT INTO versions VALUES (1, 1, 'v1', '{}', '[]', 1);
    INSERT INTO versions VALUES (2, 2, 'v1', '{}', '[]', 1);
    INSERT INTO versions VALUES (3, 2, 'v2', '{}', '[]', 1);
    PRAGMA user_version = 1;
  )sql";
  ASSERT_EQ(sqlite3_exec(old, schema, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(old);

  Result<std::unique_ptr<ControlStore>> opened = ControlStore::Open(path_);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  store_ = std::move(*opened);
  Result<ModelRecord> kept = store_->GetModel(1, "kept");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->id, 1);
  EXPECT_EQ(kept->description, "d");
  EXPECT_EQ(kept->updated_at, 2);
  EXPECT_EQ(VersionIds(1), std::vector<int64_t>{1});
  EXPECT_EQ(VersionIds(2), (std::vector<int64_t>{2, 3}));
  ASSERT_TRUE(store_->DeleteModel(2).ok());
  EXPECT_TRUE(VersionIds(2).empty());  // deleting still cascades to the versions
  const int64_t next = AddModel(1, "next", {"v1"});
  EXPECT_EQ(next, 3);
  EXPECT_EQ(VersionIds(next), std::vector<int64_t>{4});
}

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
