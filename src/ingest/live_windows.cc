#include "ingest/live_windows.h"

#include <limits>

namespace telltale {

void LiveWindows::AddVersion(int64_t version_id, std::shared_ptr<const VersionSchema> schema,
                             int64_t model_id, PerformanceSpec spec) {
  std::unique_lock lock(versions_mutex_);
  auto& state = versions_[version_id];
  if (!state) {
    state = std::make_shared<VersionState>();
    state->schema = std::move(schema);
    state->performance = std::make_shared<const PerformanceSpec>(std::move(spec));
    state->model_id = model_id;
  }
}

Status LiveWindows::DeleteVersion(int64_t version_id) {
  std::lock_guard checkpoint_lock(checkpoint_mutex_);
  std::shared_ptr<VersionState> state;  // outlives its lock, released after the map lets go
  {
    std::unique_lock lock(versions_mutex_);
    auto found = versions_.find(version_id);
    if (found != versions_.end()) {
      state = found->second;
      // Its folded records are deleted from the log by the next checkpoint.
      std::lock_guard state_lock(state->mutex);
      state->deleted = true;
      std::lock_guard orphans_lock(orphans_mutex_);
      orphans_.insert(orphans_.end(), state->folded.begin(), state->folded.end());
      versions_.erase(found);
    }
  }
  return store_.DeleteVersion(version_id);
}

Status LiveWindows::SetDayZone(int64_t version_id, const date::time_zone* zone) {
  std::shared_ptr<VersionState> state = Find(version_id);
  if (!state) return Status::NotFound("version " + std::to_string(version_id));
  DayCalendar days(zone);
  std::unique_lock days_lock(state->days_mutex);
  std::lock_guard lock(state->mutex);
  if (state->deleted) return Status::NotFound("version " + std::to_string(version_id));
  TELLTALE_ASSIGN_OR_RETURN(std::optional<std::string> stored, store_.GetDayZone(version_id));
  if (stored.value_or("UTC") != days.zone_name()) {
    TELLTALE_RETURN_IF_ERROR(RebuildDays(version_id, *state, days));
  }
  state->days = days;
  return Status::Ok();
}

std::string LiveWindows::DayZone(int64_t version_id) const {
  std::shared_ptr<VersionState> state = Find(version_id);
  if (!state) return "";
  std::shared_lock lock(state->days_mutex);
  return state->days.zone_name();
}

Status LiveWindows::RebuildDays(int64_t version_id, VersionState& state, const DayCalendar& days) {
  std::map<WindowKey, WindowProfile> rollups;
  for (uint32_t segment = 0; segment <= state.schema->segments().size(); ++segment) {
    WindowKey first{Environment::kProduction, false, segment, std::numeric_limits<int64_t>::min()};
    TELLTALE_RETURN_IF_ERROR(VisitSeries(
        version_id, state, first, std::numeric_limits<int64_t>::max(),
        [&](int64_t hour, const WindowProfile& window) {
          WindowKey day{Environment::kProduction, true, segment, days.DayOf(hour)};
          auto [it, inserted] = rollups.try_emplace(day, window);
          if (!inserted) it->second.Merge(window);
        },
        FieldSelection::All(), /*locked=*/true));
  }
  // What the next checkpoint would write of this version goes in the same batch, so that the
  // records folded into the new rollups leave the log with it.
  std::vector<WindowEntry> entries;
  for (const WindowKey& key : state.dirty) {
    if (!key.day) entries.push_back({version_id, key, state.windows.at(key).Serialize()});
  }
  for (const auto& [key, window] : rollups)
    entries.push_back({version_id, key, window.Serialize()});
  TELLTALE_RETURN_IF_ERROR(store_.ReplaceDays(version_id, entries, state.folded, days.zone_name()));
  state.folded.clear();
  state.dirty.clear();
  std::erase_if(state.windows, [](const auto& entry) { return entry.first.day; });
  return Status::Ok();
}

std::shared_ptr<LiveWindows::VersionState> LiveWindows::Find(int64_t version_id) const {
  std::shared_lock lock(versions_mutex_);
  auto found = versions_.find(version_id);
  return found == versions_.end() ? nullptr : found->second;
}

std::shared_ptr<const VersionSchema> LiveWindows::Schema(int64_t version_id) const {
  std::shared_ptr<VersionState> state = Find(version_id);
  return state ? state->schema : nullptr;
}

std::shared_ptr<const PerformanceSpec> LiveWindows::Performance(int64_t version_id) const {
  std::shared_ptr<VersionState> state = Find(version_id);
  return state ? state->performance : nullptr;
}

int64_t LiveWindows::ModelOf(int64_t version_id) const {
  std::shared_ptr<VersionState> state = Find(version_id);
  return state ? state->model_id : 0;
}

Result<std::vector<bool>> LiveWindows::ClaimIds(int64_t version_id,
                                                const std::vector<std::string>& ids) {
  std::shared_ptr<VersionState> state = Find(version_id);
  if (!state) return Status::NotFound("version " + std::to_string(version_id));
  // Claimed first, looked up after: a request releases its claims only once its ids are written,
  // so an id claimed here is either new or already in the store, and no one else writes it while
  // it is claimed. The lookup runs outside the claims lock, beside other requests' lookups.
  std::vector<bool> taken(ids.size());
  {
    std::lock_guard lock(state->claims_mutex);
    for (size_t i = 0; i < ids.size(); ++i) taken[i] = !state->claimed.insert(ids[i]).second;
  }
  Result<std::vector<bool>> stored = store_.HaveIds(version_id, ids);
  std::vector<std::string> release;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (taken[i]) continue;  // claimed by another request, or repeated in this one
    if (!stored.ok() || (*stored)[i]) release.push_back(ids[i]);
  }
  if (!release.empty()) ReleaseIds(version_id, release);
  if (!stored.ok()) return stored.status();
  for (size_t i = 0; i < ids.size(); ++i) taken[i] = taken[i] || (*stored)[i];
  return taken;
}

void LiveWindows::ReleaseIds(int64_t version_id, const std::vector<std::string>& ids) {
  std::shared_ptr<VersionState> state = Find(version_id);
  if (!state) return;
  std::lock_guard lock(state->claims_mutex);
  for (const std::string& id : ids) state->claimed.erase(id);
}

Result<WindowProfile*> LiveWindows::Open(int64_t version_id, VersionState& state,
                                         const WindowKey& key) {
  auto found = state.windows.find(key);
  if (found != state.windows.end()) return &found->second;
  WindowProfile window(*state.schema);
  TELLTALE_ASSIGN_OR_RETURN(std::optional<std::string> stored, store_.GetWindow(version_id, key));
  if (stored) {
    TELLTALE_ASSIGN_OR_RETURN(window, WindowProfile::Deserialize(*stored));
  }
  return &state.windows.emplace(key, std::move(window)).first->second;
}

Status LiveWindows::Orphan(int64_t version_id, uint64_t sequence) {
  std::lock_guard lock(orphans_mutex_);
  orphans_.push_back(sequence);
  return Status::NotFound("version " + std::to_string(version_id));
}

Status LiveWindows::Fold(const LogRecord& record, uint64_t sequence) {
  std::shared_ptr<VersionState> state = Find(record.version_id);
  if (!state) return Orphan(record.version_id, sequence);
  const VersionSchema& schema = *state->schema;
  const bool baseline = record.environment != Environment::kProduction;
  auto hour_of = [&](int64_t time) { return baseline ? 0 : HourOf(time); };
  // The days are fixed while the record folds; rows of one request mostly share an hour.
  std::shared_lock days_lock(state->days_mutex);
  int64_t last_hour = std::numeric_limits<int64_t>::min();
  int64_t last_day = 0;
  auto day_of = [&](int64_t hour) {
    if (hour != last_hour) {
      last_hour = hour;
      last_day = state->days.DayOf(hour);
    }
    return last_day;
  };

  // Rows grouped by hourly window: every row in its "all rows" series and in each segment it
  // belongs to. A production hour's rows are folded into its day rollup too.
  std::map<WindowKey, std::vector<const Row*>> groups;
  for (const Row& row : record.rows) {
    int64_t hour = hour_of(row.event_time);
    groups[{record.environment, false, 0, hour}].push_back(&row);
    for (uint32_t segment : SegmentsOf(schema, row)) {
      groups[{record.environment, false, segment, hour}].push_back(&row);
    }
  }
  // The windows (the hour, and its day for production) that something at `hour` lands in.
  auto windows_of = [&](uint32_t segment, int64_t hour) {
    std::vector<WindowKey> keys = {{record.environment, false, segment, hour}};
    if (!baseline) keys.push_back({record.environment, true, segment, day_of(hour)});
    return keys;
  };
  // Uploaded profiles are decoded before anything is folded: a record folds whole or not at all.
  std::vector<DatasetProfile> uploads;
  for (const ProfileUpload& upload : record.profiles) {
    TELLTALE_ASSIGN_OR_RETURN(DatasetProfile profile, DatasetProfile::Deserialize(upload.profile));
    uploads.push_back(std::move(profile));
  }
  // Each hour's rows as columns, built before the version's lock.
  std::map<WindowKey, WindowProfile::Columns> columns;
  for (const auto& [key, rows] : groups)
    columns.emplace(key, WindowProfile::ToColumns(schema, rows));
  std::lock_guard lock(state->mutex);
  if (state->deleted) return Orphan(record.version_id, sequence);
  if (record.replace && baseline) {
    // Every series of the baseline starts over: empty windows, written by the next checkpoint.
    for (uint32_t segment = 0; segment <= schema.segments().size(); ++segment) {
      WindowKey key{record.environment, false, segment, 0};
      state->windows.insert_or_assign(key, WindowProfile(schema));
      state->dirty.insert(key);
    }
  }
  // Every window is opened (read from the store if need be) before any is changed, so a failed
  // read leaves the record unfolded rather than half folded.
  std::map<WindowKey, WindowProfile*> opened;
  auto open = [&](const WindowKey& key) -> Status {
    if (opened.count(key)) return Status::Ok();
    TELLTALE_ASSIGN_OR_RETURN(opened[key], Open(record.version_id, *state, key));
    return Status::Ok();
  };
  for (const auto& [group, rows] : groups) {
    for (const WindowKey& key : windows_of(group.segment, group.hour)) {
      TELLTALE_RETURN_IF_ERROR(open(key));
    }
  }
  for (const IntegrityEvent& event : record.events) {
    for (const WindowKey& key : windows_of(0, hour_of(event.event_time))) {
      TELLTALE_RETURN_IF_ERROR(open(key));
    }
  }
  for (const ProfileUpload& upload : record.profiles) {
    for (const WindowKey& key : windows_of(upload.segment, baseline ? 0 : upload.hour)) {
      TELLTALE_RETURN_IF_ERROR(open(key));
    }
  }
  // An actual counts in its prediction's windows: all rows, and each segment the row was in.
  auto join_windows = [&](const ActualJoin& join) {
    std::vector<WindowKey> keys;
    int64_t hour = hour_of(join.event_time);
    for (uint32_t segment : join.segments) {
      for (const WindowKey& key : windows_of(segment, hour)) keys.push_back(key);
    }
    for (const WindowKey& key : windows_of(0, hour)) keys.push_back(key);
    return keys;
  };
  for (const ActualJoin& join : record.joins) {
    for (const WindowKey& key : join_windows(join)) TELLTALE_RETURN_IF_ERROR(open(key));
  }
  const PerformanceSpec& spec = *state->performance;
  const bool scores = spec.task() == Task::kBinaryClassification;
  for (const auto& [group, rows] : groups) {
    // Production rows are folded once, into the hour's unsettled rows, which Settle merges into
    // the hour and its day; a baseline's into its only window.
    WindowProfile& window =
        baseline ? *opened.at(group) : state->unsettled.try_emplace(group, schema).first->second;
    window.Fold(schema, columns.at(group));
    // Every binary prediction's score, labelled or not, for estimating performance.
    for (const Row* row : scores ? rows : std::vector<const Row*>{}) {
      PredictionRef ref;
      spec.ReadPrediction(*row, ref);
      // A label of neither class leaves the row out (its actual is refused too).
      if (std::optional<bool> positive = spec.PredictedPositive(ref)) {
        window.performance().AddPrediction(ref.score, *positive);
      }
    }
    for (const WindowKey& key : windows_of(group.segment, group.hour)) state->dirty.insert(key);
  }
  for (const IntegrityEvent& event : record.events) {
    for (const WindowKey& key : windows_of(0, hour_of(event.event_time))) {
      opened.at(key)->integrity().Add(event);
      state->dirty.insert(key);
    }
  }
  for (size_t i = 0; i < uploads.size(); ++i) {
    int64_t hour = baseline ? 0 : record.profiles[i].hour;
    for (const WindowKey& key : windows_of(record.profiles[i].segment, hour)) {
      opened.at(key)->MergeProfile(uploads[i], hour * kWindowSeconds,
                                   (hour + 1) * kWindowSeconds - 1);
      state->dirty.insert(key);
    }
  }
  for (const ActualJoin& join : record.joins) {
    for (const WindowKey& key : join_windows(join)) {
      PerformanceAccumulator& performance = opened.at(key)->performance();
      if (join.replaced) performance.Add(*join.replaced, -1);
      performance.Add(join.outcome, +1);
      if (join.delay_seconds) performance.AddDelay(*join.delay_seconds);
      state->dirty.insert(key);
    }
  }
  state->folded.push_back(sequence);
  return Status::Ok();
}

Status LiveWindows::Settle(int64_t version_id, VersionState& state) {
  for (auto it = state.unsettled.begin(); it != state.unsettled.end();) {
    const WindowKey& key = it->first;
    // Both are opened before either changes: a failed read leaves the rows unsettled, not half.
    TELLTALE_ASSIGN_OR_RETURN(WindowProfile * hour, Open(version_id, state, key));
    TELLTALE_ASSIGN_OR_RETURN(
        WindowProfile * day,
        Open(version_id, state, {key.environment, true, key.segment, state.days.DayOf(key.hour)}));
    hour->Merge(it->second);
    day->Merge(it->second);
    it = state.unsettled.erase(it);
  }
  return Status::Ok();
}

Status LiveWindows::Checkpoint(int64_t evict_before_hour) {
  std::lock_guard checkpoint_lock(checkpoint_mutex_);
  std::vector<std::pair<int64_t, std::shared_ptr<VersionState>>> versions;
  {
    std::shared_lock lock(versions_mutex_);
    versions.assign(versions_.begin(), versions_.end());
  }
  std::vector<WindowEntry> entries;
  std::vector<uint64_t> folded;
  std::vector<uint64_t> dropped;  // records of removed versions
  {
    std::lock_guard lock(orphans_mutex_);
    dropped.swap(orphans_);
  }
  // Each version's windows and folded records are taken together under its lock, so the batch
  // holds exactly the rows of the records it deletes.
  struct Taken {
    std::shared_ptr<VersionState> state;
    std::vector<WindowKey> keys;
    std::vector<uint64_t> folded;
  };
  std::vector<Taken> written;
  Status unsettled = Status::Ok();  // a version that could not settle waits for the next one
  for (auto& [version_id, state] : versions) {
    std::lock_guard lock(state->mutex);
    if (Status settled = Settle(version_id, *state); !settled.ok()) {
      unsettled = settled;
      continue;
    }
    std::vector<WindowKey> keys(state->dirty.begin(), state->dirty.end());
    for (const WindowKey& key : keys) {
      entries.push_back({version_id, key, state->windows.at(key).Serialize()});
    }
    folded.insert(folded.end(), state->folded.begin(), state->folded.end());
    written.push_back({state, std::move(keys), std::move(state->folded)});
    state->folded.clear();
    state->dirty.clear();
  }
  Status status = Status::Ok();
  if (!entries.empty() || !folded.empty() || !dropped.empty()) {
    status = store_.Checkpoint(entries, folded, dropped);
  }
  if (!status.ok()) {
    // Nothing was written: the windows stay dirty and the records stay in the log.
    for (Taken& taken : written) {
      std::lock_guard lock(taken.state->mutex);
      taken.state->dirty.insert(taken.keys.begin(), taken.keys.end());
      taken.state->folded.insert(taken.state->folded.end(), taken.folded.begin(),
                                 taken.folded.end());
    }
    std::lock_guard lock(orphans_mutex_);
    orphans_.insert(orphans_.end(), dropped.begin(), dropped.end());
    return status;
  }
  for (auto& [version_id, state] : versions) {
    std::lock_guard lock(state->mutex);
    for (auto it = state->windows.begin(); it != state->windows.end();) {
      int64_t end_hour = it->first.day ? state->days.NextDay(it->first.hour) : it->first.hour + 1;
      bool old = it->first.environment != Environment::kProduction || end_hour <= evict_before_hour;
      it = old && !state->dirty.count(it->first) ? state->windows.erase(it) : std::next(it);
    }
  }
  return unsettled;
}

Status LiveWindows::VisitSeries(int64_t version_id, VersionState& state, const WindowKey& first,
                                int64_t to_hour,
                                const std::function<void(int64_t, const WindowProfile&)>& visit,
                                const FieldSelection& fields, bool locked) {
  std::set<int64_t> in_memory;
  {
    std::unique_lock lock(state.mutex, std::defer_lock);
    if (!locked) lock.lock();
    TELLTALE_RETURN_IF_ERROR(Settle(version_id, state));
    WindowKey last = first;
    last.hour = to_hour;
    auto end = state.windows.lower_bound(last);
    for (auto it = state.windows.lower_bound(first); it != end; ++it) {
      visit(it->first.hour, it->second);
      in_memory.insert(it->first.hour);
    }
  }
  return store_.ScanWindows(version_id, first.environment, first.day, first.segment, first.hour,
                            to_hour, [&](int64_t hour, std::string_view bytes) -> Status {
                              if (in_memory.count(hour)) return Status::Ok();
                              TELLTALE_ASSIGN_OR_RETURN(WindowProfile window,
                                                        WindowProfile::Deserialize(bytes, fields));
                              visit(hour, window);
                              return Status::Ok();
                            });
}

Status LiveWindows::Visit(int64_t version_id, Environment environment, uint32_t segment,
                          int64_t from_hour, int64_t to_hour, Span span,
                          const std::function<void(int64_t, const WindowProfile&)>& visit,
                          const FieldSelection& fields, const std::string& days_of) {
  std::shared_ptr<VersionState> state = Find(version_id);
  if (!state) return Status::NotFound("version " + std::to_string(version_id));
  auto hours = [&](int64_t from, int64_t to) {
    return from < to ? VisitSeries(version_id, *state, {environment, false, segment, from}, to,
                                   visit, fields)
                     : Status::Ok();
  };
  if (span == Span::kHours || environment != Environment::kProduction) {
    return hours(from_hour, to_hour);
  }
  std::shared_lock days_lock(state->days_mutex);
  const DayCalendar& days = state->days;
  if (!days_of.empty() && days_of != days.zone_name()) return hours(from_hour, to_hour);
  // Whole days inside the range come from the day rollups, the hours at either end from their
  // own windows.
  int64_t first_day = days.DayOf(from_hour);
  if (first_day < from_hour) first_day = days.NextDay(first_day);
  int64_t end_day = days.DayOf(to_hour);
  if (first_day >= end_day) return hours(from_hour, to_hour);
  TELLTALE_RETURN_IF_ERROR(hours(from_hour, first_day));
  TELLTALE_RETURN_IF_ERROR(VisitSeries(version_id, *state, {environment, true, segment, first_day},
                                       end_day, visit, fields));
  return hours(end_day, to_hour);
}

size_t LiveWindows::open_windows() const {
  std::shared_lock lock(versions_mutex_);
  size_t count = 0;
  for (const auto& [id, state] : versions_) {
    std::lock_guard state_lock(state->mutex);
    count += state->windows.size();
  }
  return count;
}

}  // namespace telltale
