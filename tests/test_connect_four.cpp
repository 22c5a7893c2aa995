// ConnectFour-v0: PettingZoo's connect_four_v3 rules on hand-played games.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "envs/multi/multi_registry.h"

using namespace rlarena;

namespace {

// Plays `columns` in turn from player_0; returns the last step's result.
MultiStepResult play(MultiAgentEnv& env, const std::vector<int64_t>& columns) {
  MultiStepResult r;
  for (int64_t c : columns) {
    const int mover = env.current_player();
    std::vector<int64_t> actions(2, 0);
    actions[mover] = c;
    r = env.step(actions);
  }
  return r;
}

float plane(const Array& obs, int row, int col, int p) { return obs.as<float>()[(row * 7 + col) * 2 + p]; }

}  // namespace

TEST_CASE("ConnectFour: spaces, turns and observation planes from each player's side", "[connect_four]") {
  auto env = make_multi("ConnectFour-v0");
  REQUIRE(env->agents() == std::vector<std::string>{"player_0", "player_1"});
  REQUIRE(env->observation_space(0).shape() == std::vector<int64_t>{6, 7, 2});
  REQUIRE(env->action_space(1).n() == 7);
  REQUIRE(env->turn_based());
  env->reset(0);
  REQUIRE(env->current_player() == 0);
  const MultiStepResult r = play(*env, {3, 3});  // player_0 at the bottom of column 3, player_1 above it
  REQUIRE(env->current_player() == 0);
  REQUIRE(plane(r.obs[0], 5, 3, 0) == 1.f);  // player_0 sees its own piece in plane 0
  REQUIRE(plane(r.obs[0], 4, 3, 1) == 1.f);  // and the opponent's in plane 1
  REQUIRE(plane(r.obs[1], 4, 3, 0) == 1.f);
  REQUIRE(plane(r.obs[1], 5, 3, 1) == 1.f);
  REQUIRE(plane(r.obs[0], 3, 3, 0) + plane(r.obs[0], 3, 3, 1) == 0.f);
  REQUIRE(r.rewards == std::vector<double>{0, 0});
  REQUIRE(env->action_mask(1) == std::vector<uint8_t>(7, 0));  // not player_1's turn
}

TEST_CASE("ConnectFour: four in a row, a column and both diagonals win, the loser gets -1", "[connect_four]") {
  auto env = make_multi("ConnectFour-v0");
  struct Case {
    const char* what;
    std::vector<int64_t> moves;
    int winner;
  };
  const std::vector<Case> cases = {
      {"row", {0, 0, 1, 1, 2, 2, 3}, 0},
      {"column", {0, 1, 0, 1, 0, 1, 0}, 0},
      {"column of player_1", {6, 0, 1, 0, 1, 0, 1, 0}, 1},
      {"rising diagonal", {0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3}, 0},
      {"falling diagonal", {6, 5, 5, 4, 4, 3, 4, 3, 3, 0, 3}, 0},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    env->reset(1);
    std::vector<int64_t> head(c.moves.begin(), c.moves.end() - 1);
    const MultiStepResult before = play(*env, head);
    REQUIRE_FALSE(before.done());
    const MultiStepResult r = play(*env, {c.moves.back()});
    REQUIRE(r.terminated == std::vector<uint8_t>{1, 1});
    REQUIRE(r.truncated == std::vector<uint8_t>{0, 0});
    REQUIRE(r.rewards[c.winner] == 1.0);
    REQUIRE(r.rewards[1 - c.winner] == -1.0);
    REQUIRE_THROWS_WITH(env->step(std::vector<int64_t>{0, 0}), Catch::Contains("after the episode ended"));
  }
}

TEST_CASE("ConnectFour: a full board without four in a line is a draw", "[connect_four]") {
  auto env = make_multi("ConnectFour-v0");
  env->reset(2);
  // 42 moves that fill the board with no four in a line anywhere (found by a search
  // that never completes a line).
  const std::vector<int64_t> moves = {1, 4, 6, 6, 6, 0, 2, 0, 3, 6, 3, 3, 5, 3, 6, 1, 0, 3, 0, 4, 3,
                                      5, 0, 6, 5, 2, 2, 5, 1, 2, 2, 0, 2, 5, 4, 5, 4, 4, 4, 1, 1, 1};
  MultiStepResult r;
  for (size_t i = 0; i < moves.size(); ++i) {
    r = play(*env, {moves[i]});
    if (i + 1 < moves.size()) REQUIRE_FALSE(r.done());
  }
  REQUIRE(r.terminated == std::vector<uint8_t>{1, 1});
  REQUIRE(r.rewards == std::vector<double>{0, 0});
  REQUIRE(env->elapsed_steps() == 42);
}

TEST_CASE("ConnectFour: a full column is illegal, named in the error with the legal ones", "[connect_four]") {
  auto env = make_multi("ConnectFour-v0");
  env->reset(3);
  play(*env, {2, 2, 2, 2, 2, 2});
  REQUIRE(env->action_mask(0) == std::vector<uint8_t>{1, 1, 0, 1, 1, 1, 1});
  REQUIRE_THROWS_WITH(play(*env, {2}), Catch::Contains("action 2 of agent player_0 is illegal") &&
                                           Catch::Contains("0, 1, 3, 4, 5, 6"));
  REQUIRE_THROWS_WITH(play(*env, {7}), Catch::Contains("outside the action space"));
  // The waiting player's action is not read, whatever it holds.
  REQUIRE_NOTHROW(env->step(std::vector<int64_t>{4, 2}));
}

TEST_CASE("ConnectFour's greedy player takes a win, else blocks, else plays a legal column", "[connect_four]") {
  auto env = make_multi("ConnectFour-v0");
  Rng rng(7);
  int64_t action = -1;
  env->reset(4);
  play(*env, {0, 6, 1, 6, 2});  // player_0 threatens column 3; player_1 to move must block
  REQUIRE(env->scripted_action("greedy", 1, rng, &action));
  REQUIRE(action == 3);
  play(*env, {5});  // player_1 does not block; now player_0 can win at 3
  REQUIRE(env->scripted_action("greedy", 0, rng, &action));
  REQUIRE(action == 3);
  // A win beats a block: player_1 has three in column 6 as well.
  env->reset(4);
  play(*env, {0, 6, 1, 6, 2, 6, 5});
  REQUIRE(env->scripted_action("greedy", 1, rng, &action));
  REQUIRE(action == 6);
  // Nothing to win or block: a legal column, from the generator.
  env->reset(4);
  play(*env, {2, 2, 2, 2, 2, 2});
  for (int i = 0; i < 50; ++i) {
    REQUIRE(env->scripted_action("greedy", 0, rng, &action));
    REQUIRE(action != 2);
  }
  REQUIRE_FALSE(env->scripted_action("heuristic", 0, rng, &action));
}

TEST_CASE("multi-agent conformance: every registered multi-agent env", "[multi][conformance]") {
  for (const std::string& id : MultiRegistry::global().ids()) {
    INFO(id);
    auto env = make_multi(id);
    auto twin = make_multi(id);
    REQUIRE(env->num_agents() >= 1);
    const auto first = env->reset(11);
    const auto again = twin->reset(11);
    for (int a = 0; a < env->num_agents(); ++a) {
      REQUIRE(first[a].bytes == again[a].bytes);  // a seed fixes the first state
      REQUIRE(env->observation_space(a).contains(first[a].data()));
    }
    REQUIRE_THROWS_WITH(make_multi(id)->step(std::vector<Array>{}), Catch::Contains("before reset"));
    Rng rng(5);
    for (int episode = 0; episode < 3; ++episode) {
      int64_t steps = 0;
      MultiStepResult r;
      do {
        const int mover = env->current_player();
        std::vector<Array> actions;
        for (int a = 0; a < env->num_agents(); ++a) {
          Array x = Array::zeros(env->action_space(a));
          if (env->action_space(a).kind() == Space::Kind::Discrete) {
            const auto mask = env->action_mask(a);
            std::vector<int64_t> legal;
            for (size_t i = 0; i < mask.size(); ++i)
              if (mask[i]) legal.push_back(static_cast<int64_t>(i) + env->action_space(a).start());
            REQUIRE((mover >= 0 && a != mover ? legal.empty() : !legal.empty()));
            *x.as<int64_t>() = legal.empty() ? 0 : legal[rng.below(legal.size())];
          } else {
            env->action_space(a).sample(rng, x.data());
          }
          actions.push_back(std::move(x));
        }
        // A copy steps exactly as the env does (search players rely on it).
        auto copy = env->clone();
        const MultiStepResult c = copy->step(actions);
        r = env->step(actions);
        ++steps;
        for (int a = 0; a < env->num_agents(); ++a) {
          REQUIRE(c.obs[a].bytes == r.obs[a].bytes);
          REQUIRE(c.rewards[a] == r.rewards[a]);
          REQUIRE(std::isfinite(r.rewards[a]));
          REQUIRE(env->observation_space(a).contains(r.obs[a].data()));
        }
        if (env->spec().max_episode_steps > 0) REQUIRE(steps <= env->spec().max_episode_steps);
        REQUIRE(steps < 100000);
      } while (!r.done());
      REQUIRE(env->episode_over());
      env->reset();
    }
  }
}

TEST_CASE("multi-agent ids: unknown ones name the closest", "[multi]") {
  REQUIRE_THROWS_WITH(make_multi("ConectFour-v0"),
                      Catch::Contains("unknown multi-agent env id 'ConectFour-v0'") && Catch::Contains("ConnectFour-v0"));
  REQUIRE_THROWS_WITH(make_multi("ConnectFour-v0", {{"board", "8"}}), Catch::Contains("has no option 'board'"));
}
