// The rows a recipe's env gives its data source: a VecEnv for a single-agent env id;
// for a multi-agent one, every (env, agent) row with one shared policy (recipe keys
// agent_ids, central_critic where the algorithm has them), or, with self_play, the
// learner's seat of each game (agents/selfplay/self_play_batch.h).
#pragma once
#include <cstdint>
#include <memory>

#include "agents/common/recipe.h"
#include "envs/core/env_batch.h"

namespace rlarena {

struct EnvBatchOptions {
  int64_t num_envs = 1;
  uint64_t seed = 0;
  int threads = 1;
  bool evaluation = false;  // for evaluations: self-play games against the recipe's eval opponent
};

// What builds a self-play batch: set by agents/selfplay, which links above the data layer.
using SelfPlayFactory = std::unique_ptr<EnvBatch> (*)(const Recipe&, const EnvBatchOptions&);
void set_self_play_factory(SelfPlayFactory factory);

std::unique_ptr<EnvBatch> make_env_batch(const Recipe& recipe, const EnvBatchOptions& options);
// The run's own rows: num_envs, seed and env_threads from the recipe.
std::unique_ptr<EnvBatch> make_env_batch(const Recipe& recipe);

}  // namespace rlarena
