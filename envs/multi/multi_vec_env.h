// MultiAgentVecEnv: N copies of a multi-agent env flattened into (env, agent) batch
// rows, row = env * num_agents + agent, so learners and the ReplayStore see ordinary
// batches. Observations are zero-padded to the widest agent's (as SuperSuit's
// pad_observations) and, with agent_ids, followed by the agent's one-hot id (for one
// policy shared by all agents); with global_state, then by the env's state, every
// agent's observation concatenated (MAPPO's agent-specific global state, for a
// centralized critic). Every agent must have the same action space. Env i is
// seeded seed + i; a finished env resets in the same step (its last observations in
// final_obs); results never depend on the number of threads.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/state_map.h"
#include "envs/core/batch.h"
#include "envs/core/env_batch.h"
#include "envs/core/kwargs.h"
#include "envs/core/worker_pool.h"
#include "envs/multi/multi_env.h"

namespace rlarena {

class MultiAgentVecEnv final : public EnvBatch {
 public:
  MultiAgentVecEnv(const std::string& id, int64_t num_envs, uint64_t seed, int num_threads = 1,
                   const Kwargs& kwargs = {}, bool agent_ids = false, bool global_state = false);
  // Floats of a row before the global state: the padded observation and the id.
  int64_t local_width() const { return obs_width_ + (agent_ids_ ? agents_ : 0); }

  int64_t num_envs() const { return static_cast<int64_t>(envs_.size()); }
  int num_agents() const { return agents_; }
  int64_t rows() const override { return num_envs() * agents_; }
  const std::string& env_id() const override { return spec().id; }
  int64_t env_steps_per_step() const override { return num_envs(); }
  const EnvSpec& spec() const { return envs_.front()->spec(); }
  MultiAgentEnv& env(int64_t i) { return *envs_.at(i); }
  // A row's observation (padded, with the one-hot id when asked) and the shared action space.
  const Space& observation_space() const override { return obs_space_; }
  const Space& action_space() const override { return act_space_; }
  // Every agent's own observation of an env, concatenated in agent order: the input
  // of a centralized critic (MAPPO). [num_envs, state] float32.
  const Space& state_space() const { return state_space_; }
  const float* state() const { return state_.data(); }
  const float* final_state() const { return final_state_.data(); }  // valid where the env finished

  // Rows whose action the next step reads (turn-based games: the current player's),
  // and, for Discrete actions, each row's legal actions [rows, n].
  const uint8_t* acting() const { return acting_.data(); }
  const uint8_t* action_masks() const { return masks_.data(); }

  // Resets every env: env i gets seed + i (the constructor's seed unless one is given
  // here); later resets without a seed continue each env's stream.
  const Batch& reset(std::optional<uint64_t> seed = std::nullopt) override;
  // `actions` is [rows, action] in the action space's dtype.
  const Batch& step(const void* actions) override;
  const Batch& step(const std::vector<int64_t>& actions);

  // Checkpoints: each env's episode log (MultiAgentEnv::EpisodeLog) under `prefix`;
  // load_state brings a VecEnv of the same id, size and options to the saved state and
  // returns the batch of current observations.
  void record_episodes(bool on) override;
  void save_state(StateMap& out, const std::string& prefix) const override;
  const Batch& load_state(const StateMap& in, const std::string& prefix) override;

 private:
  void write_rows(int64_t env, uint8_t* const* out, float* state);
  void after_step(int64_t env);

  std::vector<std::unique_ptr<MultiAgentEnv>> envs_;
  int agents_;
  uint64_t seed_;
  bool seeded_once_ = false;
  bool agent_ids_, global_state_;
  int64_t obs_width_ = 0;  // the widest agent's observation (floats)
  Space obs_space_, act_space_, state_space_;
  size_t act_bytes_;
  BatchBuffers buf_;
  Batch view_;
  std::vector<float> state_, final_state_;
  std::vector<uint8_t> acting_, masks_;
  std::vector<double> run_return_;
  std::vector<int64_t> run_length_;
  std::vector<std::vector<uint8_t>> raw_;  // [env * agents + agent]: the agent's own observation
  std::vector<double> rewards_;             // [rows]
  std::vector<uint8_t> terminated_, truncated_;  // [rows]
  const uint8_t* actions_ = nullptr;
  WorkerPool pool_;
};

}  // namespace rlarena
