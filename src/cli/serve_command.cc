// telltale serve: runs the server until SIGTERM or SIGINT, then stops cleanly (exit 0).
#include <signal.h>
#include <unistd.h>  // environ

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

#include "cli/commands.h"
#include "cli/demo_loader.h"
#include "server/server_config.h"
#include "server/telltale_server.h"

namespace telltale::cli {
namespace {

std::string FlagName(const std::string& key) {
  std::string flag = "--";
  for (char c : key) flag += c == '_' ? '-' : c;
  return flag;
}

std::map<std::string, std::string> Environment() {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    size_t equals = text.find('=');
    if (equals != std::string::npos && text.rfind("TELLTALE_", 0) == 0) {
      variables[text.substr(0, equals)] = text.substr(equals + 1);
    }
  }
  return variables;
}

void Announce(const std::string& line) {
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

// Where the demo loader reaches the server: itself, on loopback when it listens everywhere.
DemoTarget DemoTargetOf(const ServerConfig& config, int port, int64_t now) {
  DemoTarget target;
  target.host = config.host == "0.0.0.0" || config.host.empty() ? "127.0.0.1" : config.host;
  target.port = port;
  target.now = now;
  target.token = config.admin_token;
  if (target.token.empty()) {
    std::ifstream key(config.data_dir + "/admin.key");
    std::getline(key, target.token);
  }
  return target;
}

}  // namespace

ServeCommand::ServeCommand(CLI::App& app, bool demo) : demo_(demo) {
  const char* settings =
      "Every setting can also be given in the --config YAML file or as a TELLTALE_* environment\n"
      "variable (flags win over the environment, which wins over the file); see docs/server.md.";
  if (demo) {
    command_ = app.add_subcommand(
        "demo", std::string("Run the server with a demo model loaded: four weeks of a churn "
                            "model's traffic with a drift incident, delayed labels and monitors.\n"
                            "Nothing is loaded when the data directory already holds a model.\n") +
                    settings);
  } else {
    command_ = app.add_subcommand(
        "serve",
        std::string("Run the telltale server: REST API, web UI, ingestion and queries on an "
                    "embedded store.\n") +
            settings);
    command_->add_flag("--demo", demo_,
                       "load the demo model (as `telltale demo`) when the data directory holds "
                       "no model");
  }
  command_->add_option("--config", config_file_, "YAML file of settings");
  for (const ConfigOption& option : ServerConfigOptions()) {
    if (option.key == "admin_token") continue;  // environment or file only: keep it out of ps
    std::string key = option.key;
    command_->add_option_function<std::string>(
        FlagName(key), [this, key](const std::string& value) { flags_[key] = value; },
        option.description);
  }
}

int ServeCommand::Run() {
  ServerConfig config;
  auto fail = [](const Status& status) {
    std::fprintf(stderr, "telltale serve: %s\n", status.message().c_str());
    return kExitUsage;
  };
  if (!config_file_.empty()) {
    Status applied = ApplyConfigFile(config, config_file_);
    if (!applied.ok()) return fail(applied);
  }
  Status applied = ApplyEnvironment(config, Environment());
  if (!applied.ok()) return fail(applied);
  for (const auto& [key, value] : flags_) {
    applied = SetConfigValue(config, key, value, FlagName(key));
    if (!applied.ok()) return fail(applied);
  }

  // Signals are taken by one thread (below); every other thread inherits the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // The demo's first rows are four weeks old.
  if (demo_) {
    config.max_lateness_seconds =
        std::max(config.max_lateness_seconds, kDemoHistorySeconds + 86400);
  }

  SystemClock clock;
  Result<std::unique_ptr<TelltaleServer>> server = TelltaleServer::Open(config, clock, Announce);
  if (!server.ok()) return fail(server.status());
  std::thread demo_loader;
  if (demo_) {
    (*server)->OnListening([&](int port) {
      demo_loader = std::thread([target = DemoTargetOf(config, port, clock.Now())] {
        Status loaded = LoadDemo(target, Announce);
        if (!loaded.ok()) Announce("demo: not loaded: " + loaded.message());
      });
    });
  }

  std::atomic<bool> done{false};
  std::thread signal_waiter([&] {
    timespec poll{0, 200 * 1000 * 1000};
    while (!done) {
      int signal = sigtimedwait(&signals, nullptr, &poll);
      if (signal == SIGTERM || signal == SIGINT) {
        Announce("telltale: stopping (finishing requests, writing a checkpoint)");
        (*server)->Stop();
        return;
      }
    }
  });
  Status ran = (*server)->Run();
  done = true;
  signal_waiter.join();
  if (demo_loader.joinable()) demo_loader.join();
  server->reset();  // closes the store
  if (!ran.ok()) return fail(ran);
  Announce("telltale: stopped");
  return kExitOk;
}

}  // namespace telltale::cli
