// The cross-entropy method over action sequences, as PETS plans (Chua et al. 2018;
// MBRL-Lib's CEMOptimizer): a Gaussian over [horizon, action] sequences, truncated to
// the action bounds, refit to the elite share of each population, its mean smoothed
// toward the previous iteration's by alpha. The whole population is scored in one call.
#pragma once
#include <torch/torch.h>

#include <functional>

#include "common/rng.h"

namespace rlarena {

struct CemOptions {
  int64_t population = 500, elites = 50, iterations = 5;
  double alpha = 0.1;       // weight of the previous mean and variance
  double initial_std = -1;  // <= 0: a quarter of the action range (MBRL-Lib's)
};

// Returns the best mean sequence [horizon, action]. `returns` scores sequences
// [population, horizon, action] -> [population] (higher is better). `initial` is the
// starting mean (a warm start: the previous plan shifted by one step).
torch::Tensor cem_optimize(const std::function<torch::Tensor(const torch::Tensor&)>& returns,
                           const torch::Tensor& initial, const torch::Tensor& low, const torch::Tensor& high,
                           const CemOptions& options, Rng& rng);

}  // namespace rlarena
