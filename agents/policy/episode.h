// Single episodes under a policy on one env: the loop of `rlarena rollout` (a CSV row
// per step) and of videos (`rlarena render`, and the evaluation videos of a run).
#pragma once
#include <cstdint>
#include <functional>

#include "agents/common/policy.h"
#include "common/progress.h"
#include "envs/core/env.h"
#include "envs/render/media.h"

namespace rlarena {

struct EpisodeResult {
  double episode_return = 0;
  int64_t length = 0;
  bool ended = false;  // terminated or truncated (not cut by max_steps)
};

// Steps `env` from its current state, whose observation is `obs`, under `policy` until
// the episode ends or after `max_steps` steps (0: no limit). `on_step` sees each step's
// action and result.
EpisodeResult run_episode(Env& env, const Array& obs, Policy& policy, Acting acting, int64_t max_steps,
                          const std::function<void(const Array& action, const StepResult& result)>& on_step);

struct VideoOptions {
  uint64_t seed = 0;       // episode e starts from reset(seed + e)
  int episodes = 1;
  int64_t max_steps = 0;   // per episode; 0: the env's own limit
  Acting acting = Acting::Deterministic;
};
// Records episodes into `video`: a frame after each reset and one after each step, so
// an episode of L steps gives L + 1 frames. Returns each episode's result.
std::vector<EpisodeResult> record_episodes(Env& env, Policy& policy, const VideoOptions& options, VideoWriter& video,
                                           Progress* progress = nullptr);

}  // namespace rlarena
