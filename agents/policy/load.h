// Policies by name: a trained one loaded from a run directory or a checkpoint file
// (its recipe and spaces are in the checkpoint, so no env is built and normalizer
// statistics come with it), or a scripted player ("random", "heuristic").
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "agents/common/learner.h"
#include "agents/common/recipe.h"
#include "common/state_map.h"
#include "envs/core/env.h"

namespace rlarena {

struct LoadedPolicy {
  std::string file;                 // the checkpoint read
  std::unique_ptr<Recipe> recipe;   // the recipe the run was trained with
  std::unique_ptr<Learner> learner;  // its networks, as the checkpoint left them
  int64_t global_step = 0;
};
// `path` is a run directory (its checkpoints/latest.h5) or a checkpoint file.
LoadedPolicy load_policy(const std::string& path);

// Writes what load_policy needs besides the learner's parts: the recipe's text, the
// policy's spaces and the step it was saved at.
void put_policy_header(StateMap& state, const std::string& recipe_text, const Policy& policy, int64_t global_step);

// Whether `spec` names a scripted player rather than a run or checkpoint.
bool is_scripted_policy(const std::string& spec);
// "random" (seeded `seed`), "heuristic", or a run directory or checkpoint file, for an
// env with these spaces (a trained policy must fit them; `env_id` names the env in errors).
std::unique_ptr<Policy> make_policy(const std::string& spec, const Space& observations, const Space& actions,
                                    uint64_t seed, const std::string& env_id);

// A policy and the one env it acts in (render, rollout).
struct PolicyInEnv {
  std::string env_id;
  std::unique_ptr<Env> env;
  std::unique_ptr<Policy> policy;
};
// `spec` as for make_policy. An empty `env_id` means the env a trained policy was
// trained on, with its env options; `kwargs` go on top.
PolicyInEnv policy_in_env(const std::string& spec, const std::string& env_id, const Kwargs& kwargs, uint64_t seed);

}  // namespace rlarena
