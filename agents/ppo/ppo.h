// PPO (Schulman et al. 2017) as CleanRL's ppo.py and ppo_continuous_action.py run it:
// N envs stepped T steps into the ReplayStore, GAE over the segment, then `epochs`
// passes of `minibatches` shuffled minibatches of the clipped objective with an
// entropy bonus, a (clipped) value loss, advantage normalization, learning-rate
// annealing and gradient-norm clipping. Truncated episodes bootstrap from final_obs.
#pragma once
#include "agents/common/trainer.h"

namespace rlarena::ppo {

Algorithm algorithm();

}  // namespace rlarena::ppo
