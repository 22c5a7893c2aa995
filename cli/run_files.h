// What the train, eval, plot and dataset commands share about runs: reading recipe
// files and `--key value` overrides into a Recipe, the run directory's layout, and
// loading a trained policy from a run directory or a checkpoint file.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agents/common/evaluation.h"
#include "agents/common/trainer.h"
#include "replay/state_map.h"

namespace rlarena::cli {

using RawConfig = std::map<std::string, std::vector<std::string>>;

// key = value lines (Boost.Program_options' config syntax); `source` names the file in errors.
RawConfig read_config(const std::string& text, const std::string& source);
// "--key value" / "--key=value" words; other words are an Error naming them.
RawConfig read_overrides(const std::vector<std::string>& words);
// The algorithm's Recipe from a file's settings with overrides on top (their values
// win; repeatable keys add). Unknown keys or values raise one-line Errors.
Recipe make_recipe(const RawConfig& file, const RawConfig& overrides, const std::string& source);

// A run directory's files.
struct RunDir {
  std::string path;
  std::string config() const { return path + "/config.cfg"; }
  std::string metrics() const { return path + "/metrics.csv"; }    // one row per iteration
  std::string episodes() const { return path + "/episodes.csv"; }  // one row per finished episode
  std::string checkpoint() const { return path + "/checkpoints/latest.h5"; }
  std::string eval() const { return path + "/eval.json"; }
  std::string curve() const { return path + "/curve.png"; }
};

// A trained policy: the run's recipe and a trainer holding the checkpoint's networks.
struct LoadedPolicy {
  std::unique_ptr<Recipe> recipe;
  std::unique_ptr<Trainer> trainer;
  StateMap state;  // the checkpoint's contents
};
// `path` is a run directory (its latest checkpoint) or a checkpoint file.
LoadedPolicy load_policy(const std::string& path, const TrainerOptions& options);

// eval.json: the returns, lengths and their statistics.
std::string eval_json(const EvalResult& result, const std::string& env_id, uint64_t seed, bool deterministic,
                      int64_t global_step);

// Learning curves of runs (the mean return of the last 20 episodes against env steps)
// drawn by gnuplot into `out` (.png or .svg); runs with the same algo and env are one
// curve: the mean over seeds, with a band from the lowest to the highest seed.
void plot_runs(const std::vector<std::string>& run_dirs, const std::string& out, const std::string& title);

}  // namespace rlarena::cli
