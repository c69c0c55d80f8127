#include "ingest/window_profile.h"

#include <algorithm>

#include "common/bytes.h"
#include "io/column_builder.h"
#include "io/table.h"
#include "profile/profiler.h"

namespace telltale {
namespace {

constexpr std::string_view kMagic = "TTWP";
// Version 2 added the performance accumulator after the event times. Version 3 writes each field's
// profile with its length instead of one dataset profile, so that a reader can skip fields (the
// store's own block checksums replace the dataset profile's CRC).
constexpr uint16_t kFormatVersion = 3;
constexpr size_t kMaxFieldBytes = size_t{1} << 30;
constexpr size_t kMaxCounters = 1 << 20;

void PutCounters(ByteWriter& out, const std::map<std::string, uint64_t>& counters) {
  out.Put<uint32_t>(static_cast<uint32_t>(counters.size()));
  for (const auto& [name, count] : counters) {
    out.PutString(name);
    out.Put<uint64_t>(count);
  }
}

Status GetCounters(ByteReader& in, std::map<std::string, uint64_t>& counters) {
  TELLTALE_ASSIGN_OR_RETURN(uint32_t size, in.Get<uint32_t>());
  if (size > kMaxCounters) return Status::Corruption("window profile: too many counters");
  for (uint32_t i = 0; i < size; ++i) {
    TELLTALE_ASSIGN_OR_RETURN(std::string name, in.GetString());
    TELLTALE_ASSIGN_OR_RETURN(uint64_t count, in.Get<uint64_t>());
    counters[std::move(name)] += count;
  }
  return Status::Ok();
}

}  // namespace

std::string_view RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kMalformed:
      return "malformed";
    case RejectReason::kTypeError:
      return "type_error";
    case RejectReason::kTooLate:
      return "too_late";
    case RejectReason::kInFuture:
      return "in_future";
    case RejectReason::kDuplicate:
      return "duplicate";
    case RejectReason::kLimit:
      return "limit";
    case RejectReason::kExpired:
      return "expired";
  }
  return "malformed";
}

std::string_view EnvironmentName(Environment environment) {
  switch (environment) {
    case Environment::kProduction:
      return "production";
    case Environment::kTraining:
      return "training";
    case Environment::kValidation:
      return "validation";
  }
  return "production";
}

void WindowIntegrity::Add(const IntegrityEvent& event) {
  switch (event.kind) {
    case IntegrityEvent::Kind::kTypeError:
      ++type_errors[event.field];
      break;
    case IntegrityEvent::Kind::kUnknownField:
      ++unknown_fields[event.field];
      break;
    case IntegrityEvent::Kind::kRejectedRow:
      ++rejected_rows;
      break;
    case IntegrityEvent::Kind::kDuplicate:
      ++duplicate_ids;
      break;
  }
}

void WindowIntegrity::Merge(const WindowIntegrity& other) {
  rejected_rows += other.rejected_rows;
  duplicate_ids += other.duplicate_ids;
  for (const auto& [name, count] : other.type_errors) type_errors[name] += count;
  for (const auto& [name, count] : other.unknown_fields) unknown_fields[name] += count;
}

WindowProfile::WindowProfile(const VersionSchema& schema) {
  for (const FieldSpec& field : schema.fields()) profile_.Put(field.name, FieldProfile());
}

WindowProfile::Columns WindowProfile::ToColumns(const VersionSchema& schema,
                                                const std::vector<const Row*>& rows) {
  Columns columns;
  columns.rows = rows.size();
  for (const Row* row : rows) {
    columns.first_event = std::min(columns.first_event, row->event_time);
    columns.last_event = std::max(columns.last_event, row->event_time);
  }
  // Row by row, each row's cells in order, appended to one builder per field: the cells of a row
  // lie together, so this reads memory in order (field by field, every row's cells were a jump).
  std::vector<ColumnBuilder> builders;
  builders.reserve(schema.fields().size());
  for (const FieldSpec& spec : schema.fields()) {
    builders.emplace_back(spec.name);
    builders.back().Reserve(rows.size());
  }
  for (const Row* row : rows) {
    for (size_t field = 0; field < builders.size(); ++field) {
      const Cell& cell = row->cells[field];
      ColumnBuilder& builder = builders[field];
      switch (cell.kind) {
        case Cell::Kind::kMissing:
          builder.AppendNull();
          break;
        case Cell::Kind::kNumber:
          builder.AppendNumber(cell.number, cell.integral);
          break;
        case Cell::Kind::kBool:
          builder.AppendBool(cell.flag);
          break;
        case Cell::Kind::kString:
          builder.AppendString(cell.text);
          break;
      }
    }
  }
  columns.fields.reserve(builders.size());
  for (ColumnBuilder& builder : builders) columns.fields.push_back(std::move(builder).Finish());
  return columns;
}

void WindowProfile::Fold(const VersionSchema& schema, const Columns& columns) {
  if (columns.rows == 0) return;
  first_event_ = std::min(first_event_, columns.first_event);
  last_event_ = std::max(last_event_, columns.last_event);
  for (size_t field = 0; field < columns.fields.size(); ++field) {
    AddColumn(columns.fields[field], DriftType(schema.fields()[field].type), true,
              profile_.mutable_field(field));
  }
  profile_.set_rows(profile_.rows() + columns.rows);
}

void WindowProfile::Merge(const WindowProfile& other) {
  profile_.Merge(other.profile_);
  integrity_.Merge(other.integrity_);
  performance_.Merge(other.performance_);
  first_event_ = std::min(first_event_, other.first_event_);
  last_event_ = std::max(last_event_, other.last_event_);
}

void WindowProfile::MergeProfile(const DatasetProfile& profile, int64_t first, int64_t last) {
  if (profile.rows() == 0) return;
  profile_.Merge(profile);
  first_event_ = std::min(first_event_, first);
  last_event_ = std::max(last_event_, last);
}

std::string WindowProfile::Serialize() const {
  ByteWriter out;
  out.PutRaw(kMagic);
  out.Put<uint16_t>(kFormatVersion);
  out.Put<uint64_t>(profile_.rows());
  out.Put<uint32_t>(static_cast<uint32_t>(profile_.fields().size()));
  ByteWriter field_bytes;
  for (const auto& [name, field] : profile_.fields()) {
    out.PutString(name);
    field_bytes = ByteWriter();
    field.Serialize(field_bytes);
    out.PutString(field_bytes.bytes());
  }
  out.Put<uint64_t>(integrity_.rejected_rows);
  out.Put<uint64_t>(integrity_.duplicate_ids);
  PutCounters(out, integrity_.type_errors);
  PutCounters(out, integrity_.unknown_fields);
  out.Put<int64_t>(first_event_);
  out.Put<int64_t>(last_event_);
  performance_.Serialize(out);
  return out.Release();
}

namespace {

Result<DatasetProfile> GetFields(ByteReader& in, const FieldSelection& selection) {
  DatasetProfile profile;
  TELLTALE_ASSIGN_OR_RETURN(uint64_t rows, in.Get<uint64_t>());
  profile.set_rows(rows);
  TELLTALE_ASSIGN_OR_RETURN(uint32_t count, in.Get<uint32_t>());
  if (count > VersionSchema::kMaxFields) return Status::Corruption("window profile: fields");
  for (uint32_t i = 0; i < count; ++i) {
    TELLTALE_ASSIGN_OR_RETURN(std::string name, in.GetString());
    TELLTALE_ASSIGN_OR_RETURN(uint32_t length, in.Get<uint32_t>());
    if (length > kMaxFieldBytes) return Status::Corruption("window profile: field size");
    TELLTALE_ASSIGN_OR_RETURN(std::string_view bytes, in.GetRaw(length));
    if (!selection.Includes(name)) continue;
    ByteReader field_in(bytes);
    Result<FieldProfile> field = FieldProfile::Deserialize(field_in);
    if (!field.ok()) return field.status().WithContext("window profile: field '" + name + "'");
    profile.Append(std::move(name), std::move(field).value());
  }
  return profile;
}

}  // namespace

Result<WindowProfile> WindowProfile::Deserialize(std::string_view bytes,
                                                 const FieldSelection& fields) {
  ByteReader in(bytes);
  TELLTALE_ASSIGN_OR_RETURN(std::string_view magic, in.GetRaw(kMagic.size()));
  if (magic != kMagic) return Status::Corruption("not a window profile");
  TELLTALE_ASSIGN_OR_RETURN(uint16_t version, in.Get<uint16_t>());
  if (version > kFormatVersion) {
    return Status::Unsupported("window profile format " + std::to_string(version) +
                               " is newer than this telltale");
  }
  WindowProfile window;
  if (version >= 3) {
    TELLTALE_ASSIGN_OR_RETURN(window.profile_, GetFields(in, fields));
  } else {
    TELLTALE_ASSIGN_OR_RETURN(std::string profile, in.GetString(1u << 30));
    TELLTALE_ASSIGN_OR_RETURN(window.profile_, DatasetProfile::Deserialize(profile));
  }
  TELLTALE_ASSIGN_OR_RETURN(window.integrity_.rejected_rows, in.Get<uint64_t>());
  TELLTALE_ASSIGN_OR_RETURN(window.integrity_.duplicate_ids, in.Get<uint64_t>());
  TELLTALE_RETURN_IF_ERROR(GetCounters(in, window.integrity_.type_errors));
  TELLTALE_RETURN_IF_ERROR(GetCounters(in, window.integrity_.unknown_fields));
  TELLTALE_ASSIGN_OR_RETURN(window.first_event_, in.Get<int64_t>());
  TELLTALE_ASSIGN_OR_RETURN(window.last_event_, in.Get<int64_t>());
  if (version >= 2) {
    TELLTALE_ASSIGN_OR_RETURN(window.performance_, PerformanceAccumulator::Deserialize(in));
  }
  return window;
}

std::vector<uint32_t> SegmentsOf(const VersionSchema& schema, const Row& row) {
  std::vector<uint32_t> series;
  for (size_t i = 0; i < schema.segments().size(); ++i) {
    if (InSegment(schema.segments()[i], row)) series.push_back(static_cast<uint32_t>(i + 1));
  }
  return series;
}

bool InSegment(const Segment& segment, const Row& row) {
  for (const SegmentCondition& condition : segment.where) {
    const Cell& cell = row.cells[condition.field];
    if (cell.kind == Cell::Kind::kMissing) return false;
    if (!condition.in.empty()) {
      std::string text = cell.kind == Cell::Kind::kString ? cell.text
                         : cell.kind == Cell::Kind::kBool ? (cell.flag ? "true" : "false")
                                                          : FormatNumber(cell.number);
      if (std::find(condition.in.begin(), condition.in.end(), text) == condition.in.end()) {
        return false;
      }
      continue;
    }
    if (cell.kind != Cell::Kind::kNumber) return false;
    double value = cell.number;
    if ((condition.gte && !(value >= *condition.gte)) ||
        (condition.gt && !(value > *condition.gt)) ||
        (condition.lte && !(value <= *condition.lte)) ||
        (condition.lt && !(value < *condition.lt))) {
      return false;
    }
  }
  return true;
}

}  // namespace telltale
