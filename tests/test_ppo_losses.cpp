// PPO's GAE and losses on hand-computed numbers: terminated steps do not bootstrap,
// truncated ones bootstrap from the final observation's value, the recursion stops
// at episode ends; the clipped ratio and value clipping.
#include <catch2/catch.hpp>

#include "agents/ppo/losses.h"

using namespace rlarena;

TEST_CASE("GAE bootstraps truncations from final_obs and never across episode ends", "[agents][ppo]") {
  // One env, 3 steps: step 0 goes on, step 1 is truncated (final value 5), step 2 terminates.
  const auto col = [](std::vector<float> v) { return torch::tensor(v).unsqueeze(1); };
  const torch::Tensor rewards = col({1, 2, 3}), values = col({0.5, 1.0, 1.5});
  const torch::Tensor next_values = col({1.0, 5.0, 9.0});  // V(s1); V(final obs); (ignored: terminal)
  const torch::Tensor terminated = col({0, 0, 1}), truncated = col({0, 1, 0});
  const double g = 0.9, l = 0.8;
  auto [adv, ret] = ppo::gae(rewards, values, next_values, terminated, truncated, g, l);
  const double d2 = 3 - 1.5;                 // terminal: no bootstrap
  const double d1 = 2 + g * 5 - 1.0;         // truncated: bootstraps from V(final obs) = 5
  const double d0 = 1 + g * 1.0 - 0.5;
  const double a2 = d2, a1 = d1, a0 = d0 + g * l * a1;  // the recursion stops at step 1's end
  CHECK(adv[2][0].item<float>() == Approx(a2));
  CHECK(adv[1][0].item<float>() == Approx(a1));
  CHECK(adv[0][0].item<float>() == Approx(a0));
  CHECK(ret[0][0].item<float>() == Approx(a0 + 0.5));
  // lambda = 1, no ends: advantages are discounted returns minus values.
  auto [adv1, ret1] = ppo::gae(col({1, 1}), col({0, 0}), col({0, 2}), col({0, 0}), col({0, 0}), 0.5, 1.0);
  CHECK(adv1[0][0].item<float>() == Approx(1 + 0.5 * (1 + 0.5 * 2)));
}

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
