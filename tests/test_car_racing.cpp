// CarRacing-v3: a car driven along the track centre collects more than 90% of the
// tiles; tile rewards, the per-frame cost and leaving the playfield; the 96x96
// picture; the discrete variant; determinism at any thread count.
#include <catch2/catch.hpp>
#include <cmath>

#include "envs/core/registry.h"
#include "envs/core/vec_env.h"
#include "vec_trace.h"

using namespace rlarena;

TEST_CASE("Driving along the track centre collects more than 90% of the tiles", "[box2d][car]") {
  for (uint64_t seed : {0, 1}) {
    INFO("seed " << seed);
    // Our scripted driver is cautious (22 m/s): give it the time a lap takes at that speed.
    auto env = make("CarRacing-v3", {{"max_episode_steps", "4000"}});
    env->reset(seed);
    Array action = Array::zeros(env->action_space());
    StepResult r;
    double total = 0;
    do {
      REQUIRE(env->heuristic_action(action.data()));
      r = env->step(action);
      total += r.reward;
    } while (!r.terminated && !r.truncated);
    CHECK(r.terminated);                      // every tile visited ends the episode
    CHECK(r.info.at("lap_finished") == 1.0);
    const double steps = static_cast<double>(env->elapsed_steps());
    CHECK(total == Approx(1000 - 0.1 * steps).margin(1e-6));  // all tiles paid, 0.1 a frame
  }
}

TEST_CASE("CarRacing rewards: tiles, frames, leaving the playfield", "[box2d][car]") {
  auto env = make("CarRacing-v3");
  env->reset(3);
  // Standing still: the first step pays the two tiles under the car at reset, minus 0.1.
  const StepResult first = env->step(std::vector<float>{0, 0, 0});
  CHECK(first.info.at("tiles_visited") == 2.0);
  CHECK(first.reward > 0);
  const StepResult idle = env->step(std::vector<float>{0, 0, 0});
  CHECK(idle.reward == Approx(-0.1));
  // Put the car beyond the playfield (2000 / 6 m): -100 and the end.
  auto state = env->get_state();
  state[0] = 400;
  env->set_state(state);
  const StepResult out = env->step(std::vector<float>{0, 0, 0});
  CHECK(out.terminated);
  CHECK(out.reward == -100.0);
}

TEST_CASE("CarRacing observations are Gymnasium's 96x96 picture", "[box2d][car]") {
  auto env = make("CarRacing-v3");
  Array obs = env->reset(5);
  REQUIRE(obs.shape == std::vector<int64_t>{96, 96, 3});
  const std::vector<float> gas{0, 0.3f, 0};
  for (int t = 0; t < 60; ++t) obs = env->step(gas).obs;  // past the first second's zoom
  const auto px = [&](int x, int y) { return obs.as<uint8_t>() + (y * 96 + x) * 3; };
  // The red car sits centred, three quarters down; the indicator bar is black.
  int red = 0;
  for (int y = 64; y < 80; ++y)
    for (int x = 44; x < 52; ++x) red += px(x, y)[0] > 150 && px(x, y)[1] < 60 && px(x, y)[2] < 60;
  CHECK(red > 4);
  CHECK(px(2, 94)[0] == 0);
  CHECK(px(2, 94)[1] == 0);
  // Grey road under the car, green grass somewhere.
  bool grass = false;
  for (int x = 0; x < 96; ++x) grass = grass || (px(x, 10)[1] > 180 && px(x, 10)[0] < 120);
  CHECK(grass);
  CHECK(make("CarRacing-v3", {{"continuous", "false"}})->action_space().n() == 5);
}

TEST_CASE("CarRacing VecEnv results are bit-identical at 1 and 2 threads", "[box2d][car]") {
  const auto fill = [](int t, uint8_t* bytes) {
    float* a = reinterpret_cast<float*>(bytes);
    for (int i = 0; i < 3; ++i) a[3 * i] = float(std::sin(0.1 * t + i)), a[3 * i + 1] = 0.5f, a[3 * i + 2] = 0;
  };
  CHECK(test::vec_trace("CarRacing-v3", 3, 4, 1, 40, fill) == test::vec_trace("CarRacing-v3", 3, 4, 2, 40, fill));
}
