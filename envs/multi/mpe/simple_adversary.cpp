// simple_adversary_v3 (PettingZoo 1.24.3 MPE): one adversary and N good agents (default
// 2; size 0.15, no collisions) among N landmarks, one of them the goal. The good agents
// know the goal, the adversary does not. Adversary's reward: minus its distance to the
// goal; each good agent's: minus the nearest good agent's distance to the goal plus the
// adversaries' distances to it. Observation: good agents (4N + 2 = 10) the goal, each
// landmark and each other agent relative to themselves; the adversary (4N = 8) the
// landmarks and the other agents. Reset: the goal first (its index is the state's last
// number), then agents', then landmarks' positions uniform in [-1, 1]^2. Options: N,
// max_cycles, continuous_actions.
#include "common/error.h"
#include "envs/multi/mpe/particle_env.h"
#include "envs/multi/multi_registry.h"

namespace rlarena {
namespace {

int good_of(const EnvSpec& spec, const Kwargs& kw) {
  const int64_t n = kw.get_int("N", 2);
  if (n < 1 || n > 64) throw Error(spec.id + ": N=" + std::to_string(n) + " must be 1..64");
  return static_cast<int>(n);
}

ParticleWorld adversary_world(int n) {
  ParticleWorld w;
  for (int i = 0; i <= n; ++i) {
    Particle a;
    a.adversary = i == 0;
    a.movable = true;
    a.collide = false;
    a.size = 0.15;
    w.agents.push_back(a);
  }
  for (int i = 0; i < n; ++i) {
    Particle l;
    l.collide = false;
    l.size = 0.08;
    w.landmarks.push_back(l);
  }
  return w;
}

std::vector<std::string> adversary_agents(int n) {
  std::vector<std::string> names = {"adversary_0"};
  for (const auto& name : numbered("agent", n)) names.push_back(name);
  return names;
}

std::vector<int64_t> adversary_obs_sizes(int n) {
  std::vector<int64_t> sizes = {4 * n};
  sizes.insert(sizes.end(), n, 4 * n + 2);
  return sizes;
}

class SimpleAdversary final : public ParticleEnv {
 public:
  SimpleAdversary(const EnvSpec& spec, const Kwargs& kw) : SimpleAdversary(spec, kw, good_of(spec, kw)) {}
  std::unique_ptr<MultiAgentEnv> clone() const override {
    return std::unique_ptr<MultiAgentEnv>(new SimpleAdversary(*this));
  }

 private:
  SimpleAdversary(const EnvSpec& spec, const Kwargs& kw, int n)
      : ParticleEnv(spec, kw, adversary_world(n), adversary_agents(n), adversary_obs_sizes(n), {"goal"}) {}

  const Particle& goal() const { return world_.landmarks[goal_]; }

  void draw_state() override {
    goal_ = static_cast<int>(rng().below(world_.landmarks.size()));
    place_uniformly(world_.agents, 1.0, rng());
    place_uniformly(world_.landmarks, 1.0, rng());
  }

  void rewards(double* out) const override {
    double adversaries = 0, nearest = 0;
    bool first = true;
    for (const Particle& a : world_.agents) {
      const double d = ParticleWorld::distance(a, goal());
      if (a.adversary) adversaries += d;
      else if (first || d < nearest) nearest = d, first = false;
    }
    for (size_t i = 0; i < world_.agents.size(); ++i)
      out[i] = world_.agents[i].adversary ? -ParticleWorld::distance(world_.agents[i], goal())
                                          : -nearest + adversaries;
  }

  void observe(int agent, std::vector<double>& out) const override {
    const Particle& me = world_.agents[agent];
    if (!me.adversary) append_relative(out, goal(), me);
    for (const Particle& l : world_.landmarks) append_relative(out, l, me);
    for (size_t j = 0; j < world_.agents.size(); ++j)
      if (static_cast<int>(j) != agent) append_relative(out, world_.agents[j], me);
  }

  void read_extra(double* out) const override { out[0] = goal_; }
  void write_extra(const double* in) override {
    if (in[0] != static_cast<int>(in[0]) || in[0] < 0 || in[0] >= static_cast<double>(world_.landmarks.size()))
      throw Error(id() + ": goal=" + std::to_string(in[0]) + " must be a landmark index 0.." +
                  std::to_string(world_.landmarks.size() - 1));
    goal_ = static_cast<int>(in[0]);
  }

  int goal_ = 0;
};

const bool registered = register_multi_env<SimpleAdversary>(
    {"simple_adversary_v3", 25, std::nullopt, {}, "pettingzoo.mpe.simple_adversary_v3"});

}  // namespace
}  // namespace rlarena
