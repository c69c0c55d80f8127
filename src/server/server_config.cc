#include "server/server_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <functional>
#include <optional>

namespace telltale {
namespace {

enum class Kind { kText, kInteger, kBytes, kSeconds };

struct OptionSpec {
  ConfigOption option;
  Kind kind;
  std::function<void(ServerConfig&, const std::string&, int64_t)> set;
};

const std::vector<OptionSpec>& Specs() {
  static const std::vector<OptionSpec> specs = {
      {{"host", "address to listen on"},
       Kind::kText,
       [](ServerConfig& c, const std::string& text, int64_t) { c.host = text; }},
      {{"port", "port to listen on (0 picks a free one)"},
       Kind::kInteger,
       [](ServerConfig& c, const std::string&, int64_t n) { c.port = static_cast<int>(n); }},
      {{"data_dir", "directory of the embedded store"},
       Kind::kText,
       [](ServerConfig& c, const std::string& text, int64_t) { c.data_dir = text; }},
      {{"threads", "HTTP worker threads"},
       Kind::kInteger,
       [](ServerConfig& c, const std::string&, int64_t n) { c.threads = static_cast<int>(n); }},
      {{"max_body_bytes", "largest request body, after decompression (413 above)"},
       Kind::kBytes,
       [](ServerConfig& c, const std::string&, int64_t n) { c.max_body_bytes = n; }},
      {{"max_rows", "most rows in one ingest request (413 above)"},
       Kind::kInteger,
       [](ServerConfig& c, const std::string&, int64_t n) { c.max_rows = n; }},
      {{"max_depth", "deepest JSON nesting accepted"},
       Kind::kInteger,
       [](ServerConfig& c, const std::string&, int64_t n) { c.max_depth = n; }},
      {{"max_string_bytes", "longest string value accepted"},
       Kind::kBytes,
       [](ServerConfig& c, const std::string&, int64_t n) { c.max_string_bytes = n; }},
      {{"max_lateness", "oldest event time accepted, behind now (e.g. 7d)"},
       Kind::kSeconds,
       [](ServerConfig& c, const std::string&, int64_t n) { c.max_lateness_seconds = n; }},
      {{"max_future", "furthest event time accepted, ahead of now (e.g. 1h)"},
       Kind::kSeconds,
       [](ServerConfig& c, const std::string&, int64_t n) { c.max_future_seconds = n; }},
      {{"checkpoint_interval", "how often window profiles are written to the store"},
       Kind::kSeconds,
       [](ServerConfig& c, const std::string&, int64_t n) { c.checkpoint_interval_seconds = n; }},
      {{"min_free_bytes", "free disk space kept in reserve; ingestion answers 507 below it"},
       Kind::kBytes,
       [](ServerConfig& c, const std::string&, int64_t n) { c.min_free_bytes = n; }},
      {{"open_hours", "hours of recent windows kept in memory"},
       Kind::kInteger,
       [](ServerConfig& c, const std::string&, int64_t n) { c.open_hours = n; }},
      {{"admin_token", "bootstrap admin key (instead of a generated one)"},
       Kind::kText,
       [](ServerConfig& c, const std::string& text, int64_t) { c.admin_token = text; }},
  };
  return specs;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// "123", "32MiB", "64 KiB", "1GB" -> bytes; "30", "30s", "15m", "2h", "7d" -> seconds.
std::optional<int64_t> ParseQuantity(std::string_view text, Kind kind) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  int64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || number < 0) return std::nullopt;
  std::string unit = Lower(std::string_view(end, text.data() + text.size() - end));
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  static const std::map<std::string, int64_t> kBytes = {
      {"", 1},         {"b", 1},         {"kb", 1000},       {"kib", 1024},
      {"mb", 1000000}, {"mib", 1 << 20}, {"gb", 1000000000}, {"gib", 1 << 30}};
  static const std::map<std::string, int64_t> kSeconds = {
      {"", 1}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}, {"w", 7 * 86400}};
  const auto& units = kind == Kind::kBytes ? kBytes : kSeconds;
  if (kind == Kind::kInteger) return unit.empty() ? std::optional<int64_t>(number) : std::nullopt;
  auto found = units.find(unit);
  if (found == units.end()) return std::nullopt;
  return number * found->second;
}

}  // namespace

const std::vector<ConfigOption>& ServerConfigOptions() {
  static const std::vector<ConfigOption> options = [] {
    std::vector<ConfigOption> list;
    for (const OptionSpec& spec : Specs()) list.push_back(spec.option);
    return list;
  }();
  return options;
}

Status SetConfigValue(ServerConfig& config, std::string_view key, std::string_view value,
                      std::string_view source) {
  for (const OptionSpec& spec : Specs()) {
    if (spec.option.key != key) continue;
    if (spec.kind == Kind::kText) {
      spec.set(config, std::string(value), 0);
      return Status::Ok();
    }
    std::optional<int64_t> number = ParseQuantity(value, spec.kind);
    const char* expected = spec.kind == Kind::kBytes     ? "a size such as 32MiB"
                           : spec.kind == Kind::kSeconds ? "a duration such as 30s, 15m, 2h or 7d"
                                                         : "a whole number";
    if (!number) {
      return Status::InvalidArgument(std::string(source) + ": " + std::string(key) + " = '" +
                                     std::string(value) + "' is not " + expected);
    }
    spec.set(config, "", *number);
    return Status::Ok();
  }
  std::string known;
  for (const OptionSpec& spec : Specs()) known += (known.empty() ? "" : ", ") + spec.option.key;
  return Status::InvalidArgument(std::string(source) + ": unknown setting '" + std::string(key) +
                                 "'; known: " + known);
}

Status ApplyConfigFile(ServerConfig& config, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return Status::NotFound("cannot read the config file " + path);
  } catch (const YAML::Exception& error) {
    return Status::InvalidArgument(path + ":" + std::to_string(error.mark.line + 1) + ": " +
                                   error.msg);
  }
  if (root.IsNull()) return Status::Ok();
  if (!root.IsMap()) return Status::InvalidArgument(path + ": expected a map of settings");
  for (const auto& entry : root) {
    std::string key = entry.first.as<std::string>();
    std::string source = path + ":" + std::to_string(entry.first.Mark().line + 1);
    if (!entry.second.IsScalar()) {
      return Status::InvalidArgument(fmt::format("{}: {} must be a single value", source, key));
    }
    TELLTALE_RETURN_IF_ERROR(SetConfigValue(config, key, entry.second.as<std::string>(), source));
  }
  return Status::Ok();
}

Status ApplyEnvironment(ServerConfig& config,
                        const std::map<std::string, std::string>& environment) {
  for (const OptionSpec& spec : Specs()) {
    std::string name = "TELLTALE_";
    for (char c : spec.option.key)
      name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto found = environment.find(name);
    if (found == environment.end()) continue;
    TELLTALE_RETURN_IF_ERROR(SetConfigValue(config, spec.option.key, found->second, name));
  }
  return Status::Ok();
}

}  // namespace telltale
