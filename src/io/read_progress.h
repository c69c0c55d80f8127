// ReadProgress: bytes of input files read so far and in all, shared by readers on several threads,
// so a command can show how far it is; and a stop signal, so one failed read ends the others.
#ifndef TELLTALE_IO_READ_PROGRESS_H_
#define TELLTALE_IO_READ_PROGRESS_H_

#include <atomic>
#include <cstdint>

namespace telltale {

class ReadProgress {
 public:
  void AddToTotal(uint64_t bytes) { total_ += bytes; }
  void Advance(uint64_t bytes) { done_ += bytes; }
  uint64_t done() const { return done_; }
  uint64_t total() const { return total_; }
  // Readers sharing this object stop at their next chunk with a Cancelled status.
  void Cancel() { cancelled_ = true; }
  bool cancelled() const { return cancelled_; }

 private:
  std::atomic<bool> cancelled_{false};
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> total_{0};
};

}  // namespace telltale

#endif  // TELLTALE_IO_READ_PROGRESS_H_
