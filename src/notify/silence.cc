#include "notify/silence.h"

#include "common/duration.h"
#include "ingest/row_decoder.h"

namespace telltale {
namespace {

using nlohmann::json;

// Silences last at most a year.
constexpr int64_t kMaxSilenceSeconds = 366 * 86400;

SpecError Error(std::string path, std::string message) {
  return SpecError{std::move(path), std::move(message)};
}

bool Covers(const SilenceSpec& silence, const json& notification, const json& field, int64_t now) {
  if (now < silence.starts_at || now >= silence.ends_at) return false;
  if (silence.model && notification.value("model", "") != *silence.model) return false;
  if (silence.monitor_id &&
      notification["monitor"].value("id", int64_t{0}) != *silence.monitor_id) {
    return false;
  }
  if (silence.severity && notification.value("severity", "") != SeverityName(*silence.severity)) {
    return false;
  }
  if (silence.field && (!field["field"].is_string() || field["field"] != *silence.field)) {
    return false;
  }
  return true;
}

}  // namespace

std::variant<SilenceSpec, SpecError> ParseSilenceSpec(const json& document, int64_t now) {
  if (!document.is_object()) return Error("", "must be an object");
  static const std::vector<std::string> kKnown = {"id",      "model",     "monitor_id", "severity",
                                                  "field",   "starts_at", "ends_at",    "duration",
                                                  "comment", "kind",      "created_at", "active"};
  for (const auto& [key, value] : document.items()) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      return Error(key, "is not a known setting of a silence");
    }
  }
  SilenceSpec spec;
  auto text = [&](const char* key) -> std::variant<std::optional<std::string>, SpecError> {
    auto it = document.find(key);
    if (it == document.end() || it->is_null()) return std::optional<std::string>();
    if (!it->is_string() || it->get<std::string>().empty()) {
      return Error(key, "must be a non-empty string");
    }
    return std::optional<std::string>(it->get<std::string>());
  };
  for (auto [key, out] : {std::pair{"model", &spec.model}, std::pair{"field", &spec.field}}) {
    auto value = text(key);
    if (auto* error = std::get_if<SpecError>(&value)) return *error;
    *out = std::get<std::optional<std::string>>(value);
  }
  if (auto it = document.find("monitor_id"); it != document.end() && !it->is_null()) {
    if (!it->is_number_integer()) return Error("monitor_id", "must be a monitor's id");
    spec.monitor_id = it->get<int64_t>();
  }
  auto severity = text("severity");
  if (auto* error = std::get_if<SpecError>(&severity)) return *error;
  if (auto name = std::get<std::optional<std::string>>(severity)) {
    spec.severity = ParseSeverity(*name);
    if (!spec.severity) return Error("severity", "must be info, warning or critical");
  }
  if (!spec.model && !spec.monitor_id && !spec.severity && !spec.field) {
    return Error("", "a silence names at least one of model, monitor_id, severity, field");
  }
  auto comment = text("comment");
  if (auto* error = std::get_if<SpecError>(&comment)) return *error;
  spec.comment = std::get<std::optional<std::string>>(comment).value_or("");
  auto kind = text("kind");
  if (auto* error = std::get_if<SpecError>(&kind)) return *error;
  std::string kind_name = std::get<std::optional<std::string>>(kind).value_or("silence");
  if (kind_name != "silence" && kind_name != "maintenance") {
    return Error("kind", "must be silence or maintenance");
  }
  spec.maintenance = kind_name == "maintenance";
  auto time = [&](const char* key) -> std::variant<std::optional<int64_t>, SpecError> {
    auto value = text(key);
    if (auto* error = std::get_if<SpecError>(&value)) return *error;
    auto given = std::get<std::optional<std::string>>(value);
    if (!given) return std::optional<int64_t>();
    Result<int64_t> parsed = ParseRfc3339(*given);
    if (!parsed.ok()) return Error(key, parsed.status().message());
    return std::optional<int64_t>(*parsed);
  };
  auto starts = time("starts_at");
  if (auto* error = std::get_if<SpecError>(&starts)) return *error;
  spec.starts_at = std::get<std::optional<int64_t>>(starts).value_or(now);
  auto ends = time("ends_at");
  if (auto* error = std::get_if<SpecError>(&ends)) return *error;
  if (auto end = std::get<std::optional<int64_t>>(ends)) {
    spec.ends_at = *end;
  } else {
    auto duration = text("duration");
    if (auto* error = std::get_if<SpecError>(&duration)) return *error;
    auto given = std::get<std::optional<std::string>>(duration);
    std::optional<int64_t> seconds = given ? ParseDuration(*given) : std::nullopt;
    if (!seconds || *seconds <= 0) {
      return Error("duration", "ends_at or a duration such as \"2h\" is required");
    }
    spec.ends_at = spec.starts_at + *seconds;
  }
  if (spec.ends_at <= spec.starts_at) return Error("ends_at", "must be after starts_at");
  if (spec.ends_at - spec.starts_at > kMaxSilenceSeconds) {
    return Error("ends_at", "a silence lasts at most 366 days");
  }
  return spec;
}

json SilenceSpecJson(const SilenceSpec& spec) {
  json out = {{"kind", spec.maintenance ? "maintenance" : "silence"},
              {"model", spec.model ? json(*spec.model) : json()},
              {"monitor_id", spec.monitor_id ? json(*spec.monitor_id) : json()},
              {"severity", spec.severity ? json(SeverityName(*spec.severity)) : json()},
              {"field", spec.field ? json(*spec.field) : json()},
              {"starts_at", FormatRfc3339(spec.starts_at)},
              {"ends_at", FormatRfc3339(spec.ends_at)},
              {"comment", spec.comment}};
  return out;
}

json WithoutSilenced(const json& notification, const std::vector<SilenceSpec>& silences,
                     int64_t now) {
  json kept = json::array();
  for (const json& field : notification["fields"]) {
    bool silenced = false;
    for (const SilenceSpec& silence : silences)
      silenced |= Covers(silence, notification, field, now);
    if (!silenced) kept.push_back(field);
  }
  if (kept.empty() && !notification["fields"].empty()) return nullptr;
  json out = notification;
  out["fields"] = std::move(kept);
  return out;
}

}  // namespace telltale
