// Generalized advantage estimation (Schulman et al. 2016) for on-policy rollouts, as
// a pure function on [T, N] tensors so it can be checked by hand.
#pragma once
#include <torch/torch.h>

namespace rlarena {

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

}  // namespace rlarena
