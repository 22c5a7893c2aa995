#include "agents/policy/load.h"

#include <filesystem>

#include "agents/algorithms.h"
#include "agents/common/run_dir.h"
#include "agents/policy/scripted.h"
#include "common/error.h"
#include "common/state_file.h"

namespace rlarena {

namespace fs = std::filesystem;

void put_policy_header(StateMap& state, const std::string& recipe_text, const Policy& policy, int64_t global_step) {
  put_text(state, "recipe", recipe_text);
  policy.observation_space().save_state(state, "spaces/observation/");
  policy.action_space().save_state(state, "spaces/action/");
  put_state(state, "run/global_step", global_step);
}

LoadedPolicy load_policy(const std::string& path) {
  LoadedPolicy p;
  p.file = fs::is_directory(path) ? RunDir{path}.checkpoint() : path;
  if (!fs::exists(p.file))
    throw Error(p.file + ": no checkpoint there; give a run directory (runs/...) or a checkpoint file (.h5)");
  const StateMap state = load_state_file(p.file);
  if (!state.count("spaces/observation/kind"))
    throw Error(p.file + ": the checkpoint does not record its spaces (made by an older rlarena); train the run again");
  const std::string text = get_text(state, "recipe");
  p.recipe = std::make_unique<Recipe>(make_recipe(read_config(text, p.file), {}, p.file));
  const Space obs = Space::load_state(state, "spaces/observation/");
  const Space act = Space::load_state(state, "spaces/action/");
  p.learner = find_algorithm(p.recipe->text("algo")).make_learner(*p.recipe, obs, act);
  p.learner->load(state);
  p.global_step = get_state_value<int64_t>(state, "run/global_step");
  return p;
}

bool is_scripted_policy(const std::string& spec) { return spec == "random" || spec == "heuristic"; }

std::unique_ptr<Policy> make_policy(const std::string& spec, const Space& observations, const Space& actions,
                                    uint64_t seed, const std::string& env_id) {
  if (spec == "random") return std::make_unique<RandomPolicy>(observations, actions, seed);
  if (spec == "heuristic") return std::make_unique<HeuristicPolicy>(observations, actions);
  LoadedPolicy loaded = load_policy(spec);
  check_policy_fits(*loaded.learner, "--policy " + spec + " (trained on " + loaded.recipe->text("env") + ")",
                    observations, actions, env_id);
  return std::move(loaded.learner);
}

}  // namespace rlarena
