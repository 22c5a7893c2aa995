#include "agents/algorithms.h"

#include <algorithm>

#include "agents/a2c/a2c.h"
#include "agents/dqn/dqn.h"
#include "agents/model_based/mbpo.h"
#include "agents/model_based/pets.h"
#include "agents/multi/multi_ppo.h"
#include "agents/selfplay/selfplay.h"
#include "agents/ppo/ppo.h"
#include "agents/sac/sac.h"
#include "agents/td3/td3.h"
#include "common/error.h"

namespace rlarena {

std::vector<KeySpec> run_keys(const std::string& algo, const std::string& env, int64_t total_steps, int64_t num_envs) {
  return {{"algo", algo, "algorithm (`rlarena train --help` lists them)"},
          {"env", env, "env id (rlarena envs lists them)"},
          {"kwarg", "", "env option key=value (repeatable)", true},
          {"seed", "1", "seed of env 0 (env i gets seed + i), the networks and every sampler"},
          {"total_steps", std::to_string(total_steps), "env steps in all"},
          {"num_envs", std::to_string(num_envs), "envs stepped together"},
          {"env_threads", "1", "threads stepping envs (results do not depend on it)"},
          {"torch_threads", "1", "LibTorch intra-op threads"},
          {"blas_threads", "1", "OpenBLAS threads (2 pays off for 256-wide networks; results depend on it)"},
          {"checkpoint_every", "0", "env steps between checkpoints (0: only at the end and on Ctrl-C)"},
          {"keep_checkpoints", "0", "also keep the last N checkpoints as checkpoints/step_<N>.h5"},
          {"eval_every", "0", "env steps between deterministic evaluations into evals.csv (0: only the final one)"},
          {"eval_episodes", "10", "episodes of each evaluation (0: no evaluation)"},
          {"capture_video", "false", "record one evaluation episode per evaluation into videos/"},
          {"tensorboard", "true", "also log metrics as TensorBoard event files in the run directory (CleanRL's tags)"},
          {"dist_timeout", "300", "seconds a rank of a distributed run (WORLD_SIZE, --nproc) waits for the others "
                                  "before it stops with an error"}};
}

namespace {
std::vector<Algorithm (*)()>& registered() {
  static std::vector<Algorithm (*)()> makers;  // a function-local static: safe during static initialization
  return makers;
}
}  // namespace

bool register_algorithm(Algorithm (*make)()) {
  registered().push_back(make);
  return true;
}

const std::vector<Algorithm>& algorithms() {
  static const std::vector<Algorithm> all = [] {
    std::vector<Algorithm> list = {ppo::algorithm(), a2c::algorithm(), dqn::algorithm(), sac::algorithm(),
                                   td3::algorithm(), ippo::algorithm(), mappo::algorithm(),
                                   selfplay::algorithm(), pets::algorithm(), mbpo::algorithm()};
    std::vector<Algorithm> more;
    for (auto make : registered()) more.push_back(make());
    std::sort(more.begin(), more.end(), [](const Algorithm& a, const Algorithm& b) { return a.name < b.name; });
    list.insert(list.end(), more.begin(), more.end());
    return list;
  }();
  return all;
}

const Algorithm& find_algorithm(const std::string& name) {
  std::string names;
  for (const auto& a : algorithms()) {
    if (a.name == name) return a;
    names += (names.empty() ? "" : ", ") + a.name;
  }
  throw Error("algo = " + name + " is not known; give one of " + names);
}

Recipe make_recipe(const RawConfig& file, const RawConfig& overrides, const std::string& source) {
  std::string algo = "ppo";
  if (overrides.count("algo")) algo = overrides.at("algo").back();
  else if (file.count("algo")) algo = file.at("algo").back();
  const Algorithm& a = find_algorithm(algo);
  RawConfig merged = file;
  for (const auto& [key, values] : overrides) {
    bool repeatable = false;
    for (const auto& k : a.keys) repeatable |= k.name == key && k.repeatable;
    if (repeatable) merged[key].insert(merged[key].end(), values.begin(), values.end());
    else merged[key] = {values.back()};
  }
  try {
    Recipe recipe(a.keys, merged);
    recipe.set_source(source);
    return recipe;
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
}

}  // namespace rlarena
