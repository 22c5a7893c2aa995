#include "offline/scores.h"

namespace rlarena {

std::optional<ScoreRefs> d4rl_refs(const std::string& env_id) {
  // D4RL's infos.py REF_MIN_SCORE / REF_MAX_SCORE of its locomotion datasets.
  const std::string name = env_id.substr(0, env_id.rfind("-v"));
  if (name == "Hopper") return ScoreRefs{-20.272305, 3234.3};
  if (name == "HalfCheetah") return ScoreRefs{-280.178953, 12135.0};
  if (name == "Walker2d") return ScoreRefs{1.629008, 4592.3};
  if (name == "Ant") return ScoreRefs{-325.6, 3879.7};
  return std::nullopt;
}

std::optional<ScoreRefs> score_refs(const Metadata& metadata, const std::string& env_id) {
  const auto low = metadata_number(metadata, "ref_min_score"), high = metadata_number(metadata, "ref_max_score");
  if (low && high && *high != *low) return ScoreRefs{*low, *high};
  return d4rl_refs(env_id);
}

}  // namespace rlarena
