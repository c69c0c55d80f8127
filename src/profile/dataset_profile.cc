#include "profile/dataset_profile.h"

#include <zlib.h>

#include <unordered_set>

namespace telltale {
namespace {

constexpr std::string_view kMagic = "TTPROFIL";
constexpr size_t kMaxFields = 100'000;
constexpr size_t kMaxNameBytes = 4096;

uint32_t Crc32(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

}  // namespace

const FieldProfile* DatasetProfile::Find(std::string_view name) const {
  for (const auto& [field_name, field] : fields_) {
    if (field_name == name) return &field;
  }
  return nullptr;
}

void DatasetProfile::Put(std::string name, FieldProfile field) {
  for (auto& [field_name, existing] : fields_) {
    if (field_name == name) {
      existing = std::move(field);
      return;
    }
  }
  fields_.emplace_back(std::move(name), std::move(field));
}

void DatasetProfile::Merge(const DatasetProfile& other) {
  rows_ += other.rows_;
  for (size_t index = 0; index < other.fields_.size(); ++index) {
    const auto& [name, field] = other.fields_[index];
    // Profiles of one schema list their fields in the same order.
    if (index < fields_.size() && fields_[index].first == name) {
      fields_[index].second.Merge(field);
      continue;
    }
    bool merged = false;
    for (auto& [our_name, ours] : fields_) {
      if (our_name == name) {
        ours.Merge(field);
        merged = true;
        break;
      }
    }
    if (!merged) fields_.emplace_back(name, field);
  }
}

std::string DatasetProfile::Serialize() const {
  ByteWriter out;
  out.PutRaw(kMagic);
  out.Put<uint16_t>(kFormatVersion);
  out.Put<uint64_t>(rows_);
  out.Put<uint32_t>(static_cast<uint32_t>(fields_.size()));
  for (const auto& [name, field] : fields_) {
    out.PutString(name);
    field.Serialize(out);
  }
  out.Put<uint32_t>(Crc32(out.bytes()));
  return out.Release();
}

Result<DatasetProfile> DatasetProfile::Deserialize(std::string_view bytes) {
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    return Status::Corruption("not a telltale profile (bad magic bytes)");
  }
  if (bytes.size() < kMagic.size() + sizeof(uint16_t) + sizeof(uint32_t)) {
    return Status::Corruption("profile is truncated");
  }
  ByteReader header(bytes.substr(kMagic.size()));
  TELLTALE_ASSIGN_OR_RETURN(uint16_t version, header.Get<uint16_t>());
  if (version > kFormatVersion) {
    return Status::Unsupported("profile format version " + std::to_string(version) +
                               " is newer than this telltale reads (" +
                               std::to_string(kFormatVersion) + ")");
  }
  std::string_view body = bytes.substr(0, bytes.size() - sizeof(uint32_t));
  ByteReader trailer(bytes.substr(body.size()));
  TELLTALE_ASSIGN_OR_RETURN(uint32_t stored_crc, trailer.Get<uint32_t>());
  if (stored_crc != Crc32(body)) {
    return Status::Corruption("profile checksum mismatch: the file is damaged or truncated");
  }
  ByteReader in(body.substr(kMagic.size() + sizeof(uint16_t)));
  DatasetProfile profile;
  TELLTALE_ASSIGN_OR_RETURN(profile.rows_, in.Get<uint64_t>());
  TELLTALE_ASSIGN_OR_RETURN(uint32_t field_count, in.Get<uint32_t>());
  if (field_count > kMaxFields) return Status::Corruption("profile claims too many fields");
  std::unordered_set<std::string> names;
  for (uint32_t i = 0; i < field_count; ++i) {
    TELLTALE_ASSIGN_OR_RETURN(std::string name, in.GetString(kMaxNameBytes));
    Result<FieldProfile> field = FieldProfile::Deserialize(in);
    if (!field.ok()) return field.status().WithContext("field '" + name + "'");
    if (!names.insert(name).second) return Status::Corruption("field '" + name + "' appears twice");
    profile.fields_.emplace_back(std::move(name), std::move(field).value());
  }
  if (in.remaining() != 0) return Status::Corruption("trailing bytes after the last field");
  return profile;
}

}  // namespace telltale
