// DatasetProfile: a FieldProfile per column plus the row count; what `telltale profile` writes and
// what the server stores per window. Profiles of the same columns merge; a column present on one
// side only is kept as it is.
//
// Binary format (docs/profile_format.md): magic, format version, rows, fields, CRC-32.
#ifndef TELLTALE_PROFILE_DATASET_PROFILE_H_
#define TELLTALE_PROFILE_DATASET_PROFILE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "profile/field_profile.h"
#include "telltale/result.h"

namespace telltale {

class DatasetProfile {
 public:
  static constexpr uint16_t kFormatVersion = 1;

  uint64_t rows() const { return rows_; }
  void set_rows(uint64_t rows) { rows_ = rows; }
  // Fields in column order.
  const std::vector<std::pair<std::string, FieldProfile>>& fields() const { return fields_; }
  const FieldProfile* Find(std::string_view name) const;
  // The field at `index` in column order, for updating in place.
  FieldProfile& mutable_field(size_t index) { return fields_[index].second; }
  // Adds a field; replaces one of the same name.
  void Put(std::string name, FieldProfile field);
  // Adds a field known not to be there yet (a reader of a format that lists each name once).
  void Append(std::string name, FieldProfile field) {
    fields_.emplace_back(std::move(name), std::move(field));
  }

  void Merge(const DatasetProfile& other);

  std::string Serialize() const;
  // Corruption for damaged bytes, Unsupported for a newer format version.
  static Result<DatasetProfile> Deserialize(std::string_view bytes);

 private:
  uint64_t rows_ = 0;
  std::vector<std::pair<std::string, FieldProfile>> fields_;
};

}  // namespace telltale

#endif  // TELLTALE_PROFILE_DATASET_PROFILE_H_
