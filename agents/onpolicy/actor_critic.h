// The on-policy agents' network: separate actor and critic MLPs; a Categorical head
// for discrete actions, a diagonal Gaussian with a learned state-independent log std
// for continuous ones (CleanRL's ppo.py and ppo_continuous_action.py). With
// actor_inputs, the actor sees only the first actor_inputs features of an observation
// and the critic all of them (MAPPO: a centralized critic on the env's state). With
// image observations (uint8 [H, W, C], flattened), a Nature CNN shared by both heads
// reads the frames scaled to [0, 1] (SB3's CnnPolicy).
#pragma once
#include <torch/torch.h>

#include "agents/common/networks.h"
#include "common/rng.h"
#include "envs/core/space.h"

namespace rlarena {

struct ActorCritic : torch::nn::Module {
  // `image`: [H, W, C] of image observations ({}: vectors); `orthogonal`: CleanRL's
  // orthogonal initialisation, else PyTorch's defaults (SB3's ortho_init = False).
  ActorCritic(int64_t obs_dim, const Space& actions, const std::vector<int64_t>& hidden, Activation activation,
              double log_std_init, int64_t actor_inputs = 0, const std::vector<int64_t>& image = {},
              bool orthogonal = true);
  torch::Tensor value(const torch::Tensor& obs) { return critic->forward(features(obs)).squeeze(-1); }
  // `mask` (optional, discrete actions): [B, n] bool, the legal actions; the others get
  // probability 0 (sb3-contrib's MaskablePPO).
  // Log-probabilities and entropies of `actions` under the policy at `obs`.
  // With `value`, also the critic's values, from the same CNN pass.
  std::pair<torch::Tensor, torch::Tensor> evaluate(const torch::Tensor& obs, const torch::Tensor& actions,
                                                   const torch::Tensor& mask = {}, torch::Tensor* value = nullptr);
  // Actions sampled at `obs` from our generator, and their log-probabilities.
  std::pair<torch::Tensor, torch::Tensor> sample(const torch::Tensor& obs, Rng& rng, const torch::Tensor& mask = {});
  // The most likely actions at `obs` (argmax, or the Gaussian's mean).
  torch::Tensor mode(const torch::Tensor& obs, const torch::Tensor& mask = {});
  // The actor's output (logits, or the Gaussian's mean) at `obs`.
  torch::Tensor actor_out(const torch::Tensor& obs);
  // The logits at `obs` with illegal actions pushed to a large negative number.
  torch::Tensor masked_logits(const torch::Tensor& obs, const torch::Tensor& mask);
  // What the heads read: the CNN's features of image observations, else `obs` itself.
  torch::Tensor features(const torch::Tensor& obs);
  bool discrete;
  int64_t act_dim;
  int64_t actor_inputs;  // 0: every feature
  std::vector<int64_t> image;  // [H, W, C], or empty
  torch::nn::Sequential encoder{nullptr}, critic{nullptr}, actor{nullptr};
  torch::Tensor log_std;

 private:
  torch::Tensor head_out(const torch::Tensor& features);  // the actor's output from features
  torch::Tensor masked(torch::Tensor logits, const torch::Tensor& mask) const;
};

}  // namespace rlarena
