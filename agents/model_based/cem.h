// The cross-entropy method over action sequences, as PETS plans (Chua et al. 2018;
// MBRL-Lib's CEMOptimizer): a Gaussian over [horizon, action] sequences, truncated to
// the action bounds, refit to the elite share of each population, its mean smoothed
// toward the previous iteration's by alpha. The whole population is scored in one call.
// Elites are every sequence scoring at least the elites-th best score (Rubinstein and
// Kroese's elite set, ties included), not an arbitrary `elites` of them: where many
// sequences tie at the best value (every one that keeps InvertedPendulum's pole up earns
// the same reward), the refit is the mean of all of them rather than of a chance few.
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

// The rows of `values` [population] that are elites: those scoring at least the
// elites-th highest value (so at least `elites` rows, more where values tie there).
torch::Tensor elite_rows(const torch::Tensor& values, int64_t elites);

// Returns the best mean sequence [horizon, action]. `returns` scores sequences
// [population, horizon, action] -> [population] (higher is better). `initial` is the
// starting mean (a warm start: the previous plan shifted by one step).
torch::Tensor cem_optimize(const std::function<torch::Tensor(const torch::Tensor&)>& returns,
                           const torch::Tensor& initial, const torch::Tensor& low, const torch::Tensor& high,
                           const CemOptions& options, Rng& rng);

}  // namespace rlarena
