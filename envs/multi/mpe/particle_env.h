// ParticleEnv: what PettingZoo's MPE SimpleEnv adds to a scenario (simple_env.py):
// Discrete(5) or Box(0, 1, (5,)) actions turned into forces, one world step after all
// agents acted, rewards and float32 observations of the new state, truncation at
// max_cycles (never termination). A scenario (simple_spread.cpp, ...) sets up the
// world, draws the initial state, and defines rewards and observations in doubles.
// State (rollout --state): every agent's x, y, vx, vy, then every landmark's, then the
// scenario's random choices at reset (the goal landmark's index, where it has one).
#pragma once
#include <string>
#include <vector>

#include "envs/core/kwargs.h"
#include "envs/multi/mpe/particle_world.h"
#include "envs/multi/multi_env.h"

namespace rlarena {

class ParticleEnv : public MultiAgentEnv {
 protected:
  // `world` holds the scenario's particles; `obs_sizes` each agent's observation length.
  ParticleEnv(const EnvSpec& spec, const Kwargs& kw, ParticleWorld world, std::vector<std::string> agents,
              const std::vector<int64_t>& obs_sizes, std::vector<std::string> extra_state = {});

  // Scenario hooks, all on the world's current state.
  virtual void draw_state() = 0;  // the scenario's reset_world draws, in its order
  virtual void rewards(double* out) const = 0;
  virtual void observe(int agent, std::vector<double>& out) const = 0;
  virtual void read_extra(double*) const {}
  virtual void write_extra(const double*) {}

  ParticleWorld world_;

 public:
  std::vector<std::string> state_names() const override;

 private:
  void do_reset() override;
  bool do_step(const void* const* actions, double* rewards) override;
  void observe(int agent, void* obs) const override;
  void read_state(double* out) const override;
  void write_state(const double* in) override;

  bool continuous_;
  std::vector<std::string> extra_state_;
  std::vector<std::array<double, 2>> u_;
  mutable std::vector<double> scratch_;
};

// The agents' names: `prefix`_0 .. `prefix`_{n-1}.
std::vector<std::string> numbered(const std::string& prefix, int n);
// The opening most MPE observations share: the agent's velocity and position, every
// landmark relative to it, then every other agent relative to it.
void append_own_view(std::vector<double>& out, const ParticleWorld& world, int agent);
// Each particle's position uniform in [-limit, limit]^2, x then y, in order.
void place_uniformly(std::vector<Particle>& particles, double limit, Rng& rng);
// Observation helpers: append a vector, or a particle's position relative to another.
void append(std::vector<double>& out, const double* v);
void append_relative(std::vector<double>& out, const Particle& of, const Particle& to);

}  // namespace rlarena
