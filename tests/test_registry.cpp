#include <catch2/catch.hpp>

#include "common/error.h"
#include "envs/core/registry.h"

using namespace rlarena;
using Catch::Matchers::Contains;

TEST_CASE("the five classic-control envs are registered with Gymnasium's limits", "[registry]") {
  const auto& r = Registry::global();
  CHECK(r.spec("CartPole-v1").max_episode_steps == 500);
  CHECK(r.spec("CartPole-v1").reward_threshold.value() == 475.0);
  CHECK(r.spec("Acrobot-v1").max_episode_steps == 500);
  CHECK(r.spec("Acrobot-v1").reward_threshold.value() == -100.0);
  CHECK(r.spec("MountainCar-v0").max_episode_steps == 200);
  CHECK(r.spec("MountainCar-v0").reward_threshold.value() == -110.0);
  CHECK(r.spec("MountainCarContinuous-v0").max_episode_steps == 999);
  CHECK(r.spec("MountainCarContinuous-v0").reward_threshold.value() == 90.0);
  CHECK(r.spec("Pendulum-v1").max_episode_steps == 200);
  CHECK_FALSE(r.spec("Pendulum-v1").reward_threshold.has_value());
}

TEST_CASE("an unknown id names the closest registered ids", "[registry]") {
  CHECK_THROWS_WITH(make("CartPole-v0"), Contains("did you mean CartPole-v1"));
  CHECK_THROWS_WITH(make("cartpol-v1"), Contains("CartPole-v1"));
  CHECK_THROWS_WITH(make("Pendulum-v0"), Contains("Pendulum-v1"));
}

TEST_CASE("kwargs reach the env, unknown or malformed ones are errors naming the key", "[registry]") {
  auto env = make("Pendulum-v1", {{"g", "0"}});
  env->reset(0);
  env->set_state({1.0, 0.0});
  env->step(std::vector<float>{0.f});
  CHECK(env->get_state()[1] == 0.0);  // no gravity, no torque: no motion

  CHECK_THROWS_WITH(make("Pendulum-v1", {{"gravity", "9.8"}}),
                    Contains("no option 'gravity'") && Contains("g"));
  CHECK_THROWS_WITH(make("Pendulum-v1", {{"g", "heavy"}}), Contains("g='heavy' is not a number"));
  CHECK_THROWS_WITH(make("CartPole-v1", {{"sutton_barto_reward", "maybe"}}),
                    Contains("not a boolean"));
  CHECK_THROWS_WITH(Kwargs::parse({"novalue"}), Contains("key=value"));
}

TEST_CASE("max_episode_steps overrides the time limit as in gym.make", "[registry]") {
  auto env = make("Pendulum-v1", {{"max_episode_steps", "3"}});
  CHECK(env->spec().max_episode_steps == 3);
  env->reset(0);
  CHECK_FALSE(env->step(std::vector<float>{0.f}).truncated);
  CHECK_FALSE(env->step(std::vector<float>{0.f}).truncated);
  CHECK(env->step(std::vector<float>{0.f}).truncated);
  CHECK_THROWS_AS(make("Pendulum-v1", {{"max_episode_steps", "-1"}}), Error);
}
