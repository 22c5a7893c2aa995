#include "agents/policy/load.h"

#include <filesystem>

#include "agents/algorithms.h"
#include "agents/common/run_dir.h"
#include "agents/policy/scripted.h"
#include "common/error.h"
#include "common/state_file.h"
#include "envs/core/registry.h"

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
  // The header first, then only the learner's parts: a run's checkpoint also holds
  // its envs and (off-policy) its whole replay store, which acting does not need.
  const StateMap header = load_state_file(p.file, [](const std::string& key) {
    return key == "recipe" || key == "run/global_step" || key.rfind("spaces/", 0) == 0;
  });
  if (!header.count("spaces/observation/kind"))
    throw Error(p.file + ": the checkpoint does not record its spaces (made by an older rlarena); train the run again");
  const std::string text = get_text(header, "recipe");
  p.recipe = std::make_unique<Recipe>(make_recipe(read_config(text, p.file), {}, p.file));
  const Space obs = Space::load_state(header, "spaces/observation/");
  const Space act = Space::load_state(header, "spaces/action/");
  p.learner = find_algorithm(p.recipe->text("algo")).make_learner(*p.recipe, obs, act);
  p.global_step = get_state_value<int64_t>(header, "run/global_step");
  Parts parts;
  p.learner->declare(parts);
  const std::vector<std::string> names = parts.names();
  p.learner->load(load_state_file(p.file, [&names](const std::string& key) {
    for (const auto& n : names)
      if (key == n || (!n.empty() && n.back() == '/' && key.rfind(n, 0) == 0)) return true;
    return false;
  }));
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

PolicyInEnv policy_in_env(const std::string& spec, const std::string& env_id, const Kwargs& kwargs, uint64_t seed) {
  PolicyInEnv out;
  out.env_id = env_id;
  if (is_scripted_policy(spec)) {
    if (env_id.empty())
      throw Error("give an env id (e.g. CartPole-v1), or --policy RUN_DIR to use the env the run trained on");
    out.env = make(env_id, kwargs);
    out.policy = make_policy(spec, out.env->observation_space(), out.env->action_space(), seed, env_id);
    return out;
  }
  LoadedPolicy trained = load_policy(spec);
  const std::string trained_on = trained.recipe->text("env");
  // The run's env options apply to the env it trained on, not to another one.
  const Kwargs base = env_id.empty() || env_id == trained_on ? trained.recipe->kwargs() : Kwargs{};
  if (out.env_id.empty()) out.env_id = trained_on;
  out.env = make(out.env_id, base.merged(kwargs));
  check_policy_fits(*trained.learner, "--policy " + spec + " (trained on " + trained_on + ")",
                    out.env->observation_space(), out.env->action_space(), out.env_id);
  out.policy = std::move(trained.learner);
  return out;
}

}  // namespace rlarena
