// Action distributions of the agents. Sampling draws from our own seeded Rng, not
// torch's generator: reproducible at any thread count and cheaper per call (DESIGN.md
// measured torch::multinomial at ~30 us).
#pragma once
#include <torch/torch.h>

#include "common/rng.h"

namespace rlarena {

// Categorical over the last dimension of `logits` [N, K].
class Categorical {
 public:
  explicit Categorical(torch::Tensor logits);
  torch::Tensor sample(Rng& rng) const;  // [N] int64
  torch::Tensor mode() const;            // [N] int64, the most likely action
  torch::Tensor log_prob(const torch::Tensor& actions) const;  // [N]
  torch::Tensor entropy() const;                               // [N]

 private:
  torch::Tensor log_probs_;  // normalized logits
};

// Independent Gaussians per action dimension: mean [N, D], log_std [N, D] or [D].
class DiagGaussian {
 public:
  DiagGaussian(torch::Tensor mean, torch::Tensor log_std);
  torch::Tensor sample(Rng& rng) const;  // mean + std * eps, eps from rng
  torch::Tensor mode() const { return mean_; }
  torch::Tensor log_prob(const torch::Tensor& actions) const;  // [N], summed over D
  torch::Tensor entropy() const;                               // [N]
  const torch::Tensor& mean() const { return mean_; }
  const torch::Tensor& std() const { return std_; }

 private:
  torch::Tensor mean_, log_std_, std_;
};

// SAC's squashed Gaussian: a = tanh(u), u ~ N(mean, std), with the change-of-variables
// correction log p(a) = log N(u) - sum log(1 - tanh(u)^2), in the stable form
// 2 (log 2 - u - softplus(-2u)).
class TanhGaussian {
 public:
  TanhGaussian(torch::Tensor mean, torch::Tensor log_std);
  // A reparameterized sample (gradients flow to mean and log_std) and its log-prob.
  std::pair<torch::Tensor, torch::Tensor> rsample(Rng& rng) const;
  torch::Tensor mode() const { return torch::tanh(base_.mean()); }
  torch::Tensor log_prob_of_pre_tanh(const torch::Tensor& u) const;  // [N]

 private:
  DiagGaussian base_;
};

// Standard normal noise of `shape` from rng, as float32.
torch::Tensor normal_noise(Rng& rng, at::IntArrayRef shape);

}  // namespace rlarena
