// Helpers shared by the dataset tests: temporary paths and stores filled from a
// VecEnv under seeded random actions.
#pragma once
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstring>

#include <memory>
#include <string>
#include <vector>

#include "temp_path.h"
#include "envs/core/vec_env.h"
#include "replay/store.h"
#include "replay/vec_writer.h"

namespace rlarena::test {

// A store filled by `steps` sync steps of `id` (seeded `seed`) with random actions.
inline std::unique_ptr<ReplayStore> collect(const std::string& id, int64_t envs, int steps, uint64_t seed) {
  VecEnv venv(id, envs, seed, 1);
  auto store = std::make_unique<ReplayStore>(venv.observation_space(), venv.action_space(), (steps + 1) * envs);
  VecWriter writer(*store, envs);
  writer.reset(venv.reset());
  Rng rng(seed + 1);
  const Space& act = venv.action_space();
  std::vector<uint8_t> actions(envs * act.byte_size());
  for (int t = 0; t < steps; ++t) {
    for (int64_t e = 0; e < envs; ++e) act.sample(rng, actions.data() + e * act.byte_size());
    writer.add(venv.step(actions.data()), actions.data());
  }
  return store;
}

// `b` holds `a`'s steps episode by episode (as a dataset file does), value for value,
// with the same episode ends; a step whose next one has not happened yet ends a
// file's episode.
inline void require_same_steps(const ReplayStore& a, const ReplayStore& b) {
  const auto ra = a.rows_by_episode(), rb = b.rows_by_episode();
  REQUIRE(ra.size() == rb.size());
  for (size_t i = 0; i < ra.size(); ++i) {
    INFO("step " << i);
    REQUIRE(std::memcmp(a.obs(ra[i]), b.obs(rb[i]), a.obs_bytes()) == 0);
    REQUIRE(std::memcmp(a.next_obs(ra[i]), b.next_obs(rb[i]), a.obs_bytes()) == 0);
    REQUIRE(std::memcmp(a.action(ra[i]), b.action(rb[i]), a.action_bytes()) == 0);
    REQUIRE(a.reward(ra[i]) == b.reward(rb[i]));
    REQUIRE(a.terminated(ra[i]) == b.terminated(rb[i]));
    REQUIRE(a.truncated(ra[i]) == b.truncated(rb[i]));
    const bool a_ends = a.next_row(ra[i]) < 0 || !a.is_closed(a.next_row(ra[i]));
    const bool b_ends = b.next_row(rb[i]) < 0 || !b.is_closed(b.next_row(rb[i]));
    REQUIRE(a_ends == b_ends);
  }
}

}  // namespace rlarena::test
