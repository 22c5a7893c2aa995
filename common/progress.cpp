#include "common/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace rlarena {

namespace {
constexpr double kTtyRedrawSeconds = 0.2;
constexpr double kPlainLineSeconds = 5.0;
constexpr int kBarWidth = 30;
}  // namespace

Progress::Progress(std::string label, double total)
    : label_(std::move(label)), total_(total), tty_(isatty(STDERR_FILENO)),
      last_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { finish(); }

void Progress::update(double done, const std::string& detail) {
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  if (since < (tty_ ? kTtyRedrawSeconds : kPlainLineSeconds)) return;
  last_ = now;
  const double frac = total_ > 0 ? std::clamp(done / total_, 0.0, 1.0) : 0.0;
  if (tty_) {
    const int filled = static_cast<int>(frac * kBarWidth);
    std::string bar(filled, '#');
    bar.resize(kBarWidth, '.');
    std::fprintf(stderr, "\r%s [%s] %3.0f%%  %s\x1b[K", label_.c_str(), bar.c_str(), frac * 100,
                 detail.c_str());
  } else {
    std::fprintf(stderr, "%s %3.0f%%  %s\n", label_.c_str(), frac * 100, detail.c_str());
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (tty_) std::fprintf(stderr, "\r\x1b[K");
}

}  // namespace rlarena
