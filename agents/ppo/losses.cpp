#include "agents/ppo/losses.h"

namespace rlarena::ppo {

PolicyLoss clipped_policy_loss(const torch::Tensor& new_log_prob, const torch::Tensor& old_log_prob,
                               const torch::Tensor& advantages, double clip) {
  const torch::Tensor log_ratio = new_log_prob - old_log_prob;
  const torch::Tensor ratio = log_ratio.exp();
  const torch::Tensor unclipped = ratio * advantages;
  const torch::Tensor clipped = torch::clamp(ratio, 1.0 - clip, 1.0 + clip) * advantages;
  PolicyLoss out;
  out.loss = -torch::min(unclipped, clipped).mean();
  {
    torch::NoGradGuard no_grad;
    out.clip_fraction = ((ratio - 1.0).abs() > clip).to(torch::kFloat32).mean();
    out.approx_kl = ((ratio - 1.0) - log_ratio).mean();
  }
  return out;
}

torch::Tensor value_loss(const torch::Tensor& values, const torch::Tensor& returns, const torch::Tensor& old_values,
                         double clip) {
  const torch::Tensor unclipped = (values - returns).pow(2);
  if (clip <= 0) return 0.5 * unclipped.mean();
  const torch::Tensor clipped_values = old_values + torch::clamp(values - old_values, -clip, clip);
  return 0.5 * torch::max(unclipped, (clipped_values - returns).pow(2)).mean();
}

}  // namespace rlarena::ppo
