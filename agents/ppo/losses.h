// PPO's objective (Schulman et al. 2017) as pure functions, so they can be checked
// by hand.
#pragma once
#include <torch/torch.h>

namespace rlarena::ppo {

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
