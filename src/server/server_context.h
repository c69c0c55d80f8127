// ServerContext: what every HTTP handler reaches — the configuration, the stores, the live windows,
// the ingestor, the clock and the metrics. Owned by TelltaleServer; handlers only borrow it.
#ifndef TELLTALE_SERVER_SERVER_CONTEXT_H_
#define TELLTALE_SERVER_SERVER_CONTEXT_H_

#include <atomic>
#include <functional>

#include "common/clock.h"
#include "ingest/ingestor.h"
#include "ingest/live_windows.h"
#include "server/server_config.h"
#include "server/server_metrics.h"
#include "store/control_store.h"
#include "store/data_store.h"
#include "store/monitor_store.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace telltale {

class MonitorData;
class MonitorRunner;
class NotificationRouter;
class Notifier;

struct ServerContext {
  ServerConfig config;
  const Clock* clock = nullptr;
  ControlStore* control = nullptr;
  DataStore* data = nullptr;
  LiveWindows* windows = nullptr;
  Ingestor* ingestor = nullptr;
  ServerMetrics* metrics = nullptr;
  MonitorStore* monitors = nullptr;
  MonitorData* monitor_data = nullptr;
  MonitorRunner* monitor_runner = nullptr;
  Notifier* notifier = nullptr;
  // The project created at first start; its admin keys may create other projects.
  int64_t bootstrap_project_id = 0;
  std::atomic<bool> ready{false};
  // Closes the request's connection once its answer is written (for a body left unread); the
  // answer says `Connection: close`, so the client does not send its next request on it.
  std::function<void(const httplib::Request&, httplib::Response&)> close_after_response;
};

}  // namespace telltale

#endif  // TELLTALE_SERVER_SERVER_CONTEXT_H_
