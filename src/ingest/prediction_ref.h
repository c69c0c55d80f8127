// PredictionRef: what the id index keeps of a logged prediction so that its actual, arriving days
// later, can be counted in the prediction's window and segments against what the model said.
//
// The index value was the prediction's hour alone (8 bytes) before actuals existed; such values
// still decode, as a prediction with nothing to compare.
#ifndef TELLTALE_INGEST_PREDICTION_REF_H_
#define TELLTALE_INGEST_PREDICTION_REF_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telltale/result.h"

namespace telltale {

// A ground-truth value as it arrived: a number, or a label (booleans as "true"/"false").
struct ActualValue {
  std::optional<double> number;
  std::string label;
};

struct PredictionRef {
  int64_t event_time = 0;
  std::vector<uint32_t> segments;  // series numbers of the segments the row was in (not 0)
  double score = std::numeric_limits<double>::quiet_NaN();  // the first numeric prediction
  std::string label;  // the first categorical or boolean prediction, as text; empty if none
  std::string query;  // a ranking model's query id, as text; empty otherwise
  // A multiclass model's class probabilities, in the order of its schema's class_probabilities
  // (NaN where the row had none); empty without them.
  std::vector<double> probabilities;
  std::optional<ActualValue> actual;  // the latest actual joined
  int64_t first_actual_time = 0;      // when the first actual arrived
};

std::string EncodePredictionRef(const PredictionRef& ref);
// Corruption for damaged bytes.
Result<PredictionRef> DecodePredictionRef(std::string_view bytes);
// The event time alone, read from the head of the bytes (what retention needs).
Result<int64_t> PredictionEventTime(std::string_view bytes);

// An actual that arrived before its prediction, kept until the prediction comes (pending CF).
struct PendingActual {
  int64_t arrival_time = 0;
  std::string actuals_json;  // the row's "actuals" object, as sent
};

std::string EncodePendingActual(const PendingActual& pending);
Result<PendingActual> DecodePendingActual(std::string_view bytes);
// The arrival time alone, read from the head of the bytes.
Result<int64_t> PendingArrivalTime(std::string_view bytes);

}  // namespace telltale

#endif  // TELLTALE_INGEST_PREDICTION_REF_H_
