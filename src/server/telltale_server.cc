#include "server/telltale_server.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "monitor/monitor_runner.h"
#include "notify/channel_router.h"
#include "notify/notifier.h"
#include "query/time_buckets.h"
#include "server/api_keys.h"
#include "server/graceful_http_server.h"
#include "server/routes.h"
#include "server/window_monitor_data.h"

namespace telltale {
namespace {

thread_local std::chrono::steady_clock::time_point request_start;

// Writes the bootstrap admin key where only the server's user can read it.
Status WriteKeyFile(const std::string& path, const std::string& secret) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  std::string line = secret + "\n";
  bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<TelltaleServer>> TelltaleServer::Open(
    const ServerConfig& config, const Clock& clock,
    std::function<void(const std::string&)> announce) {
  std::unique_ptr<TelltaleServer> server(new TelltaleServer());
  server->announce_ = std::move(announce);
  ServerContext& context = server->context_;
  context.config = config;
  context.clock = &clock;
  std::error_code error;
  std::filesystem::create_directories(config.data_dir, error);
  if (error) {
    return Status::IoError("cannot create the data directory " + config.data_dir + ": " +
                           error.message());
  }
  TELLTALE_ASSIGN_OR_RETURN(server->control_,
                            ControlStore::Open(config.data_dir + "/control.sqlite3"));
  DataStoreOptions store_options;
  store_options.min_free_bytes = config.min_free_bytes;
  store_options.cache_bytes = config.cache_bytes;
  store_options.ids_retention_seconds = config.actuals_retention_seconds;
  store_options.pending_retention_seconds = config.pending_actuals_seconds;
  store_options.clock = &clock;
  TELLTALE_ASSIGN_OR_RETURN(server->data_,
                            DataStore::Open(config.data_dir + "/data", store_options));
  server->windows_ = std::make_unique<LiveWindows>(*server->data_);
  IngestLimits limits;
  limits.decode.max_rows = config.max_rows;
  limits.decode.max_values = config.max_values;
  limits.decode.max_depth = config.max_depth;
  limits.decode.max_string_bytes = config.max_string_bytes;
  limits.max_lateness_seconds = config.max_lateness_seconds;
  limits.max_future_seconds = config.max_future_seconds;
  limits.actuals_retention_seconds = config.actuals_retention_seconds;
  limits.pending_retention_seconds = config.pending_actuals_seconds;
  server->ingestor_ = std::make_unique<Ingestor>(*server->data_, *server->windows_, clock, limits);
  server->metrics_ = std::make_unique<ServerMetrics>();
  context.control = server->control_.get();
  context.data = server->data_.get();
  context.windows = server->windows_.get();
  context.ingestor = server->ingestor_.get();
  context.metrics = server->metrics_.get();

  TELLTALE_RETURN_IF_ERROR(server->Bootstrap());
  // Data of deleted models and versions may remain (a crash before it was deleted): their ids are
  // not given out again.
  auto [version_id, model_id] = server->data_->HighestIdsWithData();
  TELLTALE_RETURN_IF_ERROR(server->control_->KeepIdsAbove(model_id, version_id));
  TELLTALE_RETURN_IF_ERROR(server->LoadVersions());
  TELLTALE_RETURN_IF_ERROR(server->ingestor_->Recover().WithContext("replaying the log"));
  TELLTALE_RETURN_IF_ERROR(server->CheckpointNow());
  TELLTALE_RETURN_IF_ERROR(server->OpenMonitoring());
  context.ready = true;
  server->ConfigureHttp();
  // Named, for `top -H` and profilers (15 characters at most).
  server->checkpointer_ = std::thread([raw = server.get()] {
    pthread_setname_np(pthread_self(), "tt:checkpoint");
    raw->CheckpointLoop();
  });
  server->monitor_thread_ = std::thread([raw = server.get()] {
    pthread_setname_np(pthread_self(), "tt:monitors");
    raw->MonitorLoop();
  });
  server->notifier_->Start();
  server->opened_ = true;
  return server;
}

TelltaleServer::~TelltaleServer() {
  Stop();
  Shutdown();
}

Status TelltaleServer::Bootstrap() {
  TELLTALE_ASSIGN_OR_RETURN(int64_t keys, control_->CountKeys());
  Result<Project> project = control_->FindProject("default");
  if (project.ok()) {
    context_.bootstrap_project_id = project->id;
    if (keys > 0) return Status::Ok();
  } else {
    TELLTALE_ASSIGN_OR_RETURN(project, control_->CreateProject("default", context_.clock->Now()));
    context_.bootstrap_project_id = project->id;
  }
  const bool given = !context_.config.admin_token.empty();
  std::string secret = given ? context_.config.admin_token : GenerateKeySecret();
  TELLTALE_RETURN_IF_ERROR(control_
                               ->CreateKey(project->id, "admin", Role::kAdmin,
                                           HashKeySecret(secret), KeyPrefix(secret),
                                           context_.clock->Now())
                               .status());
  std::string path = context_.config.data_dir + "/admin.key";
  TELLTALE_RETURN_IF_ERROR(WriteKeyFile(path, secret));
  if (!given) {
    announce_(fmt::format("created the admin key (shown once; also in {}): {}", path, secret));
  }
  return Status::Ok();
}

Status TelltaleServer::LoadVersions() {
  TELLTALE_ASSIGN_OR_RETURN(std::vector<VersionRecord> versions, control_->AllVersions());
  for (const VersionRecord& version : versions) {
    nlohmann::json schema = nlohmann::json::parse(version.schema_json, nullptr, false);
    nlohmann::json segments = nlohmann::json::parse(version.segments_json, nullptr, false);
    Result<VersionSchema> parsed = VersionSchema::FromJson(schema, segments);
    if (!parsed.ok()) {
      return parsed.status().WithContext("stored schema of version " + version.version);
    }
    TELLTALE_ASSIGN_OR_RETURN(ModelRecord model, control_->GetModelById(version.model_id));
    PerformanceSpec spec(ParseTask(model.task).value_or(Task::kBinaryClassification), *parsed);
    windows_->AddVersion(version.id, std::make_shared<const VersionSchema>(std::move(*parsed)),
                         model.id, std::move(spec));
    TELLTALE_ASSIGN_OR_RETURN(const date::time_zone* zone, FindTimeZone(model.timezone));
    TELLTALE_RETURN_IF_ERROR(windows_->SetDayZone(version.id, zone)
                                 .WithContext("keeping the day rollups of version " +
                                              version.version + " in " + model.timezone));
  }
  return Status::Ok();
}

Status TelltaleServer::CheckpointNow() {
  int64_t evict_before = HourOf(context_.clock->Now()) - context_.config.open_hours;
  return windows_->Checkpoint(evict_before);
}

void TelltaleServer::CheckpointLoop() {
  // Every interval, and sooner when the store asks for one (under heavy load, a few a second).
  constexpr auto kPoll = std::chrono::milliseconds(100);
  std::unique_lock lock(stop_mutex_);
  const auto interval =
      std::chrono::seconds(std::max<int64_t>(1, context_.config.checkpoint_interval_seconds));
  auto last = std::chrono::steady_clock::now();
  while (!stopping_) {
    stop_signal_.wait_for(lock, kPoll);
    if (stopping_) break;
    auto now = std::chrono::steady_clock::now();
    if (now - last < interval && !context_.data->WantsCheckpoint()) continue;
    last = now;
    lock.unlock();
    Status status = CheckpointNow();
    if (!status.ok()) announce_("checkpoint failed (will retry): " + status.message());
    lock.lock();
  }
}

Status TelltaleServer::OpenMonitoring() {
  const ServerConfig& config = context_.config;
  TELLTALE_ASSIGN_OR_RETURN(monitor_store_,
                            MonitorStore::Open(config.data_dir + "/control.sqlite3"));
  Result<std::vector<Network>> allowed = ParseNetworks(config.notify_allow_networks);
  if (!allowed.ok()) return allowed.status().WithContext("notify_allow_networks");
  monitor_data_ = std::make_unique<WindowMonitorData>(*control_, *windows_);
  router_ = std::make_unique<ChannelRouter>(*monitor_store_);
  RunnerOptions options;
  options.evaluation_delay = config.evaluation_delay_seconds;
  options.ui_url = config.public_url;
  runner_ = std::make_unique<MonitorRunner>(*monitor_store_, *monitor_data_, *router_,
                                            *context_.clock, options);
  NotifierOptions delivery;
  delivery.max_attempts = std::max(1, config.notify_max_attempts);
  notifier_ = std::make_unique<Notifier>(*monitor_store_, *context_.clock,
                                         AddressGuard(std::move(*allowed)), delivery, announce_);
  context_.monitors = monitor_store_.get();
  context_.monitor_data = monitor_data_.get();
  context_.monitor_runner = runner_.get();
  context_.notifier = notifier_.get();
  return Status::Ok();
}

void TelltaleServer::MonitorLoop() {
  std::unique_lock lock(stop_mutex_);
  const auto interval =
      std::chrono::seconds(std::max<int64_t>(1, context_.config.monitor_interval_seconds));
  std::string last_error;
  while (!stopping_) {
    stop_signal_.wait_for(lock, interval);
    if (stopping_) break;
    lock.unlock();
    Status status = runner_->RunDue();
    // The same failure (a monitor of a deleted model, say) is reported once, not every interval.
    if (!status.ok() && status.message() != last_error) announce_(status.message());
    last_error = status.ok() ? "" : status.message();
    notifier_->Wake();
    lock.lock();
  }
}

void TelltaleServer::ConfigureHttp() {
  http_ = std::make_unique<GracefulHttpServer>();
  context_.close_after_response = [this](const httplib::Request& request,
                                         httplib::Response& response) {
    http_->CloseAfterResponse(request, response);
  };
  const int threads = std::max(1, context_.config.threads);
  http_->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  http_->set_payload_max_length(context_.config.max_body_bytes);
  // Responses go out in more than one write; without TCP_NODELAY the last one can wait for the
  // client's delayed acknowledgement (tens of milliseconds).
  http_->set_tcp_nodelay(true);
  http_->set_keep_alive_max_count(100000);
  // An idle connection holds a worker thread: closing it soon keeps threads for other clients.
  http_->set_keep_alive_timeout(
      static_cast<time_t>(std::max<int64_t>(1, context_.config.keep_alive_seconds)));
  http_->set_read_timeout(30);
  http_->set_pre_routing_handler([this](const httplib::Request& request, httplib::Response&) {
    request_start = std::chrono::steady_clock::now();
    // The request is the library's own non-const object, handed to this hook as const.
    OfferGzipOnly(const_cast<httplib::Request&>(request));
    CountRequestAs(request.path.rfind("/api/v1/", 0) == 0 ? RouteGroup::kRegistry
                                                          : RouteGroup::kOther);
    http_->RequestStarted(request);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_->set_logger([this](const httplib::Request& request, const httplib::Response& response) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - request_start).count();
    metrics_->ObserveRequest(CountedRouteGroup(), response.status, seconds);
    http_->RequestFinished(request);
  });
  http_->set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string detail = response.status == 404
                                 ? "no route for " + request.method + " " + request.path
                             : response.status == 413 ? "the body is larger than the limit"
                                                      : "the request could not be read";
        SendProblem(response, response.status, detail);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http_->set_exception_handler(
      [this](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(std::move(error));
        } catch (const std::exception& exception) {
          what = exception.what();
        } catch (...) {
        }
        announce_("internal error: " + what);
        SendProblem(response, 500, "internal error: " + what);
      });
  RegisterHealthRoutes(*http_, context_);
  RegisterKeyRoutes(*http_, context_);
  RegisterModelRoutes(*http_, context_);
  RegisterIngestRoutes(*http_, context_);
  RegisterQueryRoutes(*http_, context_);
  RegisterMonitorRoutes(*http_, context_);
  RegisterChannelRoutes(*http_, context_);
  RegisterSilenceRoutes(*http_, context_);
  RegisterUiRoutes(*http_, context_);
}

Status TelltaleServer::Run() {
  const std::string& host = context_.config.host;
  port_ = http_->Bind(host, context_.config.port);
  if (port_ <= 0) {
    return Status::Unavailable(
        fmt::format("cannot listen on {}:{} (in use, or not an address "
                    "of this machine)",
                    host, context_.config.port));
  }
  http_->set_port(port_);
  announce_(fmt::format("telltale listening on http://{}:{} (data: {})", host, port_,
                        context_.config.data_dir));
  announce_(fmt::format("web UI: http://{}:{}/ (sign in with an API key)", host, port_));
  if (on_listening_) on_listening_(port_);
  {
    std::lock_guard lock(stop_mutex_);
    if (stopping_) return Status::Ok();
  }
  http_->listen_after_bind();  // returns once stopped, after the requests in flight finished
  Shutdown();
  return Status::Ok();
}

void TelltaleServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  // A server that failed to open has no threads, and a half-recovered state is not for a
  // checkpoint to write: the log still holds every record.
  if (!opened_) return;
  if (checkpointer_.joinable()) checkpointer_.join();
  if (monitor_thread_.joinable()) monitor_thread_.join();
  if (notifier_) notifier_->Stop();
  Status status = CheckpointNow();
  if (!status.ok())
    announce_("final checkpoint failed; the log keeps the rows: " + status.message());
}

void TelltaleServer::Stop() {
  {
    std::lock_guard lock(stop_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (http_) http_->Shutdown();  // Run() returns when the requests in flight finished
}

}  // namespace telltale
