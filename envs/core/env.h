// Env: one simulator instance with Gymnasium's reset/step semantics. Subclasses
// implement the physics (do_reset, do_step, observe); this base adds what every
// env shares: seeding, the time limit (truncated, never terminated), action checks.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "envs/core/array.h"
#include "envs/core/env_spec.h"
#include "envs/core/kwargs.h"
#include "common/rng.h"
#include "envs/core/space.h"

namespace rlarena {

// Result of one step on the zero-copy path; the observation went to the caller's buffer.
struct StepOut {
  double reward = 0;
  bool terminated = false;  // a true terminal state of the MDP
  bool truncated = false;   // cut short (time limit): bootstrap from the observation
};

// Result of one step on the convenience path.
struct StepResult {
  Array obs;
  double reward = 0;
  bool terminated = false;
  bool truncated = false;
  std::map<std::string, double> info;
};

// A bare loop of the env's own physics engine on the env's own model, without the
// env around it: what `rlarena bench --raw-physics` compares the env against.
class RawPhysics {
 public:
  virtual ~RawPhysics() = default;
  virtual void reset() = 0;                    // back to the model's initial state
  virtual void step(bool new_controls) = 0;    // one engine step; new random controls if asked
  virtual int steps_per_env_step() const = 0;  // e.g. MuJoCo's frame_skip
  virtual std::string engine() const = 0;      // e.g. "mj_step"
};

class Env {
 public:
  Env(const EnvSpec& spec, Space observation_space, Space action_space);
  virtual ~Env() = default;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  const EnvSpec& spec() const { return spec_; }
  const std::string& id() const { return spec_.id; }
  const Space& observation_space() const { return obs_space_; }
  const Space& action_space() const { return act_space_; }
  // Names of the scalars each step reports besides the reward (e.g. reward terms).
  const std::vector<std::string>& info_keys() const { return info_keys_; }
  // Names of the physical state variables, in Gymnasium's `env.unwrapped.state` order.
  const std::vector<std::string>& state_names() const { return state_names_; }
  int64_t elapsed_steps() const { return elapsed_; }

  // --- Convenience API (allocates; for users, tests and the CLI) ---
  // Seeds the env's generator when `seed` is given; without one it continues the
  // stream (seeded from the OS on the very first reset), as Gymnasium does.
  Array reset(std::optional<uint64_t> seed = std::nullopt);
  StepResult step(const Array& action);
  StepResult step(int64_t discrete_action);
  StepResult step(const std::vector<float>& continuous_action);

  // --- Zero-copy API (VecEnv): writes observation_space().byte_size() bytes to `obs`
  // and, when `info` is not null, info_keys().size() doubles to `info`.
  void reset_into(std::optional<uint64_t> seed, void* obs);
  StepOut step_into(const void* action, void* obs, double* info = nullptr);

  // The physical state (e.g. CartPole's x, x_dot, theta, theta_dot) so a user or a
  // test can start from a given state; set_state keeps the step count.
  std::vector<double> get_state() const;
  void set_state(const std::vector<double>& state);
  // Observation of the current state.
  Array observation() const;
  // Whether set_state(s) followed by the same actions replays the same future
  // exactly. Box2D envs answer false: the solver's warm-start caches and the
  // per-step random draws (engine dispersion) are not part of the physical state.
  virtual bool set_state_replays() const { return true; }
  // A picture of the current state, uint8 [height, width, 3]. Envs without a
  // renderer raise an Error saying so.
  virtual Array render();
  // The env's scripted controller, where it has one (e.g. LunarLander's): writes its
  // action for the current state and returns true; false for envs without one.
  virtual bool heuristic_action(void* action) const {
    (void)action;
    return false;
  }
  // Model-based agents: whether `obs` (an observation, e.g. one a dynamics model
  // predicted) is a terminal state by the env's own rules (Hopper's, Walker2d's and
  // Ant's healthy ranges, InvertedPendulum's angle). Envs that never terminate, or
  // whose rule cannot be read off an observation, answer false.
  virtual bool terminal_observation(const float* obs) const {
    (void)obs;
    return false;
  }
  // Model-based agents: the reward of the step obs --action--> next_obs, where the env's
  // reward is a function of those alone (InvertedPendulum's, Reacher's, Pendulum's):
  // writes it and returns true; false where it is not (a model must learn it).
  virtual bool known_reward(const float* obs, const float* action, const float* next_obs, double* reward) const {
    (void)obs, (void)action, (void)next_obs, (void)reward;
    return false;
  }
  // The env's physics engine on its own, or nullptr for envs without one.
  virtual std::unique_ptr<RawPhysics> raw_physics() const { return nullptr; }

  // --- Episode logs, so a checkpoint can resume a run exactly. With recording on,
  // the env keeps its generator state from just before the current episode's first
  // state was drawn, and every action since. Resetting from that state and replaying
  // the actions rebuilds the env bit for bit, including what its engine keeps beyond
  // the physical state (Box2D's contact caches, MuJoCo's warm starts).
  struct EpisodeLog {
    Rng::State rng{};
    std::vector<uint8_t> actions;  // [steps, action bytes]
  };
  void record_episodes(bool on) { recording_ = on; }
  const EpisodeLog& episode_log() const { return log_; }
  // The generator state the next reset without a seed draws from.
  void set_rng_state(const Rng::State& state) {
    rng_.set_state(state);
    seeded_ = true;
  }

 protected:
  // The env's generator; do_reset draws the initial state from it.
  Rng& rng() { return rng_; }
  void set_info_keys(std::vector<std::string> keys) { info_keys_ = std::move(keys); }
  void set_state_names(std::vector<std::string> names) { state_names_ = std::move(names); }

  // Draws a new initial state.
  virtual void do_reset() = 0;
  // Advances the physics by one step. `action` was checked (finite; discrete in range),
  // not clipped: clip where Gymnasium clips. `info` has info_keys().size() slots.
  struct Transition {
    double reward;
    bool terminated;
  };
  virtual Transition do_step(const void* action, double* info) = 0;
  // Writes the observation of the current state.
  virtual void observe(void* obs) const = 0;
  virtual void read_state(double* out) const = 0;
  virtual void write_state(const double* in) = 0;

 private:
  void check_action(const void* action) const;

  EnvSpec spec_;
  Space obs_space_;
  Space act_space_;
  std::vector<std::string> info_keys_;
  std::vector<std::string> state_names_;
  std::vector<double> scratch_info_;
  Rng rng_;
  bool seeded_ = false;
  bool needs_reset_ = true;
  int64_t elapsed_ = 0;
  bool recording_ = false;
  EpisodeLog log_;
};

}  // namespace rlarena
