// simple_spread_v3 (PettingZoo 1.24.3 MPE): N agents (default 3, size 0.15, colliding)
// cover N landmarks. Every agent gets (1 - local_ratio) of the global reward, minus the
// sum over landmarks of the nearest agent's distance, plus local_ratio (default 0.5) of
// its own, -1 per other agent it overlaps. Observation (6N = 18 for N = 3): own
// velocity and position, each landmark relative to it, each other agent relative to it,
// then the other agents' (always zero) communication, 2 each. Reset: agents', then
// landmarks' positions uniform in [-1, 1]^2. Options: N, local_ratio, max_cycles (25),
// continuous_actions.
#include "common/error.h"
#include "envs/multi/mpe/particle_env.h"
#include "envs/multi/multi_registry.h"

namespace rlarena {
namespace {

ParticleWorld spread_world(int n) {
  ParticleWorld w;
  for (int i = 0; i < n; ++i) {
    Particle a;
    a.size = 0.15;
    a.movable = true;
    w.agents.push_back(a);
    Particle l;
    l.collide = false;
    w.landmarks.push_back(l);
  }
  return w;
}

int agents_of(const EnvSpec& spec, const Kwargs& kw) {
  const int64_t n = kw.get_int("N", 3);
  if (n < 1 || n > 64) throw Error(spec.id + ": N=" + std::to_string(n) + " must be 1..64");
  return static_cast<int>(n);
}

class SimpleSpread final : public ParticleEnv {
 public:
  SimpleSpread(const EnvSpec& spec, const Kwargs& kw) : SimpleSpread(spec, kw, agents_of(spec, kw)) {}
  std::unique_ptr<MultiAgentEnv> clone() const override { return std::unique_ptr<MultiAgentEnv>(new SimpleSpread(*this)); }

 private:
  SimpleSpread(const EnvSpec& spec, const Kwargs& kw, int n)
      : ParticleEnv(spec, kw, spread_world(n), numbered("agent", n), std::vector<int64_t>(n, 6 * n)),
        local_ratio_(kw.get_double("local_ratio", 0.5)) {
    if (!(local_ratio_ >= 0 && local_ratio_ <= 1))
      throw Error(spec.id + ": local_ratio must be in [0, 1]");
  }

  void draw_state() override {
    place_uniformly(world_.agents, 1.0, rng());
    place_uniformly(world_.landmarks, 1.0, rng());
  }

  void rewards(double* out) const override {
    double global = 0;
    for (const Particle& l : world_.landmarks) {
      double nearest = ParticleWorld::distance(world_.agents[0], l);
      for (const Particle& a : world_.agents) nearest = std::min(nearest, ParticleWorld::distance(a, l));
      global -= nearest;
    }
    const auto& agents = world_.agents;
    for (size_t i = 0; i < agents.size(); ++i) {
      double local = 0;
      for (size_t j = 0; j < agents.size(); ++j) local -= 1.0 * (j != i && ParticleWorld::touching(agents[j], agents[i]));
      out[i] = global * (1 - local_ratio_) + local * local_ratio_;
    }
  }

  void observe(int agent, std::vector<double>& out) const override {
    append_own_view(out, world_, agent);
    out.insert(out.end(), 2 * (world_.agents.size() - 1), 0.0);  // silent agents' communication
  }

  double local_ratio_;
};

const bool registered = register_multi_env<SimpleSpread>(
    {"simple_spread_v3", 25, std::nullopt, {}, "pettingzoo.mpe.simple_spread_v3"});

}  // namespace
}  // namespace rlarena
