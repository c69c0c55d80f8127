// ServerConfig: every setting of `telltale serve`. Each can be given in a YAML file (--config),
// as a TELLTALE_* environment variable, or as a command-line flag; later sources win:
// defaults < file < environment < flags. docs/server.md lists them all.
//
//   key (file)            environment                 flag
//   port                  TELLTALE_PORT               --port
//   max_body_bytes        TELLTALE_MAX_BODY_BYTES     --max-body-bytes
#ifndef TELLTALE_SERVER_SERVER_CONFIG_H_
#define TELLTALE_SERVER_SERVER_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "telltale/result.h"

#ifndef TELLTALE_DEFAULT_UI_DIR
#define TELLTALE_DEFAULT_UI_DIR "web/dist"
#endif

namespace telltale {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string data_dir = "./telltale-data";
  // HTTP worker threads. Each open connection holds one, idle or not, so there are many, and an
  // idle keep-alive connection is closed after `keep_alive_seconds` to free its thread.
  int threads = 64;
  int64_t keep_alive_seconds = 5;
  uint64_t max_body_bytes = 32ull << 20;
  uint64_t max_rows = 100000;
  uint64_t max_values = 4'000'000;
  uint64_t max_depth = 32;
  uint64_t max_string_bytes = 64 << 10;
  int64_t max_lateness_seconds = 7 * 86400;
  int64_t max_future_seconds = 3600;
  // Actuals are joined up to this long after their prediction; one that comes before its
  // prediction waits this long for it.
  int64_t actuals_retention_seconds = 90 * 86400;
  int64_t pending_actuals_seconds = 7 * 86400;
  int64_t checkpoint_interval_seconds = 5;
  // Ingestion answers 507 while the data directory's file system has less free space than this.
  uint64_t min_free_bytes = 256ull << 20;
  // Memory for the store's recently read window blocks, kept uncompressed: repeated queries over
  // the same range (a dashboard opened again, its charts' parallel requests) skip disk and
  // decompression.
  uint64_t cache_bytes = 256ull << 20;
  // Production windows this many hours behind the newest one stay in memory after a checkpoint.
  int64_t open_hours = 3;
  // TELLTALE_ADMIN_TOKEN: the bootstrap admin key, instead of a generated one.
  std::string admin_token;
  // Monitors: how often due windows are looked for, and how long after a window closes it is
  // evaluated (so late rows are in).
  int64_t monitor_interval_seconds = 30;
  int64_t evaluation_delay_seconds = 300;
  // Notifications: the address links in alerts point to, delivery attempts before giving up, and
  // the private networks (CIDRs, comma-separated) receivers may be in; others in private,
  // loopback, link-local and cloud-metadata ranges are refused.
  std::string public_url;
  int notify_max_attempts = 12;
  std::string notify_allow_networks;
  // The built web UI (index.html and assets/), served at /. The default is the checkout's web/dist.
  std::string ui_dir = TELLTALE_DEFAULT_UI_DIR;
};

// One setting: its key in the file, and how its text is parsed.
struct ConfigOption {
  std::string key;          // e.g. "max_body_bytes"
  std::string description;  // for --help and docs
};
const std::vector<ConfigOption>& ServerConfigOptions();

// Sets `key` from text ("32MiB", "7d" and such are accepted where they fit). InvalidArgument names
// the key and `source` (a file and line, an environment variable, a flag).
Status SetConfigValue(ServerConfig& config, std::string_view key, std::string_view value,
                      std::string_view source);
// Applies a YAML file.
Status ApplyConfigFile(ServerConfig& config, const std::string& path);
// Applies TELLTALE_<KEY> variables from `environment` (name -> value).
Status ApplyEnvironment(ServerConfig& config,
                        const std::map<std::string, std::string>& environment);

}  // namespace telltale

#endif  // TELLTALE_SERVER_SERVER_CONFIG_H_
