#include <fstream>
#include <optional>
#include <sstream>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "common/parallel.h"
#include "io/table_reader.h"
#include "profile/profiler.h"
#include "report/profile_json.h"

namespace telltale::cli {

ProfileCommand::ProfileCommand(CLI::App& app) {
  command_ = app.add_subcommand(
      "profile", "Write a data file's profile (mergeable sketches per column), or show one");
  auto* input =
      command_->add_option("input", input_, "Data to profile (CSV or NDJSON, optionally .gz)");
  auto* show = command_->add_option("--show", show_, "Print a stored profile as JSON");
  input->excludes(show);
  command_->add_option("--output", output_, "Where to write the profile (binary)");
  command_->add_option("--schema", schema_, "Column types (JSON or YAML), overriding inference");
  command_->add_option("--delimiter", delimiter_, "CSV field delimiter")->capture_default_str();
  command_->add_option("--threads", threads_, "Worker threads (default: all cores)");
}

int ProfileCommand::Run() {
  if (!show_.empty()) {
    Result<DatasetProfile> profile = LoadProfileFile(show_);
    if (!profile.ok()) return Fail(profile.status());
    Status written = WriteOutput("", FormatProfileJson(*profile));
    return written.ok() ? kExitOk : Fail(written);
  }
  if (input_.empty())
    return Fail(Status::InvalidArgument("profile needs an input file or --show FILE"));
  if (output_.empty())
    return Fail(Status::InvalidArgument("profile needs --output FILE for the profile"));
  Result<Schema> loaded_schema = LoadSchemaOption(schema_);
  if (!loaded_schema.ok()) return Fail(loaded_schema.status());
  const Schema& schema = *loaded_schema;
  ReadOptions options;
  options.csv.delimiter = delimiter_;
  ReadProgress progress;
  options.progress = &progress;
  std::optional<ProgressBar> bar(std::in_place, progress,
                                 std::initializer_list<std::string>{input_});
  Result<Table> table = ReadTable(input_, options);
  bar.reset();
  if (!table.ok()) return Fail(table.status());
  DatasetProfile profile =
      ProfileTable(*table, schema, SketchOptions{}, threads_ ? threads_ : DefaultThreads());
  Status written = WriteOutput(output_, profile.Serialize());
  if (!written.ok()) return Fail(written);
  std::fprintf(stderr, "telltale: profiled %zu rows, %zu columns into %s\n", table->rows,
               table->columns.size(), output_.c_str());
  return kExitOk;
}

}  // namespace telltale::cli
