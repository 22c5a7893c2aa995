// CartPole-v1 against hand-computed values and a tiny reference of Gymnasium's
// equations (written independently of envs/classic/cartpole.cpp).
#include <catch2/catch.hpp>
#include <array>
#include <cmath>

#include "common/error.h"
#include "envs/core/registry.h"

using namespace rlarena;
using State4 = std::array<double, 4>;

namespace {
State4 reference_step(State4 s, int action) {
  const double g = 9.8, mc = 1.0, mp = 0.1, half = 0.5, tau = 0.02;
  const double f = action ? 10.0 : -10.0;
  const double c = std::cos(s[2]), sn = std::sin(s[2]);
  const double tmp = (f + mp * half * (s[3] * s[3]) * sn) / (mc + mp);
  const double tacc = (g * sn - c * tmp) / (half * (4.0 / 3.0 - mp * (c * c) / (mc + mp)));
  const double xacc = tmp - mp * half * tacc * c / (mc + mp);
  return {s[0] + tau * s[1], s[1] + tau * xacc, s[2] + tau * s[3], s[3] + tau * tacc};
}
}  // namespace

TEST_CASE("CartPole first step from rest, worked by hand", "[cartpole]") {
  auto env = make("CartPole-v1");
  env->reset(0);
  env->set_state({0, 0, 0, 0});
  const StepResult r = env->step(int64_t{1});
  // Push right with 10 N: temp = 10/1.1, thetaacc = -temp / (0.5 (4/3 - 0.1/1.1)) = -600/41,
  // xacc = temp - 0.05 thetaacc / 1.1 = 400/41; Euler moves velocities only.
  const auto s = env->get_state();
  CHECK(s[0] == 0.0);
  CHECK(s[1] == Approx(0.02 * 400.0 / 41.0).epsilon(1e-14));
  CHECK(s[2] == 0.0);
  CHECK(s[3] == Approx(-0.02 * 600.0 / 41.0).epsilon(1e-14));
  CHECK(r.obs.as<float>()[1] == static_cast<float>(s[1]));
  CHECK(r.reward == 1.0);
  CHECK_FALSE(r.terminated);
}

TEST_CASE("CartPole matches the reference trajectory until the pole falls", "[cartpole]") {
  auto env = make("CartPole-v1");
  env->reset(0);
  State4 ref = {0.01, -0.02, 0.03, 0.04};
  env->set_state({ref[0], ref[1], ref[2], ref[3]});
  int steps = 0;
  for (;; ++steps) {
    const int a = (steps % 3 == 0) ? 0 : 1;  // drifts right, so the episode ends
    ref = reference_step(ref, a);
    const StepResult r = env->step(int64_t{a});
    const auto s = env->get_state();
    for (int k = 0; k < 4; ++k) REQUIRE(s[k] == ref[k]);
    for (int k = 0; k < 4; ++k) REQUIRE(r.obs.as<float>()[k] == static_cast<float>(ref[k]));
    const bool fell = std::abs(ref[0]) > 2.4 || std::abs(ref[2]) > 12 * 2 * M_PI / 360;
    REQUIRE(r.terminated == fell);
    REQUIRE(r.reward == 1.0);  // also on the terminating step
    if (fell) break;
  }
  CHECK(steps > 10);
  // Stepping past the end pays 0, as Gymnasium does (with its warning).
  CHECK(env->step(int64_t{1}).reward == 0.0);
}

TEST_CASE("CartPole sutton_barto_reward pays 0 per step and -1 at the end", "[cartpole]") {
  auto env = make("CartPole-v1", {{"sutton_barto_reward", "true"}});
  env->reset(0);
  env->set_state({2.39, 1.0, 0, 0});
  CHECK(env->step(int64_t{1}).reward == -1.0);
  env->reset(0);
  CHECK(env->step(int64_t{1}).reward == 0.0);
}

TEST_CASE("CartPole reset draws each state variable from U[-0.05, 0.05]", "[cartpole]") {
  auto env = make("CartPole-v1");
  double lo = 1, hi = -1;
  for (uint64_t seed = 0; seed < 500; ++seed) {
    env->reset(seed);
    for (double v : env->get_state()) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  CHECK(lo >= -0.05);
  CHECK(hi <= 0.05);
  CHECK(lo < -0.049);
  CHECK(hi > 0.049);
}

TEST_CASE("CartPole terminates and truncates on the same step as Gymnasium's TimeLimit", "[cartpole]") {
  auto env = make("CartPole-v1", {{"max_episode_steps", "1"}});
  env->reset(0);
  env->set_state({2.39, 1.0, 0, 0});
  const StepResult r = env->step(int64_t{1});
  CHECK(r.terminated);
  CHECK(r.truncated);
}

TEST_CASE("CartPole rejects actions outside Discrete(2) naming the env and value", "[cartpole]") {
  auto env = make("CartPole-v1");
  CHECK_THROWS_WITH(env->step(int64_t{0}), Catch::Contains("before reset"));
  env->reset(0);
  CHECK_THROWS_WITH(env->step(int64_t{2}), Catch::Contains("CartPole-v1") && Catch::Contains("action 2"));
  CHECK_THROWS_WITH(env->step(int64_t{-1}), Catch::Contains("action -1"));
  CHECK_THROWS_AS(env->step(std::vector<float>{1.f}), Error);
}
