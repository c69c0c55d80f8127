// Silences and maintenance windows: for a time range, notifications of the matching alerts are not
// sent (the alerts themselves still change state and keep their history). A silence matches by
// model, monitor, severity and field — every matcher it names must match; it names at least one.
// A maintenance window is a silence planned ahead, usually of a whole model.
#ifndef TELLTALE_NOTIFY_SILENCE_H_
#define TELLTALE_NOTIFY_SILENCE_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "monitor/monitor_spec.h"

namespace telltale {

struct SilenceSpec {
  std::optional<std::string> model;
  std::optional<int64_t> monitor_id;
  std::optional<Severity> severity;
  std::optional<std::string> field;
  int64_t starts_at = 0;  // Unix seconds
  int64_t ends_at = 0;
  std::string comment;
  bool maintenance = false;
};

// `now` fills starts_at when absent; ends_at comes from "ends_at" or "duration" ("2h").
std::variant<SilenceSpec, SpecError> ParseSilenceSpec(const nlohmann::json& document, int64_t now);
nlohmann::json SilenceSpecJson(const SilenceSpec& spec);

// The notification without the fields an active silence covers at `now`; null when nothing is
// left to send.
nlohmann::json WithoutSilenced(const nlohmann::json& notification,
                               const std::vector<SilenceSpec>& silences, int64_t now);

}  // namespace telltale

#endif  // TELLTALE_NOTIFY_SILENCE_H_
