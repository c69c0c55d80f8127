// The subcommands of the telltale binary. Each registers its options on construction and runs
// after parsing; the only code tests do not link (they run the binary instead).
#ifndef TELLTALE_CLI_COMMANDS_H_
#define TELLTALE_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "check/run_check.h"
#include "io/table_reader.h"
#include "profile/dataset_profile.h"

namespace telltale::cli {

constexpr int kExitOk = 0;
constexpr int kExitCheckFailed = 1;
constexpr int kExitUsage = 2;

class CheckCommand {
 public:
  explicit CheckCommand(CLI::App& app);
  CLI::App* command() const { return command_; }
  int Run();

 private:
  // Reads --reference or loads --reference-profile into `inputs`, keeping the data in `table` or
  // `profile`.
  Status LoadReference(const ReadOptions& options, Table& table, DatasetProfile& profile,
                       CheckInputs& inputs) const;

  CLI::App* command_;
  std::string reference_;
  std::string reference_profile_;
  std::string current_;
  std::string format_ = "text";
  std::string output_;
  std::string schema_;
  std::vector<std::string> stattests_;
  std::vector<std::string> thresholds_;
  std::vector<std::string> columns_;
  std::vector<std::string> ignore_;
  char delimiter_ = ',';
  unsigned threads_ = 0;
  // Options bound directly (drift share, sketch, integrity thresholds) keep their defaults here.
  CheckOptions options_;
};

class ProfileCommand {
 public:
  explicit ProfileCommand(CLI::App& app);
  int Run();

 private:
  CLI::App* command_;
  std::string input_;
  std::string output_;
  std::string show_;
  std::string schema_;
  char delimiter_ = ',';
  unsigned threads_ = 0;
};

class ServeCommand {
 public:
  // `telltale serve`, or with `demo` `telltale demo` (the server with the demo model loaded).
  ServeCommand(CLI::App& app, bool demo);
  CLI::App* command() const { return command_; }
  int Run();

 private:
  CLI::App* command_;
  std::string config_file_;
  bool demo_ = false;
  // Flags as given, by setting key (host, port, data_dir, ...).
  std::map<std::string, std::string> flags_;
};

class ApplyCommand {
 public:
  explicit ApplyCommand(CLI::App& app);
  CLI::App* command() const { return command_; }
  int Run();

 private:
  CLI::App* command_;
  std::string file_;
  std::string url_;
  std::string token_;
  bool dry_run_ = false;
};

}  // namespace telltale::cli

#endif  // TELLTALE_CLI_COMMANDS_H_
