// IdLocks: exclusive holds on sets of ids, for a read-modify-write of what is stored under them
// (joining an actual reads the prediction's entry and writes it back with the actual). Requests
// whose ids do not overlap go on together; one that shares an id with a held set waits until that
// set is released. A caller takes all of its ids at once, so two callers never wait on each other.
#ifndef TELLTALE_INGEST_ID_LOCKS_H_
#define TELLTALE_INGEST_ID_LOCKS_H_

#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

namespace telltale {

class IdLocks {
 public:
  // Holds its ids until destroyed.
  class Hold {
   public:
    Hold(Hold&& other) noexcept : locks_(other.locks_), ids_(std::move(other.ids_)) {
      other.locks_ = nullptr;
    }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;
    Hold& operator=(Hold&&) = delete;
    ~Hold();

   private:
    friend class IdLocks;
    Hold(IdLocks* locks, std::vector<std::string> ids) : locks_(locks), ids_(std::move(ids)) {}
    IdLocks* locks_;
    std::vector<std::string> ids_;
  };

  // Waits until no other hold has any of `ids` (repeats allowed), then holds them all.
  Hold Acquire(std::vector<std::string> ids);
  // Ids held right now (for tests and metrics).
  size_t HeldCount() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::unordered_set<std::string> held_;
};

}  // namespace telltale

#endif  // TELLTALE_INGEST_ID_LOCKS_H_
