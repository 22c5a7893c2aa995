// Trainer: what every algorithm gives the CLI: iterate until its step budget,
// reporting after each update; save and load its whole state (a checkpoint); act on
// observations (evaluation, dataset collection). Algorithm: a name, its recipe keys
// with their defaults, and a factory.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "agents/common/recipe.h"
#include "envs/core/space.h"
#include "replay/state_map.h"
#include "replay/store.h"

namespace rlarena {

// What one iteration reports (a row of metrics.csv).
struct Report {
  int64_t global_step = 0;
  std::vector<double> episode_returns;  // episodes that ended during the iteration
  std::vector<int64_t> episode_lengths;
  std::vector<int64_t> episode_ends;  // the global step at which each ended
  std::vector<double> losses;  // in loss_names() order; NaN before learning starts
};

// Means of the losses logged over an iteration; NaN where nothing was added.
class LossMeans {
 public:
  explicit LossMeans(size_t n) : sums_(n, 0.0), counts_(n, 0) {}
  void add(size_t i, double v) { sums_[i] += v, ++counts_[i]; }
  std::vector<double> means() const {
    std::vector<double> out(sums_.size());
    for (size_t i = 0; i < sums_.size(); ++i)
      out[i] = counts_[i] ? sums_[i] / counts_[i] : std::numeric_limits<double>::quiet_NaN();
    return out;
  }

 private:
  std::vector<double> sums_;
  std::vector<int64_t> counts_;
};

class Trainer {
 public:
  virtual ~Trainer() = default;
  // metrics.csv columns after the common ones; stable per algorithm.
  virtual std::vector<std::string> loss_names() const = 0;
  virtual int64_t global_step() const = 0;
  virtual int64_t total_steps() const = 0;
  // Runs one update (on-policy) or a logging interval (off-policy). Off-policy agents
  // return early, at a step boundary, once `stop` is set.
  virtual Report iterate(const std::atomic<bool>& stop) = 0;
  // Everything a resumed run needs to continue exactly.
  virtual void save(StateMap& state) = 0;
  virtual void load(const StateMap& state) = 0;
  // The policy: actions ([n, action], the action space's dtype) for n observations;
  // deterministic takes the mode (argmax, mean), else samples.
  virtual void act(const void* obs, int64_t n, bool deterministic, void* actions) = 0;
  virtual const Space& observation_space() const = 0;
  virtual const Space& action_space() const = 0;
  // The transitions the run keeps (all of them for off-policy agents; for on-policy
  // agents the last rollouts, or the whole run when made with keep_all_steps).
  virtual const ReplayStore& store() const = 0;
};

struct TrainerOptions {
  bool acting_only = false;     // evaluation: no stores or optimizers are filled
  bool keep_all_steps = false;  // size the store for the whole run (--save-buffer)
};

struct Algorithm {
  std::string name, summary;
  std::vector<KeySpec> keys;  // every key, with this algorithm's defaults
  std::function<std::unique_ptr<Trainer>(const Recipe&, const TrainerOptions&)> make;
};

// Keys every run has: algo, env, kwarg, seed, total_steps, num_envs, env_threads,
// torch_threads, checkpoint_every, eval_episodes.
std::vector<KeySpec> run_keys(const std::string& algo, const std::string& env, int64_t total_steps, int64_t num_envs);

const std::vector<Algorithm>& algorithms();
// The algorithm named `name`; an Error lists the valid names.
const Algorithm& find_algorithm(const std::string& name);

}  // namespace rlarena
