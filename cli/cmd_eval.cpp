// rlarena eval RUN_DIR|CHECKPOINT: runs a trained policy on fresh envs and reports
// the mean, std, IQM and a 95% bootstrap interval of its returns.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "agents/algorithms.h"
#include "agents/common/torch_threads.h"
#include "agents/data/env_batches.h"
#include "agents/policy/evaluation.h"
#include "agents/policy/load.h"
#include "cli/options.h"
#include "common/error.h"
#include "envs/multi/multi_registry.h"
#include "offline/scores.h"
#include "replay/dataset.h"

namespace rlarena::cli {

namespace {

// The references of a policy's returns: its dataset's (an offline run), else D4RL's for the env.
std::optional<ScoreRefs> refs_of(const Recipe& recipe, const std::string& env) {
  const auto& keys = recipe.keys();
  const bool offline = std::any_of(keys.begin(), keys.end(), [](const KeySpec& k) { return k.name == "dataset"; });
  if (offline && !recipe.text("dataset").empty()) {
    try {
      return score_refs(summarize_dataset(recipe.text("dataset")).metadata, env);
    } catch (const Error&) {
      // The dataset moved or is gone: the env's references still hold.
    }
  }
  return d4rl_refs(env);
}

}  // namespace

int cmd_eval(const Args& args) {
  po::options_description options("eval options");
  options.add_options()("run", po::value<InPath>()->required(), "run directory or checkpoint file")(
      "episodes", po::value<Count>()->default_value({10}), "episodes to run")(
      "seed", po::value<Seed>()->default_value({1000000}), "seed of eval env 0 (env i gets seed + i)")(
      "num-envs", po::value<Count>()->default_value({8}), "envs run together")(
      "stochastic", po::bool_switch(), "sample actions instead of taking the policy's mode")(
      "json", po::bool_switch(), "print the result as JSON");
  add_kwarg_option(options);
  po::positional_options_description positional;
  positional.add("run", 1);
  po::variables_map vm;
  if (!parse("eval", "RUN_DIR|CHECKPOINT [--episodes N] [--seed S] [--json]", args, options, positional, vm)) return 0;
  const int64_t episodes = vm["episodes"].as<Count>().value, num_envs = vm["num-envs"].as<Count>().value;
  set_torch_threads(1);
  set_blas_threads(1);
  const LoadedPolicy p = load_policy(vm["run"].as<InPath>().value);
  const std::string env = p.recipe->text("env");
  const Kwargs kwargs = p.recipe->kwargs().merged(kwargs_from(vm));
  const uint64_t seed = vm["seed"].as<Seed>().value;
  const Acting acting = acting_from(vm);
  EvalResult e;
  if (MultiRegistry::global().has(env)) {
    // A multi-agent run: its own rows (every agent, or its seat against the recipe's
    // eval_opponent), each env's episode counted once per row.
    if (vm.count("kwarg")) throw Error("--kwarg is for single-agent envs; " + env + " takes the run's env options");
    EnvBatchOptions rows;
    rows.num_envs = std::min(num_envs, episodes);
    rows.seed = seed;
    rows.evaluation = true;
    find_algorithm(p.recipe->text("algo"));  // registers what builds self-play rows
    const std::unique_ptr<EnvBatch> batch = make_env_batch(*p.recipe, rows);
    e = evaluate(*p.learner, *batch, episodes * (batch->rows() / rows.num_envs), seed, acting);
  } else {
    e = evaluate(*p.learner, env, kwargs, episodes, seed, acting, num_envs);
  }
  const std::optional<ScoreRefs> refs = refs_of(*p.recipe, env);
  if (vm["json"].as<bool>()) {
    std::cout << eval_json(e, env, seed, acting, p.global_step, refs);
    return 0;
  }
  std::printf("%s %s after %lld steps: %lld episodes, return mean %.2f, std %.2f, IQM %.2f, 95%% CI [%.2f, %.2f], "
              "min %.2f, max %.2f\n",
              p.recipe->text("algo").c_str(), env.c_str(), static_cast<long long>(p.global_step),
              static_cast<long long>(e.stats.episodes), e.stats.mean, e.stats.std, e.stats.iqm, e.stats.ci_low,
              e.stats.ci_high, e.stats.min, e.stats.max);
  if (refs)
    std::printf("normalized score %.1f (100 * (R - %.6g) / (%.6g - %.6g))\n", refs->normalized(e.stats.mean), refs->min,
                refs->max, refs->min);
  return 0;
}

}  // namespace rlarena::cli
