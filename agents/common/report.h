// Report: what one training iteration reports (a row of metrics.csv, and the rows of
// episodes.csv for the episodes that ended in it).
#pragma once
#include <cstdint>
#include <vector>

namespace rlarena {

struct Report {
  int64_t global_step = 0;
  std::vector<double> episode_returns;  // episodes that ended during the iteration
  std::vector<int64_t> episode_lengths;
  std::vector<int64_t> episode_ends;  // the global step at which each ended
  std::vector<double> losses;         // in loss_names() order; NaN where nothing was learned
};

}  // namespace rlarena
