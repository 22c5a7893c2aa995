// PPO (Schulman et al. 2017) as CleanRL's ppo.py runs it: N envs stepped T steps
// into the ReplayStore, GAE over the segment read back from it, then `epochs` passes
// of `minibatches` minibatches of the clipped objective with an entropy bonus, a
// (clipped) value loss, advantage normalization, learning-rate annealing and
// gradient-norm clipping. Separate actor and critic MLPs; discrete actions sample a
// Categorical, continuous ones a diagonal Gaussian with a learned state-independent
// log std. Everything random draws from seeded generators: same seed, same run.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "envs/core/kwargs.h"

namespace rlarena::ppo {

struct Config {
  std::string env_id = "CartPole-v1";
  Kwargs env_kwargs;
  int64_t num_envs = 8, num_steps = 128, total_steps = 500000;
  int64_t epochs = 4, minibatches = 4;
  double learning_rate = 2.5e-4, gamma = 0.99, gae_lambda = 0.95, clip = 0.2;
  double ent_coef = 0.01, vf_coef = 0.5, max_grad_norm = 0.5;
  bool anneal_lr = true, norm_adv = true, clip_vloss = true;
  std::vector<int64_t> hidden = {64, 64};
  uint64_t seed = 1;
  int env_threads = 1;
};

// What one update reports (metrics.csv columns later).
struct UpdateStats {
  int64_t global_step = 0;
  double policy_loss = 0, value_loss = 0, entropy = 0, approx_kl = 0, clip_fraction = 0;
  std::vector<double> episode_returns;  // episodes that ended during this update's rollout
  std::vector<int64_t> episode_lengths;
};

// Trains until total_steps env steps; `on_update` sees each update's stats and may
// return false to stop early.
void train(const Config& config, const std::function<bool(const UpdateStats&)>& on_update);

}  // namespace rlarena::ppo
