// PettingZoo's MPE v3 particle worlds on hand-computed steps. (The step-by-step match
// with PettingZoo 1.24.3's own code was checked outside the suite, see docs/results.md.)
#include <catch2/catch.hpp>
#include <cmath>

#include "common/error.h"
#include "envs/multi/multi_registry.h"

using namespace rlarena;

namespace {

MultiStepResult step(MultiAgentEnv& env, std::vector<int64_t> actions) { return env.step(actions); }

}  // namespace

TEST_CASE("MPE: agents, spaces and observation sizes as PettingZoo's", "[mpe]") {
  struct Case {
    const char* id;
    std::vector<std::string> agents;
    std::vector<int64_t> obs;
    size_t state;
  };
  const std::vector<Case> cases = {
      {"simple_spread_v3", {"agent_0", "agent_1", "agent_2"}, {18, 18, 18}, 24},
      {"simple_tag_v3", {"adversary_0", "adversary_1", "adversary_2", "agent_0"}, {16, 16, 16, 14}, 24},
      {"simple_adversary_v3", {"adversary_0", "agent_0", "agent_1"}, {8, 10, 10}, 21},
      {"simple_push_v3", {"adversary_0", "agent_0"}, {8, 19}, 17},
  };
  for (const Case& c : cases) {
    INFO(c.id);
    auto env = make_multi(c.id);
    REQUIRE(env->agents() == c.agents);
    for (int a = 0; a < env->num_agents(); ++a) {
      CHECK(env->observation_space(a).numel() == c.obs[a]);
      CHECK(env->action_space(a).repr() == "Discrete(5)");
    }
    CHECK(env->state_names().size() == c.state);
    CHECK(env->spec().max_episode_steps == 25);
    auto cont = make_multi(c.id, {{"continuous_actions", "true"}, {"max_cycles", "40"}});
    CHECK(cont->action_space(0).repr() == "Box(0, 1, (5,), float32)");
    CHECK(cont->spec().max_episode_steps == 40);
  }
  // Other sizes: every observation fills its space exactly (a mismatch throws).
  const std::vector<std::pair<std::string, Kwargs>> sized = {
      {"simple_spread_v3", {{"N", "4"}}},
      {"simple_spread_v3", {{"N", "1"}}},
      {"simple_tag_v3", {{"num_good", "2"}, {"num_adversaries", "2"}, {"num_obstacles", "3"}}},
      {"simple_adversary_v3", {{"N", "3"}}},
  };
  for (const auto& [id, kw] : sized) {
    INFO(id << " " << kw.repr());
    auto env = make_multi(id, kw);
    const auto obs = env->reset(0);
    for (int a = 0; a < env->num_agents(); ++a) CHECK(obs[a].numel() == env->observation_space(a).numel());
    REQUIRE_NOTHROW(env->step(std::vector<int64_t>(env->num_agents(), 1)));
  }
  CHECK(make_multi("simple_spread_v3", {{"N", "4"}})->observation_space(0).numel() == 24);
  CHECK(make_multi("simple_tag_v3", {{"num_good", "2"}})->observation_space(3).numel() == 18);
}

TEST_CASE("MPE: a push moves the velocity now and the position one step later", "[mpe]") {
  // simple_adversary has no collisions: pure damped motion. The adversary starts at the
  // origin moving right at 1; the goal is landmark 1 at (0.5, 0).
  auto env = make_multi("simple_adversary_v3");
  env->reset(0);
  env->set_state({0, 0, 1, 0, /*agent_0*/ -0.5, 0.5, 0, 0, /*agent_1*/ 0.5, 0.5, 0, 0,
                  /*landmarks*/ -0.5, -0.5, 0, 0, 0.5, 0, 0, 0, /*goal*/ 1});
  MultiStepResult r = step(*env, {2, 0, 0});  // right, at sensitivity 5
  std::vector<double> s = env->get_state();
  CHECK(s[0] == 0 + 1 * 0.1);            // x += old vx * dt
  CHECK(s[2] == 1 * 0.75 + 5.0 * 0.1);   // vx = vx * (1 - damping) + u * dt
  CHECK(r.rewards[0] == -(0.5 - 0.1));   // adversary: minus its distance to the goal
  // Good agents: minus the nearest good agent's distance plus the adversary's.
  CHECK(r.rewards[1] == Approx(-0.5 + 0.4).epsilon(1e-15));  // agent_1 is 0.5 from the goal
  // agent_0 sees the goal, the landmarks, then the adversary and agent_1, relative to itself.
  const float* o = r.obs[1].as<float>();
  CHECK(o[0] == 1.0f);   // goal x - own x
  CHECK(o[1] == -0.5f);
  CHECK(o[6] == static_cast<float>(0.1 - -0.5));
  CHECK(r.obs[0].numel() == 8);
}

TEST_CASE("MPE: the softplus contact force and the speed cap", "[mpe]") {
  // Two spread agents 0.2 apart (their radii sum to 0.3): penetration = softplus(100) * 1e-3,
  // force = 100 * dx / dist * penetration = 10 apart, so each gains 1 in velocity.
  auto env = make_multi("simple_spread_v3");
  env->reset(0);
  env->set_state({0, 0, 0, 0, 0.2, 0, 0, 0, 5, 5, 0, 0, /*landmarks*/ 0, 0, 0, 0, 0.2, 0, 0, 0, 5, 5, 0, 0});
  MultiStepResult r = step(*env, {0, 0, 0});
  std::vector<double> s = env->get_state();
  CHECK(s[0] == 0);  // positions move next step
  CHECK(s[2] == Approx(-1.0).epsilon(1e-12));
  CHECK(s[6] == Approx(1.0).epsilon(1e-12));
  // A far pair's force underflows to exactly zero.
  CHECK(s[10] == 0);
  // Each of agents 0 and 1 overlaps one other (-1 local); every landmark has an agent on it (0 global).
  CHECK(r.rewards[0] == -0.5);
  CHECK(r.rewards[2] == 0.0);
  // simple_tag: an adversary at speed 2 is capped to its max speed 1.0.
  auto tag = make_multi("simple_tag_v3");
  tag->reset(0);
  tag->set_state({0, 0, 2, 0, -5, -5, 0, 0, 5, -5, 0, 0, -5, 5, 0, 0, /*obstacles*/ 9, 9, 0, 0, -9, 9, 0, 0});
  step(*tag, {0, 0, 0, 0});
  s = tag->get_state();
  CHECK(s[0] == 2 * 0.1);
  CHECK(s[2] == 1.0);  // 2 * 0.75 = 1.5 > 1: (1.5 / 1.5) * 1.0
}

TEST_CASE("MPE: simple_tag's catch reward and the prey's boundary penalty", "[mpe]") {
  auto tag = make_multi("simple_tag_v3");
  tag->reset(0);
  // adversary_0 touches the prey at (0.95, 1.5): distance 0.1 < 0.075 + 0.05.
  tag->set_state({0.95, 1.4, 0, 0, -5, -5, 0, 0, 5, -5, 0, 0, 0.95, 1.5, 0, 0, 9, 9, 0, 0, -9, 9, 0, 0});
  const MultiStepResult r = step(*tag, {0, 0, 0, 0});
  for (int a = 0; a < 3; ++a) CHECK(r.rewards[a] == 10.0);  // every predator shares the catch
  // -10 for the catch, (0.95 - 0.9) * 10 for x, exp(2 * 1.5 - 2) for y (positions barely moved).
  CHECK(r.rewards[3] == Approx(-10 - 0.5 - std::exp(1.0)).epsilon(1e-6));
}

TEST_CASE("MPE: resets draw positions in PettingZoo's ranges, episodes truncate at max_cycles", "[mpe]") {
  auto tag = make_multi("simple_tag_v3");
  for (uint64_t seed = 0; seed < 20; ++seed) {
    tag->reset(seed);
    const std::vector<double> s = tag->get_state();
    for (int p = 0; p < 6; ++p) {
      const double limit = p < 4 ? 1.0 : 0.9;  // agents in [-1, 1]^2, obstacles in [-0.9, 0.9]^2
      CHECK(std::abs(s[4 * p]) <= limit);
      CHECK(std::abs(s[4 * p + 1]) <= limit);
      CHECK(s[4 * p + 2] == 0);
    }
  }
  auto push = make_multi("simple_push_v3", {{"max_cycles", "3"}});
  push->reset(1);
  MultiStepResult r;
  for (int t = 0; t < 3; ++t) r = step(*push, {1, 2});
  CHECK(r.truncated == std::vector<uint8_t>{1, 1});
  CHECK(r.terminated == std::vector<uint8_t>{0, 0});
  // The goal is part of the state: agent_0's colour follows it.
  push->reset(1);
  std::vector<double> s = push->get_state();
  s.back() = 0;
  push->set_state(s);
  std::vector<Array> obs = push->step(std::vector<int64_t>{0, 0}).obs;
  CHECK(obs[1].as<float>()[5] == 0.75f);  // green channel for goal 0
  CHECK_THROWS_WITH(push->set_state(std::vector<double>(17, 0.5)), Catch::Contains("goal=0.5"));
  CHECK_THROWS_WITH(push->set_state({1, 2}), Catch::Contains("17 numbers"));
}

TEST_CASE("MPE continuous actions: right minus left, up minus down, clipped to [0, 1]", "[mpe]") {
  auto env = make_multi("simple_adversary_v3", {{"continuous_actions", "true"}});
  env->reset(0);
  env->set_state({0, 0, 0, 0, -0.5, 0.5, 0, 0, 0.5, 0.5, 0, 0, -0.5, -0.5, 0, 0, 0.5, 0, 0, 0, 1});
  std::vector<Array> actions(3, Array::zeros(env->action_space(0)));
  float* a = actions[0].as<float>();
  a[0] = 0.9f, a[1] = 0.25f, a[2] = 1.5f, a[3] = 0.5f, a[4] = 0.0f;  // x: 1 - 0.25, y: 0 - 0.5
  env->step(actions);
  const std::vector<double> s = env->get_state();
  CHECK(s[2] == 0.75 * 5.0 * 0.1);
  CHECK(s[3] == -0.5 * 5.0 * 0.1);
}
