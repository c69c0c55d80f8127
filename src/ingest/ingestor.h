// Ingestor: the path of one ingest request — decode and validate the rows, refuse late, future and
// duplicate ones, append what was accepted to the durable log, then fold it into the live windows.
// A request is acknowledged only after the append returned, so an acknowledged row survives a
// crash.
#ifndef TELLTALE_INGEST_INGESTOR_H_
#define TELLTALE_INGEST_INGESTOR_H_

#include <array>
#include <atomic>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "ingest/actuals_decoder.h"
#include "ingest/id_locks.h"
#include "ingest/live_windows.h"
#include "ingest/row_decoder.h"
#include "store/data_store.h"

namespace telltale {

struct IngestLimits {
  DecodeLimits decode;
  int64_t max_lateness_seconds = 7 * 86400;
  int64_t max_future_seconds = 3600;
  // How long after a prediction its actual is still joined, and how long an actual that came
  // before its prediction waits for it.
  int64_t actuals_retention_seconds = 90 * 86400;
  int64_t pending_retention_seconds = 7 * 86400;
};

// kColumns: a columnar body (column_decoder.h).
enum class BodyFormat { kJson, kNdjson, kCsv, kColumns };

struct IngestRequest {
  int64_t version_id = 0;
  Environment environment = Environment::kProduction;
  std::string_view body;
  BodyFormat format = BodyFormat::kJson;
  bool atomic = false;  // all rows or none
  // Baselines only: this request's rows replace the baseline instead of adding to it.
  bool replace = false;
};

// A profile computed elsewhere for one window (the agent, the SDK's privacy mode).
struct ProfileRequest {
  int64_t version_id = 0;
  Environment environment = Environment::kProduction;
  uint32_t segment = 0;      // 0: all rows
  int64_t window_start = 0;  // Unix seconds; production profiles land in this hour
  std::string_view profile;  // a serialized DatasetProfile (`telltale profile` writes them)
  std::string upload_id;     // optional: a retried upload with the same id is refused, not re-added
};

// Ground truth for a model's predictions, joined by prediction id to whichever version logged it.
struct ActualsRequest {
  int64_t model_id = 0;
  std::vector<int64_t> version_ids;  // the model's versions, newest first
  std::string_view body;
  bool ndjson = false;
};

struct ActualsResult {
  size_t joined = 0;     // counted with their predictions (corrections included)
  size_t corrected = 0;  // of those, replacing an earlier actual
  size_t pending = 0;    // no prediction with the id yet: kept for pending_retention
  std::vector<Rejection> rejected;
};

struct IngestResult {
  size_t accepted = 0;
  std::vector<Rejection> rejected;
  bool refused = false;  // atomic and something was rejected: nothing was written
};

// Totals since start, for /metrics.
struct IngestCounters {
  std::atomic<uint64_t> accepted{0};
  std::array<std::atomic<uint64_t>, kRejectReasonCount> rejected{};
  std::atomic<uint64_t> actuals_joined{0};
  std::atomic<uint64_t> actuals_pending{0};
  // Pending actuals whose prediction never came within pending_retention.
  std::atomic<uint64_t> actuals_unmatched{0};
  // Pending actuals their prediction's version could not compare when it came.
  std::atomic<uint64_t> actuals_refused{0};
};

class Ingestor {
 public:
  Ingestor(DataStore& store, LiveWindows& windows, const Clock& clock, IngestLimits limits)
      : store_(store), windows_(windows), clock_(clock), limits_(limits) {}

  // Whole-body failures as Status (InvalidArgument, ResourceExhausted for limits and a full disk,
  // NotFound for an unknown version); per-row ones in the result.
  Result<IngestResult> Ingest(const IngestRequest& request);
  // Adds an uploaded profile to its window, durably. InvalidArgument names what does not fit (not
  // a profile, a field the schema does not have, a window outside the allowed lateness);
  // AlreadyExists for a repeated upload id. Returns the profile's row count.
  Result<uint64_t> IngestProfile(const ProfileRequest& request);
  // Joins actuals to their predictions, durably: a correction (the same id again) replaces the
  // earlier actual in every window it was counted in. Body failures as for Ingest.
  Result<ActualsResult> IngestActuals(const ActualsRequest& request);
  // Folds the records a previous run logged but did not checkpoint.
  Status Recover();

  const IngestCounters& counters() const { return counters_; }

 private:
  // Whether events spanning [first, last] fall outside the accepted lateness or clock skew, and
  // how to say so.
  std::optional<std::pair<RejectReason, std::string>> CheckTime(int64_t first, int64_t last,
                                                                int64_t now) const;
  // The body's rows, decoded and validated by its format's decoder.
  Result<DecodedRows> Decode(const IngestRequest& request, const VersionSchema& schema,
                             const DecodeOptions& options) const;
  void RejectOutOfTime(DecodedRows& decoded, int64_t now);
  // Of the actuals in `open` that found no prediction, those no version of the model could
  // compare go to `result.rejected`; the rest stay in `open` to wait.
  void RejectUnusablePending(const ActualsRequest& request, const std::vector<ActualRow>& rows,
                             std::vector<size_t>& open, ActualsResult& result) const;
  // Rows logged with an actual their version cannot compare (a binary label of neither class).
  void RejectUnusableActuals(DecodedRows& decoded, const PerformanceSpec& spec);
  // Appends a record (and its index entries, and the pending actuals it joined) to the log and
  // folds it; releases `claimed` either way.
  Status Commit(const LogRecord& record,
                const std::vector<std::pair<std::string, std::string>>& ids,
                const std::vector<std::string>& claimed,
                const std::vector<std::string>& joined_pending = {},
                DataStore::IdEntries kind = DataStore::IdEntries::kNew);
  // The index entries of accepted production rows; actuals that were waiting for them are joined
  // into `record` (and their pending entries listed in `joined_pending`).
  Result<std::vector<std::pair<std::string, std::string>>> IndexPredictions(
      LogRecord& record, std::vector<std::string>& joined_pending, int64_t now);
  Result<std::vector<std::string>> RejectDuplicates(int64_t version_id, DecodedRows& decoded);

  // Joins the actuals `rows[open]` to the predictions of the request's versions and commits them;
  // leaves in `open` those with no prediction. `were_pending`: they were written as pending
  // since the last look, and their pending entries go with the join.
  Status JoinActuals(const ActualsRequest& request, const std::vector<ActualRow>& rows,
                     std::vector<size_t>& open, bool were_pending, int64_t now,
                     ActualsResult& result);

  // Baseline rows that carry their actual (a validation set, say) are counted in the baseline's
  // performance: joins added to `record`.
  void JoinBaselineActuals(LogRecord& record) const;
  // After predictions were appended: joins actuals that were written as pending for them while
  // they were on their way (the pending check before the append could not see those).
  Status JoinLatePending(int64_t version_id, const std::vector<Row>& predictions, int64_t now);

  DataStore& store_;
  LiveWindows& windows_;
  const Clock& clock_;
  IngestLimits limits_;
  IngestCounters counters_;
  // An actual's id is held from its first look at the index until its join is durable and folded:
  // a correction reads the actual it replaces, a pending actual is joined once.
  IdLocks actual_locks_;
};

}  // namespace telltale

#endif  // TELLTALE_INGEST_INGESTOR_H_
