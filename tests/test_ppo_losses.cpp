// PPO's losses on hand-computed numbers: the clipped ratio and value clipping.
#include <catch2/catch.hpp>
#include <cmath>

#include "agents/ppo/losses.h"

using namespace rlarena;

TEST_CASE("PPO's clipped objective and clipped value loss", "[agents][ppo]") {
  // Ratios e^0.5 = 1.65 (clipped to 1.2 for a positive advantage), e^-0.5 = 0.61
  // (not clipped for a positive advantage: min takes the smaller term).
  const torch::Tensor new_lp = torch::tensor({0.5f, -0.5f, 0.5f}), old_lp = torch::zeros({3});
  const torch::Tensor adv = torch::tensor({2.0f, 2.0f, -1.0f});
  const auto out = ppo::clipped_policy_loss(new_lp, old_lp, adv, 0.2);
  const double r0 = std::exp(0.5), r1 = std::exp(-0.5);
  const double expected = -((1.2 * 2) + (r1 * 2) + std::min(r0 * -1, 1.2 * -1)) / 3;
  CHECK(out.loss.item<float>() == Approx(expected));
  CHECK(out.clip_fraction.item<float>() == Approx(1.0));  // |r - 1| > 0.2 for all three
  CHECK(out.approx_kl.item<float>() == Approx(((r0 - 1 - 0.5) + (r1 - 1 + 0.5) + (r0 - 1 - 0.5)) / 3));

  const torch::Tensor v = torch::tensor({2.0f}), ret = torch::tensor({0.0f}), old = torch::tensor({1.0f});
  CHECK(ppo::value_loss(v, ret, old, 0).item<float>() == Approx(0.5 * 4));
  // Clipped: V_old + clip(1, -0.5, 0.5) = 1.5; max(4, 2.25) = 4.
  CHECK(ppo::value_loss(v, ret, old, 0.5).item<float>() == Approx(2.0));
  const torch::Tensor v2 = torch::tensor({0.2f});  // moving away from the return: (1 - 0.5 - 0)^2 = 0.25 > 0.04
  CHECK(ppo::value_loss(v2, ret, old, 0.5).item<float>() == Approx(0.5 * 0.25));
}
