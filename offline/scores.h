// Score references of offline datasets: a dataset's own (Minari's ref_min_score and
// ref_max_score, or the same keys under metadata/ of our D4RL files), else D4RL's
// published ones for the four locomotion envs.
#pragma once
#include <optional>
#include <string>

#include "agents/common/score.h"
#include "replay/d4rl.h"

namespace rlarena {

// D4RL's references (the random and expert policies' returns) for hopper, halfcheetah,
// walker2d and ant, whatever the env version; none for other envs.
std::optional<ScoreRefs> d4rl_refs(const std::string& env_id);

// The dataset's references where its metadata has both (and they differ), else d4rl_refs.
std::optional<ScoreRefs> score_refs(const Metadata& metadata, const std::string& env_id);

}  // namespace rlarena
