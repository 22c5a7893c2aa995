// PPO on a multi-agent env's (env, agent) rows (agents/data/env_batches.h):
//   ippo:  one policy shared by all agents, each row its agent's own observation with
//          its one-hot id (parameter-sharing independent PPO, as PettingZoo users run
//          SB3 PPO over SuperSuit's vector env); with shared_policy = false, a learner
//          of its own per agent (independent PPO, agents/multi/independent.h);
//   mappo: the same actor, with a centralized critic that also sees every agent's
//          observation (Yu et al. 2022, MAPPO's agent-specific global state).
// Both count env steps (not agent rows) in total_steps and report each agent's
// episode return; evaluations average over agents.
#pragma once
#include "agents/common/trainer.h"

namespace rlarena {

namespace ippo {
Algorithm algorithm();
}
namespace mappo {
Algorithm algorithm();
}

}  // namespace rlarena
