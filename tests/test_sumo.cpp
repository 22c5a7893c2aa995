// Sumo-v0: symmetric seats, pushing out wins, a draw at the time limit, the heuristic.
#include <catch2/catch.hpp>
#include <cmath>

#include "envs/multi/multi_registry.h"

using namespace rlarena;

TEST_CASE("Sumo: each seat sees the world in its own frame", "[sumo]") {
  auto env = make_multi("Sumo-v0");
  const auto obs = env->reset(5);
  const float* a = obs[0].as<float>();
  const float* b = obs[1].as<float>();
  CHECK(a[0] < 0);  // both start on the left of their own frame
  CHECK(b[0] < 0);
  CHECK(b[0] == -a[4]);  // player_1's position is player_0's view of the opponent, turned
  CHECK(b[1] == -a[5]);
  CHECK(b[4] == -a[0]);
  CHECK(b[10] == a[11]);
  CHECK(a[12] == 1.f);
  CHECK(std::abs(a[0] + 1.5f) <= 0.1f);
}

TEST_CASE("Sumo: standing still is a draw at the time limit, the heuristic beats random", "[sumo]") {
  auto env = make_multi("Sumo-v0");
  env->reset(1);
  MultiStepResult r;
  const std::vector<Array> still(2, Array::zeros(env->action_space(0)));
  do r = env->step(still);
  while (!r.done());
  CHECK(env->elapsed_steps() == 300);
  CHECK(r.truncated == std::vector<uint8_t>{1, 1});
  CHECK(r.terminated == std::vector<uint8_t>{0, 0});
  CHECK(r.rewards == std::vector<double>{0, 0});

  // With a draw penalty, only the last step of a stand-off costs both players.
  auto penalized = make_multi("Sumo-v0", {{"draw_penalty", "0.5"}, {"max_episode_steps", "20"}});
  penalized->reset(1);
  std::vector<double> rewards;
  do {
    r = penalized->step(still);
    rewards.push_back(r.rewards[0]);
    CHECK(r.rewards[0] == r.rewards[1]);
  } while (!r.done());
  REQUIRE(rewards.size() == 20);
  CHECK(rewards.back() == -0.5);
  CHECK(rewards[18] == 0);
  CHECK_THROWS_WITH(make_multi("Sumo-v0", {{"draw_penalty", "nan"}}), Catch::Contains("draw_penalty"));

  Rng rng(3);
  int wins = 0;
  for (int game = 0; game < 10; ++game) {
    const int seat = game % 2;  // the heuristic's seat
    env->reset(100 + game);
    double total[2] = {0, 0};
    do {
      std::vector<Array> actions(2, Array::zeros(env->action_space(0)));
      REQUIRE(env->scripted_action("heuristic", seat, rng, actions[seat].data()));
      env->action_space(0).sample(rng, actions[1 - seat].data());
      r = env->step(actions);
      total[0] += r.rewards[0], total[1] += r.rewards[1];
    } while (!r.done());
    wins += total[seat] == 1.0 && r.terminated[0];
    CHECK(total[0] == -total[1]);
  }
  CHECK(wins >= 9);
}

TEST_CASE("Sumo: discrete actions in MPE's order, shaping is zero-sum", "[sumo]") {
  auto env = make_multi("Sumo-v0", {{"continuous", "false"}, {"shaping", "0.5"}});
  REQUIRE(env->action_space(0).n() == 5);
  env->reset(2);
  MultiStepResult r;
  for (int t = 0; t < 5; ++t) {
    r = env->step(std::vector<int64_t>{2, 0});  // player_0 pushes right, towards player_1
    CHECK(r.rewards[0] == -r.rewards[1]);
  }
  CHECK(r.obs[0].as<float>()[2] > 0.f);  // moving right in its own frame
}
