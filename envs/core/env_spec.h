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
};

}  // namespace rlarena
