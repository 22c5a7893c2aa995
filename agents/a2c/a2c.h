// A2C (Mnih et al. 2016, synchronous), with Stable-Baselines3's defaults: N envs x
// n-step rollouts (5), plain returns (gae_lambda 1), one RMSprop step per rollout on
// the policy-gradient loss, the squared value error and an entropy bonus. Shares
// the actor-critic network and rollouts with PPO (agents/onpolicy).
#pragma once
#include "agents/common/trainer.h"

namespace rlarena::a2c {

Algorithm algorithm();

}  // namespace rlarena::a2c
