#include "notify/channel_spec.h"

#include <fmt/format.h>

#include <array>

#include "common/duration.h"

namespace telltale {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<std::string_view, ChannelType>, 6> kTypes = {{
    {"webhook", ChannelType::kWebhook},
    {"slack", ChannelType::kSlack},
    {"alertmanager", ChannelType::kAlertmanager},
    {"pagerduty", ChannelType::kPagerDuty},
    {"teams", ChannelType::kTeams},
    {"email", ChannelType::kEmail},
}};

constexpr std::string_view kPagerDutyUrl = "https://events.pagerduty.com/v2/enqueue";

SpecError Error(std::string path, std::string message) {
  return SpecError{std::move(path), std::move(message)};
}

std::optional<SpecError> ReadText(const json& document, const char* key, std::string& out) {
  auto it = document.find(key);
  if (it == document.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) return Error(key, "must be a string");
  out = it->get<std::string>();
  return std::nullopt;
}

// Grouping waits of more than this are refused (they would hold notifications back for good).
constexpr int64_t kMaxGroupingSeconds = 30 * 86400;

std::optional<SpecError> ReadDuration(const json& document, const char* key, int64_t& out) {
  auto it = document.find(key);
  if (it == document.end() || it->is_null()) return std::nullopt;
  std::optional<int64_t> seconds;
  if (it->is_number_unsigned()) seconds = it->get<int64_t>();
  if (it->is_string()) seconds = ParseDuration(it->get<std::string>());
  if (!seconds) return Error(key, "must be a duration such as \"30s\", \"5m\" or \"4h\"");
  if (*seconds > kMaxGroupingSeconds) return Error(key, "must be at most 30d");
  out = *seconds;
  return std::nullopt;
}

int Rank(Severity severity) { return static_cast<int>(severity); }

}  // namespace

std::string_view ChannelTypeName(ChannelType type) {
  for (const auto& [name, candidate] : kTypes) {
    if (candidate == type) return name;
  }
  return "webhook";
}

std::variant<ChannelSpec, SpecError> ParseChannelSpec(const json& document) {
  if (!document.is_object()) return Error("", "must be an object");
  static const std::array<std::string_view, 18> kKnown = {"id",
                                                          "name",
                                                          "type",
                                                          "url",
                                                          "secret",
                                                          "routing_key",
                                                          "min_severity",
                                                          "models",
                                                          "labels",
                                                          "from",
                                                          "to",
                                                          "username",
                                                          "password",
                                                          "starttls",
                                                          "group_wait",
                                                          "group_interval",
                                                          "repeat_interval",
                                                          "created_at"};
  for (const auto& [key, value] : document.items()) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      return Error(key, "is not a known setting of a channel");
    }
  }
  ChannelSpec spec;
  std::string type;
  for (auto [key, out] :
       {std::pair{"name", &spec.name}, std::pair{"type", &type}, std::pair{"url", &spec.url},
        std::pair{"secret", &spec.secret}, std::pair{"routing_key", &spec.routing_key},
        std::pair{"from", &spec.from}, std::pair{"username", &spec.username},
        std::pair{"password", &spec.password}}) {
    if (auto error = ReadText(document, key, *out)) return *error;
  }
  if (spec.name.empty()) return Error("name", "is required");
  bool known = false;
  std::string names;
  for (const auto& [name, candidate] : kTypes) {
    if (name == type) {
      spec.type = candidate;
      known = true;
    }
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  if (!known) return Error("type", fmt::format("'{}' is not one of {}", type, names));
  if (spec.type == ChannelType::kPagerDuty) {
    if (spec.url.empty()) spec.url = kPagerDutyUrl;
    if (spec.routing_key.empty()) return Error("routing_key", "is required for PagerDuty");
  }
  if (spec.type == ChannelType::kEmail) {
    if (spec.url.rfind("smtp://", 0) != 0 && spec.url.rfind("smtps://", 0) != 0) {
      return Error("url", "must be an smtp:// or smtps:// address");
    }
    if (spec.from.find('@') == std::string::npos) return Error("from", "must be an e-mail address");
    auto to = document.find("to");
    if (to == document.end() || !to->is_array() || to->empty()) {
      return Error("to", "must be a non-empty list of e-mail addresses");
    }
    for (size_t i = 0; i < to->size(); ++i) {
      const json& address = (*to)[i];
      if (!address.is_string() || address.get<std::string>().find('@') == std::string::npos) {
        return Error(fmt::format("to[{}]", i), "must be an e-mail address");
      }
      spec.to.push_back(address.get<std::string>());
    }
    if (auto starttls = document.find("starttls"); starttls != document.end()) {
      if (!starttls->is_boolean()) return Error("starttls", "must be true or false");
      spec.require_starttls = starttls->get<bool>();
    }
  } else if (spec.url.rfind("http://", 0) != 0 && spec.url.rfind("https://", 0) != 0) {
    return Error("url", "must be an http:// or https:// address");
  }
  std::string severity;
  if (auto error = ReadText(document, "min_severity", severity)) return *error;
  if (!severity.empty()) {
    std::optional<Severity> parsed = ParseSeverity(severity);
    if (!parsed) return Error("min_severity", "must be info, warning or critical");
    spec.min_severity = *parsed;
  }
  if (auto it = document.find("models"); it != document.end() && !it->is_null()) {
    if (!it->is_array()) return Error("models", "must be a list of model names");
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) return Error(fmt::format("models[{}]", i), "must be a string");
      spec.models.push_back((*it)[i].get<std::string>());
    }
  }
  if (auto it = document.find("labels"); it != document.end() && !it->is_null()) {
    if (!it->is_object()) return Error("labels", "must be an object of strings");
    for (const auto& [key, value] : it->items()) {
      if (!value.is_string()) return Error("labels." + key, "must be a string");
      spec.labels[key] = value.get<std::string>();
    }
  }
  for (auto [key, out] : {std::pair{"group_wait", &spec.group_wait},
                          std::pair{"group_interval", &spec.group_interval},
                          std::pair{"repeat_interval", &spec.repeat_interval}}) {
    if (auto error = ReadDuration(document, key, *out)) return *error;
  }
  return spec;
}

json ChannelSpecJson(const ChannelSpec& spec, bool with_secrets) {
  auto secret = [&](const std::string& value) -> json {
    if (value.empty()) return nullptr;
    return with_secrets ? value : "********";
  };
  json out = {{"name", spec.name},
              {"type", ChannelTypeName(spec.type)},
              {"url", spec.url},
              {"secret", secret(spec.secret)},
              {"routing_key", secret(spec.routing_key)},
              {"min_severity", SeverityName(spec.min_severity)},
              {"models", spec.models},
              {"labels", spec.labels},
              {"group_wait", FormatDuration(spec.group_wait)},
              {"group_interval", FormatDuration(spec.group_interval)},
              {"repeat_interval", FormatDuration(spec.repeat_interval)}};
  if (spec.type == ChannelType::kEmail) {
    out["from"] = spec.from;
    out["to"] = spec.to;
    out["username"] = spec.username.empty() ? json() : json(spec.username);
    out["password"] = secret(spec.password);
    out["starttls"] = spec.require_starttls;
  }
  return out;
}

bool ChannelTakes(const ChannelSpec& spec, const json& notification) {
  std::optional<Severity> severity =
      ParseSeverity(notification.value("severity", std::string("warning")));
  if (!severity || Rank(*severity) < Rank(spec.min_severity)) return false;
  std::string model = notification.value("model", std::string());
  if (!spec.models.empty() &&
      std::find(spec.models.begin(), spec.models.end(), model) == spec.models.end()) {
    return false;
  }
  const json& labels = notification.contains("labels") ? notification["labels"] : json::object();
  for (const auto& [key, value] : spec.labels) {
    if (!labels.contains(key) || labels[key] != value) return false;
  }
  return true;
}

}  // namespace telltale
