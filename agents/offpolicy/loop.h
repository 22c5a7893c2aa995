// The acting-and-storing half shared by DQN, SAC and TD3: N envs stepped one step at
// a time into the ReplayStore, and minibatches sampled back from it (uniformly, or
// by priority for DQN's prioritized replay) as tensors. Truncated steps keep their
// true next observation (final_obs) and are not terminal: TD targets bootstrap there.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <optional>

#include "agents/common/trainer.h"
#include "envs/core/vec_env.h"
#include "replay/samplers.h"
#include "replay/vec_writer.h"

namespace rlarena {

struct Minibatch {
  torch::Tensor obs, next_obs;  // [B, obs] float32
  torch::Tensor actions;        // [B] int64 (index from 0) or [B, A] float32
  torch::Tensor rewards;        // [B] float32
  torch::Tensor terminated;     // [B] float32 0/1
  torch::Tensor weights;        // [B] importance weights (prioritized), else undefined
  const int64_t* rows = nullptr;  // store rows, for priority updates
};

// Box action bounds as tensors [A]: scale = (high - low) / 2, bias = (high + low) / 2.
struct ActionBounds {
  torch::Tensor low, high, scale, bias;
};

class OffPolicyLoop {
 public:
  // Recipe keys: env, kwarg, seed, num_envs, env_threads, buffer_size, batch_size,
  // learning_starts, gamma (and prioritized, per_alpha, per_beta when has_prioritized_keys).
  OffPolicyLoop(const Recipe& recipe, const TrainerOptions& options, bool has_prioritized_keys);
  static std::vector<KeySpec> keys(int64_t buffer_size, int64_t batch_size, int64_t learning_starts);

  const Space& action_space() const { return venv_->action_space(); }
  const Space& observation_space() const { return venv_->observation_space(); }
  int64_t obs_dim() const { return obs_dim_; }
  int64_t num_envs() const { return n_; }
  int64_t global_step() const { return global_step_; }
  int64_t total_steps() const { return total_steps_; }
  double gamma() const { return gamma_; }
  const ReplayStore& store() const { return *store_; }
  Rng& rng() { return rng_; }

  const ActionBounds& bounds() const { return bounds_; }  // Box actions only
  // Steps the envs up to the next multiple of `log_every` env steps (or the end of the
  // run, or `stop`): `act(obs, actions)` chooses the actions, uniformly random ones
  // replace them before learning_starts when `random_warmup`, and `update()` runs
  // after every step once the store holds learning_starts steps (CleanRL's order).
  void run_interval(int64_t log_every, const std::atomic<bool>& stop, bool random_warmup, Report& report,
                    const std::function<void(const torch::Tensor&, void*)>& act, const std::function<void()>& update);
  Minibatch sample();
  bool prioritized() const { return per_.has_value(); }
  // New priorities (|TD error|) for the rows of the last sample.
  void update_priorities(const torch::Tensor& td_errors);

  void save(StateMap& state);
  void load(const StateMap& state);

 private:
  // The current observations [N, obs] (a view of the envs' batch, valid until step()).
  torch::Tensor observations() const;
  // Uniformly random actions [N, action] into `out` (before learning starts).
  void random_actions(void* out);
  // Steps every env with `actions` ([N, action], env dtype), storing the transitions
  // and recording finished episodes in `report`.
  void step(const void* actions, Report& report);

  int64_t n_, obs_dim_, batch_, learning_starts_;
  double gamma_, per_beta0_ = 0.4;
  int64_t total_steps_;
  bool acting_only_;
  std::unique_ptr<VecEnv> venv_;
  std::unique_ptr<ReplayStore> store_;
  std::unique_ptr<VecWriter> writer_;
  std::optional<UniformSampler> uniform_;
  std::optional<PrioritizedSampler> per_;
  ActionBounds bounds_;
  Rng rng_;  // exploration and random actions
  const Batch* current_ = nullptr;
  int64_t global_step_ = 0;
  SampleBatch sample_;
  std::vector<uint8_t> actions_;
};

// What DQN, SAC and TD3 share around their update: the loop, the step budget, the
// logging interval, and acting (explore() while training, act() for evaluation).
class OffPolicyTrainer : public Trainer {
 public:
  OffPolicyTrainer(const Recipe& recipe, const TrainerOptions& options, bool has_prioritized_keys, bool random_warmup);

  int64_t global_step() const override { return loop_.global_step(); }
  int64_t total_steps() const override { return loop_.total_steps(); }
  const Space& observation_space() const override { return loop_.observation_space(); }
  const Space& action_space() const override { return loop_.action_space(); }
  const ReplayStore& store() const override { return loop_.store(); }
  Report iterate(const std::atomic<bool>& stop) override;
  void act(const void* obs, int64_t n, bool deterministic, void* actions) override;

 protected:
  // The policy's actions for observations [n, obs] into `actions` (env dtype).
  virtual void act_into(const torch::Tensor& obs, bool deterministic, void* actions) = 0;
  // The training-time actions (SAC: sampled; TD3: with exploration noise; DQN: epsilon-greedy).
  virtual void explore(const torch::Tensor& obs, void* actions, LossMeans&) { act_into(obs, false, actions); }
  // One learning step after an env step (once learning has started).
  virtual void update(LossMeans& losses) = 0;

  bool seeded_;
  OffPolicyLoop loop_;
  int64_t log_every_;
  bool random_warmup_;
};

}  // namespace rlarena
