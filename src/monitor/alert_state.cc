#include "monitor/alert_state.h"

namespace telltale {

std::string_view AlertStateName(AlertState state) {
  switch (state) {
    case AlertState::kInactive:
      return "inactive";
    case AlertState::kPending:
      return "pending";
    case AlertState::kFiring:
      return "firing";
    case AlertState::kResolved:
      return "resolved";
  }
  return "inactive";
}

std::optional<AlertState> ParseAlertState(std::string_view name) {
  for (AlertState state :
       {AlertState::kInactive, AlertState::kPending, AlertState::kFiring, AlertState::kResolved}) {
    if (AlertStateName(state) == name) return state;
  }
  return std::nullopt;
}

std::optional<Transition> Advance(AlertStatus& status, bool breached, int64_t window_start,
                                  int64_t window_end, const AlertTiming& timing) {
  const AlertState before = status.state;
  auto move_to = [&](AlertState next, int64_t at) -> std::optional<Transition> {
    if (next == before) return std::nullopt;
    status.state = next;
    status.since = at;
    return Transition{before, next};
  };
  if (breached) {
    if (before != AlertState::kPending && before != AlertState::kFiring) {
      status.breach_started = window_start;
    }
    status.last_breach_end = window_end;
    if (before == AlertState::kFiring) return std::nullopt;
    bool held = window_end - status.breach_started >= timing.hold_for;
    return move_to(held ? AlertState::kFiring : AlertState::kPending, window_end);
  }
  switch (before) {
    case AlertState::kPending:
      return move_to(AlertState::kInactive, window_end);
    case AlertState::kFiring:
      if (window_end - status.last_breach_end > timing.keep_firing_for) {
        return move_to(AlertState::kResolved, window_end);
      }
      return std::nullopt;
    case AlertState::kInactive:
    case AlertState::kResolved:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace telltale
