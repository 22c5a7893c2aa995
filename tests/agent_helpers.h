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

namespace agent_test {

// A small D4RL file of `steps` random Pendulum-v1 transitions (50-step episodes,
// 2 envs), written once per process: the offline tests' dataset.
inline std::string pendulum_dataset(int64_t steps = 2000) {
  const std::string path = "/tmp/rlarena_test_" + std::to_string(getpid()) + "_pendulum_" + std::to_string(steps) + ".hdf5";
  if (access(path.c_str(), F_OK) == 0) return path;
  rlarena::VecEnv venv("Pendulum-v1", 2, 11, 1, 0, {{"max_episode_steps", "50"}});
  rlarena::ReplayStore store(venv.observation_space(), venv.action_space(), steps + 4);
  rlarena::VecWriter writer(store, 2);
  writer.reset(venv.reset());
  rlarena::Rng rng(5);
  std::vector<float> actions(2);
  for (int64_t t = 0; t < steps / 2; ++t) {
    for (auto& a : actions) a = static_cast<float>(4 * rng.uniform() - 2);
    writer.add(venv.step(actions), actions.data());
  }
  rlarena::write_d4rl(store, path, {{"env_id", "Pendulum-v1"}});
  return path;
}

}  // namespace agent_test
