// The off-policy targets and losses on hand-computed numbers.
#include <catch2/catch.hpp>
#include <cmath>

#include "agents/offpolicy/action_bounds.h"
#include "agents/offpolicy/targets.h"

using namespace rlarena;

namespace {
std::vector<float> values(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous().to(torch::kFloat32);
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}
}  // namespace

TEST_CASE("TD targets bootstrap unless terminated", "[agents][targets]") {
  const auto t = td_target(torch::tensor({1.0f, 2.0f}), torch::tensor({0.0f, 1.0f}), torch::tensor({10.0f, 10.0f}), 0.9);
  CHECK(values(t) == std::vector<float>{10.0f, 2.0f});
}

TEST_CASE("DQN next values: max, and double DQN's online argmax valued by the target", "[agents][targets]") {
  const auto target = torch::tensor({{1.0f, 5.0f}, {3.0f, 2.0f}});
  const auto online = torch::tensor({{0.0f, 1.0f}, {0.0f, 1.0f}});
  CHECK(values(dqn_next_value(target, online, false)) == std::vector<float>{5.0f, 3.0f});
  CHECK(values(dqn_next_value(target, online, true)) == std::vector<float>{5.0f, 2.0f});
}

TEST_CASE("SAC's soft next value and temperature loss", "[agents][targets]") {
  const auto next = sac_next_value(torch::tensor({{1.0f, 4.0f}, {2.0f, 3.0f}}), torch::tensor({0.5f, -1.0f}), 0.2);
  CHECK(values(next)[0] == Approx(0.9));
  CHECK(values(next)[1] == Approx(3.2));
  // log alpha = log 0.5, log pi = [-1, -3], target entropy -2:
  // loss = -0.5 * mean(-3, -5) = 2, and d loss / d log alpha = 2 as well.
  torch::Tensor log_alpha = torch::full({1}, std::log(0.5)).requires_grad_(true);
  const auto loss = sac_alpha_loss(log_alpha, torch::tensor({-1.0f, -3.0f}), -2.0);
  CHECK(loss.item<double>() == Approx(2.0));
  loss.backward();
  CHECK(log_alpha.grad().item<double>() == Approx(2.0));
}

TEST_CASE("TD3's target policy smoothing clips the noise, then the action", "[agents][targets]") {
  const auto scale = torch::tensor({2.0f, 2.0f, 2.0f}), low = torch::tensor({-2.0f, -2.0f, -2.0f});
  const auto high = torch::tensor({2.0f, 2.0f, 2.0f});
  // noise * 0.2 = [0.6 -> 0.5, -0.02, 0.6 -> 0.5], times the scale 2: [1.0, -0.04, 1.0].
  const auto a = td3_target_action(torch::tensor({0.9f, -0.5f, 1.8f}), torch::tensor({3.0f, -0.1f, 3.0f}), 0.2, 0.5,
                                   scale, low, high);
  const auto v = values(a);
  CHECK(v[0] == Approx(1.9));
  CHECK(v[1] == Approx(-0.54));
  CHECK(v[2] == Approx(2.0));  // 2.8 clipped to the bound
}

TEST_CASE("Action bounds map [-1, 1] into the box, and leave a [-1, 1] box's values as they are", "[agents][targets]") {
  const torch::Tensor x = torch::tensor({-1.0f, -0.5f, 0.0f, 0.75f});
  const ActionBounds wide = action_bounds(Space::box(-2.0, 4.0, {4}), "td3");
  CHECK_FALSE(wide.unit);
  CHECK(values(wide.from_unit(x)) == std::vector<float>{-2.0f, -0.5f, 1.0f, 3.25f});
  const ActionBounds unit = action_bounds(Space::box(-1.0, 1.0, {4}), "td3");
  CHECK(unit.unit);
  // The same tensor, not a copy: no digit of a MuJoCo run changes.
  CHECK(unit.from_unit(x).data_ptr() == x.data_ptr());
  CHECK_THROWS_WITH(action_bounds(Space::discrete(3), "td3"), Catch::Contains("use dqn or ppo"));
}
