// Shared agent parts: CleanRL-style initialisation, the action distributions' log
// probabilities and entropies against hand-computed values, sampling from our seeded
// generator, and the running normalizers against direct computations.
#include <catch2/catch.hpp>
#include <cmath>

#include "agents/common/distributions.h"
#include "agents/common/networks.h"
#include "agents/common/normalizers.h"

using namespace rlarena;

TEST_CASE("MLPs are initialised orthogonally with CleanRL's gains and zero biases", "[agents]") {
  torch::manual_seed(0);
  auto net = mlp(4, {64, 64}, 2, Activation::Tanh, Init::orthogonal(0.01));
  REQUIRE(net->size() == 5);  // linear, tanh, linear, tanh, linear
  auto first = net[0]->as<torch::nn::Linear>();
  auto last = net[4]->as<torch::nn::Linear>();
  CHECK(first->weight.sizes() == std::vector<int64_t>{64, 4});
  // Orthogonal columns scaled by sqrt(2): W^T W = 2 I for the 64x4 input layer.
  const torch::Tensor wtw = first->weight.t().mm(first->weight);
  CHECK(torch::allclose(wtw, 2.0 * torch::eye(4), 1e-4, 1e-4));
  // The output layer's rows are orthogonal with gain 0.01: W W^T = 1e-4 I.
  CHECK(torch::allclose(last->weight.mm(last->weight.t()), 1e-4 * torch::eye(2), 1e-6, 1e-8));
  CHECK(first->bias.abs().max().item<float>() == 0.0f);
  CHECK(net->forward(torch::zeros({3, 4})).sizes() == std::vector<int64_t>{3, 2});
  auto cnn = nature_cnn(4);
  CHECK(cnn->forward(torch::zeros({2, 4, 84, 84})).sizes() == std::vector<int64_t>{2, 512});
}

TEST_CASE("Categorical: log-probabilities, entropy, mode and seeded sampling", "[agents]") {
  // logits (0, ln 2): probabilities 1/3 and 2/3.
  const Categorical d(torch::tensor({{0.0f, static_cast<float>(std::log(2.0))}}));
  CHECK(d.log_prob(torch::tensor({1}, torch::kInt64)).item<float>() == Approx(std::log(2.0 / 3)));
  const double h = -(1.0 / 3 * std::log(1.0 / 3) + 2.0 / 3 * std::log(2.0 / 3));
  CHECK(d.entropy().item<float>() == Approx(h));
  CHECK(d.mode().item<int64_t>() == 1);
  // 30000 samples: the frequency of action 1 is 2/3 within 5 sigma; same seed, same samples.
  const Categorical many(torch::tensor({0.0f, static_cast<float>(std::log(2.0))}).repeat({30000, 1}));
  Rng rng(3), again(3);
  const torch::Tensor s = many.sample(rng);
  const double freq = s.to(torch::kFloat64).mean().item<double>();
  CHECK(std::fabs(freq - 2.0 / 3) < 5 * std::sqrt(2.0 / 9 / 30000));
  CHECK(torch::equal(s, many.sample(again)));
}

TEST_CASE("Diagonal and tanh Gaussians: densities, entropy, squashing", "[agents]") {
  const double log_sqrt_2pi = 0.5 * std::log(2 * M_PI);
  const DiagGaussian unit(torch::zeros({1, 2}), torch::zeros({2}));
  CHECK(unit.log_prob(torch::zeros({1, 2})).item<float>() == Approx(-2 * log_sqrt_2pi));
  CHECK(unit.entropy().item<float>() == Approx(2 * (0.5 + log_sqrt_2pi)));
  // mean 1, std e: log N(x=1+e) = -1/2 - 1 - log sqrt(2 pi).
  const DiagGaussian g(torch::ones({1, 1}), torch::ones({1}));
  CHECK(g.log_prob(torch::full({1, 1}, 1.0 + std::exp(1.0))).item<float>() == Approx(-1.5 - log_sqrt_2pi));
  // Tanh: log p(a) = log N(u) - log(1 - tanh(u)^2).
  const TanhGaussian t(torch::zeros({1, 1}), torch::zeros({1}));
  const double u = 0.7;
  const double expected = -0.5 * u * u - log_sqrt_2pi - std::log(1 - std::tanh(u) * std::tanh(u));
  CHECK(t.log_prob_of_pre_tanh(torch::full({1, 1}, u)).item<float>() == Approx(expected).epsilon(1e-5));
  // rsample stays in (-1, 1), carries gradients, and repeats with its seed.
  torch::Tensor mean = torch::zeros({4, 3}, torch::requires_grad());
  const TanhGaussian sq(mean, torch::zeros({3}));
  Rng a(5), b(5);
  auto [action, logp] = sq.rsample(a);
  CHECK(action.abs().max().item<float>() < 1.0f);
  logp.sum().backward();
  CHECK(mean.grad().defined());
  CHECK(torch::equal(sq.rsample(b).first.detach(), action.detach()));
}

TEST_CASE("Running normalizers match direct statistics and round-trip their state", "[agents]") {
  // Two batches of 2-d rows: the running mean/var equal those of all rows together
  // (up to Gymnasium's 1e-4 starting count).
  const std::vector<float> a = {1, 10, 2, 20, 3, 30}, b = {4, 40, 5, 50};
  RunningMeanStd rms(2);
  rms.update(a.data(), 3);
  rms.update(b.data(), 2);
  CHECK(rms.mean()[0] == Approx(3.0).epsilon(1e-4));
  CHECK(rms.mean()[1] == Approx(30.0).epsilon(1e-4));
  CHECK(rms.var()[0] == Approx(2.0).epsilon(1e-4));  // population variance of 1..5
  CHECK(rms.var()[1] == Approx(200.0).epsilon(1e-4));
  RunningMeanStd copy(2);
  copy.set_state(rms.state());
  CHECK(copy.state() == rms.state());

  ObservationNormalizer norm(1, 10.0);
  std::vector<float> obs = {1, 2, 3, 4, 5};
  norm.normalize(obs.data(), 5, Statistics::Update);
  CHECK(obs[2] == Approx(0.0).margin(1e-3));
  CHECK(obs[4] == Approx(2 / std::sqrt(2.0)).epsilon(1e-3));

  // Rewards scale by the running std of the discounted return; termination resets it.
  RewardNormalizer rn(1, 0.5);
  double r = 1.0;
  const uint8_t going = 0, done = 1;
  rn.normalize(&r, &going, Statistics::Update);
  r = 1.0;
  rn.normalize(&r, &done, Statistics::Update);
  CHECK(rn.returns()[0] == 1.0);  // reset by the termination: just this reward
  r = 2.0;
  rn.normalize(&r, &going, Statistics::Update);
  CHECK(rn.returns()[0] == Approx(2.5));  // 1 * 0.5 + 2
  CHECK(r == Approx(2.0 / std::sqrt(rn.stats().var()[0] + 1e-8)));
}
