// ControlStore: the control plane in one SQLite file — projects, API keys, models and model
// versions. Small, transactional and read far more often than written; every method is safe to call
// from several threads (one connection, one lock).
#ifndef TELLTALE_STORE_CONTROL_STORE_H_
#define TELLTALE_STORE_CONTROL_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "telltale/result.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace telltale {

enum class Role { kAdmin, kWrite, kRead };
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct Project {
  int64_t id = 0;
  std::string name;
  int64_t created_at = 0;  // Unix seconds
};

struct ApiKeyRecord {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string name;
  Role role = Role::kRead;
  std::string prefix;  // the first characters of the secret, to tell keys apart in listings
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;
};

struct ModelRecord {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string name;
  std::string task;
  std::string timezone = "UTC";
  std::string description;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct VersionRecord {
  int64_t id = 0;
  int64_t model_id = 0;
  std::string version;
  std::string schema_json;    // the schema as the client sent it, normalized
  std::string segments_json;  // the segment list, normalized
  int64_t created_at = 0;
};

class ControlStore {
 public:
  // Opens or creates the database at `path` and brings its tables up to date.
  static Result<std::unique_ptr<ControlStore>> Open(const std::string& path);
  ~ControlStore();

  Result<Project> CreateProject(const std::string& name, int64_t now);
  Result<Project> FindProject(const std::string& name);
  Result<std::vector<Project>> ListProjects();

  // `hash` is the SHA-256 of the secret; the secret itself is never stored.
  Result<ApiKeyRecord> CreateKey(int64_t project_id, const std::string& name, Role role,
                                 const std::string& hash, const std::string& prefix, int64_t now);
  // The live (not revoked) key with this hash.
  Result<std::optional<ApiKeyRecord>> FindKeyByHash(const std::string& hash);
  Result<std::vector<ApiKeyRecord>> ListKeys(int64_t project_id);
  // NotFound when the project has no such key.
  Status RevokeKey(int64_t project_id, int64_t key_id, int64_t now);
  Result<int64_t> CountKeys();

  // AlreadyExists when the project has a model of that name.
  Result<ModelRecord> CreateModel(const ModelRecord& model);
  Result<std::vector<ModelRecord>> ListModels(int64_t project_id);
  // NotFound names the model.
  Result<ModelRecord> GetModel(int64_t project_id, const std::string& name);
  Status UpdateModel(const ModelRecord& model);
  // Deletes the model and its versions.
  Status DeleteModel(int64_t model_id);

  // Ids are never given out twice, not even after the newest model or version is deleted.
  Result<VersionRecord> CreateVersion(const VersionRecord& version);
  // Models and versions created from now on get ids above these (ids whose data the data store
  // still holds).
  Status KeepIdsAbove(int64_t model_id, int64_t version_id);
  Result<std::vector<VersionRecord>> ListVersions(int64_t model_id);
  Result<VersionRecord> GetVersion(int64_t model_id, const std::string& version);
  // Every version of every model, for loading the data plane at start.
  Result<std::vector<VersionRecord>> AllVersions();
  Result<ModelRecord> GetModelById(int64_t model_id);

 private:
  explicit ControlStore(std::unique_ptr<SQLite::Database> db);
  Status Migrate();
  // The statement for `sql`, prepared on its first use and kept (every request looks up its key,
  // model and version: preparing each time cost more than running them). Call with the lock held;
  // the caller resets it after use (ResetAfterUse).
  SQLite::Statement& Prepared(const std::string& sql);

  std::mutex mutex_;
  std::unique_ptr<SQLite::Database> db_;
  // Finalized before the connection closes (members go in reverse order).
  std::map<std::string, std::unique_ptr<SQLite::Statement>> prepared_;
};

}  // namespace telltale

#endif  // TELLTALE_STORE_CONTROL_STORE_H_
