#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "check/run_check.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "common/parallel.h"
#include "io/table_reader.h"
#include "report/html_report.h"
#include "report/json_report.h"
#include "report/text_report.h"

namespace telltale::cli {
namespace {

Result<double> ParseDouble(const std::string& text, const std::string& option) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(option + " expects a number, got '" + text + "'");
  }
  return value;
}

// "NAME" applies to every column, "COLUMN=NAME" to one.
template <typename Value, typename Parse>
Status ParseScoped(const std::vector<std::string>& values, std::optional<Value>& all,
                   std::map<std::string, Value>& per_column, Parse parse) {
  for (const std::string& value : values) {
    size_t equals = value.rfind('=');
    if (equals == std::string::npos) {
      TELLTALE_ASSIGN_OR_RETURN(all, parse(value));
    } else {
      TELLTALE_ASSIGN_OR_RETURN(per_column[value.substr(0, equals)],
                                parse(value.substr(equals + 1)));
    }
  }
  return Status::Ok();
}

}  // namespace

CheckCommand::CheckCommand(CLI::App& app) {
  command_ = app.add_subcommand(
      "check",
      "Compare current data with a reference: drift per column, dataset drift, "
      "integrity. Exit 0 pass, 1 drift or failed check, 2 usage or input error.");
  auto* reference = command_->add_option("--reference", reference_,
                                         "Reference data (CSV or NDJSON, optionally .gz)");
  auto* profile =
      command_->add_option("--reference-profile", reference_profile_,
                           "A stored profile (from `telltale profile`) as the reference");
  reference->excludes(profile);
  command_->add_option("--current", current_, "Current data (CSV or NDJSON, optionally .gz)")
      ->required();
  command_->add_option("--format", format_, "Report format")
      ->check(CLI::IsMember({"text", "json", "html"}))
      ->capture_default_str();
  command_->add_option("--output", output_, "Write the report to FILE instead of standard output");
  command_->add_option("--schema", schema_,
                       "Column types and roles (JSON or YAML), overriding inference");
  command_->add_option("--stattest", stattests_,
                       "Drift method for all columns (NAME) or one (COLUMN=NAME); repeatable");
  command_->add_option("--threshold", thresholds_,
                       "Drift threshold for all columns (X) or one (COLUMN=X); repeatable");
  command_
      ->add_option("--drift-share", options_.drift_share,
                   "Dataset drift when at least this share of columns drifted")
      ->capture_default_str();
  command_->add_option("--columns", columns_, "Only these columns (comma-separated or repeated)");
  command_->add_option("--ignore", ignore_,
                       "Leave these columns out (comma-separated or repeated)");
  command_->add_flag("--sketch", options_.sketch,
                     "Compute drift from profiles (sketches) instead of raw data");
  command_->add_option("--delimiter", delimiter_, "CSV field delimiter")->capture_default_str();
  command_->add_option("--threads", threads_, "Worker threads (default: all cores)");
  command_
      ->add_option("--max-missing-increase", options_.integrity.missing_share_increase,
                   "Fail when a column's missing share grows by more than this")
      ->capture_default_str();
  command_
      ->add_option(
          "--max-new-categories", options_.integrity.new_category_share,
          "Fail when more than this share of values are categories unseen in the reference")
      ->capture_default_str();
  command_
      ->add_option("--max-out-of-range", options_.integrity.out_of_range_share,
                   "Fail when more than this share of numbers fall outside the reference range")
      ->capture_default_str();
  command_
      ->add_option("--max-type-errors", options_.integrity.type_error_share,
                   "Fail when more than this share of a numerical column's values are not numbers")
      ->capture_default_str();
  command_
      ->add_option("--max-duplicated-increase", options_.integrity.duplicated_share_increase,
                   "Fail when the share of duplicated rows grows by more than this")
      ->capture_default_str();
}

int CheckCommand::Run() {
  if (reference_.empty() && reference_profile_.empty()) {
    return Fail(
        Status::InvalidArgument("check needs --reference FILE or --reference-profile FILE"));
  }
  CheckOptions options = options_;
  options.columns = SplitList(columns_);
  options.ignore = SplitList(ignore_);
  options.threads = threads_ ? threads_ : DefaultThreads();
  Status parsed =
      ParseScoped<std::string>(stattests_, options.method, options.column_methods,
                               [](const std::string& name) -> Result<std::string> { return name; });
  if (!parsed.ok()) return Fail(parsed);
  parsed =
      ParseScoped<double>(thresholds_, options.threshold, options.column_thresholds,
                          [](const std::string& text) { return ParseDouble(text, "--threshold"); });
  if (!parsed.ok()) return Fail(parsed);

  Result<Schema> loaded_schema = LoadSchemaOption(schema_);
  if (!loaded_schema.ok()) return Fail(loaded_schema.status());
  const Schema& schema = *loaded_schema;
  ReadOptions read_options;
  read_options.csv.delimiter = delimiter_;
  // Two files are read at once: each gets its share of the cores.
  read_options.csv.threads = std::max(1u, options.threads / 2);

  CheckInputs inputs;
  inputs.schema = &schema;
  Table reference_table;
  DatasetProfile reference_profile;
  // Both inputs are read at the same time, one thread each. The first failure stops the other
  // read, so a typo in one path is reported at once; the error reported is one that happened, not
  // the stop (the reference's when both failed on their own).
  ReadProgress progress;
  read_options.progress = &progress;
  std::optional<ProgressBar> bar(std::in_place, progress,
                                 std::initializer_list<std::string>{reference_, current_});
  Result<Table> current = Status::Cancelled("not read");
  std::thread current_reader([&] {
    current = ReadTable(current_, read_options);
    if (!current.ok()) progress.Cancel();
  });
  Status reference_read = LoadReference(read_options, reference_table, reference_profile, inputs);
  if (!reference_read.ok()) progress.Cancel();
  current_reader.join();
  bar.reset();
  if (!reference_read.ok() && reference_read.code() != StatusCode::kCancelled) {
    return Fail(reference_read);
  }
  if (!current.ok()) return Fail(current.status());
  inputs.current_table = &current.value();

  Result<CheckReport> report = RunCheck(inputs, options);
  if (!report.ok()) return Fail(report.status());
  std::string text = format_ == "json"   ? FormatJsonReport(*report)
                     : format_ == "html" ? FormatHtmlReport(*report)
                                         : FormatTextReport(*report);
  Status written = WriteOutput(output_, text);
  if (!written.ok()) return Fail(written);
  return report->failed() ? kExitCheckFailed : kExitOk;
}

Status CheckCommand::LoadReference(const ReadOptions& options, Table& table,
                                   DatasetProfile& profile, CheckInputs& inputs) const {
  if (!reference_.empty()) {
    TELLTALE_ASSIGN_OR_RETURN(table, ReadTable(reference_, options));
    inputs.reference_table = &table;
    inputs.reference_source = reference_;
  } else {
    TELLTALE_ASSIGN_OR_RETURN(profile, LoadProfileFile(reference_profile_));
    inputs.reference_profile = &profile;
    inputs.reference_source = reference_profile_;
  }
  return Status::Ok();
}

}  // namespace telltale::cli
