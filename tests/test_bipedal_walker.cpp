// BipedalWalker-v3 on Box2D: our gait controller (Gymnasium's demo gait, slowed a
// little) walks the course without falling; hardcore terrain differs; the
// observation's layout; determinism at any thread count.
#include <catch2/catch.hpp>
#include <cmath>

#include "envs/core/registry.h"
#include "envs/core/vec_env.h"
#include "vec_trace.h"

using namespace rlarena;

TEST_CASE("The gait controller walks BipedalWalker forward more than 10 m without falling", "[box2d][walker]") {
  auto env = make("BipedalWalker-v3");
  for (uint64_t seed : {0, 1, 2}) {
    INFO("seed " << seed);
    env->reset(seed);
    const double x0 = env->get_state()[0];
    Array action = Array::zeros(env->action_space());
    double walked = 0, total = 0;
    StepResult r;
    do {
      REQUIRE(env->heuristic_action(action.data()));
      r = env->step(action);
      total += r.reward;
      walked = env->get_state()[0] - x0;
    } while (!r.terminated && !r.truncated && walked < 40);
    CHECK(walked >= 40);  // well past 10 m
    CHECK(r.reward != -100);  // never fell
    CHECK(total > 120);       // 130 per 30 m of progress, minus motor costs
  }
}

TEST_CASE("BipedalWalker observations: hull, joints, contacts, lidar", "[box2d][walker]") {
  auto env = make("BipedalWalker-v3");
  const Array o = env->reset(4);
  REQUIRE(o.numel() == 24);
  for (int i = 14; i < 24; ++i) {
    CHECK(o.at(i) >= 0.0f);
    CHECK(o.at(i) <= 1.0f);
  }
  CHECK(o.at(14) < 1.0f);  // the ray straight down hits the ground
  // Standing still with no torque, the legs fold and a lower leg rests on the ground.
  StepResult r;
  for (int t = 0; t < 60; ++t) r = env->step(std::vector<float>(4, 0.0f));
  CHECK((r.obs.at(8) == 1.0f || r.obs.at(13) == 1.0f));
  // Pushing a motor costs 0.028 per unit of |action|.
  auto a = make("BipedalWalker-v3"), b = make("BipedalWalker-v3");
  a->reset(4), b->reset(4);
  const double full = a->step(std::vector<float>{1, 0, 0, 0}).reward;
  const double none = b->step(std::vector<float>{0, 0, 0, 0}).reward;
  CHECK(none - full == Approx(0.028).margin(0.01));  // shaping moves too, but little in one step
}

TEST_CASE("Hardcore terrain has obstacles, VecEnv is bit-identical at 1 and 2 threads", "[box2d][walker]") {
  auto easy = make("BipedalWalker-v3"), hard = make("BipedalWalkerHardcore-v3");
  CHECK(hard->spec().max_episode_steps == 2000);
  easy->reset(2), hard->reset(2);
  // Same seed, different ground ahead: the lidar sees it.
  bool differs = false;
  for (int t = 0; t < 200 && !differs; ++t) {
    const auto zero = std::vector<float>(4, 0.0f);
    differs = easy->step(zero).obs.bytes != hard->step(zero).obs.bytes;
  }
  CHECK(differs);
  const auto fill = [](int t, uint8_t* bytes) {
    float* a = reinterpret_cast<float*>(bytes);
    for (int i = 0; i < 16; ++i) a[i] = static_cast<float>(std::sin(0.2 * t + i));
  };
  CHECK(test::vec_trace("BipedalWalkerHardcore-v3", 4, 9, 1, 150, fill) ==
        test::vec_trace("BipedalWalkerHardcore-v3", 4, 9, 2, 150, fill));
}
