#include "agents/common/distributions.h"

#include <cmath>

namespace rlarena {

namespace {
constexpr double kLogSqrt2Pi = 0.91893853320467274178;  // log(sqrt(2 pi))
}

torch::Tensor normal_noise(Rng& rng, at::IntArrayRef shape) {
  torch::Tensor t = torch::empty(shape, torch::kFloat32);
  float* p = t.data_ptr<float>();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<float>(rng.normal());
  return t;
}

Categorical::Categorical(torch::Tensor logits) : log_probs_(torch::log_softmax(logits, -1)) {}

torch::Tensor Categorical::sample(Rng& rng) const {
  const torch::Tensor probs = log_probs_.detach().exp().contiguous().to(torch::kFloat64);
  const int64_t n = probs.size(0), k = probs.size(1);
  torch::Tensor out = torch::empty({n}, torch::kInt64);
  const double* p = probs.data_ptr<double>();
  int64_t* a = out.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    // Inverse CDF; the last action takes any rounding remainder.
    double u = rng.uniform(), acc = 0;
    int64_t choice = k - 1;
    for (int64_t j = 0; j < k; ++j) {
      acc += p[i * k + j];
      if (u < acc) {
        choice = j;
        break;
      }
    }
    a[i] = choice;
  }
  return out;
}

torch::Tensor Categorical::mode() const { return log_probs_.argmax(-1); }

torch::Tensor Categorical::log_prob(const torch::Tensor& actions) const {
  return log_probs_.gather(-1, actions.to(torch::kInt64).unsqueeze(-1)).squeeze(-1);
}

torch::Tensor Categorical::entropy() const { return -(log_probs_.exp() * log_probs_).sum(-1); }

DiagGaussian::DiagGaussian(torch::Tensor mean, torch::Tensor log_std)
    : mean_(std::move(mean)), log_std_(log_std.expand_as(mean_)), std_(log_std_.exp()) {}

torch::Tensor DiagGaussian::sample(Rng& rng) const {
  return mean_.detach() + std_.detach() * normal_noise(rng, mean_.sizes());
}

torch::Tensor DiagGaussian::log_prob(const torch::Tensor& actions) const {
  const torch::Tensor z = (actions - mean_) / std_;
  return (-0.5 * z * z - log_std_ - kLogSqrt2Pi).sum(-1);
}

torch::Tensor DiagGaussian::entropy() const { return (0.5 + kLogSqrt2Pi + log_std_).sum(-1); }

TanhGaussian::TanhGaussian(torch::Tensor mean, torch::Tensor log_std) : base_(std::move(mean), std::move(log_std)) {}

std::pair<torch::Tensor, torch::Tensor> TanhGaussian::rsample(Rng& rng) const {
  const torch::Tensor u = base_.mean() + base_.std() * normal_noise(rng, base_.mean().sizes());
  return {torch::tanh(u), log_prob_of_pre_tanh(u)};
}

torch::Tensor TanhGaussian::log_prob_of_pre_tanh(const torch::Tensor& u) const {
  const torch::Tensor correction = 2.0 * (std::log(2.0) - u - torch::nn::functional::softplus(-2.0 * u));
  return base_.log_prob(u) - correction.sum(-1);
}

}  // namespace rlarena
