// Sumo-v0: two round wrestlers on a top-down Box2D floor (no gravity, ground friction
// as linear damping) inside a ring; each pushes to drive the other's centre out. A
// player whose centre leaves the ring loses (+1 to the other, -1 to it); both out in
// one step, or the time limit (300 steps of 1/30 s), is a draw (0). An rlarena game:
// its constants are ours, below. Action: a force in the player's own frame, Box(-1, 1,
// (2,)) scaled by kMaxForce (components clipped), or with continuous=false Discrete(5)
// in MPE's order (no-op, -x, +x, -y, +y). Observations are symmetric per seat: each
// player sees the world in its own frame, player_1's turned by 180 degrees, so both
// start on the left facing right: own position and velocity, the opponent's, the
// opponent relative to oneself, both distances from the centre over the ring radius,
// and the fraction of time left (13 floats). Option shaping = k adds, each step,
// k times how much farther the opponent moved from the centre than oneself (zero-sum).
// Option draw_penalty = d takes d from both players at a draw, as the sumo games of
// Bansal et al. 2017 ("Emergent Complexity via Multi-Agent Competition") do, so that a
// stand-off is worse than trying to win (the game is then no longer zero-sum).
// Scripted player "heuristic": full force straight at the opponent's centre.
#include <box2d/box2d.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "common/error.h"
#include "envs/multi/multi_registry.h"

namespace rlarena {
namespace {

class Sumo final : public MultiAgentEnv {
  static constexpr double kRingRadius = 3.0;   // m
  static constexpr double kBodyRadius = 0.5;   // m
  static constexpr double kDensity = 1.0;      // kg/m^2: a mass of pi/4 kg
  static constexpr double kMaxForce = 10.0;    // N per action component
  static constexpr double kDamping = 2.0;      // 1/s: ground friction, as Box2D linear damping
  static constexpr double kRestitution = 0.2;
  static constexpr double kStart = 1.5;        // m from the centre, on the x axis
  static constexpr double kStartNoise = 0.1;   // m, uniform in x and y
  static constexpr double kDt = 1.0 / 30.0;
  static constexpr int kVelocityIterations = 8, kPositionIterations = 3;
  static constexpr int kObs = 13;

 public:
  Sumo(const EnvSpec& spec, const Kwargs& kw)
      : MultiAgentEnv(spec, {"player_0", "player_1"}, {obs_space(), obs_space()},
                      {act_space(kw.get_bool("continuous", true)), act_space(kw.get_bool("continuous", true))}),
        continuous_(kw.get_bool("continuous", true)),
        shaping_(kw.get_double("shaping", 0.0)),
        draw_penalty_(kw.get_double("draw_penalty", 0.0)) {
    if (!std::isfinite(shaping_)) throw Error(spec.id + ": shaping must be a finite number");
    if (!std::isfinite(draw_penalty_)) throw Error(spec.id + ": draw_penalty must be a finite number");
  }

  // A copy replays this episode's first state and actions into a world of its own:
  // Box2D's contact caches are not part of any state we could copy.
  Sumo(const Sumo& o)
      : MultiAgentEnv(o), continuous_(o.continuous_), shaping_(o.shaping_), draw_penalty_(o.draw_penalty_) {
    if (!o.world_) return;
    const Rng::State now = rng().state();
    rng().set_state(o.reset_rng_);
    do_reset();
    rng().set_state(now);
    double rewards[2];
    const size_t bytes = action_space(0).byte_size();
    for (size_t at = 0; at < o.actions_.size(); at += 2 * bytes) {
      const void* acts[2] = {o.actions_.data() + at, o.actions_.data() + at + bytes};
      do_step(acts, rewards);
    }
  }
  std::unique_ptr<MultiAgentEnv> clone() const override { return std::unique_ptr<MultiAgentEnv>(new Sumo(*this)); }

  std::vector<std::string> scripted_players() const override { return {"heuristic"}; }
  bool scripted_action(const std::string& name, int agent, Rng&, void* action) const override {
    if (name != "heuristic") return false;
    const b2Vec2 d = frame(agent, body_[1 - agent]->GetPosition() - body_[agent]->GetPosition());
    const double len = std::max(static_cast<double>(d.Length()), 1e-9);
    const double dx = d.x / len, dy = d.y / len;
    if (continuous_) {
      float* a = static_cast<float*>(action);
      // Full force: the larger component at 1, the direction kept.
      const double m = std::max(std::abs(dx), std::abs(dy));
      a[0] = static_cast<float>(dx / m);
      a[1] = static_cast<float>(dy / m);
    } else {
      *static_cast<int64_t*>(action) = std::abs(dx) >= std::abs(dy) ? (dx < 0 ? 1 : 2) : (dy < 0 ? 3 : 4);
    }
    return true;
  }

 private:
  static Space obs_space() { return Space::box(-INFINITY, INFINITY, {kObs}); }
  static Space act_space(bool continuous) { return continuous ? Space::box(-1, 1, {2}) : Space::discrete(5); }

  // A vector of the world in `agent`'s frame (player_1's is turned by 180 degrees).
  static b2Vec2 frame(int agent, b2Vec2 v) { return agent == 0 ? v : b2Vec2(-v.x, -v.y); }

  void do_reset() override {
    reset_rng_ = rng().state();
    actions_.clear();
    world_ = std::make_unique<b2World>(b2Vec2(0, 0));
    for (int p = 0; p < 2; ++p) {
      const double x = (p == 0 ? -kStart : kStart) + rng().uniform(-kStartNoise, kStartNoise);
      const double y = rng().uniform(-kStartNoise, kStartNoise);
      b2BodyDef def;
      def.type = b2_dynamicBody;
      def.position.Set(static_cast<float>(x), static_cast<float>(y));
      def.linearDamping = static_cast<float>(kDamping);
      def.fixedRotation = true;
      def.bullet = true;
      body_[p] = world_->CreateBody(&def);
      b2CircleShape circle;
      circle.m_radius = static_cast<float>(kBodyRadius);
      b2FixtureDef fd;
      fd.shape = &circle;
      fd.density = static_cast<float>(kDensity);
      fd.friction = 0.3f;
      fd.restitution = static_cast<float>(kRestitution);
      body_[p]->CreateFixture(&fd);
    }
  }

  double centre_distance(int p) const { return body_[p]->GetPosition().Length(); }

  bool do_step(const void* const* actions, double* rewards) override {
    const size_t bytes = action_space(0).byte_size();
    for (int p = 0; p < 2; ++p) {
      const auto* a = static_cast<const uint8_t*>(actions[p]);
      actions_.insert(actions_.end(), a, a + bytes);
    }
    const double before[2] = {centre_distance(0), centre_distance(1)};
    for (int p = 0; p < 2; ++p) {
      double fx = 0, fy = 0;
      if (continuous_) {
        const float* a = static_cast<const float*>(actions[p]);
        fx = std::clamp(static_cast<double>(a[0]), -1.0, 1.0);
        fy = std::clamp(static_cast<double>(a[1]), -1.0, 1.0);
      } else {
        static constexpr double kMoves[5][2] = {{0, 0}, {-1, 0}, {1, 0}, {0, -1}, {0, 1}};
        const int64_t a = *static_cast<const int64_t*>(actions[p]);
        fx = kMoves[a][0], fy = kMoves[a][1];
      }
      const b2Vec2 force = frame(p, b2Vec2(static_cast<float>(fx * kMaxForce), static_cast<float>(fy * kMaxForce)));
      body_[p]->ApplyForceToCenter(force, true);
    }
    world_->Step(static_cast<float>(kDt), kVelocityIterations, kPositionIterations);
    const bool out[2] = {centre_distance(0) > kRingRadius, centre_distance(1) > kRingRadius};
    for (int p = 0; p < 2; ++p)
      rewards[p] = shaping_ * ((centre_distance(1 - p) - before[1 - p]) - (centre_distance(p) - before[p]));
    if (out[0] != out[1]) {
      rewards[out[0] ? 1 : 0] += 1.0;
      rewards[out[0] ? 0 : 1] -= 1.0;
    }
    // elapsed_steps() counts the steps before this one: this is the last at the limit.
    const int64_t limit = spec().max_episode_steps;
    const bool time_up = limit > 0 && elapsed_steps() + 1 >= limit;
    if ((out[0] && out[1]) || (!out[0] && !out[1] && time_up))
      for (int p = 0; p < 2; ++p) rewards[p] -= draw_penalty_;
    return out[0] || out[1];
  }

  void observe(int agent, void* obs) const override {
    float* o = static_cast<float*>(obs);
    const b2Body* me = body_[agent];
    const b2Body* other = body_[1 - agent];
    const b2Vec2 parts[5] = {frame(agent, me->GetPosition()), frame(agent, me->GetLinearVelocity()),
                             frame(agent, other->GetPosition()), frame(agent, other->GetLinearVelocity()),
                             frame(agent, other->GetPosition() - me->GetPosition())};
    for (int k = 0; k < 5; ++k) o[2 * k] = parts[k].x, o[2 * k + 1] = parts[k].y;
    o[10] = static_cast<float>(centre_distance(agent) / kRingRadius);
    o[11] = static_cast<float>(centre_distance(1 - agent) / kRingRadius);
    const int64_t limit = spec().max_episode_steps;
    o[12] = limit > 0 ? static_cast<float>(1.0 - static_cast<double>(elapsed_steps()) / limit) : 1.f;
  }

  bool continuous_;
  double shaping_, draw_penalty_;
  std::unique_ptr<b2World> world_;
  b2Body* body_[2] = {nullptr, nullptr};
  Rng::State reset_rng_{};
  std::vector<uint8_t> actions_;  // this episode's actions, both players', for copies
};

const bool registered = register_multi_env<Sumo>({"Sumo-v0", 300, std::nullopt, {}, ""});

}  // namespace
}  // namespace rlarena
