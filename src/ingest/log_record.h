// LogRecord: what one ingest request added, as written to the durable log before it is
// acknowledged — the accepted rows, already validated, and the integrity events of the request.
// Replaying the records that no checkpoint holds yet rebuilds the open windows after a crash.
#ifndef TELLTALE_INGEST_LOG_RECORD_H_
#define TELLTALE_INGEST_LOG_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/row.h"
#include "ingest/window_profile.h"
#include "performance/performance_accumulator.h"
#include "telltale/result.h"

namespace telltale {

// A profile computed elsewhere (the agent, the SDK's privacy mode) for one window of a series.
struct ProfileUpload {
  uint32_t segment = 0;
  int64_t hour = 0;
  std::string profile;  // a serialized DatasetProfile
};

// An actual joined to its prediction: counted in the prediction's windows (all rows and each of
// its segments). `replaced` is the outcome of the earlier actual for the same id, taken back out.
struct ActualJoin {
  int64_t event_time = 0;          // the prediction's
  std::vector<uint32_t> segments;  // series numbers, not 0
  Outcome outcome;
  std::optional<Outcome> replaced;
  std::optional<double> delay_seconds;  // from the prediction to its first actual
};

struct LogRecord {
  int64_t version_id = 0;
  Environment environment = Environment::kProduction;
  // Baselines only: empty the baseline (all its series) before adding this record's rows.
  bool replace = false;
  std::vector<Row> rows;
  std::vector<IntegrityEvent> events;
  std::vector<ProfileUpload> profiles;
  std::vector<ActualJoin> joins;  // production records only
};

std::string EncodeLogRecord(const LogRecord& record);
// Corruption for damaged bytes.
Result<LogRecord> DecodeLogRecord(std::string_view bytes);

}  // namespace telltale

#endif  // TELLTALE_INGEST_LOG_RECORD_H_
