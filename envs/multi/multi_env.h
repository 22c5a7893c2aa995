// MultiAgentEnv: several agents in one world, with PettingZoo's parallel API. Each
// agent has a name and its own observation and action spaces; reset returns an
// observation per agent; step takes an action per agent and returns per-agent
// observations, rewards, terminations and truncations. Turn-based games (ConnectFour)
// name the current player and give its action mask: only that player's action is
// read, and an illegal one is an Error. Agents stay in the game until the episode
// ends for all of them (MPE's agents all truncate at max_cycles; a game ends for both).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/rng.h"
#include "envs/core/array.h"
#include "envs/core/env_spec.h"
#include "envs/core/space.h"

namespace rlarena {

// One step of every agent, on the convenience path.
struct MultiStepResult {
  std::vector<Array> obs;
  std::vector<double> rewards;
  std::vector<uint8_t> terminated, truncated;
  bool done() const;  // the episode is over for everyone
};

class MultiAgentEnv {
 public:
  MultiAgentEnv(const EnvSpec& spec, std::vector<std::string> agents, std::vector<Space> observation_spaces,
                std::vector<Space> action_spaces);
  virtual ~MultiAgentEnv() = default;
  MultiAgentEnv& operator=(const MultiAgentEnv&) = delete;
  // A copy of the env in its current state, generator included: what search players
  // (MCTS) play ahead on.
  virtual std::unique_ptr<MultiAgentEnv> clone() const = 0;

  const EnvSpec& spec() const { return spec_; }
  const std::string& id() const { return spec_.id; }
  int num_agents() const { return static_cast<int>(agents_.size()); }
  const std::vector<std::string>& agents() const { return agents_; }
  // The index of agent `name`; an Error naming the agents for an unknown name.
  int agent_index(const std::string& name) const;
  const Space& observation_space(int agent) const { return obs_spaces_.at(agent); }
  const Space& action_space(int agent) const { return act_spaces_.at(agent); }
  int64_t elapsed_steps() const { return elapsed_; }
  bool episode_over() const { return over_; }

  // --- Turn-based games: one agent moves at a time; current_player() is the agent to
  // move (-1 when all agents act at once).
  virtual bool turn_based() const { return false; }
  virtual int current_player() const { return -1; }
  // Writes action_space(agent).n() flags, 1 where the action is legal for `agent` now.
  // Simultaneous envs allow every action.
  virtual void action_mask(int agent, uint8_t* mask) const;
  std::vector<uint8_t> action_mask(int agent) const;

  // --- Convenience API (allocates).
  // Seeds the env's generator when `seed` is given; without one it continues the stream.
  std::vector<Array> reset(std::optional<uint64_t> seed = std::nullopt);
  MultiStepResult step(const std::vector<Array>& actions);
  // One discrete action per agent (turn-based games: only the current player's is read).
  MultiStepResult step(const std::vector<int64_t>& actions);

  // --- Zero-copy API (the multi-agent VecEnv, tournaments): obs[a] receives agent a's
  // observation_space(a).byte_size() bytes; actions[a] is agent a's action. step_into's
  // obs may be null: search players step copies of the env without looking.
  void reset_into(std::optional<uint64_t> seed, void* const* obs);
  void step_into(const void* const* actions, void* const* obs, double* rewards, uint8_t* terminated,
                 uint8_t* truncated);
  void observe_into(void* const* obs) const;

  // The world's state as numbers, in the order state_names() gives (MPE: PettingZoo's
  // world order, see each env's doc comment), so a user or a test can start from a
  // given state; set_state keeps the step count. Envs without one raise an Error.
  virtual std::vector<std::string> state_names() const { return {}; }
  std::vector<double> get_state() const;
  void set_state(const std::vector<double>& state);

  // --- Episode logs, so a checkpoint can resume a run exactly (as Env's): with
  // recording on, the generator state from just before the current episode's first
  // state was drawn, and every agent's action at every step since (agent order).
  struct EpisodeLog {
    Rng::State rng{};
    std::vector<uint8_t> actions;
  };
  void record_episodes(bool on) { recording_ = on; }
  const EpisodeLog& episode_log() const { return log_; }
  // Rebuilds the episode `log` describes: a reset from its generator state, then its
  // actions. Returns each agent's return so far.
  std::vector<double> replay(const EpisodeLog& log);
  // Bytes of one step's actions of every agent.
  size_t joint_action_bytes() const;

  // The env's scripted player `name` (e.g. ConnectFour's "greedy", Sumo's "heuristic"):
  // writes agent's action for the current state from `rng` and returns true; false
  // when the env has no player of that name.
  virtual bool scripted_action(const std::string& name, int agent, Rng& rng, void* action) const;
  // The names scripted_action knows.
  virtual std::vector<std::string> scripted_players() const { return {}; }

 protected:
  MultiAgentEnv(const MultiAgentEnv&) = default;
  Rng& rng() { return rng_; }

  // Draws a new initial state.
  virtual void do_reset() = 0;
  // Advances the world by one step with checked actions; writes each agent's reward
  // and returns whether the episode reached a terminal state (for every agent).
  virtual bool do_step(const void* const* actions, double* rewards) = 0;
  virtual void observe(int agent, void* obs) const = 0;
  // state_names().size() numbers out and in (set_state checks count and finiteness first).
  virtual void read_state(double* out) const;
  virtual void write_state(const double* in);

 private:
  void check_started() const;
  void check_actions(const void* const* actions) const;

  EnvSpec spec_;
  std::vector<std::string> agents_;
  std::vector<Space> obs_spaces_, act_spaces_;
  Rng rng_;
  bool seeded_ = false;
  bool needs_reset_ = true;
  bool over_ = false;
  int64_t elapsed_ = 0;
  bool recording_ = false;
  EpisodeLog log_;
  mutable std::vector<uint8_t> mask_scratch_;
};

}  // namespace rlarena
