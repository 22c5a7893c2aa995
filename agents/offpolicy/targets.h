// The bootstrapped targets and small losses of the off-policy agents, as pure tensor
// functions so that tests can check them on hand-computed numbers.
#pragma once
#include <torch/torch.h>

namespace rlarena {

// r + gamma (1 - terminated) next_value. Truncated steps are not terminal: their
// next observation is the true one (final_obs), so they bootstrap.
torch::Tensor td_target(const torch::Tensor& rewards, const torch::Tensor& terminated, const torch::Tensor& next_value,
                        double gamma);

// DQN's next-state value: max_a Q_target(s', a), or with double DQN
// Q_target(s', argmax_a Q_online(s', a)).
torch::Tensor dqn_next_value(const torch::Tensor& target_q, const torch::Tensor& online_q, bool double_dqn);

// SAC's soft value of the next state: min_i Q_i(s', a') - alpha log pi(a'|s') over
// critics stacked in dim 0 ([K, B]).
torch::Tensor sac_next_value(const torch::Tensor& next_q, const torch::Tensor& next_log_prob, double alpha);

// SAC's temperature loss -E[log_alpha.exp() (log pi + target_entropy)] (CleanRL's form).
torch::Tensor sac_alpha_loss(const torch::Tensor& log_alpha, const torch::Tensor& log_prob, double target_entropy);

// TD3's target action: clip(pi'(s') + clip(noise * policy_noise, -noise_clip, noise_clip) * scale, low, high),
// with `noise` standard normal.
torch::Tensor td3_target_action(const torch::Tensor& target_action, const torch::Tensor& noise, double policy_noise,
                                double noise_clip, const torch::Tensor& scale, const torch::Tensor& low,
                                const torch::Tensor& high);

}  // namespace rlarena
