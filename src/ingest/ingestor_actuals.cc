// Ingestor, the actuals side: index entries for predictions, actuals joined to them (or kept
// pending until they come), corrections replacing earlier actuals.
#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <string_view>

#include "ingest/actuals_decoder.h"
#include "ingest/id_locks.h"
#include "ingest/ingestor.h"
#include "ingest/prediction_ref.h"

namespace telltale {
namespace {

// What joining `actual` to the prediction `ref` adds to its windows; updates `ref`.
Result<ActualJoin> Join(const PerformanceSpec& spec, PredictionRef& ref, const ActualValue& actual,
                        int64_t known_at) {
  ActualJoin join;
  join.event_time = ref.event_time;
  join.segments = ref.segments;
  TELLTALE_ASSIGN_OR_RETURN(join.outcome, spec.MakeOutcome(ref, actual));
  if (ref.actual) {
    Result<Outcome> replaced = spec.MakeOutcome(ref, *ref.actual);
    if (replaced.ok()) join.replaced = std::move(*replaced);
  } else {
    join.delay_seconds = static_cast<double>(std::max<int64_t>(0, known_at - ref.event_time));
    ref.first_actual_time = known_at;
  }
  ref.actual = actual;
  return join;
}

// What IdLocks holds for the ids of a model: ids are a model's, actuals join to any of its
// versions.
template <typename Items, typename IdOf>
std::vector<uint64_t> LockKeys(int64_t model_id, const Items& items, IdOf&& id_of) {
  std::vector<uint64_t> keys;
  keys.reserve(items.size());
  for (const auto& item : items) keys.push_back(IdLocks::KeyOf(model_id, id_of(item)));
  return keys;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> Ingestor::IndexPredictions(
    LogRecord& record, std::vector<std::string>& joined_pending, int64_t now) {
  std::shared_ptr<const VersionSchema> schema = windows_.Schema(record.version_id);
  std::shared_ptr<const PerformanceSpec> spec = windows_.Performance(record.version_id);
  if (!schema || !spec) return Status::NotFound("model version not found");
  const int64_t model_id = windows_.ModelOf(record.version_id);
  std::vector<PredictionRef> refs(record.rows.size());
  std::vector<std::string> ids;
  ids.reserve(record.rows.size());
  for (size_t i = 0; i < record.rows.size(); ++i) {
    const Row& row = record.rows[i];
    refs[i].event_time = row.event_time;
    refs[i].segments = SegmentsOf(*schema, row);
    spec->ReadPrediction(row, refs[i]);
    ids.push_back(row.id);
    // A prediction logged with its actual is counted at once.
    if (std::optional<ActualValue> actual = spec->RowActual(row)) {
      Result<ActualJoin> join = Join(*spec, refs[i], *actual, row.event_time);
      if (join.ok()) record.joins.push_back(std::move(*join));
    }
  }
  // Actuals that arrived before these predictions are joined now, in the same record.
  std::vector<std::optional<std::string>> pending;
  if (store_.MayHavePending()) {
    TELLTALE_ASSIGN_OR_RETURN(pending, store_.GetPending(model_id, ids));
  }
  for (size_t i = 0; i < pending.size(); ++i) {
    if (!pending[i]) continue;
    joined_pending.push_back(ids[i]);  // used or expired, the pending entry goes
    if (refs[i].actual) continue;      // the row came with its own actual
    Result<PendingActual> waiting = DecodePendingActual(*pending[i]);
    if (!waiting.ok() || now - waiting->arrival_time > limits_.pending_retention_seconds) {
      ++counters_.actuals_unmatched;
      continue;
    }
    // An actual this version cannot compare (one that waited while the model had no versions,
    // or for a version of another schema) goes, counted.
    Result<ActualFields> fields = ParseActualFields(waiting->actuals_json);
    Result<ActualValue> actual =
        fields.ok() ? spec->ReadActual(*fields) : Result<ActualValue>(fields.status());
    Result<ActualJoin> join =
        actual.ok() ? Join(*spec, refs[i], *actual, waiting->arrival_time) : actual.status();
    if (!join.ok()) {
      ++counters_.actuals_refused;
      continue;
    }
    record.joins.push_back(std::move(*join));
    ++counters_.actuals_joined;
  }
  std::vector<std::pair<std::string, std::string>> entries;
  entries.reserve(refs.size());
  for (size_t i = 0; i < refs.size(); ++i) {
    entries.emplace_back(std::move(ids[i]), EncodePredictionRef(refs[i]));
  }
  return entries;
}

Status Ingestor::JoinActuals(const ActualsRequest& request, const std::vector<ActualRow>& rows,
                             std::vector<size_t>& open, bool were_pending, int64_t now,
                             ActualsResult& result) {
  auto reject = [&](const ActualRow& row, RejectReason reason, std::string message) {
    result.rejected.push_back({row.index, row.id, reason, std::move(message)});
  };
  struct VersionWrites {
    LogRecord record;
    // The index entries this request read, in the order first read: a later row for the same id
    // starts from the entry as the earlier row left it. Ids are views of the rows'.
    std::vector<std::pair<std::string_view, PredictionRef>> refs;
    absl::flat_hash_map<std::string_view, size_t> position;
  };
  std::map<int64_t, VersionWrites> writes;
  for (int64_t version_id : request.version_ids) {
    if (open.empty()) break;
    std::shared_ptr<const PerformanceSpec> spec = windows_.Performance(version_id);
    if (!spec) continue;
    std::vector<std::string> ids;
    ids.reserve(open.size());
    for (size_t i : open) ids.push_back(rows[i].id);
    std::vector<std::optional<PredictionRef>> stored(ids.size());
    Status unreadable;
    TELLTALE_RETURN_IF_ERROR(store_.ReadIds(version_id, ids, [&](size_t k, std::string_view value) {
      Result<PredictionRef> ref = DecodePredictionRef(value);
      if (ref.ok()) {
        stored[k] = std::move(*ref);
      } else if (unreadable.ok()) {
        unreadable = ref.status();
      }
    }));
    TELLTALE_RETURN_IF_ERROR(unreadable);
    std::vector<size_t> still_open;
    VersionWrites& version = writes[version_id];
    version.position.reserve(open.size());
    for (size_t k = 0; k < open.size(); ++k) {
      const ActualRow& row = rows[open[k]];
      auto [known, added] = version.position.try_emplace(row.id, version.refs.size());
      if (added) {
        if (!stored[k]) {
          version.position.erase(known);
          still_open.push_back(open[k]);
          continue;
        }
        version.refs.emplace_back(row.id, std::move(*stored[k]));
      }
      PredictionRef& ref = version.refs[known->second].second;
      if (now - ref.event_time > limits_.actuals_retention_seconds) {
        reject(row, RejectReason::kExpired,
               "the prediction (" + FormatRfc3339(ref.event_time) +
                   ") is older than the actuals retention (" +
                   std::to_string(limits_.actuals_retention_seconds / 86400) + " days)");
        continue;
      }
      Result<ActualValue> actual = spec->ReadActual(row.fields);
      if (!actual.ok()) {
        reject(row, RejectReason::kTypeError, actual.status().message());
        continue;
      }
      bool correction = ref.actual.has_value();
      Result<ActualJoin> join = Join(*spec, ref, *actual, row.time.value_or(now));
      if (!join.ok()) {
        reject(row, RejectReason::kMalformed, join.status().message());
        continue;
      }
      version.record.joins.push_back(std::move(*join));
      ++result.joined;
      result.corrected += correction && !were_pending;
    }
    open = std::move(still_open);
  }
  for (auto& [version_id, version] : writes) {
    if (version.record.joins.empty()) continue;
    version.record.version_id = version_id;
    version.record.environment = Environment::kProduction;
    std::vector<std::pair<std::string, std::string>> entries;
    entries.reserve(version.refs.size());
    for (const auto& [id, ref] : version.refs) {
      entries.emplace_back(std::string(id), EncodePredictionRef(ref));
    }
    // Actuals joined on the second look were written as pending a moment ago: they go.
    std::vector<std::string> joined_pending;
    if (were_pending) {
      for (const auto& [id, value] : entries) joined_pending.push_back(id);
    }
    TELLTALE_RETURN_IF_ERROR(
        Commit(version.record, entries, {}, joined_pending, DataStore::IdEntries::kReplacing));
  }
  return Status::Ok();
}

void Ingestor::JoinBaselineActuals(LogRecord& record) const {
  std::shared_ptr<const VersionSchema> schema = windows_.Schema(record.version_id);
  std::shared_ptr<const PerformanceSpec> spec = windows_.Performance(record.version_id);
  if (!schema || !spec) return;
  for (const Row& row : record.rows) {
    std::optional<ActualValue> actual = spec->RowActual(row);
    if (!actual) continue;
    PredictionRef ref;
    ref.event_time = row.event_time;
    ref.segments = SegmentsOf(*schema, row);
    spec->ReadPrediction(row, ref);
    Result<Outcome> outcome = spec->MakeOutcome(ref, *actual);
    if (!outcome.ok()) continue;
    ActualJoin join;
    join.event_time = ref.event_time;
    join.segments = std::move(ref.segments);
    join.outcome = std::move(*outcome);
    record.joins.push_back(std::move(join));
  }
}

Status Ingestor::JoinLatePending(int64_t version_id, const std::vector<Row>& predictions,
                                 int64_t now) {
  if (!store_.MayHavePending()) return Status::Ok();
  const int64_t model_id = windows_.ModelOf(version_id);
  std::vector<std::string> ids;
  ids.reserve(predictions.size());
  for (const Row& row : predictions) ids.push_back(row.id);
  TELLTALE_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> pending,
                            store_.GetPending(model_id, ids));
  if (std::none_of(pending.begin(), pending.end(), [](const auto& p) { return p.has_value(); })) {
    return Status::Ok();  // the common case: nothing waited for these ids
  }
  // An actual written as pending while these predictions were being appended: joined now, holding
  // its id, from a fresh read (another request may have joined it meanwhile).
  std::vector<std::string> waiting_ids;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (pending[i]) waiting_ids.push_back(ids[i]);
  }
  ids = std::move(waiting_ids);
  IdLocks::Hold hold = actual_locks_.Acquire(
      LockKeys(model_id, ids, [](const std::string& id) -> const std::string& { return id; }));
  TELLTALE_ASSIGN_OR_RETURN(pending, store_.GetPending(model_id, ids));
  std::vector<ActualRow> rows;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!pending[i]) continue;
    TELLTALE_ASSIGN_OR_RETURN(PendingActual waiting, DecodePendingActual(*pending[i]));
    if (now - waiting.arrival_time > limits_.pending_retention_seconds) continue;  // as above
    ActualRow row;
    row.index = rows.size();
    row.id = ids[i];
    row.time = waiting.arrival_time;
    TELLTALE_ASSIGN_OR_RETURN(row.fields, ParseActualFields(waiting.actuals_json));
    rows.push_back(std::move(row));
  }
  ActualsRequest request;
  request.model_id = model_id;
  request.version_ids = {version_id};
  std::vector<size_t> open(rows.size());
  for (size_t i = 0; i < open.size(); ++i) open[i] = i;
  ActualsResult result;
  TELLTALE_RETURN_IF_ERROR(JoinActuals(request, rows, open, true, now, result));
  counters_.actuals_joined += result.joined;
  return Status::Ok();
}

void Ingestor::RejectUnusablePending(const ActualsRequest& request,
                                     const std::vector<ActualRow>& rows, std::vector<size_t>& open,
                                     ActualsResult& result) const {
  std::vector<std::shared_ptr<const PerformanceSpec>> specs;
  for (int64_t version_id : request.version_ids) {
    std::shared_ptr<const PerformanceSpec> spec = windows_.Performance(version_id);
    if (spec && !spec->actual_field().empty()) specs.push_back(std::move(spec));
  }
  if (specs.empty()) return;  // nothing to judge by yet: every actual may wait
  // An actual no version could compare would be dropped when its prediction came: refused now,
  // with the newest version's reason.
  std::vector<size_t> usable;
  for (size_t i : open) {
    const ActualRow& row = rows[i];
    Status newest;
    bool fits = false;
    for (const auto& spec : specs) {
      Result<ActualValue> actual = spec->ReadActual(row.fields);
      if (actual.ok()) {
        fits = true;
        break;
      }
      if (newest.ok()) newest = actual.status();
    }
    if (fits) {
      usable.push_back(i);
    } else {
      result.rejected.push_back({row.index, row.id, RejectReason::kTypeError, newest.message()});
    }
  }
  open = std::move(usable);
}

Result<ActualsResult> Ingestor::IngestActuals(const ActualsRequest& request) {
  TELLTALE_ASSIGN_OR_RETURN(DecodedActuals decoded,
                            DecodeActuals(request.body, request.ndjson, limits_.decode));
  ActualsResult result;
  result.rejected = std::move(decoded.rejected);
  const int64_t now = clock_.Now();

  // The request's ids are its own until it returns; others with none of them go on meanwhile.
  IdLocks::Hold hold = actual_locks_.Acquire(
      LockKeys(request.model_id, decoded.rows,
               [](const ActualRow& row) -> const std::string& { return row.id; }));
  std::vector<size_t> open(decoded.rows.size());
  for (size_t i = 0; i < open.size(); ++i) open[i] = i;
  TELLTALE_RETURN_IF_ERROR(JoinActuals(request, decoded.rows, open, false, now, result));
  RejectUnusablePending(request, decoded.rows, open, result);
  // The rest wait for their prediction (a correction of a pending actual replaces it).
  std::vector<std::pair<std::string, std::string>> pending;
  for (size_t i : open) {
    const ActualRow& row = decoded.rows[i];
    pending.emplace_back(
        row.id, EncodePendingActual({row.time.value_or(now), ActualFieldsJson(row.fields)}));
  }
  if (!pending.empty()) {
    TELLTALE_RETURN_IF_ERROR(store_.PutPending(request.model_id, pending));
    // A prediction logged between the first look and the pending write found no pending actual;
    // a second look at the index catches it.
    TELLTALE_RETURN_IF_ERROR(JoinActuals(request, decoded.rows, open, true, now, result));
  }
  result.pending = open.size();
  std::sort(result.rejected.begin(), result.rejected.end(),
            [](const Rejection& a, const Rejection& b) { return a.index < b.index; });
  for (const Rejection& rejection : result.rejected) {
    ++counters_.rejected[static_cast<size_t>(rejection.reason)];
  }
  counters_.actuals_joined += result.joined;
  counters_.actuals_pending += result.pending;
  return result;
}

}  // namespace telltale
