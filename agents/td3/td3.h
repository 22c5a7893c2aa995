// TD3 (Fujimoto et al. 2018) as CleanRL's td3_continuous_action.py runs it: twin Q
// critics, target policy smoothing (clipped Gaussian noise on the target action),
// actor and target updates every `policy_frequency` critic steps, Gaussian
// exploration noise. Uniform random actions for the first learning_starts steps.
#pragma once
#include "agents/common/trainer.h"

namespace rlarena::td3 {

Algorithm algorithm();

}  // namespace rlarena::td3
