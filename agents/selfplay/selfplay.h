// selfplay: PPO that plays two-player envs (Sumo-v0, ConnectFour-v0) against a pool of
// its own past snapshots (agents/selfplay/self_play_batch.h). Evaluations play the
// recipe's eval_opponent; the run's checkpoints (checkpoint_every, keep_checkpoints)
// are the snapshots a tournament can pit the final policy against.
#pragma once
#include "agents/common/trainer.h"

namespace rlarena {
namespace selfplay {
Algorithm algorithm();
}
}  // namespace rlarena
