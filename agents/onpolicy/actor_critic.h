// The on-policy agents' network: separate actor and critic MLPs; a Categorical head
// for discrete actions, a diagonal Gaussian with a learned state-independent log std
// for continuous ones (CleanRL's ppo.py and ppo_continuous_action.py). With
// actor_inputs, the actor sees only the first actor_inputs features of an observation
// and the critic all of them (MAPPO: a centralized critic on the env's state).
#pragma once
#include <torch/torch.h>

#include "agents/common/networks.h"
#include "common/rng.h"
#include "envs/core/space.h"

namespace rlarena {

struct ActorCritic : torch::nn::Module {
  ActorCritic(int64_t obs_dim, const Space& actions, const std::vector<int64_t>& hidden, Activation activation,
              double log_std_init, int64_t actor_inputs = 0);
  torch::Tensor value(const torch::Tensor& obs) { return critic->forward(obs).squeeze(-1); }
  // `mask` (optional, discrete actions): [B, n] bool, the legal actions; the others get
  // probability 0 (sb3-contrib's MaskablePPO).
  // Log-probabilities and entropies of `actions` under the policy at `obs`.
  std::pair<torch::Tensor, torch::Tensor> evaluate(const torch::Tensor& obs, const torch::Tensor& actions,
                                                   const torch::Tensor& mask = {});
  // Actions sampled at `obs` from our generator, and their log-probabilities.
  std::pair<torch::Tensor, torch::Tensor> sample(const torch::Tensor& obs, Rng& rng, const torch::Tensor& mask = {});
  // The most likely actions at `obs` (argmax, or the Gaussian's mean).
  torch::Tensor mode(const torch::Tensor& obs, const torch::Tensor& mask = {});
  // The actor's output (logits, or the Gaussian's mean) at `obs`.
  torch::Tensor actor_out(const torch::Tensor& obs);
  // The logits at `obs` with illegal actions pushed to a large negative number.
  torch::Tensor masked_logits(const torch::Tensor& obs, const torch::Tensor& mask);
  bool discrete;
  int64_t act_dim;
  int64_t actor_inputs;  // 0: every feature
  torch::nn::Sequential critic{nullptr}, actor{nullptr};
  torch::Tensor log_std;
};

}  // namespace rlarena
