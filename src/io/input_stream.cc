#include "io/input_stream.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace telltale {

Result<std::unique_ptr<InputStream>> InputStream::Open(const std::string& path,
                                                       ReadProgress* progress) {
  std::error_code error;
  std::filesystem::file_status status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) return Status::NotFound(path + ": no such file");
  if (std::filesystem::is_directory(status)) {
    return Status::InvalidArgument(path + ": is a directory, not a file");
  }
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  gzbuffer(file, 1 << 18);
  return std::unique_ptr<InputStream>(new InputStream(path, file, progress));
}

InputStream::~InputStream() { gzclose(file_); }

uint64_t InputStream::UncompressedSize() const {
  if (gzdirect(file_) == 0) return 0;  // gzip: the decompressed size is not known ahead
  std::error_code error;
  uintmax_t size = std::filesystem::file_size(path_, error);
  return error ? 0 : static_cast<uint64_t>(size);
}

Result<size_t> InputStream::ReadInto(std::string& out, size_t max_bytes) {
  if (progress_ != nullptr && progress_->cancelled()) {
    return Status::Cancelled(path_ + ": reading stopped");
  }
  size_t old_size = out.size();
  out.resize(old_size + max_bytes);
  int read = gzread(file_, out.data() + old_size, static_cast<unsigned>(max_bytes));
  if (read < 0) {
    int code = 0;
    const char* message = gzerror(file_, &code);
    out.resize(old_size);
    return Status::IoError(path_ +
                           ": cannot read: " + (code == Z_ERRNO ? std::strerror(errno) : message));
  }
  out.resize(old_size + static_cast<size_t>(read));
  if (progress_ != nullptr) {
    int64_t offset = gzoffset(file_);
    if (offset > reported_offset_) {
      progress_->Advance(static_cast<uint64_t>(offset - reported_offset_));
      reported_offset_ = offset;
    }
  }
  if (read == 0) {
    int code = 0;
    const char* message = gzerror(file_, &code);
    // A gzip file cut short reads as a clean end unless zlib's error is checked.
    if (code != Z_OK && code != Z_STREAM_END) {
      return Status::InvalidArgument(path_ + ": corrupt or truncated gzip data: " + message);
    }
  }
  return static_cast<size_t>(read);
}

Result<std::string> InputStream::ReadAll() {
  std::string out;
  while (true) {
    TELLTALE_ASSIGN_OR_RETURN(size_t read, ReadInto(out, 1 << 20));
    if (read == 0) return out;
  }
}

}  // namespace telltale
