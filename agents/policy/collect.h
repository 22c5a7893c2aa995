// Dataset collection: a policy acts in a VecEnv and every transition goes into a
// crash-safe D4RL file (replay/collector.h), flushed every few thousand steps.
#pragma once
#include <cstdint>
#include <string>

#include "agents/common/policy.h"
#include "envs/core/vec_env.h"
#include "replay/d4rl.h"

namespace rlarena {

struct CollectOptions {
  std::string out;             // the D4RL file to create (never overwritten)
  // Transitions over all envs: at least this many, in whole episodes, unless
  // keep_partial, which stops at the first VecEnv step reaching it and keeps the
  // unfinished episodes, cut short as timeouts.
  int64_t steps = 0;
  bool keep_partial = false;
  Acting acting = Acting::Deterministic;
  int64_t flush_every = 10000;  // transitions between flushes of finished episodes
  Metadata metadata;           // written into the file's metadata group
};

struct CollectResult {
  int64_t steps = 0;     // committed to the file
  int64_t episodes = 0;  // finished or running episodes in the file
  double return_mean = 0;
};

// Resets `venv` and steps it with `policy` until `options.steps` transitions are in the file.
// An env without a time limit whose episodes do not end within 10x the steps is an Error
// naming keep_partial.
CollectResult collect_dataset(VecEnv& venv, Policy& policy, const CollectOptions& options);

}  // namespace rlarena
