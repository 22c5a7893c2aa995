#include "agents/ppo/losses.h"

namespace rlarena::ppo {

std::pair<torch::Tensor, torch::Tensor> gae(const torch::Tensor& rewards, const torch::Tensor& values,
                                            const torch::Tensor& next_values, const torch::Tensor& terminated,
                                            const torch::Tensor& truncated, double gamma, double lambda) {
  const int64_t steps = rewards.size(0);
  torch::Tensor advantages = torch::zeros_like(rewards);
  torch::Tensor running = torch::zeros_like(rewards[0]);
  for (int64_t t = steps - 1; t >= 0; --t) {
    const torch::Tensor not_terminal = 1.0 - terminated[t];
    const torch::Tensor goes_on = 1.0 - torch::clamp(terminated[t] + truncated[t], 0.0, 1.0);
    const torch::Tensor delta = rewards[t] + gamma * next_values[t] * not_terminal - values[t];
    running = delta + gamma * lambda * goes_on * running;
    advantages[t] = running;
  }
  return {advantages, advantages + values};
}

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
