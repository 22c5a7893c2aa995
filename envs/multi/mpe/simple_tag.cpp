// simple_tag_v3 (PettingZoo 1.24.3 MPE): num_adversaries (3) slower predators
// (size 0.075, accel 3, max speed 1.0) chase num_good (1) faster prey (size 0.05,
// accel 4, max speed 1.3) among num_obstacles (2) fixed obstacles (size 0.2) that
// everyone bumps into. Each predator gets +10 for every predator-prey contact; a prey
// gets -10 per predator touching it and a penalty for leaving the square: per axis of
// |position| x, 0 below 0.9, (x - 0.9) * 10 up to 1, then min(exp(2x - 2), 10).
// Observation: own velocity and position, obstacles relative to it, other agents
// relative to it, then the other prey's velocities (predators 16, prey 14). Agents in
// order adversary_0.., agent_0..; reset: agents uniform in [-1, 1]^2, obstacles in
// [-0.9, 0.9]^2. Options: num_good, num_adversaries, num_obstacles, max_cycles,
// continuous_actions. (PettingZoo's exp here may be numpy's SIMD one, 1 ulp apart.)
#include <cmath>

#include "common/error.h"
#include "envs/multi/mpe/particle_env.h"
#include "envs/multi/multi_registry.h"

namespace rlarena {
namespace {

struct Counts {
  int good, adversaries, obstacles;
};

Counts counts_of(const EnvSpec& spec, const Kwargs& kw) {
  Counts c{static_cast<int>(kw.get_int("num_good", 1)), static_cast<int>(kw.get_int("num_adversaries", 3)),
           static_cast<int>(kw.get_int("num_obstacles", 2))};
  if (c.good < 0 || c.adversaries < 0 || c.good + c.adversaries < 1 || c.obstacles < 0 || c.good > 64 ||
      c.adversaries > 64 || c.obstacles > 64)
    throw Error(spec.id + ": num_good, num_adversaries and num_obstacles must be 0..64, with at least one agent");
  return c;
}

ParticleWorld tag_world(const Counts& c) {
  ParticleWorld w;
  for (int i = 0; i < c.adversaries + c.good; ++i) {
    Particle a;
    a.adversary = i < c.adversaries;
    a.movable = true;
    a.size = a.adversary ? 0.075 : 0.05;
    a.sensitivity = a.adversary ? 3.0 : 4.0;
    a.max_speed = a.adversary ? 1.0 : 1.3;
    w.agents.push_back(a);
  }
  for (int i = 0; i < c.obstacles; ++i) {
    Particle l;
    l.size = 0.2;
    w.landmarks.push_back(l);
  }
  return w;
}

std::vector<std::string> tag_agents(const Counts& c) {
  std::vector<std::string> names = numbered("adversary", c.adversaries);
  for (const auto& n : numbered("agent", c.good)) names.push_back(n);
  return names;
}

std::vector<int64_t> tag_obs_sizes(const Counts& c) {
  const int64_t n = c.good + c.adversaries, base = 4 + 2 * c.obstacles + 2 * (n - 1);
  std::vector<int64_t> sizes;
  for (int i = 0; i < n; ++i) sizes.push_back(base + 2 * (i < c.adversaries ? c.good : c.good - 1));
  return sizes;
}

// The prey's penalty for |position| x on one axis.
double bound(double x) {
  if (x < 0.9) return 0;
  if (x < 1.0) return (x - 0.9) * 10;
  return std::min(std::exp(2 * x - 2), 10.0);
}

class SimpleTag final : public ParticleEnv {
 public:
  SimpleTag(const EnvSpec& spec, const Kwargs& kw) : SimpleTag(spec, kw, counts_of(spec, kw)) {}
  std::unique_ptr<MultiAgentEnv> clone() const override { return std::unique_ptr<MultiAgentEnv>(new SimpleTag(*this)); }

 private:
  SimpleTag(const EnvSpec& spec, const Kwargs& kw, const Counts& c)
      : ParticleEnv(spec, kw, tag_world(c), tag_agents(c), tag_obs_sizes(c)) {}

  void draw_state() override {
    place_uniformly(world_.agents, 1.0, rng());
    place_uniformly(world_.landmarks, 0.9, rng());
  }

  void rewards(double* out) const override {
    const auto& agents = world_.agents;
    int contacts = 0;
    for (const Particle& prey : agents)
      if (!prey.adversary)
        for (const Particle& hunter : agents)
          if (hunter.adversary && ParticleWorld::touching(prey, hunter)) ++contacts;
    for (size_t i = 0; i < agents.size(); ++i) {
      const Particle& me = agents[i];
      if (me.adversary) {
        out[i] = static_cast<double>(10 * contacts);
        continue;
      }
      double r = 0;
      for (const Particle& hunter : agents)
        if (hunter.adversary && ParticleWorld::touching(hunter, me)) r -= 10;
      for (int k = 0; k < 2; ++k) r -= bound(std::abs(me.pos[k]));
      out[i] = r;
    }
  }

  void observe(int agent, std::vector<double>& out) const override {
    append_own_view(out, world_, agent);
    for (size_t j = 0; j < world_.agents.size(); ++j)
      if (static_cast<int>(j) != agent && !world_.agents[j].adversary) append(out, world_.agents[j].vel);
  }
};

const bool registered =
    register_multi_env<SimpleTag>({"simple_tag_v3", 25, std::nullopt, {}, "pettingzoo.mpe.simple_tag_v3"});

}  // namespace
}  // namespace rlarena
