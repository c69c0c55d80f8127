// WindowProfile: everything kept for one series in one time window — the dataset profile of the
// accepted rows, the integrity counters of the rows around them, and the event-time span.
//
// A series is (model version, environment, segment). Production rows are kept per hour of event
// time (UTC); the training and validation baselines are one window each.
#ifndef TELLTALE_INGEST_WINDOW_PROFILE_H_
#define TELLTALE_INGEST_WINDOW_PROFILE_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "ingest/row.h"
#include "ingest/version_schema.h"
#include "io/table.h"
#include "performance/performance_accumulator.h"
#include "profile/dataset_profile.h"

namespace telltale {

enum class Environment : uint8_t { kProduction = 0, kTraining = 1, kValidation = 2 };
std::string_view EnvironmentName(Environment environment);

inline constexpr int64_t kWindowSeconds = 3600;
inline int64_t HourOf(int64_t unix_seconds) {
  return unix_seconds >= 0 ? unix_seconds / kWindowSeconds
                           : -((-unix_seconds + kWindowSeconds - 1) / kWindowSeconds);
}

inline constexpr int64_t kHoursPerDay = 24;
// The first hour of the UTC day that holds `hour`.
inline int64_t DayStartHour(int64_t hour) {
  return (hour >= 0 ? hour / kHoursPerDay : -((-hour + kHoursPerDay - 1) / kHoursPerDay)) *
         kHoursPerDay;
}

// A window of a series: an hour, or (day = true) the rollup of a whole UTC day of production
// windows, kept so that long ranges merge a window per day instead of one per hour.
struct WindowKey {
  Environment environment = Environment::kProduction;
  bool day = false;
  uint32_t segment = 0;  // 0: all rows; i + 1: the version's segment i
  int64_t hour = 0;      // Unix hours (a day's first hour); 0 for baselines

  auto operator<=>(const WindowKey&) const = default;  // NOLINT(modernize-use-nullptr): tidy 14 bug
};

// Which fields' profiles a stored window is decoded with: all of them, or only those named (a
// series of one field's metric over 90 days need not decode the other 99 fields' sketches).
class FieldSelection {
 public:
  static FieldSelection All() { return FieldSelection(); }
  static FieldSelection Only(std::vector<std::string> names) {
    FieldSelection selection;
    selection.all_ = false;
    selection.names_ = std::move(names);
    return selection;
  }
  bool Includes(std::string_view name) const {
    return all_ || std::find(names_.begin(), names_.end(), name) != names_.end();
  }

 private:
  bool all_ = true;
  std::vector<std::string> names_;
};

// Rows that did not make it into the profile, and fields the schema does not know.
struct WindowIntegrity {
  uint64_t rejected_rows = 0;
  uint64_t duplicate_ids = 0;
  std::map<std::string, uint64_t> type_errors;     // by field name
  std::map<std::string, uint64_t> unknown_fields;  // by "role.name"

  void Add(const IntegrityEvent& event);
  void Merge(const WindowIntegrity& other);
};

class WindowProfile {
 public:
  // An empty window with a profile per schema field, in schema order.
  explicit WindowProfile(const VersionSchema& schema);
  WindowProfile() = default;

  const DatasetProfile& profile() const { return profile_; }
  const WindowIntegrity& integrity() const { return integrity_; }
  WindowIntegrity& integrity() { return integrity_; }
  const PerformanceAccumulator& performance() const { return performance_; }
  PerformanceAccumulator& performance() { return performance_; }
  int64_t first_event() const { return first_event_; }
  int64_t last_event() const { return last_event_; }
  bool empty() const {
    return profile_.rows() == 0 && integrity_.rejected_rows == 0 && performance_.empty();
  }

  // Accepted rows as columns in the schema's field order, with their count and event-time span:
  // built once for rows that land in several windows (their hour and their day).
  struct Columns {
    std::vector<Column> fields;
    size_t rows = 0;
    int64_t first_event = std::numeric_limits<int64_t>::max();
    int64_t last_event = std::numeric_limits<int64_t>::min();
  };
  static Columns ToColumns(const VersionSchema& schema, const std::vector<const Row*>& rows);
  // Adds accepted rows (all of this window and series) to the profile.
  void Fold(const VersionSchema& schema, const Columns& columns);
  void Fold(const VersionSchema& schema, const std::vector<const Row*>& rows) {
    Fold(schema, ToColumns(schema, rows));
  }
  void Merge(const WindowProfile& other);
  // Adds a profile computed elsewhere for this window, whose events span [first, last].
  void MergeProfile(const DatasetProfile& profile, int64_t first, int64_t last);

  std::string Serialize() const;
  // Windows written by older versions decode whole, whatever `fields` says.
  static Result<WindowProfile> Deserialize(std::string_view bytes,
                                           const FieldSelection& fields = FieldSelection::All());

 private:
  DatasetProfile profile_;
  WindowIntegrity integrity_;
  PerformanceAccumulator performance_;
  int64_t first_event_ = std::numeric_limits<int64_t>::max();
  int64_t last_event_ = std::numeric_limits<int64_t>::min();
};

// Whether `row` belongs to `segment`.
bool InSegment(const Segment& segment, const Row& row);
// The series numbers (index + 1) of the schema's segments that `row` belongs to.
std::vector<uint32_t> SegmentsOf(const VersionSchema& schema, const Row& row);

}  // namespace telltale

#endif  // TELLTALE_INGEST_WINDOW_PROFILE_H_
