#include "store/recent_ids.h"

#include <algorithm>

#include "common/bytes.h"

namespace telltale {

std::string RecentIds::Encode(const std::vector<std::pair<std::string, std::string>>& entries) {
  ByteWriter writer;
  for (const auto& [key, value] : entries) {
    writer.PutString(key);
    writer.PutString(value);
  }
  return writer.Release();
}

template <typename Visit>
Status RecentIds::ForEachEntry(std::string_view section, Visit&& visit) {
  ByteReader reader(section);
  while (reader.remaining() > 0) {
    std::string_view parts[2];
    for (std::string_view& part : parts) {
      TELLTALE_ASSIGN_OR_RETURN(uint32_t length, reader.Get<uint32_t>());
      TELLTALE_ASSIGN_OR_RETURN(part, reader.GetRaw(length));
    }
    visit(parts[0], parts[1]);
  }
  return Status::Ok();
}

Status RecentIds::Add(uint64_t sequence, std::string&& section) {
  // The section's bytes must not move once entries point into them (a short string would move
  // with its map node's string object): it is parsed where it will stay.
  std::lock_guard lock(mutex_);
  auto [slot, inserted] = sections_.try_emplace(sequence, std::move(section));
  if (!inserted) return Status::Corruption("the log holds two id sections for one record");
  std::vector<std::pair<std::string_view, std::string_view>> entries;
  Status parsed = ForEachEntry(slot->second, [&](std::string_view key, std::string_view value) {
    entries.emplace_back(key, value);
  });
  if (!parsed.ok()) {
    sections_.erase(slot);
    return parsed.WithContext("the id entries of log record " + std::to_string(sequence));
  }
  bytes_ += slot->second.size();
  for (const auto& [key, value] : entries) {
    auto [held, added] = latest_.try_emplace(key, Entry{value, sequence});
    if (added || held->second.sequence > sequence) continue;  // new, or a later record wrote it
    // The key's view points into the earlier record's section, which may be forgotten first.
    latest_.erase(held);
    latest_.emplace(key, Entry{value, sequence});
  }
  return Status::Ok();
}

void RecentIds::Find(const std::vector<std::string>& keys,
                     const std::function<void(size_t, std::string_view)>& found) const {
  std::lock_guard lock(mutex_);
  if (latest_.empty()) return;
  for (size_t i = 0; i < keys.size(); ++i) {
    auto held = latest_.find(keys[i]);
    if (held != latest_.end()) found(i, held->second.value);
  }
}

bool RecentIds::HasSection(uint64_t sequence) const {
  std::lock_guard lock(mutex_);
  return sections_.count(sequence) > 0;
}

std::vector<std::pair<std::string_view, std::string_view>> RecentIds::Latest(
    const std::vector<uint64_t>& sequences) const {
  using View = std::pair<std::string_view, std::string_view>;
  auto by_key = [](const View& a, const View& b) { return a.first < b.first; };
  std::vector<uint64_t> in_order = sequences;
  std::sort(in_order.begin(), in_order.end());
  // Each record's entries form a run sorted by key, in log order.
  std::vector<View> entries;
  std::vector<size_t> runs = {0};  // where each run starts, and the end
  for (uint64_t sequence : in_order) {
    std::string_view section;
    {
      std::lock_guard lock(mutex_);  // one record at a time: lookups wait little
      auto found = sections_.find(sequence);
      if (found == sections_.end()) continue;
      section = found->second;
    }
    const size_t start = entries.size();
    // A section that decoded when it was added decodes again; it stays until Forget.
    (void)ForEachEntry(section, [&](std::string_view key, std::string_view value) {
      entries.emplace_back(key, value);
    });
    auto run = entries.begin() + static_cast<ptrdiff_t>(start);
    // The store writes sections in key order; one from an older log may not be.
    if (!std::is_sorted(run, entries.end(), by_key)) std::stable_sort(run, entries.end(), by_key);
    if (entries.size() > start) runs.push_back(entries.size());
  }
  // Neighbouring runs are merged until one is left. Merging is stable, so of one key's entries an
  // earlier record's stay first, and the last of each key's entries is its latest value.
  while (runs.size() > 2) {
    std::vector<size_t> merged = {0};
    size_t i = 0;
    for (; i + 2 < runs.size(); i += 2) {
      auto at = [&](size_t k) { return entries.begin() + static_cast<ptrdiff_t>(runs[k]); };
      std::inplace_merge(at(i), at(i + 1), at(i + 2), by_key);
      merged.push_back(runs[i + 2]);
    }
    if (i + 1 < runs.size()) merged.push_back(runs[i + 1]);  // a run left without a partner
    runs = std::move(merged);
  }
  size_t kept = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i + 1 < entries.size() && entries[i + 1].first == entries[i].first) continue;
    entries[kept++] = entries[i];
  }
  entries.resize(kept);
  return entries;
}

void RecentIds::Forget(const std::vector<uint64_t>& sequences) {
  for (uint64_t sequence : sequences) {
    std::lock_guard lock(mutex_);  // one record at a time: lookups wait little
    auto section = sections_.find(sequence);
    if (section == sections_.end()) continue;
    (void)ForEachEntry(section->second, [&](std::string_view key, std::string_view) {
      auto found = latest_.find(key);
      if (found != latest_.end() && found->second.sequence == sequence) latest_.erase(found);
    });
    bytes_ -= section->second.size();
    sections_.erase(section);
  }
}

void RecentIds::DropPrefix(std::string_view prefix) {
  std::lock_guard lock(mutex_);
  absl::erase_if(latest_, [&](const auto& entry) { return entry.first.starts_with(prefix); });
}

size_t RecentIds::size() const {
  std::lock_guard lock(mutex_);
  return latest_.size();
}

}  // namespace telltale
