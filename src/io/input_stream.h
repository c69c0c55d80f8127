// InputStream: reads a file in chunks, decompressing it on the fly if it is gzip-compressed
// (detected by its magic bytes, not its name; concatenated gzip members are read in sequence).
#ifndef TELLTALE_IO_INPUT_STREAM_H_
#define TELLTALE_IO_INPUT_STREAM_H_

#include <zlib.h>

#include <memory>
#include <string>

#include "io/read_progress.h"
#include "telltale/result.h"

namespace telltale {

class InputStream {
 public:
  // Opens `path`; NotFound if it does not exist, IoError if it cannot be read. Bytes taken from
  // the file (compressed bytes for gzip) are added to `progress` when given.
  static Result<std::unique_ptr<InputStream>> Open(const std::string& path,
                                                   ReadProgress* progress = nullptr);
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // Appends up to `max_bytes` to `out`; returns the number appended, 0 at the end of the data;
  // Cancelled once the shared ReadProgress was cancelled.
  Result<size_t> ReadInto(std::string& out, size_t max_bytes);
  // Reads everything that is left.
  Result<std::string> ReadAll();

  const std::string& path() const { return path_; }
  // The file's size when it is not compressed (the bytes that will be read), else 0.
  uint64_t UncompressedSize() const;

 private:
  InputStream(std::string path, gzFile file, ReadProgress* progress)
      : path_(std::move(path)), file_(file), progress_(progress) {}

  std::string path_;
  gzFile file_;
  ReadProgress* progress_;
  int64_t reported_offset_ = 0;
};

}  // namespace telltale

#endif  // TELLTALE_IO_INPUT_STREAM_H_
