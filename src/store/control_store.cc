#include "store/control_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <SQLiteCpp/VariadicBind.h>
#include <sqlite3.h>

#include <utility>

namespace telltale {
namespace {

// Resets a kept statement when the call that used it returns, so that no read stays open (an open
// read would keep the database's write-ahead log from being checkpointed).
class ResetAfterUse {
 public:
  explicit ResetAfterUse(SQLite::Statement& statement) : statement_(statement) {}
  ResetAfterUse(const ResetAfterUse&) = delete;
  ResetAfterUse& operator=(const ResetAfterUse&) = delete;
  ~ResetAfterUse() { statement_.tryReset(); }

 private:
  SQLite::Statement& statement_;
};

// Schema migrations, applied in order; PRAGMA user_version records how many have run.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE projects (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL);
    CREATE TABLE api_keys (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id),
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE,
      prefix TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      revoked_at INTEGER);
    CREATE TABLE models (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id),
      name TEXT NOT NULL,
      task TEXT NOT NULL,
      timezone TEXT NOT NULL,
      description TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      UNIQUE (project_id, name));
    CREATE TABLE versions (
      id INTEGER PRIMARY KEY,
      model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
      version TEXT NOT NULL,
      schema_json TEXT NOT NULL,
      segments_json TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      UNIQUE (model_id, version));
    )sql",
    // Monitors, their alerts and notifications (store/monitor_store.h).
    R"sql(
    CREATE TABLE monitors (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id),
      name TEXT NOT NULL,
      spec_json TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      evaluated_until INTEGER NOT NULL DEFAULT 0,
      UNIQUE (project_id, name));
    CREATE TABLE alerts (
      monitor_id INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
      subject TEXT NOT NULL,
      state TEXT NOT NULL,
      since INTEGER NOT NULL,
      breach_started INTEGER NOT NULL,
      last_breach_end INTEGER NOT NULL,
      value REAL,
      expected REAL,
      lower REAL,
      upper REAL,
      reason TEXT NOT NULL,
      evaluated_at INTEGER NOT NULL,
      PRIMARY KEY (monitor_id, subject));
    CREATE TABLE alert_events (
      id INTEGER PRIMARY KEY,
      monitor_id INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
      subject TEXT NOT NULL,
      from_state TEXT NOT NULL,
      to_state TEXT NOT NULL,
      at INTEGER NOT NULL,
      value REAL,
      reason TEXT NOT NULL);
    CREATE INDEX alert_events_by_monitor ON alert_events (monitor_id, at);
    CREATE TABLE channels (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id),
      name TEXT NOT NULL,
      spec_json TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      UNIQUE (project_id, name));
    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY,
      channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
      dedup_key TEXT NOT NULL,
      payload TEXT NOT NULL,
      state TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      delivered_at INTEGER,
      last_error TEXT NOT NULL DEFAULT '',
      UNIQUE (channel_id, dedup_key));
    CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
    CREATE TABLE silences (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id),
      spec_json TEXT NOT NULL,
      starts_at INTEGER NOT NULL,
      ends_at INTEGER NOT NULL,
      created_at INTEGER NOT NULL);
    CREATE INDEX silences_by_end ON silences (project_id, ends_at);
    )sql",
    // The ids of models and versions key their data in the data store, which can outlive them
    // there: an id is never given out again (AUTOINCREMENT), not even after deleting the newest.
    // SQLite cannot change a primary key in place; the tables are rebuilt, with foreign keys off.
    R"sql(
    CREATE TABLE models_rebuilt (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      project_id INTEGER NOT NULL REFERENCES projects(id),
      name TEXT NOT NULL,
      task TEXT NOT NULL,
      timezone TEXT NOT NULL,
      description TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      UNIQUE (project_id, name));
    INSERT INTO models_rebuilt SELECT id, project_id, name, task, timezone, description,
      created_at, updated_at FROM models;
    CREATE TABLE versions_rebuilt (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
      version TEXT NOT NULL,
      schema_json TEXT NOT NULL,
      segments_json TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      UNIQUE (model_id, version));
    INSERT INTO versions_rebuilt SELECT id, model_id, version, schema_json, segments_json,
      created_at FROM versions;
    DROP TABLE versions;
    DROP TABLE models;
    ALTER TABLE models_rebuilt RENAME TO models;
    ALTER TABLE versions_rebuilt RENAME TO versions;
    )sql",
};

Status StoreError(const std::exception& error) {
  return Status::IoError(std::string("control store: ") + error.what());
}

bool IsUniqueViolation(const SQLite::Exception& error) {
  return error.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE;
}

ApiKeyRecord ReadKey(SQLite::Statement& row) {
  ApiKeyRecord key;
  key.id = row.getColumn(0).getInt64();
  key.project_id = row.getColumn(1).getInt64();
  key.name = row.getColumn(2).getString();
  key.role = ParseRole(row.getColumn(3).getString()).value_or(Role::kRead);
  key.prefix = row.getColumn(4).getString();
  key.created_at = row.getColumn(5).getInt64();
  if (!row.getColumn(6).isNull()) key.revoked_at = row.getColumn(6).getInt64();
  return key;
}
constexpr const char* kKeyColumns =
    "SELECT id, project_id, name, role, prefix, created_at, revoked_at FROM api_keys ";

ModelRecord ReadModel(SQLite::Statement& row) {
  ModelRecord model;
  model.id = row.getColumn(0).getInt64();
  model.project_id = row.getColumn(1).getInt64();
  model.name = row.getColumn(2).getString();
  model.task = row.getColumn(3).getString();
  model.timezone = row.getColumn(4).getString();
  model.description = row.getColumn(5).getString();
  model.created_at = row.getColumn(6).getInt64();
  model.updated_at = row.getColumn(7).getInt64();
  return model;
}
constexpr const char* kModelColumns =
    "SELECT id, project_id, name, task, timezone, description, created_at, updated_at FROM models ";

VersionRecord ReadVersion(SQLite::Statement& row) {
  VersionRecord version;
  version.id = row.getColumn(0).getInt64();
  version.model_id = row.getColumn(1).getInt64();
  version.version = row.getColumn(2).getString();
  version.schema_json = row.getColumn(3).getString();
  version.segments_json = row.getColumn(4).getString();
  version.created_at = row.getColumn(5).getInt64();
  return version;
}
constexpr const char* kVersionColumns =
    "SELECT id, model_id, version, schema_json, segments_json, created_at FROM versions ";

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kWrite:
      return "write";
    case Role::kRead:
      return "read";
  }
  return "read";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "write") return Role::kWrite;
  if (name == "read") return Role::kRead;
  return std::nullopt;
}

ControlStore::ControlStore(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
ControlStore::~ControlStore() = default;

SQLite::Statement& ControlStore::Prepared(const std::string& sql) {
  std::unique_ptr<SQLite::Statement>& statement = prepared_[sql];
  if (!statement) statement = std::make_unique<SQLite::Statement>(*db_, sql);
  return *statement;
}

Result<std::unique_ptr<ControlStore>> ControlStore::Open(const std::string& path) {
  try {
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA synchronous = FULL");
    db->exec("PRAGMA foreign_keys = ON");
    db->setBusyTimeout(5000);
    std::unique_ptr<ControlStore> store(new ControlStore(std::move(db)));
    TELLTALE_RETURN_IF_ERROR(store->Migrate());
    return store;
  } catch (const std::exception& error) {
    return Status::IoError("cannot open the control store " + path + ": " + error.what());
  }
}

Status ControlStore::Migrate() {
  try {
    int applied = db_->execAndGet("PRAGMA user_version").getInt();
    constexpr int kCount = static_cast<int>(std::size(kMigrations));
    if (applied > kCount) {
      return Status::Unsupported("the control store was written by a newer telltale (schema " +
                                 std::to_string(applied) + ")");
    }
    // Off while tables are rebuilt (dropping one would cascade), checked before each commit. The
    // setting cannot change inside a transaction. (A store whose migration fails is not used.)
    db_->exec("PRAGMA foreign_keys = OFF");
    for (int i = applied; i < kCount; ++i) {
      SQLite::Transaction transaction(*db_);
      db_->exec(kMigrations[i]);
      {
        SQLite::Statement violations(*db_, "PRAGMA foreign_key_check");
        if (violations.executeStep()) {
          return Status::Corruption("the control store's migration " + std::to_string(i + 1) +
                                    " left rows of " + violations.getColumn(0).getString() +
                                    " without their " + violations.getColumn(2).getString());
        }
      }
      db_->exec("PRAGMA user_version = " + std::to_string(i + 1));
      transaction.commit();
    }
    db_->exec("PRAGMA foreign_keys = ON");
    return Status::Ok();
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<Project> ControlStore::CreateProject(const std::string& name, int64_t now) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement insert(*db_, "INSERT INTO projects (name, created_at) VALUES (?, ?)");
    SQLite::bind(insert, name, now);
    insert.exec();
    return Project{db_->getLastInsertRowid(), name, now};
  } catch (const SQLite::Exception& error) {
    if (IsUniqueViolation(error)) return Status::AlreadyExists("project '" + name + "' exists");
    return StoreError(error);
  }
}

Result<Project> ControlStore::FindProject(const std::string& name) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement query(*db_, "SELECT id, name, created_at FROM projects WHERE name = ?");
    query.bind(1, name);
    if (!query.executeStep()) return Status::NotFound("project '" + name + "' not found");
    return Project{query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                   query.getColumn(2).getInt64()};
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<std::vector<Project>> ControlStore::ListProjects() {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement query(*db_, "SELECT id, name, created_at FROM projects ORDER BY id");
    std::vector<Project> projects;
    while (query.executeStep()) {
      projects.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                          query.getColumn(2).getInt64()});
    }
    return projects;
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<ApiKeyRecord> ControlStore::CreateKey(int64_t project_id, const std::string& name, Role role,
                                             const std::string& hash, const std::string& prefix,
                                             int64_t now) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement insert(*db_,
                             "INSERT INTO api_keys (project_id, name, role, hash, prefix, "
                             "created_at) VALUES (?, ?, ?, ?, ?, ?)");
    SQLite::bind(insert, project_id, name, std::string(RoleName(role)), hash, prefix, now);
    insert.exec();
    ApiKeyRecord key;
    key.id = db_->getLastInsertRowid();
    key.project_id = project_id;
    key.name = name;
    key.role = role;
    key.prefix = prefix;
    key.created_at = now;
    return key;
  } catch (const SQLite::Exception& error) {
    if (IsUniqueViolation(error)) return Status::AlreadyExists("this key exists");
    return StoreError(error);
  }
}

Result<std::optional<ApiKeyRecord>> ControlStore::FindKeyByHash(const std::string& hash) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement& query =
        Prepared(std::string(kKeyColumns) + "WHERE hash = ? AND revoked_at IS NULL");
    ResetAfterUse reset(query);
    query.bind(1, hash);
    if (!query.executeStep()) return std::optional<ApiKeyRecord>();
    return std::optional<ApiKeyRecord>(ReadKey(query));
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<std::vector<ApiKeyRecord>> ControlStore::ListKeys(int64_t project_id) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement query(*db_, std::string(kKeyColumns) + "WHERE project_id = ? ORDER BY id");
    query.bind(1, project_id);
    std::vector<ApiKeyRecord> keys;
    while (query.executeStep()) keys.push_back(ReadKey(query));
    return keys;
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Status ControlStore::RevokeKey(int64_t project_id, int64_t key_id, int64_t now) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement update(*db_,
                             "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) "
                             "WHERE id = ? AND project_id = ?");
    SQLite::bind(update, now, key_id, project_id);
    if (update.exec() == 0) return Status::NotFound("key " + std::to_string(key_id) + " not found");
    return Status::Ok();
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<int64_t> ControlStore::CountKeys() {
  std::lock_guard lock(mutex_);
  try {
    return db_->execAndGet("SELECT COUNT(*) FROM api_keys").getInt64();
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<ModelRecord> ControlStore::CreateModel(const ModelRecord& model) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement insert(*db_,
                             "INSERT INTO models (project_id, name, task, timezone, description, "
                             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    SQLite::bind(insert, model.project_id, model.name, model.task, model.timezone,
                 model.description, model.created_at, model.updated_at);
    insert.exec();
    ModelRecord created = model;
    created.id = db_->getLastInsertRowid();
    return created;
  } catch (const SQLite::Exception& error) {
    if (IsUniqueViolation(error)) {
      return Status::AlreadyExists("model '" + model.name + "' exists");
    }
    return StoreError(error);
  }
}

Result<std::vector<ModelRecord>> ControlStore::ListModels(int64_t project_id) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement query(*db_,
                            std::string(kModelColumns) + "WHERE project_id = ? ORDER BY name");
    query.bind(1, project_id);
    std::vector<ModelRecord> models;
    while (query.executeStep()) models.push_back(ReadModel(query));
    return models;
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<ModelRecord> ControlStore::GetModel(int64_t project_id, const std::string& name) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement& query =
        Prepared(std::string(kModelColumns) + "WHERE project_id = ? AND name = ?");
    ResetAfterUse reset(query);
    SQLite::bind(query, project_id, name);
    if (!query.executeStep()) return Status::NotFound("model '" + name + "' not found");
    return ReadModel(query);
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<ModelRecord> ControlStore::GetModelById(int64_t model_id) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement& query = Prepared(std::string(kModelColumns) + "WHERE id = ?");
    ResetAfterUse reset(query);
    query.bind(1, model_id);
    if (!query.executeStep()) return Status::NotFound("model " + std::to_string(model_id));
    return ReadModel(query);
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Status ControlStore::UpdateModel(const ModelRecord& model) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement update(*db_,
                             "UPDATE models SET task = ?, timezone = ?, description = ?, "
                             "updated_at = ? WHERE id = ?");
    SQLite::bind(update, model.task, model.timezone, model.description, model.updated_at, model.id);
    if (update.exec() == 0) return Status::NotFound("model '" + model.name + "' not found");
    return Status::Ok();
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Status ControlStore::DeleteModel(int64_t model_id) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement remove(*db_, "DELETE FROM models WHERE id = ?");
    remove.bind(1, model_id);
    remove.exec();
    return Status::Ok();
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<VersionRecord> ControlStore::CreateVersion(const VersionRecord& version) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement insert(*db_,
                             "INSERT INTO versions (model_id, version, schema_json, segments_json, "
                             "created_at) VALUES (?, ?, ?, ?, ?)");
    SQLite::bind(insert, version.model_id, version.version, version.schema_json,
                 version.segments_json, version.created_at);
    insert.exec();
    VersionRecord created = version;
    created.id = db_->getLastInsertRowid();
    return created;
  } catch (const SQLite::Exception& error) {
    if (IsUniqueViolation(error)) {
      return Status::AlreadyExists("version '" + version.version + "' exists");
    }
    return StoreError(error);
  }
}

Status ControlStore::KeepIdsAbove(int64_t model_id, int64_t version_id) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction transaction(*db_);
    for (const auto& [table, id] : {std::pair<const char*, int64_t>{"models", model_id},
                                    std::pair<const char*, int64_t>{"versions", version_id}}) {
      // AUTOINCREMENT gives out one more than the larger of the table's highest id and its row
      // here (none before the first insert).
      SQLite::Statement raise(*db_, "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?");
      SQLite::bind(raise, id, table);
      if (raise.exec() == 0 && id > 0) {
        SQLite::Statement insert(*db_, "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)");
        SQLite::bind(insert, table, id);
        insert.exec();
      }
    }
    transaction.commit();
    return Status::Ok();
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<std::vector<VersionRecord>> ControlStore::ListVersions(int64_t model_id) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement query(*db_, std::string(kVersionColumns) + "WHERE model_id = ? ORDER BY id");
    query.bind(1, model_id);
    std::vector<VersionRecord> versions;
    while (query.executeStep()) versions.push_back(ReadVersion(query));
    return versions;
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<VersionRecord> ControlStore::GetVersion(int64_t model_id, const std::string& version) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement& query =
        Prepared(std::string(kVersionColumns) + "WHERE model_id = ? AND version = ?");
    ResetAfterUse reset(query);
    SQLite::bind(query, model_id, version);
    if (!query.executeStep()) return Status::NotFound("version '" + version + "' not found");
    return ReadVersion(query);
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

Result<std::vector<VersionRecord>> ControlStore::AllVersions() {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement query(*db_, std::string(kVersionColumns) + "ORDER BY id");
    std::vector<VersionRecord> versions;
    while (query.executeStep()) versions.push_back(ReadVersion(query));
    return versions;
  } catch (const std::exception& error) {
    return StoreError(error);
  }
}

}  // namespace telltale
