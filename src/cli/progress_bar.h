// ProgressBar: while a command reads large inputs, a bar on stderr redrawn a few times a second
// ("reading [#######.............]  35%  139 / 396 MiB"), only when stderr is a terminal.
#ifndef TELLTALE_CLI_PROGRESS_BAR_H_
#define TELLTALE_CLI_PROGRESS_BAR_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>

#include "io/read_progress.h"

namespace telltale::cli {

// One frame of the bar, `width` characters between the brackets.
std::string FormatProgressLine(std::string_view label, uint64_t done, uint64_t total, int width);

class ProgressBar {
 public:
  // Inputs smaller than this finish too fast for a bar to help.
  static constexpr uint64_t kMinBytes = 16ull << 20;

  // Adds the sizes of `paths` to `progress` and starts drawing if stderr is a terminal and they
  // add up to at least kMinBytes.
  ProgressBar(ReadProgress& progress, std::initializer_list<std::string> paths);
  // Stops drawing and clears the line.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

 private:
  void Draw() const;

  ReadProgress& progress_;
  std::atomic<bool> stop_{false};
  std::thread drawer_;
};

}  // namespace telltale::cli

#endif  // TELLTALE_CLI_PROGRESS_BAR_H_
