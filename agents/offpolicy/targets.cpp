#include "agents/offpolicy/targets.h"

namespace rlarena {

torch::Tensor td_target(const torch::Tensor& rewards, const torch::Tensor& terminated, const torch::Tensor& next_value,
                        double gamma) {
  return rewards + gamma * (1 - terminated) * next_value;
}

torch::Tensor dqn_next_value(const torch::Tensor& target_q, const torch::Tensor& online_q, bool double_dqn) {
  if (double_dqn) return target_q.gather(1, online_q.argmax(1, true)).squeeze(1);
  return std::get<0>(target_q.max(1));
}

torch::Tensor sac_next_value(const torch::Tensor& next_q, const torch::Tensor& next_log_prob, double alpha) {
  return std::get<0>(next_q.min(0)) - alpha * next_log_prob;
}

torch::Tensor sac_alpha_loss(const torch::Tensor& log_alpha, const torch::Tensor& log_prob, double target_entropy) {
  return (-log_alpha.exp() * (log_prob.detach() + target_entropy)).mean();
}

torch::Tensor td3_target_action(const torch::Tensor& target_action, const torch::Tensor& noise, double policy_noise,
                                double noise_clip, const torch::Tensor& scale, const torch::Tensor& low,
                                const torch::Tensor& high) {
  const torch::Tensor smoothing = (noise * policy_noise).clamp(-noise_clip, noise_clip) * scale;
  return torch::max(torch::min(target_action + smoothing, high), low);
}

}  // namespace rlarena
