// LogRecord: what one ingest request added, as written to the durable log before it is
// acknowledged — the accepted rows, already validated, and the integrity events of the request.
// Replaying the records that no checkpoint holds yet rebuilds the open windows after a crash.
#ifndef TELLTALE_INGEST_LOG_RECORD_H_
#define TELLTALE_INGEST_LOG_RECORD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/row.h"
#include "ingest/window_profile.h"
#include "telltale/result.h"

namespace telltale {

// A profile computed elsewhere (the agent, the SDK's privacy mode) for one window of a series.
struct ProfileUpload {
  uint32_t segment = 0;
  int64_t hour = 0;
  std::string profile;  // a serialized DatasetProfile
};

struct LogRecord {
  int64_t version_id = 0;
  Environment environment = Environment::kProduction;
  // Baselines only: empty the baseline (all its series) before adding this record's rows.
  bool replace = false;
  std::vector<Row> rows;
  std::vector<IntegrityEvent> events;
  std::vector<ProfileUpload> profiles;
};

std::string EncodeLogRecord(const LogRecord& record);
// Corruption for damaged bytes.
Result<LogRecord> DecodeLogRecord(std::string_view bytes);

}  // namespace telltale

#endif  // TELLTALE_INGEST_LOG_RECORD_H_
