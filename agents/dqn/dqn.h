// DQN (Mnih et al. 2015) as CleanRL's dqn.py runs it: epsilon-greedy acting with a
// linearly decaying epsilon, a Q network trained every `train_frequency` steps on
// uniform minibatches, and a target network updated every
// `target_network_frequency` steps (tau 1: copied). Options: double DQN (van Hasselt
// et al. 2016), a dueling head (Wang et al. 2016) and prioritized replay (Schaul et
// al. 2016, with importance weights and beta annealed to 1).
#pragma once
#include "agents/common/trainer.h"

namespace rlarena::dqn {

Algorithm algorithm();

}  // namespace rlarena::dqn
