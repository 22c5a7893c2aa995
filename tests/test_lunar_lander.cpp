// LunarLander-v3 on Box2D: Gymnasium's scripted controller lands it (the physics
// fidelity test), a pinned trajectory, determinism at any thread count, options.
#include <catch2/catch.hpp>
#include <cmath>

#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/core/vec_env.h"
#include "vec_trace.h"

using namespace rlarena;

namespace {
// Return of one episode under the env's scripted controller.
double heuristic_return(Env& env, uint64_t seed) {
  env.reset(seed);
  Array action = Array::zeros(env.action_space());
  double total = 0;
  for (;;) {
    REQUIRE(env.heuristic_action(action.data()));
    const StepResult r = env.step(action);
    total += r.reward;
    if (r.terminated || r.truncated) return total;
  }
}
}  // namespace

TEST_CASE("The PD heuristic lands LunarLander with return > 200 on 9 of 10 seeds", "[box2d][lander]") {
  for (const char* id : {"LunarLander-v3", "LunarLanderContinuous-v3"}) {
    INFO(id);
    auto env = make(id);
    int landed = 0;
    for (uint64_t seed = 0; seed < 10; ++seed) landed += heuristic_return(*env, seed) > 200;
    CHECK(landed >= 9);
  }
}

TEST_CASE("LunarLander pinned trajectory, rewards and termination", "[box2d][lander]") {
  auto env = make("LunarLander-v3");
  const Array first = env->reset(7);
  // The lander starts at the top centre (y = H = 13.33 m) after one idle step.
  CHECK(first.at(0) == Approx(0.0).margin(0.02));
  CHECK(first.at(1) == Approx((400.0 / 30 - (400.0 / 30 / 4 + 18.0 / 30)) / (400.0 / 30 / 2)).margin(0.02));
  CHECK(first.at(6) == 0.0f);
  // Main engine only: fuel 0.3 a step on top of the shaping difference.
  const StepResult r = env->step(int64_t{2});
  CHECK(r.reward < 0);
  // Free fall ends on the ground: crash or rest, within the time limit.
  StepResult s;
  int t = 0;
  do s = env->step(int64_t{0}), ++t;
  while (!s.terminated && !s.truncated);
  CHECK(s.terminated);
  CHECK(std::fabs(s.reward) == 100.0);
  CHECK(t < 400);
  // Same seed, same episode.
  auto again = make("LunarLander-v3");
  CHECK(again->reset(7).bytes == first.bytes);
}

TEST_CASE("LunarLander VecEnv results are bit-identical at 1 and 2 threads", "[box2d][lander]") {
  const auto fill = [](int t, uint8_t* a) {
    for (int64_t i = 0; i < 6; ++i) reinterpret_cast<int64_t*>(a)[i] = (t / 3 + i) % 4;
  };
  CHECK(test::vec_trace("LunarLander-v3", 6, 5, 1, 300, fill) == test::vec_trace("LunarLander-v3", 6, 5, 2, 300, fill));
}

TEST_CASE("LunarLander options are checked", "[box2d][lander]") {
  CHECK_THROWS_WITH(make("LunarLander-v3", {{"gravity", "-15"}}), Catch::Contains("gravity=-15"));
  CHECK_THROWS_WITH(make("LunarLander-v3", {{"wind_power", "30"}}), Catch::Contains("[0, 20]"));
  auto windy = make("LunarLander-v3", {{"enable_wind", "true"}});
  auto calm = make("LunarLander-v3");
  // Wind pushes the lander sideways: the same seed and actions drift apart.
  windy->reset(1), calm->reset(1);
  StepResult a, b;
  for (int t = 0; t < 30; ++t) a = windy->step(int64_t{0}), b = calm->step(int64_t{0});
  CHECK(a.obs.at(0) != b.obs.at(0));
}
