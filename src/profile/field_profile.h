// FieldProfile: the mergeable summary of one column — what kinds of values it held, how many were
// missing, and the sketches that fit its values:
//   numbers  -> Moments, KllSketch (quantiles), DistinctValues (exact counts while few)
//   strings, booleans -> CategoryCounts (exact up to a cap, then frequent items)
//   every non-missing value -> HllSketch (distinct count)
// Missing means a null or empty cell, NaN or +-inf.
#ifndef TELLTALE_PROFILE_FIELD_PROFILE_H_
#define TELLTALE_PROFILE_FIELD_PROFILE_H_

#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "profile/column_type.h"
#include "sketch/category_counts.h"
#include "sketch/distinct_values.h"
#include "sketch/hll_sketch.h"
#include "sketch/kll_sketch.h"
#include "sketch/moments.h"
#include "telltale/result.h"

namespace telltale {

struct SketchOptions {
  // KLL accuracy parameter: 1.65% rank error at k = 200.
  uint16_t kll_k = KllSketch::kDefaultK;
  // HyperLogLog registers = 2^lg_k: 1.6% standard error at 12.
  uint8_t hll_lg_k = HllSketch::kDefaultLgK;
  // Distinct categories (and numbers) counted exactly before switching to a sketch.
  uint32_t category_cap = CategoryCounts::kDefaultCap;
  // Whether to fill the KLL sketch. Exact mode, which has the raw values, turns it off.
  bool quantiles = true;
};

struct FieldProfile {
  explicit FieldProfile(const SketchOptions& options = {})
      : quantiles(options.kll_k),
        numeric_values(options.category_cap),
        categories(options.category_cap),
        distinct(options.hll_lg_k) {}

  // Cells seen, missing or not.
  uint64_t rows = 0;
  // Null or empty cells (NaN and infinities are counted in `moments`).
  uint64_t null_count = 0;
  // Non-missing cells by the kind of value they held.
  uint64_t integer_count = 0;  // numbers written as integers
  uint64_t float_count = 0;    // other numbers, including NaN and infinities
  uint64_t bool_count = 0;
  uint64_t string_count = 0;
  // Cells that should have been numbers (the column is declared numerical) but were not.
  uint64_t type_errors = 0;

  Moments moments;
  KllSketch quantiles;
  DistinctValues numeric_values;
  CategoryCounts categories;
  HllSketch distinct;

  void Merge(const FieldProfile& other);

  // Null, empty, NaN, +-inf and type errors.
  uint64_t missing() const {
    return null_count + moments.nan_count() + moments.positive_infinity_count() +
           moments.negative_infinity_count() + type_errors;
  }
  // Distinct non-missing values: exact while the exact counters hold them all, else estimated.
  double DistinctCount() const;
  // Exact while the exact counters hold every value: not once they overflowed, nor for a profile
  // whose strings were counted without their values (a text field in the SDK's privacy mode).
  bool distinct_count_exact() const {
    return !numeric_values.overflowed() && categories.exact() &&
           categories.total() == string_count + bool_count;
  }
  // Evidently's rules: float -> numerical; integer without missing -> categorical if at most 10
  // distinct values, else numerical; strings -> text if distinct > half the non-missing count,
  // else categorical; booleans -> categorical.
  ColumnType InferType() const;

  void Serialize(ByteWriter& out) const;
  static Result<FieldProfile> Deserialize(ByteReader& in);
};

}  // namespace telltale

#endif  // TELLTALE_PROFILE_FIELD_PROFILE_H_
