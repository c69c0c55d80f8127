// DataStore: the data plane in one RocksDB database — the durable ingest log, the window profiles,
// and the index of logged prediction ids.
//
//   log      sequence number -> LogRecord        appended (fsync) before a request is acknowledged
//            sequence number|'i' -> id entries  index entries the record rewrote (RecentIds)
//   windows  version|env(+day bit)|segment|hour -> WindowProfile   written by checkpoints
//            version|0x7f|"day_zone" -> the time zone of the version's day rollups
//   ids      version|id -> PredictionRef         written with the log record that accepted the id,
//                                                never rewritten
//   joined   version|id -> PredictionRef         the entry again with its latest actual, written by
//                                                the checkpoint that deletes the actual's record
//                                                (until then RecentIds); read before `ids`,
//                                                when JoinedKeys does not rule the key out
//   pending  model|id -> PendingActual           actuals that came before their prediction
//
// Entries joined to an actual are written apart from the prediction index so that joining never
// rewrites that index: rewritten in place, its compactions grew with every actual and each one
// left its blocks cold in the cache (bench/README.md). Stores whose `ids` entries hold actuals
// (written so before `joined` existed) read the same.
//
// Concurrent appends share one fsync (RocksDB's group commit). A checkpoint writes window profiles
// and deletes the log records folded into them in one atomic batch, so a row is counted exactly
// once whether the server stops before or after a checkpoint.
#ifndef TELLTALE_STORE_DATA_STORE_H_
#define TELLTALE_STORE_DATA_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "ingest/window_profile.h"
#include "store/joined_keys.h"
#include "store/recent_ids.h"
#include "store/retention_filter.h"
#include "telltale/result.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace telltale {

struct WindowEntry {
  int64_t version_id = 0;
  WindowKey key;
  std::string bytes;  // a serialized WindowProfile
};

struct DataStoreOptions {
  // Writes are refused (Unavailable) while the file system has less than this free: a write that
  // fails for lack of space can leave RocksDB unable to continue in-process, so the store stops
  // short of a full disk.
  uint64_t min_free_bytes = 64ull << 20;
  // Memory that keeps recently read blocks of windows uncompressed.
  uint64_t cache_bytes = 32ull << 20;
  // Index entries of predictions whose event time is older than this are dropped as the store
  // compacts (RetentionFilter): their actuals can no longer be joined. 0 keeps them for ever.
  int64_t ids_retention_seconds = 0;
  // Pending actuals that arrived longer ago than this are dropped likewise.
  int64_t pending_retention_seconds = 0;
  // The time retention is measured against (the system clock when null).
  const Clock* clock = nullptr;
  // Room the filter of joined keys (JoinedKeys) has at least (1.2 MiB); it grows with them.
  uint64_t joined_filter_min_keys = 1'000'000;
};

class DataStore {
 public:
  static Result<std::unique_ptr<DataStore>> Open(const std::string& directory,
                                                 const DataStoreOptions& options = {});
  ~DataStore();

  // What a record's index entries are. New ones go into the index with the record. Entries that
  // replace ones the index has (a prediction's with its actual) are held in memory (RecentIds)
  // and written into `joined` by the checkpoint that deletes the record, sorted.
  enum class IdEntries { kNew, kReplacing };
  // Appends `record`, writes `ids` (id -> encoded PredictionRef) for the version and deletes the
  // model's pending actuals `joined_pending`, durably and atomically. Returns the record's
  // sequence number. Unavailable when the disk is full, IoError for other failures; nothing
  // is written then.
  Result<uint64_t> Append(std::string_view record, int64_t version_id,
                          const std::vector<std::pair<std::string, std::string>>& ids,
                          IdEntries kind = IdEntries::kNew, int64_t model_id = 0,
                          const std::vector<std::string>& joined_pending = {});
  // For each id, whether the version logged it before.
  Result<std::vector<bool>> HaveIds(int64_t version_id, const std::vector<std::string>& ids);
  // Calls `found(i, entry)` for each of `ids` the version logged, with its index entry (an
  // encoded PredictionRef, valid during the call); not at all for the others.
  using FoundValue = std::function<void(size_t index, std::string_view value)>;
  Status ReadIds(int64_t version_id, const std::vector<std::string>& ids, const FoundValue& found);
  // For each id, its index entry if the version logged it (ReadIds, copied).
  Result<std::vector<std::optional<std::string>>> GetIds(int64_t version_id,
                                                         const std::vector<std::string>& ids);

  // Actuals whose prediction has not come yet (id -> encoded PendingActual), durably.
  Status PutPending(int64_t model_id,
                    const std::vector<std::pair<std::string, std::string>>& actuals);
  Result<std::vector<std::optional<std::string>>> GetPending(int64_t model_id,
                                                             const std::vector<std::string>& ids);
  // False while no pending actual was ever stored (the common case: prediction paths skip the
  // lookup); true from the first one on, or when the store held some when it was opened.
  bool MayHavePending() const { return may_have_pending_.load(std::memory_order_acquire); }

  // Writes `windows` and the joined entries of the log records `folded` and deletes those records,
  // atomically and durably. The records `dropped` (of deleted versions) are deleted with their
  // index entries unwritten.
  Status Checkpoint(const std::vector<WindowEntry>& windows, const std::vector<uint64_t>& folded,
                    const std::vector<uint64_t>& dropped = {});
  // Every log record not yet deleted by a checkpoint, in sequence order.
  Status ForEachLogRecord(const std::function<Status(uint64_t, std::string_view)>& visit);
  Result<std::optional<std::string>> GetWindow(int64_t version_id, const WindowKey& key);
  // Windows of one series (hours, or day rollups) starting in [from_hour, to_hour).
  Status ScanWindows(int64_t version_id, Environment environment, bool day, uint32_t segment,
                     int64_t from_hour, int64_t to_hour,
                     const std::function<Status(int64_t hour, std::string_view bytes)>& visit);
  // The time zone whose days the version's day rollups are kept in; none before the first
  // ReplaceDays (the rollups of such a store are UTC days).
  Result<std::optional<std::string>> GetDayZone(int64_t version_id);
  // Replaces every day rollup of the version with those among `windows` (the others are hourly
  // windows written as by a checkpoint), deletes the log records `folded` and records `zone`,
  // atomically and durably.
  Status ReplaceDays(int64_t version_id, const std::vector<WindowEntry>& windows,
                     const std::vector<uint64_t>& folded, const std::string& zone);
  // Compacts the id index (both parts) and the pending actuals in full now, dropping what is past
  // retention (RocksDB otherwise does so as the store grows, and daily for files left alone).
  Status CompactIndexes();
  // Removes a version's windows and ids (log records are removed by the next checkpoint).
  Status DeleteVersion(int64_t version_id);
  // Removes the actuals of a model kept for predictions not seen yet.
  Status DeletePendingActuals(int64_t model_id);
  // The highest version id with windows or index entries in the store, and the highest model id
  // with pending actuals (0 for none): ids the control store must not give out again.
  std::pair<int64_t, int64_t> HighestIdsWithData() const;
  // Whether the filter of joined keys is being built (JoinedKeys).
  bool BuildingJoinedFilter() const { return joined_keys_->building(); }
  // Index entries rewritten since the last checkpoint, held in memory (RecentIds).
  size_t HeldIdEntries() const { return recent_ids_.size(); }
  // Whether a checkpoint should come before its interval: a million index entries held in memory
  // (about 100 bytes each), or an eighth of the log's memtable appended since the last one while
  // few index entries are held. Log records deleted while still in the memtable leave only their
  // deletions to be flushed; at 100 MB/s of records, a checkpoint every 5 s found nearly all of
  // them flushed to table files already (8 to 10 times the bytes written).
  bool WantsCheckpoint() const;
  // Bytes on disk: SST files plus write-ahead log.
  uint64_t SizeBytes() const;
  // Bytes of each part (log, windows, ids, joined, pending) in its live SST files (not what is
  // still in memory and the write-ahead log).
  std::vector<std::pair<std::string, uint64_t>> PartBytes() const;
  // Memory by use: memtables, table_readers (index and filter blocks), block_cache, and
  // joined_filter (the keys of `joined`, JoinedKeys).
  std::vector<std::pair<std::string, uint64_t>> MemoryBytes() const;

 private:
  DataStore() = default;
  // After a failed write (a full disk) RocksDB refuses writes until resumed.
  Status ResumeIfStopped();
  // Calls `found(i, value)` for each of the owner|id `keys` that `family` holds (the id index by
  // version, pending actuals by model), skipping those `skip` marks.
  Status MultiGet(rocksdb::ColumnFamilyHandle* family, const std::vector<std::string>& keys,
                  const FoundValue& found, const std::vector<bool>* skip = nullptr);
  // Writes the index entries written with the log records `folded`, then, after what `first`
  // adds, `windows` and the deletion of the records `folded` and `dropped` in one synced batch.
  Status WriteWindows(const std::vector<WindowEntry>& windows, const std::vector<uint64_t>& folded,
                      const std::vector<uint64_t>& dropped,
                      const std::function<void(rocksdb::WriteBatch&)>& first = nullptr);
  // Writes `batch`, with fsync when `sync` (which makes every earlier write durable too); a
  // failure stops writes until ResumeIfStopped succeeds. Every write goes through here, never
  // inlined: a race ThreadSanitizer reports inside RocksDB's group commit (its leader copying
  // other writers' batches, synchronized by atomics it cannot see in Debian's uninstrumented
  // build) then names this frame, and scripts/tsan.supp suppresses it by that name.
  [[gnu::noinline]] Status Write(rocksdb::WriteBatch& batch, bool sync);
  // Bytes in the log's memtable that takes appends (those it holds are flushed when it is full).
  uint64_t LogMemtableBytes() const;
  // Unavailable when less than the reserve (plus `incoming`) is free.
  Status CheckSpace(uint64_t incoming) const;

  // The retention filters' clock when none is given: declared before the database, so it
  // outlives it.
  SystemClock system_clock_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* log_ = nullptr;
  rocksdb::ColumnFamilyHandle* windows_ = nullptr;
  rocksdb::ColumnFamilyHandle* ids_ = nullptr;
  rocksdb::ColumnFamilyHandle* pending_ = nullptr;
  rocksdb::ColumnFamilyHandle* joined_ = nullptr;
  // Index entries of the records still in the log.
  RecentIds recent_ids_;
  // Which keys `joined` may hold; destroyed (its build stopped) before the database closes.
  std::unique_ptr<JoinedKeys> joined_keys_;
  std::atomic<bool> may_have_pending_{false};
  std::atomic<uint64_t> next_sequence_{1};
  std::atomic<uint64_t> log_bytes_since_checkpoint_{0};
  std::atomic<bool> stopped_{false};
  std::string directory_;
  uint64_t min_free_bytes_ = 0;
};

}  // namespace telltale

#endif  // TELLTALE_STORE_DATA_STORE_H_
