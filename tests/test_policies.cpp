// Policies: a trained one loads from a checkpoint without building any env, with its
// normalizer statistics; scripted players act as documented; single episodes under
// a policy.
#include <catch2/catch.hpp>
#include <unistd.h>

#include "agent_helpers.h"
#include "agents/policy/episode.h"
#include "agents/policy/evaluation.h"
#include "agents/policy/load.h"
#include "agents/policy/scripted.h"
#include "agents/ppo/ppo.h"
#include "agents/sac/sac.h"
#include "common/state_file.h"
#include "envs/core/registry.h"
#include "temp_path.h"

using namespace rlarena;
using rlarena::test::temp_path;
using agent_test::recipe_of;

namespace {

// Saves `learner` as a run would, under a recipe naming an env that does not exist.
std::string save_policy(Learner& learner, const Recipe& recipe, const std::string& name) {
  StateMap state;
  learner.save(state);
  put_policy_header(state, recipe.config_text(""), learner, 123);
  const std::string path = temp_path(name);
  save_state_file(path, state);
  return path;
}

}  // namespace

TEST_CASE("A trained policy loads from its checkpoint without any env, normalizer included", "[agents][policy]") {
  // The recipe names no registered env: building one would throw, so loading builds none.
  const Recipe r = recipe_of("ppo", {{"env", "NoSuchEnv-v0"}, {"norm_obs", "true"}, {"seed", "4"}});
  const Space obs_space = Space::box(-10.0, 10.0, {3});
  PpoLearner ppo(r, obs_space, Space::discrete(3, 1));
  const std::vector<float> seen = {5, -3, 8, 6, -2, 9, 4, -4, 7};  // the normalizer's statistics move far from 0
  ppo.observe(seen.data(), 3, Statistics::Update);
  const std::string path = save_policy(ppo, r, "ppo_policy.h5");
  const LoadedPolicy loaded = load_policy(path);
  std::remove(path.c_str());
  CHECK(loaded.recipe->text("env") == "NoSuchEnv-v0");
  CHECK(loaded.global_step == 123);
  CHECK(loaded.learner->observation_space() == obs_space);
  CHECK(loaded.learner->action_space() == Space::discrete(3, 1));
  auto& copy = dynamic_cast<PpoLearner&>(*loaded.learner);
  const std::vector<float> probe = {5, -3, 8};
  CHECK(torch::equal(copy.observe(probe.data(), 1, Statistics::Keep), ppo.observe(probe.data(), 1, Statistics::Keep)));
  CHECK(copy.observe(probe.data(), 1, Statistics::Keep).abs().max().item<float>() < 2);  // normalized, not raw
  // Same actions, deterministic (in 1..3: the space starts at 1) and sampled.
  std::vector<int64_t> a(3), b(3);
  ppo.act({seen.data(), 3, nullptr}, Acting::Deterministic, a.data());
  copy.act({seen.data(), 3, nullptr}, Acting::Deterministic, b.data());
  CHECK(a == b);
  for (int64_t x : a) CHECK((x >= 1 && x <= 3));
  ppo.act({seen.data(), 3, nullptr}, Acting::Stochastic, a.data());
  copy.act({seen.data(), 3, nullptr}, Acting::Stochastic, b.data());
  CHECK(a == b);  // the generator's state came with the checkpoint
}

TEST_CASE("A continuous policy loads and acts in its box, and load errors name the fix", "[agents][policy]") {
  const Recipe r = recipe_of("sac", {{"env", "NoSuchEnv-v0"}, {"hidden", "16"}});
  const Space box = Space::box({-2.0, 0.0}, {2.0, 1.0}, {2});
  SacLearner sac(r, Space::box(-1.0, 1.0, {4}), box);
  const std::string path = save_policy(sac, r, "sac_policy.h5");
  const LoadedPolicy loaded = load_policy(path);
  const std::vector<float> obs = {0.1f, -0.2f, 0.3f, 0.9f, 1, 1, 1, 1};
  std::vector<float> a(4), b(4);
  sac.act({obs.data(), 2, nullptr}, Acting::Deterministic, a.data());
  loaded.learner->act({obs.data(), 2, nullptr}, Acting::Deterministic, b.data());
  CHECK(a == b);
  for (int i = 0; i < 2; ++i) CHECK((a[2 * i] >= -2 && a[2 * i] <= 2 && a[2 * i + 1] >= 0 && a[2 * i + 1] <= 1));
  // A policy acts only on envs of its shapes.
  CHECK_THROWS_WITH(make_policy(path, Space::box(-1.0, 1.0, {3}), box, 0, "Other-v0"),
                    Catch::Contains("Other-v0 has observations Box") && Catch::Contains("trained on NoSuchEnv-v0"));
  std::remove(path.c_str());
  CHECK_THROWS_WITH(load_policy(temp_path("missing.h5")), Catch::Contains("no checkpoint there"));
  StateMap bare;
  put_text(bare, "recipe", "algo = sac\n");
  save_state_file(path, bare);
  CHECK_THROWS_WITH(load_policy(path), Catch::Contains("does not record its spaces"));
  std::remove(path.c_str());
}

TEST_CASE("Scripted players: random, the env's heuristic, a list of actions", "[agents][policy]") {
  auto lander = make("LunarLander-v3");
  const Array first = lander->reset(5);
  // Random: seeded draws from the action space.
  RandomPolicy r1(lander->observation_space(), lander->action_space(), 9), r2(lander->observation_space(),
                                                                              lander->action_space(), 9);
  std::vector<int64_t> a(16), b(16);
  r1.act({first.data(), 16, nullptr}, Acting::Deterministic, a.data());
  r2.act({first.data(), 16, nullptr}, Acting::Deterministic, b.data());
  CHECK(a == b);
  for (int64_t x : a) CHECK((x >= 0 && x < 4));
  // Heuristic: the env's own controller on its current state.
  HeuristicPolicy h(lander->observation_space(), lander->action_space());
  Env* envs[1] = {lander.get()};
  int64_t expected = -1, got = -2;
  REQUIRE(lander->heuristic_action(&expected));
  h.act({first.data(), 1, envs}, Acting::Deterministic, &got);
  CHECK(got == expected);
  const EvalResult landed = evaluate(h, "LunarLander-v3", {}, 2, 0, Acting::Deterministic, 2);
  CHECK(landed.stats.mean > 100);  // the scripted landing; random play averages about -180
  auto cartpole = make("CartPole-v1");
  Env* no_heuristic[1] = {cartpole.get()};
  CHECK_THROWS_WITH(h.act({first.data(), 1, no_heuristic}, Acting::Deterministic, &got),
                    Catch::Contains("no heuristic policy"));
  CHECK_THROWS_WITH(h.act({first.data(), 1, nullptr}, Acting::Deterministic, &got), Catch::Contains("env's own state"));
  // A list of actions replays in order, then says it is used up.
  Array push = Array::zeros(cartpole->action_space());
  push.as<int64_t>()[0] = 1;
  ActionListPolicy list(cartpole->observation_space(), cartpole->action_space(), {push, push});
  int64_t x = 0;
  list.act({nullptr, 1, nullptr}, Acting::Deterministic, &x);
  CHECK(x == 1);
  list.act({nullptr, 1, nullptr}, Acting::Deterministic, &x);
  CHECK_THROWS_WITH(list.act({nullptr, 1, nullptr}, Acting::Deterministic, &x), Catch::Contains("used up"));
}

TEST_CASE("run_episode steps the env under a policy until the episode ends", "[agents][policy]") {
  auto env = make("CartPole-v1");
  auto twin = make("CartPole-v1");
  const Array first = env->reset(3);
  twin->reset(3);
  RandomPolicy player(env->observation_space(), env->action_space(), 11);
  Rng same(11);
  int64_t steps = 0;
  double total = 0;
  const EpisodeResult r =
      run_episode(*env, first, player, Acting::Deterministic, 0, [&](const Array& action, const StepResult& step) {
        Array expected = Array::zeros(twin->action_space());
        twin->action_space().sample(same, expected.data());
        CHECK(action.bytes == expected.bytes);  // the player's own seeded draws
        const StepResult t = twin->step(expected);
        CHECK(step.obs.bytes == t.obs.bytes);
        ++steps, total += step.reward;
      });
  CHECK(r.ended);
  CHECK(r.length == steps);
  CHECK(r.episode_return == total);
  CHECK(steps < 100);  // random CartPole falls within a few dozen steps
  env->reset(3);
  CHECK(run_episode(*env, first, player, Acting::Deterministic, 5, [](const Array&, const StepResult&) {}).length == 5);
}
