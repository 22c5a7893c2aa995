// The algorithms `rlarena train` knows, and recipes made for them.
#pragma once
#include <string>
#include <vector>

#include "agents/common/recipe.h"
#include "agents/common/trainer.h"

namespace rlarena {

const std::vector<Algorithm>& algorithms();
// The algorithm named `name`; an Error lists the valid names.
const Algorithm& find_algorithm(const std::string& name);

// The Recipe of a file's settings with overrides on top (their values win; repeatable
// keys add), for the algorithm the two name (ppo when neither does). Unknown keys or
// values raise one-line Errors that start with `source`.
Recipe make_recipe(const RawConfig& file, const RawConfig& overrides, const std::string& source);

}  // namespace rlarena
