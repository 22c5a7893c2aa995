// The model-based parts: the probabilistic ensemble and the CEM planner.
#include <catch2/catch.hpp>

#include "agents/model_based/cem.h"
#include "agents/model_based/ensemble_model.h"

using namespace rlarena;

namespace {

EnsembleOptions small() {
  EnsembleOptions o;
  o.members = 5;
  o.elites = 3;
  o.hidden = {64, 64};
  o.max_epochs = 60;
  o.patience = 8;
  return o;
}

// y = A x + b, inputs uniform in [-1, 1]^3, a little noise.
std::pair<torch::Tensor, torch::Tensor> linear_data(int64_t n, Rng& rng) {
  const torch::Tensor a = torch::tensor({{1.0f, -2.0f}, {0.5f, 0.0f}, {-1.0f, 3.0f}});
  torch::Tensor x = torch::empty({n, 3});
  for (int64_t i = 0; i < x.numel(); ++i) x.data_ptr<float>()[i] = static_cast<float>(rng.uniform(-1, 1));
  torch::Tensor noise = torch::empty({n, 2});
  for (int64_t i = 0; i < noise.numel(); ++i) noise.data_ptr<float>()[i] = static_cast<float>(0.01 * rng.normal());
  return {x, torch::mm(x, a) + torch::tensor({0.5f, -0.25f}) + noise};
}

}  // namespace

TEST_CASE("The ensemble fits a linear system; its members disagree away from the data", "[model_based]") {
  torch::manual_seed(0);
  Rng rng(1);
  auto [x, y] = linear_data(2000, rng);
  ProbabilisticEnsemble model(3, 2, small());
  const auto report = model.fit(x, y, rng);
  CHECK(report.epochs >= 5);
  auto [tx, ty] = linear_data(500, rng);
  torch::NoGradGuard no_grad;
  auto [mean, logvar] = model.forward(tx);
  const double mse = (mean - ty.unsqueeze(0)).pow(2).mean().item<double>();
  CHECK(mse < 0.01);
  // Disagreement between members (epistemic variance) at the data against far outside it.
  const double inside = mean.var(0).mean().item<double>();
  const torch::Tensor far = torch::full({100, 3}, 4.0);
  const double outside = model.forward(far).first.var(0).mean().item<double>();
  CHECK(outside > 20 * inside);
  // The elites are the members with the lowest held-out error.
  std::vector<int64_t> ranked = {0, 1, 2, 3, 4};
  std::sort(ranked.begin(), ranked.end(),
            [&](int64_t a, int64_t b) { return report.holdout_mse[a] < report.holdout_mse[b]; });
  CHECK(model.elites() == std::vector<int64_t>(ranked.begin(), ranked.begin() + 3));
}

TEST_CASE("Trajectory sampling keeps each row on its member", "[model_based]") {
  torch::manual_seed(0);
  ProbabilisticEnsemble model(3, 2, small());
  Rng rng(2);
  const torch::Tensor x = torch::randn({4, 3});
  const std::vector<int64_t> members = {3, 0, 3, 1};
  const torch::Tensor s = model.sample(x, members, rng, true);
  torch::NoGradGuard no_grad;
  const torch::Tensor all = model.forward(x).first;  // [5, 4, 2]
  for (int64_t i = 0; i < 4; ++i) CHECK(torch::equal(s[i], all[members[i]][i]));
  // Sampled, the noise is the member's own variance: the same generator state, the same draw.
  Rng a(9), b(9);
  CHECK(torch::equal(model.sample(x, members, a), model.sample(x, members, b)));
}

TEST_CASE("CEM finds the optimum of a quadratic inside the bounds", "[model_based]") {
  Rng rng(3);
  const torch::Tensor target = torch::tensor({{0.3f, -0.7f}, {0.9f, 0.1f}, {-0.2f, 0.5f}});  // [horizon 3, action 2]
  const auto score = [&](const torch::Tensor& seqs) { return -(seqs - target).pow(2).sum({1, 2}); };
  CemOptions o;
  o.population = 400;
  o.elites = 40;
  o.iterations = 8;
  const torch::Tensor best =
      cem_optimize(score, torch::zeros({3, 2}), -torch::ones({2}), torch::ones({2}), o, rng);
  CHECK((best - target).abs().max().item<double>() < 0.05);
  // A target outside the box: the plan stops at the bound.
  const torch::Tensor outside = torch::full({3, 2}, 2.0);
  const auto to_corner = [&](const torch::Tensor& seqs) { return -(seqs - outside).pow(2).sum({1, 2}); };
  const torch::Tensor corner = cem_optimize(to_corner, torch::zeros({3, 2}), -torch::ones({2}), torch::ones({2}), o, rng);
  CHECK(corner.min().item<double>() > 0.9);
  CHECK(corner.max().item<double>() <= 1.0);
}
