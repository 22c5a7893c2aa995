// Normalized scores (D4RL's): 100 * (R - ref_min) / (ref_max - ref_min), so 0 is a
// random policy and 100 an expert, for the envs and datasets whose references are known.
#pragma once

namespace rlarena {

struct ScoreRefs {
  double min = 0, max = 0;
  double normalized(double ret) const { return 100.0 * (ret - min) / (max - min); }
};

}  // namespace rlarena
