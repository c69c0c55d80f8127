// The alert state machine of one monitor on one field (or on the model, for field-less monitors):
//
//   inactive --breach--> pending --breach held for hold_for--> firing --no breach for
//   keep_firing_for--> resolved --breach--> pending ...
//
// A breach that ends before hold_for returns to inactive without a notification (flapping is
// suppressed). With hold_for 0 the first breach fires. A window that could not be evaluated (no
// data, short history) changes nothing. Times are window boundaries in Unix seconds.
#ifndef TELLTALE_MONITOR_ALERT_STATE_H_
#define TELLTALE_MONITOR_ALERT_STATE_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace telltale {

enum class AlertState { kInactive, kPending, kFiring, kResolved };
std::string_view AlertStateName(AlertState state);
std::optional<AlertState> ParseAlertState(std::string_view name);

struct AlertTiming {
  int64_t hold_for = 0;         // seconds a breach must last before it fires
  int64_t keep_firing_for = 0;  // seconds a firing alert stays firing after the breach ends
};

struct AlertStatus {
  AlertState state = AlertState::kInactive;
  int64_t since = 0;            // when the current state began
  int64_t breach_started = 0;   // start of the first window of the current breach
  int64_t last_breach_end = 0;  // end of the latest breached window
};

struct Transition {
  AlertState from;
  AlertState to;
};

// Advances `status` by one evaluated window [window_start, window_end); returns the transition,
// if the state changed.
std::optional<Transition> Advance(AlertStatus& status, bool breached, int64_t window_start,
                                  int64_t window_end, const AlertTiming& timing);

}  // namespace telltale

#endif  // TELLTALE_MONITOR_ALERT_STATE_H_
