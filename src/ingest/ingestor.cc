#include "ingest/ingestor.h"

#include <algorithm>
#include <utility>

#include "ingest/column_decoder.h"
#include "ingest/csv_rows.h"
#include "ingest/log_record.h"

namespace telltale {
namespace {

// Moves the rows `reject` picks (it returns a reason and message) from the accepted rows to the
// rejected ones.
template <typename Decide>
void RejectWhere(DecodedRows& decoded, Decide decide) {
  size_t kept = 0;
  for (size_t i = 0; i < decoded.rows.size(); ++i) {
    Row& row = decoded.rows[i];
    std::optional<std::pair<RejectReason, std::string>> verdict = decide(row);
    if (verdict) {
      decoded.rejected.push_back(
          {decoded.indexes[i], row.id, verdict->first, std::move(verdict->second)});
      IntegrityEvent::Kind kind = verdict->first == RejectReason::kDuplicate
                                      ? IntegrityEvent::Kind::kDuplicate
                                      : IntegrityEvent::Kind::kRejectedRow;
      decoded.events.push_back({kind, row.event_time, ""});
      continue;
    }
    if (kept != i) {
      decoded.rows[kept] = std::move(row);
      decoded.indexes[kept] = decoded.indexes[i];
    }
    ++kept;
  }
  decoded.rows.resize(kept);
  decoded.indexes.resize(kept);
}

}  // namespace

std::optional<std::pair<RejectReason, std::string>> Ingestor::CheckTime(int64_t first, int64_t last,
                                                                        int64_t now) const {
  if (last < now - limits_.max_lateness_seconds) {
    return std::make_pair(RejectReason::kTooLate,
                          FormatRfc3339(last) + " is older than the allowed lateness of " +
                              std::to_string(limits_.max_lateness_seconds) + " s");
  }
  if (first > now + limits_.max_future_seconds) {
    return std::make_pair(RejectReason::kInFuture, FormatRfc3339(first) + " is more than " +
                                                       std::to_string(limits_.max_future_seconds) +
                                                       " s in the future");
  }
  return std::nullopt;
}

void Ingestor::RejectUnusableActuals(DecodedRows& decoded, const PerformanceSpec& spec) {
  RejectWhere(decoded, [&](Row& row) -> std::optional<std::pair<RejectReason, std::string>> {
    Status usable = spec.CheckRowActual(row);
    if (usable.ok()) return std::nullopt;
    return std::make_pair(RejectReason::kTypeError, usable.message());
  });
}

void Ingestor::RejectOutOfTime(DecodedRows& decoded, int64_t now) {
  RejectWhere(decoded, [&](Row& row) -> std::optional<std::pair<RejectReason, std::string>> {
    auto verdict = CheckTime(row.event_time, row.event_time, now);
    if (!verdict) return std::nullopt;
    verdict->second = "timestamp " + verdict->second;
    row.event_time = now;  // counted in the window it arrived in
    return verdict;
  });
}

Result<std::vector<std::string>> Ingestor::RejectDuplicates(int64_t version_id,
                                                            DecodedRows& decoded) {
  std::vector<std::string> ids;
  ids.reserve(decoded.rows.size());
  for (const Row& row : decoded.rows) ids.push_back(row.id);
  TELLTALE_ASSIGN_OR_RETURN(std::vector<bool> taken, windows_.ClaimIds(version_id, ids));
  // ClaimIds marks an id repeated within the request as taken from its second occurrence on.
  std::vector<std::string> claimed;
  size_t position = 0;
  RejectWhere(decoded, [&](Row& row) -> std::optional<std::pair<RejectReason, std::string>> {
    if (taken[position++]) {
      return std::make_pair(RejectReason::kDuplicate,
                            "id '" + row.id + "' was logged before for this version");
    }
    return std::nullopt;
  });
  claimed.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!taken[i]) claimed.push_back(std::move(ids[i]));
  }
  return claimed;
}

Result<DecodedRows> Ingestor::Decode(const IngestRequest& request, const VersionSchema& schema,
                                     const DecodeOptions& options) const {
  switch (request.format) {
    case BodyFormat::kCsv:
      return DecodeCsvRows(request.body, schema, options, limits_.decode);
    case BodyFormat::kColumns:
      return DecodeColumns(request.body, schema, options, limits_.decode);
    case BodyFormat::kJson:
    case BodyFormat::kNdjson:
      break;
  }
  return DecodeRows(request.body, schema, options, limits_.decode);
}

Result<IngestResult> Ingestor::Ingest(const IngestRequest& request) {
  std::shared_ptr<const VersionSchema> schema = windows_.Schema(request.version_id);
  if (!schema) return Status::NotFound("model version not found");
  const int64_t now = clock_.Now();
  const bool production = request.environment == Environment::kProduction;
  if (request.replace && production) {
    return Status::InvalidArgument("replace=true applies to the training and validation baselines");
  }
  DecodeOptions options;
  options.ndjson = request.format == BodyFormat::kNdjson;
  options.require_id = production;
  options.receive_time = now;
  TELLTALE_ASSIGN_OR_RETURN(DecodedRows decoded, Decode(request, *schema, options));
  std::shared_ptr<const PerformanceSpec> spec = windows_.Performance(request.version_id);
  if (spec && !spec->actual_field().empty()) RejectUnusableActuals(decoded, *spec);
  std::vector<std::string> claimed;
  if (production) {
    RejectOutOfTime(decoded, now);
    TELLTALE_ASSIGN_OR_RETURN(claimed, RejectDuplicates(request.version_id, decoded));
  }
  std::sort(decoded.rejected.begin(), decoded.rejected.end(),
            [](const Rejection& a, const Rejection& b) { return a.index < b.index; });

  IngestResult result;
  for (const Rejection& rejection : decoded.rejected) {
    ++counters_.rejected[static_cast<size_t>(rejection.reason)];
  }
  if (request.atomic && !decoded.rejected.empty()) {
    windows_.ReleaseIds(request.version_id, claimed);
    result.rejected = std::move(decoded.rejected);
    result.refused = true;
    return result;
  }

  LogRecord record;
  record.version_id = request.version_id;
  record.environment = request.environment;
  record.replace = request.replace;
  record.rows = std::move(decoded.rows);
  record.events = std::move(decoded.events);
  if (!record.rows.empty() || !record.events.empty() || record.replace) {
    std::vector<std::pair<std::string, std::string>> ids;
    std::vector<std::string> joined_pending;
    if (production) {
      Result<std::vector<std::pair<std::string, std::string>>> indexed =
          IndexPredictions(record, joined_pending, now);
      if (!indexed.ok()) {
        windows_.ReleaseIds(request.version_id, claimed);
        return indexed.status();
      }
      ids = std::move(*indexed);
    } else {
      JoinBaselineActuals(record);
    }
    TELLTALE_RETURN_IF_ERROR(Commit(record, ids, claimed, joined_pending));
    if (production) TELLTALE_RETURN_IF_ERROR(JoinLatePending(request.version_id, record.rows, now));
  } else {
    windows_.ReleaseIds(request.version_id, claimed);
  }
  result.accepted = record.rows.size();
  result.rejected = std::move(decoded.rejected);
  counters_.accepted += result.accepted;
  return result;
}

Status Ingestor::Commit(const LogRecord& record,
                        const std::vector<std::pair<std::string, std::string>>& ids,
                        const std::vector<std::string>& claimed,
                        const std::vector<std::string>& joined_pending, DataStore::IdEntries kind) {
  Result<uint64_t> sequence = store_.Append(EncodeLogRecord(record), record.version_id, ids, kind,
                                            windows_.ModelOf(record.version_id), joined_pending);
  if (!sequence.ok()) {
    windows_.ReleaseIds(record.version_id, claimed);
    return sequence.status();
  }
  // Durable from here on; a failed fold is repeated from the log at the next start.
  Status folded = windows_.Fold(record, *sequence);
  windows_.ReleaseIds(record.version_id, claimed);
  return folded;
}

Result<uint64_t> Ingestor::IngestProfile(const ProfileRequest& request) {
  std::shared_ptr<const VersionSchema> schema = windows_.Schema(request.version_id);
  if (!schema) return Status::NotFound("model version not found");
  Result<DatasetProfile> profile = DatasetProfile::Deserialize(request.profile);
  if (!profile.ok()) {
    return Status::InvalidArgument("the body is not a telltale profile: " +
                                   profile.status().message());
  }
  for (const auto& [name, field] : profile->fields()) {
    if (schema->FindField(name) < 0) {
      return Status::InvalidArgument("the profile has field '" + name +
                                     "', which the version's schema does not");
    }
  }
  const bool production = request.environment == Environment::kProduction;
  const int64_t hour = production ? HourOf(request.window_start) : 0;
  if (production) {
    const int64_t start = hour * kWindowSeconds;
    auto verdict = CheckTime(start, start + kWindowSeconds - 1, clock_.Now());
    if (verdict) {
      return Status::InvalidArgument(
          "window_start " + FormatRfc3339(start) + ": the window's " +
          (verdict->first == RejectReason::kTooLate ? "end " : "start ") + verdict->second);
    }
  }
  std::vector<std::string> claimed;
  std::vector<std::pair<std::string, std::string>> ids;
  if (!request.upload_id.empty()) {
    std::string key = "\x01upload:" + request.upload_id;
    TELLTALE_ASSIGN_OR_RETURN(std::vector<bool> taken,
                              windows_.ClaimIds(request.version_id, {key}));
    if (taken[0]) {
      return Status::AlreadyExists("upload '" + request.upload_id + "' was received before");
    }
    claimed.push_back(key);
    PredictionRef upload;
    upload.event_time = hour * kWindowSeconds;
    ids.emplace_back(key, EncodePredictionRef(upload));
  }
  LogRecord record;
  record.version_id = request.version_id;
  record.environment = request.environment;
  record.profiles.push_back({request.segment, hour, std::string(request.profile)});
  TELLTALE_RETURN_IF_ERROR(Commit(record, ids, claimed));
  counters_.accepted += profile->rows();
  return profile->rows();
}

Status Ingestor::Recover() {
  return store_.ForEachLogRecord([&](uint64_t sequence, std::string_view bytes) -> Status {
    TELLTALE_ASSIGN_OR_RETURN(LogRecord record, DecodeLogRecord(bytes));
    Status folded = windows_.Fold(record, sequence);
    if (folded.code() == StatusCode::kNotFound) return Status::Ok();  // a deleted version
    return folded;
  });
}

}  // namespace telltale
