#include "ingest/log_record.h"

#include "common/bytes.h"

namespace telltale {
namespace {

// Version 2 added a flags byte (bit 0: replace) after the environment; version 3 the joins.
constexpr uint8_t kFormatVersion = 3;
constexpr uint8_t kReplaceFlag = 1;
constexpr uint32_t kMaxCount = 1u << 24;
constexpr uint8_t kIntegralBit = 0x10;
constexpr uint8_t kFlagBit = 0x20;

Result<uint32_t> GetCount(ByteReader& in) {
  TELLTALE_ASSIGN_OR_RETURN(uint32_t count, in.Get<uint32_t>());
  if (count > kMaxCount) return Status::Corruption("log record: count out of range");
  return count;
}

}  // namespace

std::string EncodeLogRecord(const LogRecord& record) {
  ByteWriter out;
  out.Put<uint8_t>(kFormatVersion);
  out.Put<int64_t>(record.version_id);
  out.Put<uint8_t>(static_cast<uint8_t>(record.environment));
  out.Put<uint8_t>(record.replace ? kReplaceFlag : 0);
  out.Put<uint32_t>(static_cast<uint32_t>(record.rows.size()));
  for (const Row& row : record.rows) {
    out.PutString(row.id);
    out.Put<int64_t>(row.event_time);
    out.Put<uint32_t>(static_cast<uint32_t>(row.cells.size()));
    for (const Cell& cell : row.cells) {
      uint8_t tag = static_cast<uint8_t>(cell.kind) | (cell.integral ? kIntegralBit : 0) |
                    (cell.flag ? kFlagBit : 0);
      out.Put<uint8_t>(tag);
      if (cell.kind == Cell::Kind::kNumber) out.Put<double>(cell.number);
      if (cell.kind == Cell::Kind::kString) out.PutString(cell.text);
    }
  }
  out.Put<uint32_t>(static_cast<uint32_t>(record.events.size()));
  for (const IntegrityEvent& event : record.events) {
    out.Put<uint8_t>(static_cast<uint8_t>(event.kind));
    out.Put<int64_t>(event.event_time);
    out.PutString(event.field);
  }
  out.Put<uint32_t>(static_cast<uint32_t>(record.profiles.size()));
  for (const ProfileUpload& upload : record.profiles) {
    out.Put<uint32_t>(upload.segment);
    out.Put<int64_t>(upload.hour);
    out.PutString(upload.profile);
  }
  out.Put<uint32_t>(static_cast<uint32_t>(record.joins.size()));
  for (const ActualJoin& join : record.joins) {
    out.Put<int64_t>(join.event_time);
    out.Put<uint32_t>(static_cast<uint32_t>(join.segments.size()));
    for (uint32_t segment : join.segments) out.Put<uint32_t>(segment);
    PutOutcome(out, join.outcome);
    out.Put<uint8_t>((join.replaced ? 1 : 0) | (join.delay_seconds ? 2 : 0));
    if (join.replaced) PutOutcome(out, *join.replaced);
    if (join.delay_seconds) out.Put<double>(*join.delay_seconds);
  }
  return out.Release();
}

Result<LogRecord> DecodeLogRecord(std::string_view bytes) {
  ByteReader in(bytes);
  LogRecord record;
  TELLTALE_ASSIGN_OR_RETURN(uint8_t version, in.Get<uint8_t>());
  if (version == 0 || version > kFormatVersion) {
    return Status::Unsupported("log record format " + std::to_string(version));
  }
  TELLTALE_ASSIGN_OR_RETURN(record.version_id, in.Get<int64_t>());
  TELLTALE_ASSIGN_OR_RETURN(uint8_t environment, in.Get<uint8_t>());
  if (environment > static_cast<uint8_t>(Environment::kValidation)) {
    return Status::Corruption("log record: unknown environment");
  }
  record.environment = static_cast<Environment>(environment);
  if (version >= 2) {
    TELLTALE_ASSIGN_OR_RETURN(uint8_t flags, in.Get<uint8_t>());
    record.replace = (flags & kReplaceFlag) != 0;
  }
  TELLTALE_ASSIGN_OR_RETURN(uint32_t rows, GetCount(in));
  record.rows.resize(rows);
  for (Row& row : record.rows) {
    TELLTALE_ASSIGN_OR_RETURN(row.id, in.GetString());
    TELLTALE_ASSIGN_OR_RETURN(row.event_time, in.Get<int64_t>());
    TELLTALE_ASSIGN_OR_RETURN(uint32_t cells, GetCount(in));
    row.cells.resize(cells);
    for (Cell& cell : row.cells) {
      TELLTALE_ASSIGN_OR_RETURN(uint8_t tag, in.Get<uint8_t>());
      uint8_t kind = tag & 0x0f;
      if (kind > static_cast<uint8_t>(Cell::Kind::kString)) {
        return Status::Corruption("log record: unknown cell kind");
      }
      cell.kind = static_cast<Cell::Kind>(kind);
      cell.integral = (tag & kIntegralBit) != 0;
      cell.flag = (tag & kFlagBit) != 0;
      if (cell.kind == Cell::Kind::kNumber) {
        TELLTALE_ASSIGN_OR_RETURN(cell.number, in.Get<double>());
      }
      if (cell.kind == Cell::Kind::kString) {
        TELLTALE_ASSIGN_OR_RETURN(cell.text, in.GetString());
      }
    }
  }
  TELLTALE_ASSIGN_OR_RETURN(uint32_t events, GetCount(in));
  record.events.resize(events);
  for (IntegrityEvent& event : record.events) {
    TELLTALE_ASSIGN_OR_RETURN(uint8_t kind, in.Get<uint8_t>());
    if (kind > static_cast<uint8_t>(IntegrityEvent::Kind::kDuplicate)) {
      return Status::Corruption("log record: unknown event kind");
    }
    event.kind = static_cast<IntegrityEvent::Kind>(kind);
    TELLTALE_ASSIGN_OR_RETURN(event.event_time, in.Get<int64_t>());
    TELLTALE_ASSIGN_OR_RETURN(event.field, in.GetString());
  }
  TELLTALE_ASSIGN_OR_RETURN(uint32_t profiles, GetCount(in));
  record.profiles.resize(profiles);
  for (ProfileUpload& upload : record.profiles) {
    TELLTALE_ASSIGN_OR_RETURN(upload.segment, in.Get<uint32_t>());
    TELLTALE_ASSIGN_OR_RETURN(upload.hour, in.Get<int64_t>());
    TELLTALE_ASSIGN_OR_RETURN(upload.profile, in.GetString(1u << 30));
  }
  if (version >= 3) {
    TELLTALE_ASSIGN_OR_RETURN(uint32_t joins, GetCount(in));
    record.joins.resize(joins);
    for (ActualJoin& join : record.joins) {
      TELLTALE_ASSIGN_OR_RETURN(join.event_time, in.Get<int64_t>());
      TELLTALE_ASSIGN_OR_RETURN(uint32_t segments, GetCount(in));
      join.segments.resize(segments);
      for (uint32_t& segment : join.segments) {
        TELLTALE_ASSIGN_OR_RETURN(segment, in.Get<uint32_t>());
      }
      TELLTALE_ASSIGN_OR_RETURN(join.outcome, GetOutcome(in));
      TELLTALE_ASSIGN_OR_RETURN(uint8_t flags, in.Get<uint8_t>());
      if (flags & 1) {
        TELLTALE_ASSIGN_OR_RETURN(Outcome replaced, GetOutcome(in));
        join.replaced = std::move(replaced);
      }
      if (flags & 2) {
        TELLTALE_ASSIGN_OR_RETURN(double delay, in.Get<double>());
        join.delay_seconds = delay;
      }
    }
  }
  if (in.remaining() != 0) return Status::Corruption("log record: trailing bytes");
  return record;
}

}  // namespace telltale
