// The options every env takes for learning from pixels (envs/core/preprocessing.h):
// action repeat against the plain env stepped by hand, area resize and grey-scale
// against hand-computed pixels of CarRacing's frames, frame stacks against the plain
// env's observations, the time limit in wrapped steps, and the refusals.
#include <catch2/catch.hpp>
#include <cmath>

#include "envs/core/env_options.h"
#include "envs/core/preprocessing.h"
#include "envs/core/registry.h"
#include "envs/core/vec_env.h"

using namespace rlarena;

namespace {

uint8_t at(const Array& frame, int64_t width, int64_t channels, int64_t y, int64_t x, int64_t c) {
  return frame.as<uint8_t>()[(y * width + x) * channels + c];
}

}  // namespace

TEST_CASE("action_repeat: one step is N steps of the plain env, rewards summed, cut at termination",
          "[envs][preprocessing]") {
  CHECK(make("CartPole-v1", {{"action_repeat", "3"}})->spec().max_episode_steps == 167);  // ceil(500 / 3)
  int ended_inside_a_repeat = 0;
  for (uint64_t seed = 7; seed < 13; ++seed) {
    auto plain = make("CartPole-v1");
    auto repeated = make("CartPole-v1", {{"action_repeat", "3"}});
    const Array first = repeated->reset(seed);
    CHECK(first.as<float>()[2] == plain->reset(seed).as<float>()[2]);  // seed s is the plain env's seed s
    for (int t = 0; t < 200; ++t) {
      const int64_t action = (t / 2) % 2;
      const StepResult r = repeated->step(action);
      double reward = 0;
      StepResult p;
      for (int k = 0; k < 3; ++k) {
        p = plain->step(action);
        reward += p.reward;
        if (p.terminated) break;
      }
      INFO("seed " << seed << " step " << t);
      REQUIRE(r.reward == reward);
      REQUIRE(r.terminated == p.terminated);
      for (int i = 0; i < 4; ++i) REQUIRE(r.obs.as<float>()[i] == p.obs.as<float>()[i]);
      REQUIRE(static_cast<const Preprocessed&>(*repeated).inner().elapsed_steps() == plain->elapsed_steps());
      if (r.terminated) {
        ended_inside_a_repeat += plain->elapsed_steps() % 3 != 0;
        break;
      }
    }
  }
  CHECK(ended_inside_a_repeat > 0);
}

TEST_CASE("The time limit counts wrapped steps", "[envs][preprocessing]") {
  auto env = make("Pendulum-v1", {{"action_repeat", "2"}, {"max_episode_steps", "7"}});
  env->reset(1);
  StepResult r;
  int steps = 0;
  do {
    r = env->step(std::vector<float>{0.0f});
    ++steps;
  } while (!r.truncated && steps < 100);
  CHECK(steps == 4);  // 7 Pendulum steps, 2 + 2 + 2 + 1, as RL Zoo's FrameSkip around TimeLimit
  CHECK(static_cast<const Preprocessed&>(*env).inner().elapsed_steps() == 7);
  CHECK_FALSE(r.terminated);
}

TEST_CASE("resize: OpenCV's area average, fractional cells by their share", "[envs][preprocessing]") {
  auto plain = make("CarRacing-v3");
  auto small = make("CarRacing-v3", {{"resize", "64,64"}});
  auto half = make("CarRacing-v3", {{"resize", "48"}});
  CHECK(small->observation_space().shape() == std::vector<int64_t>{64, 64, 3});
  CHECK(half->observation_space().shape() == std::vector<int64_t>{48, 48, 3});
  const std::vector<float> gas{0.0f, 1.0f, 0.0f};
  Array raw = plain->reset(4), a = small->reset(4), b = half->reset(4);
  for (int t = 0; t < 60; ++t) raw = plain->step(gas).obs, a = small->step(gas).obs, b = half->step(gas).obs;
  int checked = 0, differ = 0;
  for (int64_t y = 0; y < 64; y += 2)
    for (int64_t x = 0; x < 64; x += 2)
      for (int64_t c = 0; c < 3; ++c) {
        // 96 -> 64 is 1.5 input pixels per output pixel: output (2i, 2j) covers inputs
        // 3i, 3j whole (4/9), half of 3i+1 and 3j+1 (2/9 each) and a quarter of their corner (1/9).
        const int64_t sy = y / 2 * 3, sx = x / 2 * 3;
        const double v = (4.0 * at(raw, 96, 3, sy, sx, c) + 2.0 * at(raw, 96, 3, sy, sx + 1, c) +
                          2.0 * at(raw, 96, 3, sy + 1, sx, c) + at(raw, 96, 3, sy + 1, sx + 1, c)) / 9.0;
        const int got = at(a, 64, 3, y, x, c);
        REQUIRE(std::abs(got - v) <= 0.5 + 1e-4);
        ++checked;
        differ += std::abs(v - std::round(v)) > 1e-3 ? 1 : 0;
        // 96 -> 48: whole 2x2 cells, their mean rounded half up.
        const int64_t hy = y / 2, hx = x / 2;
        const int sum = at(raw, 96, 3, 2 * hy, 2 * hx, c) + at(raw, 96, 3, 2 * hy, 2 * hx + 1, c) +
                        at(raw, 96, 3, 2 * hy + 1, 2 * hx, c) + at(raw, 96, 3, 2 * hy + 1, 2 * hx + 1, c);
        REQUIRE(at(b, 48, 3, hy, hx, c) == (sum + 2) / 4);
      }
  CHECK(checked == 32 * 32 * 3);
  CHECK(differ > 100);  // the frame has edges, where the shares matter
}

TEST_CASE("grayscale: Gymnasium's weights, truncated, frame_stack keeps the last N, oldest first",
          "[envs][preprocessing]") {
  auto plain = make("CarRacing-v3");
  auto grey = make("CarRacing-v3", {{"grayscale", "true"}, {"frame_stack", "2"}});
  CHECK(grey->observation_space().shape() == std::vector<int64_t>{96, 96, 2});
  CHECK(grey->observation_space().dtype() == DType::UInt8);
  Array raw = plain->reset(2);
  Array g = grey->reset(2);
  const auto expect_grey = [](const Array& rgb, int64_t y, int64_t x) {
    return static_cast<int>(0.2125 * at(rgb, 96, 3, y, x, 0) + 0.7154 * at(rgb, 96, 3, y, x, 1) +
                            0.0721 * at(rgb, 96, 3, y, x, 2));
  };
  for (int64_t y = 0; y < 96; y += 5)
    for (int64_t x = 0; x < 96; x += 5) {
      REQUIRE(at(g, 96, 2, y, x, 0) == 0);  // SB3 stacks start from zeros
      REQUIRE(at(g, 96, 2, y, x, 1) == expect_grey(raw, y, x));
    }
  const std::vector<float> action{0.3f, 0.5f, 0.0f};
  Array previous = raw;
  for (int t = 0; t < 30; ++t) {
    raw = plain->step(action).obs;
    g = grey->step(action).obs;
    for (int64_t y = 0; y < 96; y += 7)
      for (int64_t x = 0; x < 96; x += 7) {
        REQUIRE(at(g, 96, 2, y, x, 0) == expect_grey(previous, y, x));
        REQUIRE(at(g, 96, 2, y, x, 1) == expect_grey(raw, y, x));
      }
    previous = raw;
  }
}

TEST_CASE("frame_stack on vectors, autoreset starts a fresh stack, same at any thread count",
          "[envs][preprocessing]") {
  VecEnv one("CartPole-v1", 3, 5, 1, 0, {{"frame_stack", "3"}});
  VecEnv two("CartPole-v1", 3, 5, 2, 0, {{"frame_stack", "3"}});
  CHECK(one.observation_space().shape() == std::vector<int64_t>{12});
  one.reset();
  two.reset();
  std::vector<int64_t> actions(3, 1);  // always right: episodes end within ~10 steps
  bool saw_reset = false;
  for (int t = 0; t < 40; ++t) {
    const Batch& a = one.step(actions);
    const Batch& b = two.step(actions);
    for (int64_t e = 0; e < 3; ++e) {
      for (int64_t k = 0; k < 12; ++k) REQUIRE(a.obs_row<float>(e)[k] == b.obs_row<float>(e)[k]);
      if (a.done(e)) {
        saw_reset = true;
        for (int64_t k = 0; k < 8; ++k) REQUIRE(a.obs_row<float>(e)[k] == 0.0f);  // fresh: zeros, then the first obs
        CHECK(a.final_obs_row<float>(e)[8] != 0.0f);
      }
    }
  }
  CHECK(saw_reset);
}

TEST_CASE("Preprocessing options are refused where they do not fit, and listed for every env",
          "[envs][preprocessing]") {
  CHECK_THROWS_WITH(make("CartPole-v1", {{"grayscale", "true"}}),
                    Catch::Contains("resize and grayscale take image observations"));
  CHECK_THROWS_WITH(make("CarRacing-v3", {{"resize", "128,128"}}), Catch::Contains("resize only shrinks"));
  CHECK_THROWS_WITH(make("CarRacing-v3", {{"resize", "64x64"}}), Catch::Contains("give HEIGHT,WIDTH"));
  CHECK_THROWS_WITH(make("CartPole-v1", {{"frame_stack", "0"}}), Catch::Contains("frame_stack=0 must be at least 1"));
  CHECK_THROWS_WITH(make("CartPole-v1", {{"action_repeat", "-2"}}), Catch::Contains("at least 1"));
  CHECK_THROWS_WITH(make("CartPole-v1", {{"framestack", "2"}}), Catch::Contains("has no option 'framestack'"));
  bool listed = false;
  for (const auto& o : env_options("Acrobot-v1")) listed = listed || o.name == "frame_stack";
  CHECK(listed);
}
