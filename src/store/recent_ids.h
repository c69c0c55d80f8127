// RecentIds: id index entries rewritten since the last checkpoint (a prediction's entry with its
// actual), kept in memory.
//
// Writing each joined actual's entry back into RocksDB's memtable took about half of the server's
// CPU per actual: a skip-list insert per id, at random places in a list of millions. Instead, a
// request's rewritten entries travel in the log next to its record, as one value, and are held
// here; a checkpoint writes those of the records it deletes into the index's `joined` part,
// sorted, before the batch that deletes the records. Lookups read here first, then the index.
// After a crash, the entries of the records still in the log are read back into memory, in log
// order, when the store opens.
//
// Memory: about 100 bytes per entry rewritten since the last checkpoint (the server checkpoints
// every few seconds), whatever the number of ids indexed in total.
#ifndef TELLTALE_STORE_RECENT_IDS_H_
#define TELLTALE_STORE_RECENT_IDS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "telltale/result.h"

namespace telltale {

class RecentIds {
 public:
  // The form of one record's entries in the log: (key, value) pairs, each length-prefixed. Entries
  // in key order (sorted stably) make Latest cheaper; any order is read correctly.
  static std::string Encode(const std::vector<std::pair<std::string, std::string>>& entries);

  // Holds the entries `section` (from Encode) of the log record `sequence`. Of two entries for one
  // key, the one of the later record wins. Corruption if `section` does not decode.
  Status Add(uint64_t sequence, std::string&& section);
  // Calls `found(i, value)` for each of `keys` held here, with the latest value written for it
  // (valid during the call).
  void Find(const std::vector<std::string>& keys,
            const std::function<void(size_t, std::string_view)>& found) const;
  // Whether the record `sequence` has entries held here.
  bool HasSection(uint64_t sequence) const;

  // The entries of the records `sequences`, sorted by key, the latest of them for a key that
  // several wrote. The views stay valid until Forget of those records. (Writes of one key come
  // one after the other, each folded before the next is appended, so a later checkpoint never
  // holds an earlier write of a key.)
  std::vector<std::pair<std::string_view, std::string_view>> Latest(
      const std::vector<uint64_t>& sequences) const;
  // Drops the records `sequences` once their entries are in the index.
  void Forget(const std::vector<uint64_t>& sequences);
  // Drops every entry whose key starts with `prefix` (a deleted version).
  void DropPrefix(std::string_view prefix);

  size_t size() const;
  // Bytes of the sections held.
  uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    std::string_view value;
    uint64_t sequence = 0;
  };
  // Calls `visit(key, value)` for each entry of `section`.
  template <typename Visit>
  static Status ForEachEntry(std::string_view section, Visit&& visit);

  mutable std::mutex mutex_;
  // Keys and values are views into `sections_`, into the section of the record that wrote them.
  absl::flat_hash_map<std::string_view, Entry> latest_;
  std::map<uint64_t, std::string> sections_;
  std::atomic<uint64_t> bytes_{0};
};

}  // namespace telltale

#endif  // TELLTALE_STORE_RECENT_IDS_H_
