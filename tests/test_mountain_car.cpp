// MountainCar-v0 and MountainCarContinuous-v0 against hand-computed values and
// tiny references of Gymnasium's equations.
#include <catch2/catch.hpp>
#include <cmath>

#include "envs/core/registry.h"

using namespace rlarena;

TEST_CASE("MountainCar first step, worked by hand", "[mountaincar]") {
  auto env = make("MountainCar-v0");
  env->reset(0);
  env->set_state({-0.5, 0.0});
  const StepResult r = env->step(int64_t{2});
  // v = 0.001 - 0.0025 cos(-1.5); x = -0.5 + v
  const double v = 0.001 - 0.0025 * std::cos(-1.5);
  CHECK(env->get_state()[1] == Approx(v).epsilon(1e-15));
  CHECK(env->get_state()[0] == Approx(-0.5 + v).epsilon(1e-15));
  CHECK(r.reward == -1.0);
  CHECK(r.obs.as<float>()[0] == static_cast<float>(-0.5 + v));
}

TEST_CASE("MountainCar: the wall stops the car, bang-bang reaches the goal", "[mountaincar]") {
  auto env = make("MountainCar-v0");
  env->reset(0);
  env->set_state({-1.19, -0.05});
  env->step(int64_t{0});
  CHECK(env->get_state() == std::vector<double>{-1.2, 0.0});

  // Reference rollout of the energy-pumping policy: push along the velocity.
  env->reset(3);
  double x = -0.5, v = 0.0;
  env->set_state({x, v});
  int t = 0;
  for (; t < 200; ++t) {
    const int a = v < 0 ? 0 : 2;
    v += (a - 1) * 0.001 + std::cos(3 * x) * (-0.0025);
    v = std::max(-0.07, std::min(0.07, v));
    x = std::max(-1.2, std::min(0.6, x + v));
    if (x == -1.2 && v < 0) v = 0;
    const StepResult r = env->step(int64_t{a});
    REQUIRE(env->get_state()[0] == x);
    REQUIRE(env->get_state()[1] == v);
    REQUIRE(r.terminated == (x >= 0.5 && v >= 0));
    if (r.terminated) break;
  }
  CHECK(t < 200);  // solved within the time limit
}

TEST_CASE("MountainCarContinuous: reward, clipping and float32 state as Gymnasium", "[mountaincar]") {
  auto env = make("MountainCarContinuous-v0");
  env->reset(0);
  env->set_state({-0.5, 0.0});
  const StepResult r = env->step(std::vector<float>{3.f});  // force clipped to 1, cost uses 3
  const double v = 1.0 * 0.0015 - 0.0025 * std::cos(-1.5);
  CHECK(env->get_state()[1] == static_cast<double>(static_cast<float>(v)));
  CHECK(env->get_state()[0] == static_cast<double>(static_cast<float>(-0.5 + v)));
  CHECK(r.reward == Approx(-0.1 * 9.0).epsilon(1e-15));

  env->set_state({0.449, 0.02});
  const StepResult goal = env->step(std::vector<float>{0.5f});
  CHECK(goal.terminated);
  CHECK(goal.reward == Approx(100.0 - 0.1 * 0.25).epsilon(1e-15));
}

TEST_CASE("MountainCar resets position in [-0.6, -0.4] at rest", "[mountaincar]") {
  for (const char* id : {"MountainCar-v0", "MountainCarContinuous-v0"}) {
    auto env = make(id);
    double lo = 0, hi = -1;
    for (uint64_t seed = 0; seed < 300; ++seed) {
      env->reset(seed);
      const auto s = env->get_state();
      lo = std::min(lo, s[0]);
      hi = std::max(hi, s[0]);
      REQUIRE(s[1] == 0.0);
    }
    CHECK(lo >= -0.6);
    CHECK(hi <= -0.4);
    CHECK(hi - lo > 0.19);
  }
}
