// Notifier: delivers the outbox. One thread takes due notifications oldest first, renders each for
// its channel and POSTs it; a 2xx marks it delivered, a 408, 429, 5xx or network error schedules
// another attempt with exponential backoff (honouring Retry-After) until max_attempts, any other
// answer fails it. A receiver that is down or slow holds up only its own notifications' retries,
// never ingestion, and pending notifications survive a restart (the outbox is in SQLite).
#ifndef TELLTALE_NOTIFY_NOTIFIER_H_
#define TELLTALE_NOTIFY_NOTIFIER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "notify/address_guard.h"
#include "store/monitor_store.h"

namespace telltale {

struct NotifierOptions {
  int max_attempts = 12;
  int64_t first_backoff_seconds = 5;
  int64_t max_backoff_seconds = 3600;
  int request_timeout_seconds = 10;
};

struct DeliveryOutcome {
  bool delivered = false;
  bool retry = false;
  int64_t retry_after = 0;  // seconds the receiver asked for, 0 if it did not
  std::string error;
};

class Notifier {
 public:
  using Log = std::function<void(const std::string&)>;
  Notifier(MonitorStore& store, const Clock& clock, AddressGuard guard, NotifierOptions options,
           Log log);
  ~Notifier();

  void Start();
  // Finishes the request in flight and stops; undelivered entries stay in the outbox.
  void Stop();
  // Looks at the outbox now (after an evaluation enqueued something).
  void Wake();
  const AddressGuard& guard() const { return guard_; }
  // Delivers what is due now, on the caller's thread; returns how many were attempted.
  Result<size_t> DeliverDue();

 private:
  void Loop();
  DeliveryOutcome Send(const OutboxEntry& entry);

  MonitorStore& store_;
  const Clock& clock_;
  AddressGuard guard_;
  NotifierOptions options_;
  Log log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace telltale

#endif  // TELLTALE_NOTIFY_NOTIFIER_H_
