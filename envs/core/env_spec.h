// EnvSpec: how an env id is made: its id (Name-vN), time limit, solved threshold and
// default options, as in Gymnasium's registry.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "envs/core/kwargs.h"

namespace rlarena {

struct EnvSpec {
  std::string id;
  int64_t max_episode_steps = 0;  // 0: no time limit
  std::optional<double> reward_threshold;
  Kwargs default_kwargs;
  // Gymnasium's entry point for the same id (module:Class), for the env specs that
  // Minari's metadata.json holds, so Minari's recover_environment() finds the env.
  std::string gymnasium_entry_point;
};

}  // namespace rlarena
