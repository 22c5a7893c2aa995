// simple_push_v3 (PettingZoo 1.24.3 MPE): agent_0 (good) wants to reach the goal, one of
// two landmarks; adversary_0 tries to push it away. Both are size 0.05 and collide with
// each other only. Good agent's reward: minus its distance to the goal; adversary's: the
// good agent's distance to the goal minus its own. Observation: agent_0 (19) its
// velocity, the goal relative to it, its colour (0.25 grey with +0.5 in the goal's
// channel), each landmark relative to it, the landmarks' colours, the adversary relative
// to it; adversary_0 (8) its velocity, each landmark and agent_0 relative to it. Reset:
// the goal first (its index is the state's last number), then agents', then landmarks'
// positions uniform in [-1, 1]^2. Options: max_cycles, continuous_actions.
#include "common/error.h"
#include "envs/multi/mpe/particle_env.h"
#include "envs/multi/multi_registry.h"

namespace rlarena {
namespace {

ParticleWorld push_world() {
  ParticleWorld w;
  for (int i = 0; i < 2; ++i) {
    Particle a;
    a.adversary = i == 0;
    a.movable = true;
    w.agents.push_back(a);
    Particle l;
    l.collide = false;
    w.landmarks.push_back(l);
  }
  return w;
}

class SimplePush final : public ParticleEnv {
 public:
  SimplePush(const EnvSpec& spec, const Kwargs& kw)
      : ParticleEnv(spec, kw, push_world(), {"adversary_0", "agent_0"}, {8, 19}, {"goal"}) {}
  std::unique_ptr<MultiAgentEnv> clone() const override { return std::unique_ptr<MultiAgentEnv>(new SimplePush(*this)); }

 private:
  const Particle& goal() const { return world_.landmarks[goal_]; }

  void draw_state() override {
    goal_ = static_cast<int>(rng().below(2));
    place_uniformly(world_.agents, 1.0, rng());
    place_uniformly(world_.landmarks, 1.0, rng());
  }

  void rewards(double* out) const override {
    const double good = ParticleWorld::distance(world_.agents[1], goal());
    out[0] = good - ParticleWorld::distance(goal(), world_.agents[0]);
    out[1] = -good;
  }

  // Landmark i's colour: 0.1 grey plus 0.8 in channel i + 1, as simple_push.py sums it.
  static void landmark_colour(int i, double* c) {
    c[0] = c[1] = c[2] = 0.1;
    c[i + 1] += 0.8;
  }

  void observe(int agent, std::vector<double>& out) const override {
    const Particle& me = world_.agents[agent];
    append(out, me.vel);
    if (agent == 1) {
      append_relative(out, goal(), me);
      double colour[3] = {0.25, 0.25, 0.25};
      colour[goal_ + 1] += 0.5;
      out.insert(out.end(), colour, colour + 3);
    }
    for (const Particle& l : world_.landmarks) append_relative(out, l, me);
    if (agent == 1)
      for (int i = 0; i < 2; ++i) {
        double c[3];
        landmark_colour(i, c);
        out.insert(out.end(), c, c + 3);
      }
    append_relative(out, world_.agents[1 - agent], me);
  }

  void read_extra(double* out) const override { out[0] = goal_; }
  void write_extra(const double* in) override {
    if (in[0] != 0 && in[0] != 1) throw Error(id() + ": goal=" + std::to_string(in[0]) + " must be 0 or 1");
    goal_ = static_cast<int>(in[0]);
  }

  int goal_ = 0;
};

const bool registered =
    register_multi_env<SimplePush>({"simple_push_v3", 25, std::nullopt, {}, "pettingzoo.mpe.simple_push_v3"});

}  // namespace
}  // namespace rlarena
