// The algorithms `rlarena train` knows, and recipes made for them.
#pragma once
#include <string>
#include <vector>

#include "agents/common/recipe.h"
#include "agents/common/trainer.h"

namespace rlarena {

// The online algorithms (ppo, a2c, dqn, sac, td3; ippo, mappo and selfplay for multi-agent envs; pets), then those of higher layers
// (offline/: bc, td3_bc, cql, iql) by name.
const std::vector<Algorithm>& algorithms();
// How a higher layer adds an algorithm, in one line of its file:
//   const bool registered = register_algorithm(&algorithm);
// Binaries link such a library whole (WHOLE_ARCHIVE), so the line runs.
bool register_algorithm(Algorithm (*make)());
// The algorithm named `name`; an Error lists the valid names.
const Algorithm& find_algorithm(const std::string& name);

// The Recipe of a file's settings with overrides on top (their values win; repeatable
// keys add), for the algorithm the two name (ppo when neither does). Unknown keys or
// values raise one-line Errors that start with `source`.
Recipe make_recipe(const RawConfig& file, const RawConfig& overrides, const std::string& source);

}  // namespace rlarena
