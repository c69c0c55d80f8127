#include "server/server_config.h"

#include "common/duration.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <utility>
#include <variant>

namespace telltale {
namespace {

enum class Kind { kText, kInteger, kBytes, kSeconds };

// The member a setting fills; numbers are range-checked against its type.
using Member = std::variant<std::string ServerConfig::*, int ServerConfig::*,
                            uint64_t ServerConfig::*, int64_t ServerConfig::*>;

struct OptionSpec {
  ConfigOption option;
  Kind kind;
  Member member;
};

const std::vector<OptionSpec>& Specs() {
  static const std::vector<OptionSpec> specs = {
      {{"host", "address to listen on"}, Kind::kText, &ServerConfig::host},
      {{"port", "port to listen on (0 picks a free one)"}, Kind::kInteger, &ServerConfig::port},
      {{"data_dir", "directory of the embedded store"}, Kind::kText, &ServerConfig::data_dir},
      {{"threads", "HTTP worker threads (each open connection holds one)"},
       Kind::kInteger,
       &ServerConfig::threads},
      {{"keep_alive", "how long an idle keep-alive connection is kept open"},
       Kind::kSeconds,
       &ServerConfig::keep_alive_seconds},
      {{"max_body_bytes", "largest request body, after decompression (413 above)"},
       Kind::kBytes,
       &ServerConfig::max_body_bytes},
      {{"max_rows", "most rows in one ingest request (413 above)"},
       Kind::kInteger,
       &ServerConfig::max_rows},
      {{"max_values",
        "most values (rows x the version's fields) in one ingest request (413 above)"},
       Kind::kInteger,
       &ServerConfig::max_values},
      {{"max_depth", "deepest JSON nesting accepted"}, Kind::kInteger, &ServerConfig::max_depth},
      {{"max_string_bytes", "longest string value accepted"},
       Kind::kBytes,
       &ServerConfig::max_string_bytes},
      {{"max_lateness", "oldest event time accepted, behind now (e.g. 7d)"},
       Kind::kSeconds,
       &ServerConfig::max_lateness_seconds},
      {{"max_future", "furthest event time accepted, ahead of now (e.g. 1h)"},
       Kind::kSeconds,
       &ServerConfig::max_future_seconds},
      {{"actuals_retention", "how long after a prediction its actual is still joined"},
       Kind::kSeconds,
       &ServerConfig::actuals_retention_seconds},
      {{"pending_actuals", "how long an actual that came before its prediction waits for it"},
       Kind::kSeconds,
       &ServerConfig::pending_actuals_seconds},
      {{"checkpoint_interval",
        "how often window profiles are written to the store (sooner under heavy load)"},
       Kind::kSeconds,
       &ServerConfig::checkpoint_interval_seconds},
      {{"min_free_bytes", "free disk space kept in reserve; ingestion answers 507 below it"},
       Kind::kBytes,
       &ServerConfig::min_free_bytes},
      {{"cache_bytes", "memory for recently read stored windows (uncompressed)"},
       Kind::kBytes,
       &ServerConfig::cache_bytes},
      {{"open_hours", "hours of recent windows kept in memory"},
       Kind::kInteger,
       &ServerConfig::open_hours},
      {{"admin_token", "bootstrap admin key (instead of a generated one)"},
       Kind::kText,
       &ServerConfig::admin_token},
      {{"monitor_interval", "how often monitors look for windows to evaluate"},
       Kind::kSeconds,
       &ServerConfig::monitor_interval_seconds},
      {{"evaluation_delay", "how long after a window closes monitors evaluate it"},
       Kind::kSeconds,
       &ServerConfig::evaluation_delay_seconds},
      {{"public_url", "the address of the UI, for links in notifications"},
       Kind::kText,
       &ServerConfig::public_url},
      {{"notify_max_attempts", "delivery attempts of a notification before it is given up"},
       Kind::kInteger,
       &ServerConfig::notify_max_attempts},
      {{"notify_allow_networks",
        "private networks (CIDRs, comma-separated) notification receivers may be in"},
       Kind::kText,
       &ServerConfig::notify_allow_networks},
      {{"ui_dir", "directory of the built web UI, served at /"},
       Kind::kText,
       &ServerConfig::ui_dir},
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
  if (kind == Kind::kSeconds) return ParseDuration(text);
  if (kind == Kind::kInteger) return unit.empty() ? std::optional<int64_t>(number) : std::nullopt;
  auto found = kBytes.find(unit);
  if (found == kBytes.end()) return std::nullopt;
  if (number > std::numeric_limits<int64_t>::max() / found->second) return std::nullopt;
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
      config.*std::get<std::string ServerConfig::*>(spec.member) = std::string(value);
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
    bool fits = std::visit(
        [&](auto member) {
          using Value = std::remove_reference_t<decltype(config.*member)>;
          if constexpr (std::is_arithmetic_v<Value>) {
            if (!std::in_range<Value>(*number)) return false;
            config.*member = static_cast<Value>(*number);
          }
          return true;
        },
        spec.member);
    if (!fits) {
      return Status::InvalidArgument(std::string(source) + ": " + std::string(key) + " = '" +
                                     std::string(value) + "' is out of range");
    }
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
