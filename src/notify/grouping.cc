#include "notify/grouping.h"

#include <fmt/format.h>

#include <map>

namespace telltale {

using nlohmann::json;

std::optional<std::string> GroupPrefix(const json& notification) {
  auto monitor = notification.find("monitor");
  auto status = notification.find("status");
  if (monitor == notification.end() || !monitor->is_object() || !monitor->contains("id") ||
      !(*monitor)["id"].is_number_integer() || status == notification.end() ||
      !status->is_string()) {
    return std::nullopt;
  }
  return fmt::format("monitor-{}-{}-", (*monitor)["id"].get<int64_t>(), status->get<std::string>());
}

json MergeNotifications(const std::vector<json>& notifications) {
  if (notifications.empty()) return json();
  json merged = notifications.front();
  if (notifications.size() == 1) return merged;
  std::vector<std::string> order;
  std::map<std::string, json> fields;  // by field name ("" for the model as a whole)
  bool every_one_a_reminder = true;
  for (const json& notification : notifications) {
    for (const json& field : notification.value("fields", json::array())) {
      std::string name = field.value("field", json()).is_string()
                             ? field["field"].get<std::string>()
                             : std::string();
      if (!fields.count(name)) order.push_back(name);
      fields[name] = field;
    }
    every_one_a_reminder = every_one_a_reminder && notification.value("repeat", false);
    const json& window = notification["window"];
    if (window.is_object()) {
      // RFC 3339 times in UTC compare as text.
      if (window.value("from", "") < merged["window"].value("from", "")) {
        merged["window"]["from"] = window["from"];
      }
      if (window.value("to", "") > merged["window"].value("to", "")) {
        merged["window"]["to"] = window["to"];
      }
    }
  }
  merged["fields"] = json::array();
  for (const std::string& name : order) merged["fields"].push_back(fields[name]);
  merged["id"] =
      fmt::format("{}+{}", notifications.front().value("id", ""), notifications.size() - 1);
  if (every_one_a_reminder) {
    merged["repeat"] = true;
  } else {
    merged.erase("repeat");
  }
  const json& monitor = merged["monitor"];
  merged["summary"] = fmt::format("{} {}: {} on {} ({} field{}, {} notifications)",
                                  monitor.value("name", ""), merged.value("status", ""),
                                  monitor.value("metric", ""), merged.value("model", ""),
                                  order.size(), order.size() == 1 ? "" : "s", notifications.size());
  return merged;
}

}  // namespace telltale
