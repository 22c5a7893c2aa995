// Trainer: an algorithm's learner fed by its data source on the algorithm's schedule
// (PPO: collect a rollout, then learn from it; SAC: step the envs, then update from
// the store). A Run (agents/run/run.h) drives it: iterate until the step budget,
// save and load its whole state. Algorithm: a name, its recipe keys with their
// defaults, and factories for its trainer and, for acting alone, its learner.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agents/common/learner.h"
#include "agents/common/recipe.h"
#include "agents/common/report.h"
#include "agents/common/score.h"
#include "common/error.h"
#include "replay/store.h"

namespace rlarena {

class Trainer : public Stateful {
 public:
  virtual Learner& learner() = 0;
  // metrics.csv columns after the common ones; stable per algorithm.
  virtual std::vector<std::string> loss_names() { return learner().loss_names(); }
  virtual int64_t global_step() const = 0;
  virtual int64_t total_steps() const = 0;
  // Runs one update (on-policy) or a logging interval (off-policy). Off-policy agents
  // return early, at a step boundary, once `stop` is set.
  virtual Report iterate(const std::atomic<bool>& stop) = 0;
  // Everything a resumed run needs to continue exactly (save and load walk it): the
  // learner's parts and the data source's (envs, store, samplers, generators, counters).
  void declare(Parts& parts) override = 0;
  // The transitions the run keeps (all of them for off-policy agents; for on-policy
  // agents the last rollouts, or the whole run when made with keep_all_steps).
  virtual const ReplayStore& store() const = 0;
  // The references that normalize this run's returns (an offline run's dataset or
  // env), when known: evals.csv then has a normalized column.
  virtual std::optional<ScoreRefs> score_refs() const { return std::nullopt; }
};

// The learner `make` builds for the recipe's env (its spaces); errors about the spaces
// name the env (those about recipe values name the recipe already).
template <typename Factory>
auto learner_for_env(const Factory& make, const Recipe& recipe, const Space& observations, const Space& actions) {
  try {
    return make(recipe, observations, actions);
  } catch (const Error& e) {
    const std::string what = e.what();
    if (!recipe.source().empty() && what.rfind(recipe.source() + ": ", 0) == 0) throw;
    throw Error(recipe.text("env") + ": " + what);
  }
}

struct TrainerOptions {
  bool keep_all_steps = false;  // size the store for the whole run (--save-buffer)
};

struct Algorithm {
  std::string name, summary;
  std::vector<KeySpec> keys;  // every key, with this algorithm's defaults
  std::function<std::unique_ptr<Trainer>(const Recipe&, const TrainerOptions&)> make_trainer;
  // The learner alone, for spaces given rather than read off an env (a loaded policy).
  std::function<std::unique_ptr<Learner>(const Recipe&, const Space& observations, const Space& actions)> make_learner;
};

// Keys every run has: algo, env, kwarg, seed, total_steps, num_envs, env_threads,
// torch_threads, blas_threads, checkpoint_every, keep_checkpoints, eval_every,
// eval_episodes, capture_video.
std::vector<KeySpec> run_keys(const std::string& algo, const std::string& env, int64_t total_steps, int64_t num_envs);

}  // namespace rlarena
