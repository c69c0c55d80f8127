// RunCheck: compares current data with a reference (raw data or a stored profile) and produces a
// CheckReport: per-column drift, dataset drift, and integrity checks.
#ifndef TELLTALE_CHECK_RUN_CHECK_H_
#define TELLTALE_CHECK_RUN_CHECK_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "check/check_report.h"
#include "check/integrity_checks.h"
#include "io/table.h"
#include "profile/dataset_profile.h"
#include "profile/schema.h"

namespace telltale {

struct CheckOptions {
  // Drift method for every column, and per column (method names from DriftMethods()).
  std::optional<std::string> method;
  std::map<std::string, std::string> column_methods;
  // Threshold for every column, and per column; the method's default otherwise.
  std::optional<double> threshold;
  std::map<std::string, double> column_thresholds;
  // Dataset drift when the share of drifted columns is at least this.
  double drift_share = 0.5;
  // Only these columns (empty: all), minus these.
  std::vector<std::string> columns;
  std::vector<std::string> ignore;
  // Compute drift from profiles instead of raw data.
  bool sketch = false;
  IntegrityThresholds integrity;
  SketchOptions sketch_options;
  unsigned threads = 1;
};

struct CheckInputs {
  // Exactly one of these is the reference.
  const Table* reference_table = nullptr;
  const DatasetProfile* reference_profile = nullptr;
  std::string reference_source;
  // Exactly one of these is the current data. With a profile, drift is computed in sketch mode and
  // the integrity checks, which need raw rows, are left out.
  const Table* current_table = nullptr;
  const DatasetProfile* current_profile = nullptr;
  std::string current_source;
  const Schema* schema = nullptr;
};

// InvalidArgument names the column and option when an option does not fit the data (unknown
// column or method, a numerical-only method on a categorical column).
Result<CheckReport> RunCheck(const CheckInputs& inputs, const CheckOptions& options);

}  // namespace telltale

#endif  // TELLTALE_CHECK_RUN_CHECK_H_
