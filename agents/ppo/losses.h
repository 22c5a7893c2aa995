// PPO's advantage estimate and objective (Schulman et al. 2017; GAE: Schulman et al.
// 2016), as pure functions on [T, N] rollout tensors so they can be checked by hand.
#pragma once
#include <torch/torch.h>

namespace rlarena::ppo {

// Generalized advantage estimation over a segment of T steps of N envs.
//   values:      V(s_t)                                   [T, N]
//   next_values: V of each step's next observation: the following step's state,
//                or the final observation where the episode ended (VecEnv's final_obs)
//                                                          [T, N]
//   terminated / truncated: 0/1                            [T, N]
// A terminated step does not bootstrap; a truncated one does, from V(final_obs) (never
// treated as terminal). The lambda-return recursion stops at every episode end.
// Returns (advantages, returns = advantages + values).
std::pair<torch::Tensor, torch::Tensor> gae(const torch::Tensor& rewards, const torch::Tensor& values,
                                            const torch::Tensor& next_values, const torch::Tensor& terminated,
                                            const torch::Tensor& truncated, double gamma, double lambda);

// The clipped surrogate policy loss -E[min(r A, clip(r, 1 - eps, 1 + eps) A)], with
// r = exp(new_log_prob - old_log_prob). Also the fraction of clipped ratios and the
// approximate KL ((r - 1) - log r).
struct PolicyLoss {
  torch::Tensor loss, clip_fraction, approx_kl;
};
PolicyLoss clipped_policy_loss(const torch::Tensor& new_log_prob, const torch::Tensor& old_log_prob,
                               const torch::Tensor& advantages, double clip);

// 0.5 E[(V - R)^2]; with `clip` > 0, CleanRL's clipped value loss:
// 0.5 E[max((V - R)^2, (V_old + clip(V - V_old, -c, c) - R)^2)].
torch::Tensor value_loss(const torch::Tensor& values, const torch::Tensor& returns, const torch::Tensor& old_values,
                         double clip);

}  // namespace rlarena::ppo
