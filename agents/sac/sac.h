// SAC (Haarnoja et al. 2018, with automatic entropy tuning) as CleanRL's
// sac_continuous_action.py runs it: twin Q critics with soft target updates, a
// tanh-squashed Gaussian actor updated every `policy_frequency` steps (as many
// times, so the ratio stays one), and a learned temperature aiming at entropy -|A|.
// Uniform random actions for the first learning_starts steps.
#pragma once
#include "agents/common/trainer.h"

namespace rlarena::sac {

Algorithm algorithm();

}  // namespace rlarena::sac
