// Progress: long work reports on stderr, a redrawn bar when stderr is a terminal
// and a plain line every few seconds when it is not (logs, CI).
#pragma once
#include <chrono>
#include <string>

namespace rlarena {

class Progress {
 public:
  // `total` in the caller's units (e.g. seconds or steps); `label` starts each line.
  Progress(std::string label, double total);
  ~Progress();
  // Reports `done` of `total`, with `detail` (e.g. "12.3M steps/s") appended.
  void update(double done, const std::string& detail);
  void finish();

 private:
  std::string label_;
  double total_;
  bool tty_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace rlarena
