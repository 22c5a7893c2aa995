// Helpers of the agent tests: recipes of an algorithm's keys with a few values set.
#pragma once
#include <map>
#include <string>

#include "agents/algorithms.h"

namespace agent_test {

inline rlarena::Recipe recipe_of(const std::string& algo, const std::map<std::string, std::string>& values) {
  rlarena::RawConfig given{{"algo", {algo}}};
  for (const auto& [k, v] : values) given[k].push_back(v);
  return rlarena::Recipe(rlarena::find_algorithm(algo).keys, given);
}

}  // namespace agent_test

#include <unistd.h>

#include "envs/core/vec_env.h"
#include "replay/d4rl.h"
#include "replay/vec_writer.h"
#include "temp_path.h"

namespace agent_test {

// A small D4RL file of `steps` transitions of uniformly random actions in `env_id`
// (50-step episodes, 2 envs), written once per process (tests/main.cpp removes it at the
// end): the offline tests' dataset.
inline std::string random_dataset(const std::string& env_id = "Pendulum-v1", int64_t steps = 2000) {
  const std::string path = rlarena::test::temp_path(env_id + "_" + std::to_string(steps) + ".hdf5");
  if (access(path.c_str(), F_OK) == 0) return path;
  rlarena::VecEnv venv(env_id, 2, 11, 1, 0, {{"max_episode_steps", "50"}});
  rlarena::ReplayStore store(venv.observation_space(), venv.action_space(), steps + 4);
  rlarena::VecWriter writer(store, 2);
  writer.reset(venv.reset());
  rlarena::Rng rng(5);
  const size_t bytes = venv.action_space().byte_size();
  std::vector<uint8_t> actions(2 * bytes);
  for (int64_t t = 0; t < steps / 2; ++t) {
    for (int i = 0; i < 2; ++i) venv.action_space().sample(rng, actions.data() + i * bytes);
    writer.add(venv.step(actions.data()), actions.data());
  }
  rlarena::write_d4rl(store, path, {{"env_id", env_id}});
  return path;
}
inline std::string pendulum_dataset() { return random_dataset("Pendulum-v1", 2000); }

}  // namespace agent_test
