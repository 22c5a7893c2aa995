// GAE on hand-computed numbers: terminated steps do not bootstrap, truncated ones
// bootstrap from the final observation's value, the recursion stops at episode ends.
#include <catch2/catch.hpp>

#include "agents/onpolicy/gae.h"

using namespace rlarena;

TEST_CASE("GAE bootstraps truncations from final_obs and never across episode ends", "[agents][onpolicy]") {
  // One env, 3 steps: step 0 goes on, step 1 is truncated (final value 5), step 2 terminates.
  const auto col = [](std::vector<float> v) { return torch::tensor(v).unsqueeze(1); };
  const torch::Tensor rewards = col({1, 2, 3}), values = col({0.5, 1.0, 1.5});
  const torch::Tensor next_values = col({1.0, 5.0, 9.0});  // V(s1); V(final obs); (ignored: terminal)
  const torch::Tensor terminated = col({0, 0, 1}), truncated = col({0, 1, 0});
  const double g = 0.9, l = 0.8;
  auto [adv, ret] = gae(rewards, values, next_values, terminated, truncated, g, l);
  const double d2 = 3 - 1.5;                 // terminal: no bootstrap
  const double d1 = 2 + g * 5 - 1.0;         // truncated: bootstraps from V(final obs) = 5
  const double d0 = 1 + g * 1.0 - 0.5;
  const double a2 = d2, a1 = d1, a0 = d0 + g * l * a1;  // the recursion stops at step 1's end
  CHECK(adv[2][0].item<float>() == Approx(a2));
  CHECK(adv[1][0].item<float>() == Approx(a1));
  CHECK(adv[0][0].item<float>() == Approx(a0));
  CHECK(ret[0][0].item<float>() == Approx(a0 + 0.5));
  // lambda = 1, no ends: advantages are discounted returns minus values.
  auto [adv1, ret1] = gae(col({1, 1}), col({0, 0}), col({0, 2}), col({0, 0}), col({0, 0}), 0.5, 1.0);
  CHECK(adv1[0][0].item<float>() == Approx(1 + 0.5 * (1 + 0.5 * 2)));
}
