// LiveWindows: the window profiles being written, per model version, in memory, and the link
// between them and the durable log.
//
// A record appended to the log is folded here and remembered; a checkpoint writes the windows it
// changed and deletes the records it holds from the log, atomically. Windows no longer being
// written (older than the open horizon) are dropped from memory after a checkpoint and read back
// from the store on demand, so memory follows the number of open windows, not the rows ingested.
#ifndef TELLTALE_INGEST_LIVE_WINDOWS_H_
#define TELLTALE_INGEST_LIVE_WINDOWS_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "ingest/day_calendar.h"
#include "ingest/log_record.h"
#include "ingest/performance_spec.h"
#include "ingest/version_schema.h"
#include "ingest/window_profile.h"
#include "store/data_store.h"

namespace telltale {

class LiveWindows {
 public:
  explicit LiveWindows(DataStore& store) : store_(store) {}

  // `model_id` and `spec` join actuals to the version's predictions (the actuals of a model may
  // belong to any of its versions).
  void AddVersion(int64_t version_id, std::shared_ptr<const VersionSchema> schema,
                  int64_t model_id = 0, PerformanceSpec spec = {});
  // Forgets the version and deletes its data from the store. Never while a checkpoint writes: one
  // that took the version's windows and index entries before would write them after the deletion.
  Status DeleteVersion(int64_t version_id);
  // Keeps the version's day rollups in the days of `zone` (the model's time zone; null for UTC).
  // When the store holds them in another zone's days (the model's zone changed, or the store
  // predates zoned rollups) they are rebuilt from the hourly windows, in one atomic write; the
  // version's folding waits meanwhile. Versions start with UTC days until this is called.
  Status SetDayZone(int64_t version_id, const date::time_zone* zone);
  // The name of the zone whose days the version's rollups are kept in ("" for an unknown version).
  std::string DayZone(int64_t version_id) const;
  // The schema of a loaded version, or null.
  std::shared_ptr<const VersionSchema> Schema(int64_t version_id) const;
  // How the version's actuals are compared (null for an unknown version), and its model.
  std::shared_ptr<const PerformanceSpec> Performance(int64_t version_id) const;
  int64_t ModelOf(int64_t version_id) const;

  // For each id: true if the version has it already (logged, or claimed by a request in flight);
  // the others are claimed until ReleaseIds.
  Result<std::vector<bool>> ClaimIds(int64_t version_id, const std::vector<std::string>& ids);
  void ReleaseIds(int64_t version_id, const std::vector<std::string>& ids);

  // Folds a record that is in the log under `sequence`. NotFound for an unknown version (its
  // record is dropped by the next checkpoint).
  Status Fold(const LogRecord& record, uint64_t sequence);
  // Writes changed windows, deletes the folded records from the log, then drops clean production
  // windows before `evict_before_hour` from memory.
  Status Checkpoint(int64_t evict_before_hour);

  // kHours visits every hourly window. kAny may visit a day rollup instead of a whole day's hours:
  // for merging a range, where only the total matters, or for buckets of days or weeks when
  // `days_of` names the zone they are days of (rollups kept in another zone's days are then not
  // used).
  enum class Span { kHours, kAny };
  // Visits the windows of one series covering [from_hour, to_hour), in memory or stored; `hour`
  // is a window's first hour (a rollup's: its day's first). Stored windows are decoded with only
  // the `fields` selected (windows in memory are visited whole).
  Status Visit(int64_t version_id, Environment environment, uint32_t segment, int64_t from_hour,
               int64_t to_hour, Span span,
               const std::function<void(int64_t hour, const WindowProfile&)>& visit,
               const FieldSelection& fields = FieldSelection::All(),
               const std::string& days_of = "");

  size_t open_windows() const;

 private:
  struct VersionState {
    std::shared_ptr<const VersionSchema> schema;
    std::shared_ptr<const PerformanceSpec> performance;
    int64_t model_id = 0;
    bool deleted = false;  // guarded by `mutex`: for those that found the version before
    // Held shared by reads of day rollups and exclusively while they are rebuilt; taken before
    // `mutex`.
    std::shared_mutex days_mutex;
    DayCalendar days;  // guarded by both locks: either one suffices for reading
    // Guards the windows, what changed and the folded records.
    std::mutex mutex;
    std::map<WindowKey, WindowProfile> windows;
    // Production rows folded since the last Settle, by hour window: in neither the hour nor its
    // day yet. Folding a row once and merging the sum into both later halves the folding work.
    std::map<WindowKey, WindowProfile> unsettled;
    std::set<WindowKey> dirty;
    std::vector<uint64_t> folded;
    // Guards the ids of requests in flight; separate, so that one request's id check runs while
    // another folds.
    std::mutex claims_mutex;
    absl::flat_hash_set<std::string> claimed;
  };
  std::shared_ptr<VersionState> Find(int64_t version_id) const;
  // Visits one series' windows from `first` up to `to_hour`: in memory first, then the store.
  // With `locked`, the caller holds the version's lock.
  Status VisitSeries(int64_t version_id, VersionState& state, const WindowKey& first,
                     int64_t to_hour,
                     const std::function<void(int64_t, const WindowProfile&)>& visit,
                     const FieldSelection& fields, bool locked = false);
  // Merges the version's hourly production windows into rollups of `days`, writes them in place
  // of the stored ones with the version's pending checkpoint; both locks are held.
  Status RebuildDays(int64_t version_id, VersionState& state, const DayCalendar& days);
  // Merges the unsettled rows into their hours and days; the version's lock is held. Whatever
  // reads or writes the windows settles first.
  Status Settle(int64_t version_id, VersionState& state);
  // Leaves the record `sequence` of a version that is not (or no longer) here to the next
  // checkpoint to delete; NotFound.
  Status Orphan(int64_t version_id, uint64_t sequence);
  // The window for `key`, loaded from the store or created; the version's lock is held.
  Result<WindowProfile*> Open(int64_t version_id, VersionState& state, const WindowKey& key);

  DataStore& store_;
  // Held by a checkpoint from taking what changed until it is written, and by a deletion.
  std::mutex checkpoint_mutex_;
  mutable std::shared_mutex versions_mutex_;
  std::unordered_map<int64_t, std::shared_ptr<VersionState>> versions_;
  std::mutex orphans_mutex_;
  std::vector<uint64_t> orphans_;  // records of versions that no longer exist
};

}  // namespace telltale

#endif  // TELLTALE_INGEST_LIVE_WINDOWS_H_
