// TelltaleServer: `telltale serve` — opens the store under the data directory (creating a project
// and an admin key on first start), replays the log a previous run left, serves the REST API, and
// checkpoints window profiles in the background. Stop() finishes requests in flight, writes a last
// checkpoint and closes the store.
#ifndef TELLTALE_SERVER_TELLTALE_SERVER_H_
#define TELLTALE_SERVER_TELLTALE_SERVER_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/server_context.h"

namespace telltale {

class GracefulHttpServer;

class TelltaleServer {
 public:
  // `announce` receives the lines a person should see (the listening address, a new admin key).
  static Result<std::unique_ptr<TelltaleServer>> Open(
      const ServerConfig& config, const Clock& clock,
      std::function<void(const std::string&)> announce);
  ~TelltaleServer();

  // Binds and serves until Stop(); returns an error when the address cannot be bound.
  Status Run();
  // Safe from any thread, once or more.
  void Stop();
  int port() const { return port_; }
  // Called once, on the thread of Run(), as soon as the port is bound (before serving).
  void OnListening(std::function<void(int port)> callback) { on_listening_ = std::move(callback); }

 private:
  TelltaleServer() = default;
  Status Bootstrap();
  Status LoadVersions();
  void CheckpointLoop();
  Status OpenMonitoring();
  void MonitorLoop();
  Status CheckpointNow();
  void ConfigureHttp();
  // Joins the checkpointer and writes the last checkpoint.
  void Shutdown();

  ServerContext context_;
  std::function<void(const std::string&)> announce_;
  std::unique_ptr<ControlStore> control_;
  std::unique_ptr<DataStore> data_;
  std::unique_ptr<LiveWindows> windows_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<ServerMetrics> metrics_;
  std::unique_ptr<MonitorStore> monitor_store_;
  std::unique_ptr<MonitorData> monitor_data_;
  std::unique_ptr<NotificationRouter> router_;
  std::unique_ptr<MonitorRunner> runner_;
  std::unique_ptr<Notifier> notifier_;
  std::unique_ptr<GracefulHttpServer> http_;
  int port_ = 0;
  std::function<void(int port)> on_listening_;

  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  bool opened_ = false;  // Open went through: threads run, windows are recovered
  bool shut_down_ = false;
  std::thread checkpointer_;
  std::thread monitor_thread_;
};

}  // namespace telltale

#endif  // TELLTALE_SERVER_TELLTALE_SERVER_H_
