#include "agents/onpolicy/gae.h"

namespace rlarena {

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

}  // namespace rlarena
