#include "cli/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

namespace telltale::cli {
namespace {

constexpr int kBarWidth = 30;
constexpr auto kRedrawEvery = std::chrono::milliseconds(200);

}  // namespace

std::string FormatProgressLine(std::string_view label, uint64_t done, uint64_t total, int width) {
  const double fraction =
      total == 0 ? 0.0 : std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
  const int filled = static_cast<int>(fraction * width);
  char numbers[64];
  std::snprintf(numbers, sizeof numbers, "] %3d%%  %llu / %llu MiB",
                static_cast<int>(fraction * 100), static_cast<unsigned long long>(done >> 20),
                static_cast<unsigned long long>(total >> 20));
  std::string line(label);
  line += " [";
  line.append(static_cast<size_t>(filled), '#');
  line.append(static_cast<size_t>(width - filled), '.');
  line += numbers;
  return line;
}

ProgressBar::ProgressBar(ReadProgress& progress, std::initializer_list<std::string> paths)
    : progress_(progress) {
  for (const std::string& path : paths) {
    std::error_code error;
    uintmax_t size = std::filesystem::file_size(path, error);
    if (!error) progress_.AddToTotal(size);
  }
  if (!isatty(STDERR_FILENO) || progress_.total() < kMinBytes) return;
  drawer_ = std::thread([this] {
    while (!stop_) {
      Draw();
      std::this_thread::sleep_for(kRedrawEvery);
    }
  });
}

ProgressBar::~ProgressBar() {
  if (!drawer_.joinable()) return;
  stop_ = true;
  drawer_.join();
  std::fprintf(stderr, "\r\033[K");  // leave the line clean for the report
  std::fflush(stderr);
}

void ProgressBar::Draw() const {
  std::string line = FormatProgressLine("reading", progress_.done(), progress_.total(), kBarWidth);
  std::fprintf(stderr, "\r%s", line.c_str());
  std::fflush(stderr);
}

}  // namespace telltale::cli
