#include "store/data_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>

#include "ingest/prediction_ref.h"

namespace telltale {
namespace {

void PutBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t GetBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (char byte : bytes) value = (value << 8) | static_cast<uint8_t>(byte);
  return value;
}

// Signed numbers with the sign bit flipped sort in numeric order as unsigned big-endian bytes.
uint64_t Ordered(int64_t value) { return static_cast<uint64_t>(value) ^ (1ull << 63); }

std::string SequenceKey(uint64_t sequence) {
  std::string key;
  PutBigEndian(key, sequence, 8);
  return key;
}

// The index entries written with a log record sort right after it.
constexpr size_t kSequenceBytes = 8;
std::string IdEntriesKey(uint64_t sequence) { return SequenceKey(sequence) + 'i'; }
bool IsIdEntriesKey(std::string_view key) {
  return key.size() == kSequenceBytes + 1 && key.back() == 'i';
}

// The log's memtable: records live until the next checkpoint deletes them, most of them before
// the memtable is flushed.
constexpr uint64_t kLogMemtableBytes = 128 << 20;
constexpr size_t kMaxHeldIdEntries = 1'000'000;
// A checkpoint writes its held index entries in batches of this many, each its own write, so
// that requests' writes go in between instead of waiting for all of them.
constexpr size_t kIdEntriesPerWrite = 32'768;

// Day rollups are a series of their own: the environment byte with its high bit set.
constexpr uint8_t kDayBit = 0x80;

std::string SeriesPrefix(int64_t version_id, Environment environment, bool day, uint32_t segment) {
  std::string key;
  PutBigEndian(key, static_cast<uint64_t>(version_id), 8);
  key.push_back(static_cast<char>(static_cast<uint8_t>(environment) | (day ? kDayBit : 0)));
  PutBigEndian(key, segment, 4);
  return key;
}

std::string WindowKeyBytes(int64_t version_id, const WindowKey& window) {
  std::string key = SeriesPrefix(version_id, window.environment, window.day, window.segment);
  PutBigEndian(key, Ordered(window.hour), 8);
  return key;
}

std::string VersionPrefix(int64_t version_id) {
  std::string key;
  PutBigEndian(key, static_cast<uint64_t>(version_id), 8);
  return key;
}

// Outside every series of the version (their environment bytes are 0-2, and 0x80-0x82 for days).
std::string DayZoneKey(int64_t version_id) {
  std::string key = VersionPrefix(version_id);
  key.push_back('\x7f');
  key.append("day_zone");
  return key;
}

std::string IdKey(int64_t version_id, std::string_view id) {
  std::string key = VersionPrefix(version_id);
  key.append(id);
  return key;
}

std::vector<std::string> IdKeys(int64_t owner, const std::vector<std::string>& ids) {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (const std::string& id : ids) keys.push_back(IdKey(owner, id));
  return keys;
}

// DB::Write from a function of its own, never inlined, so that ThreadSanitizer's stacks (which
// name the function each call returns to) show DataStore::Write for whatever RocksDB does in it.
[[gnu::noinline]] rocksdb::Status WriteToDb(rocksdb::DB& db, const rocksdb::WriteOptions& options,
                                            rocksdb::WriteBatch& batch) {
  return db.Write(options, &batch);
}

Status FromRocks(const rocksdb::Status& status, std::string_view what) {
  if (status.ok()) return Status::Ok();
  if (status.IsNoSpace() || status.ToString().find("No space") != std::string::npos) {
    return Status::Unavailable(std::string(what) + ": the disk is full");
  }
  if (status.IsCorruption())
    return Status::Corruption(std::string(what) + ": " + status.ToString());
  return Status::IoError(std::string(what) + ": " + status.ToString());
}

}  // namespace

DataStore::~DataStore() {
  joined_keys_.reset();
  if (db_) {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
    db_->Close();
  }
}

Result<std::unique_ptr<DataStore>> DataStore::Open(const std::string& directory,
                                                   const DataStoreOptions& store_options) {
  std::unique_ptr<DataStore> store(new DataStore());
  const Clock& clock = store_options.clock ? *store_options.clock : store->system_clock_;
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.IncreaseParallelism(2);
  options.max_total_wal_size = 256 << 20;
  // RocksDB reserves room ahead of each log file as large as the largest memtable (the log
  // family's: 140 MB in all) — on every data directory from its first write, and kept after a
  // crash. Not reserving it changed neither ingestion's throughput nor its fsync latency.
  options.allow_fallocate = false;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_cache = rocksdb::NewLRUCache(store_options.cache_bytes);
  rocksdb::ColumnFamilyOptions family_options(options);
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  // Log records live until the next checkpoint (seconds): a large memtable lets most of them be
  // deleted before they are ever flushed, and compressing them would be wasted work.
  rocksdb::ColumnFamilyOptions log_options = family_options;
  log_options.compression = rocksdb::kNoCompression;
  log_options.write_buffer_size = kLogMemtableBytes;
  rocksdb::ColumnFamilyOptions id_options = family_options;
  rocksdb::BlockBasedTableOptions id_table = table;
  // Point lookups only: a hash index in each block finds a key's restart interval without a
  // binary search. A sparse table (a quarter full) makes collisions, which fall back to the
  // binary search, rarer. About 2.5 bytes per id in all. With that, blocks of 8 KiB instead of 4
  // halve the index blocks' size and searches, and compress better.
  id_table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  id_table.data_block_hash_table_util_ratio = 0.25;
  id_table.block_size = 8 << 10;
  id_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(id_table));
  // Nearly every lookup of a new prediction's id is a miss: a bloom filter on the memtable answers
  // those without searching it.
  id_options.memtable_whole_key_filtering = true;
  id_options.memtable_prefix_bloom_size_ratio = 0.1;
  // Files no compaction touched are compacted at least daily, so retention reaches them too.
  id_options.periodic_compaction_seconds = 86400;
  rocksdb::ColumnFamilyOptions pending_options = id_options;
  id_options.compaction_filter_factory = std::make_shared<RetentionFilterFactory>(
      "telltale.ids_retention", &PredictionEventTime, clock, store_options.ids_retention_seconds);
  pending_options.compaction_filter_factory =
      std::make_shared<RetentionFilterFactory>("telltale.pending_retention", &PendingArrivalTime,
                                               clock, store_options.pending_retention_seconds);
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, family_options},
      {"log", log_options},
      {"windows", family_options},
      {"ids", id_options},
      {"pending", pending_options},
      {"joined", id_options}};
  store->directory_ = directory;
  store->min_free_bytes_ = store_options.min_free_bytes;
  rocksdb::DB* db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, directory, families, &store->handles_, &db);
  if (status.IsIOError() && status.ToString().find("lock file") != std::string::npos) {
    return Status::Unavailable("cannot open the data store " + directory +
                               ": another process holds it (is a telltale server already "
                               "running on this data directory?): " +
                               status.ToString());
  }
  if (!status.ok()) return FromRocks(status, "cannot open the data store " + directory);
  store->db_.reset(db);
  store->log_ = store->handles_[1];
  store->windows_ = store->handles_[2];
  store->ids_ = store->handles_[3];
  store->pending_ = store->handles_[4];
  store->joined_ = store->handles_[5];
  std::unique_ptr<rocksdb::Iterator> pending(
      db->NewIterator(rocksdb::ReadOptions(), store->pending_));
  pending->SeekToFirst();
  store->may_have_pending_ = pending->Valid();
  rocksdb::ColumnFamilyHandle* joined = store->joined_;
  store->joined_keys_ = std::make_unique<JoinedKeys>(
      [db, joined](const std::function<bool(std::string_view)>& visit) {
        rocksdb::ReadOptions uncached;
        uncached.fill_cache = false;
        std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(uncached, joined));
        for (it->SeekToFirst(); it->Valid() && visit(it->key().ToStringView()); it->Next()) {
        }
        return FromRocks(it->status(), "cannot read the joined index");
      },
      [db, joined] {
        uint64_t keys = 0;
        db->GetIntProperty(joined, rocksdb::DB::Properties::kEstimateNumKeys, &keys);
        return keys;
      },
      store_options.joined_filter_min_keys);
  store->joined_keys_->Start();

  std::unique_ptr<rocksdb::Iterator> log(db->NewIterator(rocksdb::ReadOptions(), store->log_));
  for (log->SeekToFirst(); log->Valid(); log->Next()) {
    std::string_view key = log->key().ToStringView();
    uint64_t sequence = GetBigEndian(key.substr(0, kSequenceBytes));
    store->next_sequence_ = sequence + 1;
    if (!IsIdEntriesKey(key)) continue;
    TELLTALE_RETURN_IF_ERROR(
        store->recent_ids_.Add(sequence, log->value().ToString()).WithContext(directory));
  }
  if (!log->status().ok()) return FromRocks(log->status(), "cannot read the log of " + directory);
  return store;
}

Status DataStore::ResumeIfStopped() {
  if (!stopped_.load()) return Status::Ok();
  rocksdb::Status status = db_->Resume();
  if (!status.ok()) {
    // Still no space (or the store is recovering): the caller may retry later.
    return Status::Unavailable(
        "the data store stopped writing after a failed write (is the disk "
        "full?) and cannot resume yet: " +
        status.ToString());
  }
  stopped_ = false;
  return Status::Ok();
}

Status DataStore::CheckSpace(uint64_t incoming) const {
  struct statvfs info {};
  if (statvfs(directory_.c_str(), &info) != 0) return Status::Ok();  // cannot tell: let it try
  uint64_t free_bytes = static_cast<uint64_t>(info.f_bavail) * info.f_frsize;
  if (free_bytes >= min_free_bytes_ + incoming) return Status::Ok();
  return Status::Unavailable("the disk is full: " + std::to_string(free_bytes >> 20) +
                             " MiB free under " + directory_ + ", writes stop below " +
                             std::to_string(min_free_bytes_ >> 20) + " MiB (min_free_bytes)");
}

Result<uint64_t> DataStore::Append(std::string_view record, int64_t version_id,
                                   const std::vector<std::pair<std::string, std::string>>& ids,
                                   IdEntries kind, int64_t model_id,
                                   const std::vector<std::string>& joined_pending) {
  const bool replacing = kind == IdEntries::kReplacing && !ids.empty();
  std::vector<std::pair<std::string, std::string>> entries;
  entries.reserve(ids.size());
  uint64_t bytes = record.size();
  for (const auto& [id, value] : ids) {
    entries.emplace_back(IdKey(version_id, id), value);
    bytes += entries.back().first.size() + value.size();
  }
  TELLTALE_RETURN_IF_ERROR(CheckSpace(bytes * 2));
  TELLTALE_RETURN_IF_ERROR(ResumeIfStopped());
  uint64_t sequence = next_sequence_.fetch_add(1);
  rocksdb::WriteBatch batch;
  batch.Put(log_, SequenceKey(sequence), rocksdb::Slice(record.data(), record.size()));
  // In key order, consecutive inserts into the memtable's skip list share part of their search,
  // and a checkpoint merges the records' sections instead of sorting them all. A stable sort
  // keeps the later of two writes of one id last.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string replaced;
  if (replacing) {
    replaced = RecentIds::Encode(entries);
    batch.Put(log_, IdEntriesKey(sequence), replaced);
  } else {
    for (const auto& [key, value] : entries) batch.Put(ids_, key, value);
  }
  for (const std::string& id : joined_pending) batch.Delete(pending_, IdKey(model_id, id));
  TELLTALE_RETURN_IF_ERROR(Write(batch, /*sync=*/true));
  log_bytes_since_checkpoint_ += record.size();
  if (replacing) TELLTALE_RETURN_IF_ERROR(recent_ids_.Add(sequence, std::move(replaced)));
  return sequence;
}

bool DataStore::WantsCheckpoint() const {
  if (recent_ids_.size() >= kMaxHeldIdEntries) return true;
  // Early for the log's sake only while the checkpoint has few held index entries to write:
  // checkpoints that often, each writing many of them, cost throughput (without this condition,
  // about 15% fewer actuals per second).
  const uint64_t logged = log_bytes_since_checkpoint_.load(std::memory_order_relaxed);
  if (logged < kLogMemtableBytes / 8) return false;
  // And before the log's memtable fills: records still in it then are flushed to a table file,
  // only to be deleted by the next checkpoint and compacted away (with actuals, 127 MB every few
  // seconds when the held entries alone decided).
  return recent_ids_.bytes() <= logged / 4 || LogMemtableBytes() >= kLogMemtableBytes / 2;
}

uint64_t DataStore::LogMemtableBytes() const {
  uint64_t bytes = 0;
  db_->GetIntProperty(log_, rocksdb::DB::Properties::kCurSizeActiveMemTable, &bytes);
  return bytes;
}

Status DataStore::Write(rocksdb::WriteBatch& batch, bool sync) {
  rocksdb::WriteOptions options;
  options.sync = sync;
  // Writers of a group insert into the memtables side by side; with this, each batch's inserts
  // start their search where its previous key went instead of from the top of the skip list (id
  // entries are written in key order).
  options.memtable_insert_hint_per_batch = true;
  rocksdb::Status status = WriteToDb(*db_, options, batch);
  if (!status.ok()) {
    stopped_ = true;  // RocksDB refuses writes after a failed one until resumed
    return FromRocks(status, "cannot write to the data store");
  }
  return Status::Ok();
}

Status DataStore::ReadIds(int64_t version_id, const std::vector<std::string>& ids,
                          const FoundValue& found) {
  std::vector<std::string> keys = IdKeys(version_id, ids);
  // An entry rewritten since the last checkpoint is newer than the written ones, and one
  // rewritten before it newer than the prediction's own: each is looked for only where the newer
  // ones had none.
  std::vector<bool> seen(keys.size());
  auto see = [&](size_t i, std::string_view value) {
    seen[i] = true;
    found(i, value);
  };
  recent_ids_.Find(keys, see);
  std::vector<bool> skip_joined = seen;
  joined_keys_->MarkAbsent(keys, skip_joined);
  TELLTALE_RETURN_IF_ERROR(MultiGet(joined_, keys, see, &skip_joined));
  return MultiGet(ids_, keys, found, &seen);
}

Result<std::vector<std::optional<std::string>>> DataStore::GetIds(
    int64_t version_id, const std::vector<std::string>& ids) {
  std::vector<std::optional<std::string>> values(ids.size());
  TELLTALE_RETURN_IF_ERROR(ReadIds(
      version_id, ids, [&](size_t i, std::string_view value) { values[i] = std::string(value); }));
  return values;
}

Result<std::vector<bool>> DataStore::HaveIds(int64_t version_id,
                                             const std::vector<std::string>& ids) {
  // Only entries the index has are rewritten, so the index alone knows every id.
  std::vector<bool> found(ids.size());
  TELLTALE_RETURN_IF_ERROR(MultiGet(ids_, IdKeys(version_id, ids),
                                    [&](size_t i, std::string_view) { found[i] = true; }));
  return found;
}

Result<std::vector<std::optional<std::string>>> DataStore::GetPending(
    int64_t model_id, const std::vector<std::string>& ids) {
  std::vector<std::optional<std::string>> values(ids.size());
  TELLTALE_RETURN_IF_ERROR(
      MultiGet(pending_, IdKeys(model_id, ids),
               [&](size_t i, std::string_view value) { values[i] = std::string(value); }));
  return values;
}

Status DataStore::PutPending(int64_t model_id,
                             const std::vector<std::pair<std::string, std::string>>& actuals) {
  uint64_t bytes = 0;
  for (const auto& [id, value] : actuals) bytes += id.size() + value.size();
  TELLTALE_RETURN_IF_ERROR(CheckSpace(bytes * 2));
  TELLTALE_RETURN_IF_ERROR(ResumeIfStopped());
  rocksdb::WriteBatch batch;
  for (const auto& [id, value] : actuals) batch.Put(pending_, IdKey(model_id, id), value);
  // Set before the write: a prediction path that misses the flag also misses the entries, and
  // the actuals side's second look at the index covers that.
  may_have_pending_.store(true, std::memory_order_release);
  return Write(batch, /*sync=*/true);
}

Status DataStore::MultiGet(rocksdb::ColumnFamilyHandle* family,
                           const std::vector<std::string>& keys, const FoundValue& found,
                           const std::vector<bool>* skip) {
  // Looked up in key order, which RocksDB is told of: sorting here, with the comparison inlined,
  // costs a fifth of what its own sort through the comparator's virtual calls did.
  std::vector<uint32_t> order;
  order.reserve(keys.size());
  for (uint32_t i = 0; i < keys.size(); ++i) {
    if (skip == nullptr || !(*skip)[i]) order.push_back(i);
  }
  if (order.empty()) return Status::Ok();
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
  std::vector<rocksdb::Slice> slices;
  slices.reserve(order.size());
  for (uint32_t i : order) slices.emplace_back(keys[i]);
  std::vector<rocksdb::PinnableSlice> values(order.size());
  std::vector<rocksdb::Status> statuses(order.size());
  db_->MultiGet(rocksdb::ReadOptions(), family, order.size(), slices.data(), values.data(),
                statuses.data(), /*sorted_input=*/true);
  for (size_t i = 0; i < order.size(); ++i) {
    if (statuses[i].ok()) {
      found(order[i], values[i].ToStringView());
    } else if (!statuses[i].IsNotFound()) {
      return FromRocks(statuses[i], "cannot read the id index");
    }
  }
  return Status::Ok();
}

Status DataStore::Checkpoint(const std::vector<WindowEntry>& windows,
                             const std::vector<uint64_t>& folded,
                             const std::vector<uint64_t>& dropped) {
  return WriteWindows(windows, folded, dropped);
}

Status DataStore::WriteWindows(const std::vector<WindowEntry>& windows,
                               const std::vector<uint64_t>& folded,
                               const std::vector<uint64_t>& dropped,
                               const std::function<void(rocksdb::WriteBatch&)>& first) {
  // Records appended from here on are for the next checkpoint to delete.
  log_bytes_since_checkpoint_ = 0;
  // The entries stay valid until Forget below: only this checkpoint forgets these records.
  std::vector<std::pair<std::string_view, std::string_view>> id_entries =
      recent_ids_.Latest(folded);
  uint64_t window_bytes = 0, entry_bytes = 0;
  for (const WindowEntry& window : windows) window_bytes += window.bytes.size();
  for (const auto& [key, value] : id_entries) entry_bytes += key.size() + value.size();
  TELLTALE_RETURN_IF_ERROR(CheckSpace((window_bytes + entry_bytes) * 2));
  TELLTALE_RETURN_IF_ERROR(ResumeIfStopped());
  std::unique_lock joined_lock(joined_keys_->writes_mutex());
  joined_keys_->Adding(id_entries);
  // The index entries go first, in writes of their own: they need not be atomic with the rest.
  // Until the batch below deletes their records, the entries are also held in memory and in the
  // log (which a restart reads back), and writing one of them twice writes the same value. That
  // batch is synced, and with it every write before it. Sorted: each insert into the memtable
  // starts its search where the previous one ended.
  for (size_t start = 0; start < id_entries.size(); start += kIdEntriesPerWrite) {
    const size_t end = std::min(id_entries.size(), start + kIdEntriesPerWrite);
    uint64_t chunk_bytes = 0;
    for (size_t i = start; i < end; ++i) {
      chunk_bytes += id_entries[i].first.size() + id_entries[i].second.size() + 16;
    }
    // Room reserved at once rather than grown by doubling.
    rocksdb::WriteBatch entries(chunk_bytes + 64);
    for (size_t i = start; i < end; ++i)
      entries.Put(joined_, id_entries[i].first, id_entries[i].second);
    TELLTALE_RETURN_IF_ERROR(Write(entries, /*sync=*/false));
  }
  joined_lock.unlock();
  const size_t entries = windows.size() + 2 * (folded.size() + dropped.size());
  rocksdb::WriteBatch batch(window_bytes + entries * 16 + 64);
  if (first) first(batch);
  for (const WindowEntry& window : windows) {
    batch.Put(windows_, WindowKeyBytes(window.version_id, window.key), window.bytes);
  }
  for (const std::vector<uint64_t>* deleted : {&folded, &dropped}) {
    for (uint64_t sequence : *deleted) {
      batch.Delete(log_, SequenceKey(sequence));
      if (recent_ids_.HasSection(sequence)) batch.Delete(log_, IdEntriesKey(sequence));
    }
  }
  TELLTALE_RETURN_IF_ERROR(Write(batch, /*sync=*/true));
  recent_ids_.Forget(folded);
  recent_ids_.Forget(dropped);
  // The log's memtable holds mostly deleted records now: flushed while it does, it leaves a table
  // of deletions, where filled up later it would flush the records appended meanwhile too. (A
  // flush that fails is not this checkpoint's failure: RocksDB flushes when the memtable fills.)
  if (LogMemtableBytes() >= kLogMemtableBytes / 2) {
    rocksdb::FlushOptions flush;
    flush.wait = false;
    flush.allow_write_stall = true;
    db_->Flush(flush, log_).PermitUncheckedError();
  }
  return Status::Ok();
}

Status DataStore::ForEachLogRecord(const std::function<Status(uint64_t, std::string_view)>& visit) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), log_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view key = it->key().ToStringView();
    if (IsIdEntriesKey(key)) continue;  // read into recent_ids_ when the store opened
    TELLTALE_RETURN_IF_ERROR(visit(GetBigEndian(key), it->value().ToStringView()));
  }
  return FromRocks(it->status(), "cannot read the log");
}

Result<std::optional<std::string>> DataStore::GetWindow(int64_t version_id, const WindowKey& key) {
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), windows_, WindowKeyBytes(version_id, key), &value);
  if (status.IsNotFound()) return std::optional<std::string>();
  if (!status.ok()) return FromRocks(status, "cannot read a window");
  return std::optional<std::string>(std::move(value));
}

Status DataStore::ScanWindows(int64_t version_id, Environment environment, bool day,
                              uint32_t segment, int64_t from_hour, int64_t to_hour,
                              const std::function<Status(int64_t, std::string_view)>& visit) {
  std::string prefix = SeriesPrefix(version_id, environment, day, segment);
  std::string start = WindowKeyBytes(version_id, {environment, day, segment, from_hour});
  std::string end = WindowKeyBytes(version_id, {environment, day, segment, to_hour});
  rocksdb::Slice upper(end);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, windows_));
  for (it->Seek(start); it->Valid(); it->Next()) {
    std::string_view key = it->key().ToStringView();
    int64_t hour = static_cast<int64_t>(GetBigEndian(key.substr(prefix.size())) ^ (1ull << 63));
    TELLTALE_RETURN_IF_ERROR(visit(hour, it->value().ToStringView()));
  }
  return FromRocks(it->status(), "cannot read windows");
}

Result<std::optional<std::string>> DataStore::GetDayZone(int64_t version_id) {
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), windows_, DayZoneKey(version_id), &value);
  if (status.IsNotFound()) return std::optional<std::string>();
  if (!status.ok()) return FromRocks(status, "cannot read a version's day zone");
  return std::optional<std::string>(std::move(value));
}

Status DataStore::ReplaceDays(int64_t version_id, const std::vector<WindowEntry>& windows,
                              const std::vector<uint64_t>& folded, const std::string& zone) {
  // Only production has day rollups; a range delete followed by puts in one batch keeps the puts.
  std::string days = VersionPrefix(version_id);
  days.push_back(static_cast<char>(static_cast<uint8_t>(Environment::kProduction) | kDayBit));
  std::string after_days = VersionPrefix(version_id);
  after_days.push_back(
      static_cast<char>((static_cast<uint8_t>(Environment::kProduction) | kDayBit) + 1));
  return WriteWindows(windows, folded, {}, [&](rocksdb::WriteBatch& batch) {
    batch.DeleteRange(windows_, days, after_days);
    batch.Put(windows_, DayZoneKey(version_id), zone);
  });
}

Status DataStore::CompactIndexes() {
  for (rocksdb::ColumnFamilyHandle* family : {ids_, joined_, pending_}) {
    rocksdb::CompactRangeOptions options;
    // The filter must see every entry, those of the last level included.
    options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    TELLTALE_RETURN_IF_ERROR(FromRocks(db_->CompactRange(options, family, nullptr, nullptr),
                                       "cannot compact the id index"));
  }
  return Status::Ok();
}

Status DataStore::DeleteVersion(int64_t version_id) {
  std::string begin = VersionPrefix(version_id);
  std::string end = VersionPrefix(version_id + 1);
  rocksdb::WriteBatch batch;
  batch.DeleteRange(windows_, begin, end);
  batch.DeleteRange(ids_, begin, end);
  batch.DeleteRange(joined_, begin, end);
  TELLTALE_RETURN_IF_ERROR(Write(batch, /*sync=*/true).WithContext("deleting a version's data"));
  recent_ids_.DropPrefix(begin);
  return Status::Ok();
}

Status DataStore::DeletePendingActuals(int64_t model_id) {
  rocksdb::WriteBatch batch;
  batch.DeleteRange(pending_, VersionPrefix(model_id), VersionPrefix(model_id + 1));
  return Write(batch, /*sync=*/true).WithContext("deleting a model's pending actuals");
}

std::pair<int64_t, int64_t> DataStore::HighestIdsWithData() const {
  // Every key of these parts starts with its version's (or model's) id, big-endian.
  auto highest = [&](rocksdb::ColumnFamilyHandle* family) -> int64_t {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family));
    it->SeekToLast();
    if (!it->Valid() || it->key().size() < 8) return 0;
    return static_cast<int64_t>(GetBigEndian(it->key().ToStringView().substr(0, 8)));
  };
  return {std::max({highest(windows_), highest(ids_), highest(joined_)}), highest(pending_)};
}

std::vector<std::pair<std::string, uint64_t>> DataStore::PartBytes() const {
  std::vector<std::pair<std::string, uint64_t>> parts;
  for (rocksdb::ColumnFamilyHandle* family : {log_, windows_, ids_, joined_, pending_}) {
    uint64_t files = 0;
    db_->GetIntProperty(family, rocksdb::DB::Properties::kLiveSstFilesSize, &files);
    parts.emplace_back(family->GetName(), files);
  }
  return parts;
}

std::vector<std::pair<std::string, uint64_t>> DataStore::MemoryBytes() const {
  uint64_t memtables = 0, table_readers = 0, block_cache = 0;
  db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kCurSizeAllMemTables, &memtables);
  db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimateTableReadersMem, &table_readers);
  // One cache serves every part: any family reports it.
  db_->GetIntProperty(windows_, rocksdb::DB::Properties::kBlockCacheUsage, &block_cache);
  return {{"memtables", memtables},
          {"table_readers", table_readers},
          {"block_cache", block_cache},
          {"joined_filter", joined_keys_->bytes()}};
}

uint64_t DataStore::SizeBytes() const {
  uint64_t total = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory_, error)) {
    if (entry.is_regular_file(error)) total += entry.file_size(error);
  }
  return total;
}

}  // namespace telltale
