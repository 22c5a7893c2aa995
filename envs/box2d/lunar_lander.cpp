// LunarLander-v3: land a lander on the pad between the flags (Box2D). Gymnasium 1.x
// box2d/lunar_lander.py: same constants, terrain (11 chunks, heights U[0, H/2),
// smoothed 0.33 * (h[i-1] + h[i] + h[i+1]) with h[-1] the 12th draw), lander
// polygon and legs (revolute joints with spring motors and limits), engine impulses
// with dispersion (two U(-1, 1) draws every step), wind and turbulence, observation
// scaling, shaping reward, fuel costs, crash (-100) and rest (+100). Options:
// continuous, gravity (-12 < g < 0), enable_wind, wind_power, turbulence_power.
// Engine exhaust particles are decoration in Gymnasium (no effect on the lander)
// and are not simulated. Box2D is 2.4.1 here, 2.3 under Gymnasium: the revolute
// joint solver changed between them, so trajectories agree in their rules, not to
// the bit.
#include <box2d/box2d.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/box2d/box2d_raw.h"
#include "envs/box2d/rigid_move.h"
#include "envs/render/canvas.h"

namespace rlarena {
namespace {

class LunarLander final : public Env {
  static constexpr int kFps = 50;
  static constexpr double kScale = 30.0;  // pixels per metre
  static constexpr double kMainEnginePower = 13.0;
  static constexpr double kSideEnginePower = 0.6;
  static constexpr double kInitialRandom = 1000.0;
  static constexpr double kLegAway = 20, kLegDown = 18, kLegW = 2, kLegH = 8;  // pixels
  static constexpr double kLegSpringTorque = 40;
  static constexpr double kSideEngineHeight = 14, kSideEngineAway = 12, kMainEngineY = 4;  // pixels
  static constexpr int kViewportW = 600, kViewportH = 400;
  static constexpr double kW = kViewportW / kScale, kH = kViewportH / kScale;
  static constexpr int kChunks = 11;

 public:
  LunarLander(const EnvSpec& spec, const Kwargs& kw)
      : Env(spec,
            Space::box({-2.5, -2.5, -10, -10, -2 * M_PI, -10, -0.0, -0.0}, {2.5, 2.5, 10, 10, 2 * M_PI, 10, 1, 1}, {8}),
            kw.get_bool("continuous", false) ? Space::box(-1, 1, {2}) : Space::discrete(4)),
        continuous_(kw.get_bool("continuous", false)),
        gravity_(kw.get_double("gravity", -10.0)),
        enable_wind_(kw.get_bool("enable_wind", false)),
        wind_power_(kw.get_double("wind_power", 15.0)),
        turbulence_power_(kw.get_double("turbulence_power", 1.5)),
        kwargs_(kw) {
    if (!(gravity_ > -12.0 && gravity_ < 0.0))
      throw Error(spec.id + ": gravity=" + std::to_string(gravity_) + " is outside (-12, 0); give e.g. gravity=-10");
    if (wind_power_ < 0 || wind_power_ > 20)
      throw Error(spec.id + ": wind_power=" + std::to_string(wind_power_) + " is outside [0, 20]");
    if (turbulence_power_ < 0 || turbulence_power_ > 2)
      throw Error(spec.id + ": turbulence_power=" + std::to_string(turbulence_power_) + " is outside [0, 2]");
    set_state_names({"x", "y", "angle", "vx", "vy", "angular_velocity", "leg0_angle", "leg1_angle"});
  }

  Array render() override;
  bool heuristic_action(void* action) const override;
  bool set_state_replays() const override { return false; }
  std::unique_ptr<RawPhysics> raw_physics() const override {
    return std::make_unique<Box2dRaw<LunarLander>>(std::make_unique<LunarLander>(spec(), kwargs_));
  }
  void random_controls(Rng&) {}  // engines are impulses, not motors: none
  // One bare world step (the raw-physics baseline).
  void step_world() { world_->Step(1.0f / kFps, 6 * 30, 2 * 30); }

 private:
  // Ground contacts: the lander's body ends the episode, legs set their flags.
  struct Contacts : b2ContactListener {
    LunarLander* env = nullptr;
    void touch(b2Contact* c, bool begin) {
      for (b2Body* b : {c->GetFixtureA()->GetBody(), c->GetFixtureB()->GetBody()}) {
        if (b == env->lander_ && begin) env->game_over_ = true;
        for (int k = 0; k < 2; ++k)
          if (b == env->legs_[k]) env->leg_contact_[k] = begin;
      }
    }
    void BeginContact(b2Contact* c) override { touch(c, true); }
    void EndContact(b2Contact* c) override { touch(c, false); }
  };

  void do_reset() override {
    // A fresh world each episode (Gymnasium v3).
    world_ = std::make_unique<b2World>(b2Vec2(0, static_cast<float>(gravity_)));
    contacts_.env = this;
    world_->SetContactListener(&contacts_);
    game_over_ = false;
    has_prev_shaping_ = false;
    leg_contact_[0] = leg_contact_[1] = false;

    double height[kChunks + 1];
    for (double& h : height) h = rng().uniform(0, kH / 2);
    for (int i = 0; i < kChunks; ++i) chunk_x_[i] = kW / (kChunks - 1) * i;
    helipad_x1_ = chunk_x_[kChunks / 2 - 1], helipad_x2_ = chunk_x_[kChunks / 2 + 1];
    helipad_y_ = kH / 4;
    for (int i = kChunks / 2 - 2; i <= kChunks / 2 + 2; ++i) height[i] = helipad_y_;
    for (int i = 0; i < kChunks; ++i)
      smooth_y_[i] = 0.33 * (height[i == 0 ? kChunks : i - 1] + height[i] + height[i + 1]);

    b2BodyDef ground_def;
    b2Body* moon = world_->CreateBody(&ground_def);
    b2EdgeShape edge;
    edge.SetTwoSided(b2Vec2(0, 0), b2Vec2(static_cast<float>(kW), 0));
    moon->CreateFixture(&edge, 0.0f);  // default fixture: friction 0.2
    for (int i = 0; i + 1 < kChunks; ++i) {
      edge.SetTwoSided(b2Vec2(static_cast<float>(chunk_x_[i]), static_cast<float>(smooth_y_[i])),
                       b2Vec2(static_cast<float>(chunk_x_[i + 1]), static_cast<float>(smooth_y_[i + 1])));
      b2FixtureDef fd;
      fd.shape = &edge;
      fd.density = 0;
      fd.friction = 0.1f;
      moon->CreateFixture(&fd);
    }

    b2BodyDef body_def;
    body_def.type = b2_dynamicBody;
    body_def.position.Set(static_cast<float>(kW / 2), static_cast<float>(kH));
    lander_ = world_->CreateBody(&body_def);
    const double poly[6][2] = {{-14, 17}, {-17, 0}, {-17, -10}, {17, -10}, {17, 0}, {14, 17}};
    b2Vec2 verts[6];
    for (int k = 0; k < 6; ++k) verts[k].Set(static_cast<float>(poly[k][0] / kScale), static_cast<float>(poly[k][1] / kScale));
    b2PolygonShape hull;
    hull.Set(verts, 6);
    b2FixtureDef hull_fd;
    hull_fd.shape = &hull;
    hull_fd.density = 5.0f;
    hull_fd.friction = 0.1f;
    hull_fd.restitution = 0.0f;
    hull_fd.filter.categoryBits = 0x0010;
    hull_fd.filter.maskBits = 0x001;
    lander_->CreateFixture(&hull_fd);
    const double fx = rng().uniform(-kInitialRandom, kInitialRandom);
    const double fy = rng().uniform(-kInitialRandom, kInitialRandom);
    lander_->ApplyForceToCenter(b2Vec2(static_cast<float>(fx), static_cast<float>(fy)), true);
    if (enable_wind_) {
      wind_idx_ = static_cast<int64_t>(rng().below(19998)) - 9999;
      torque_idx_ = static_cast<int64_t>(rng().below(19998)) - 9999;
    }

    for (int k = 0; k < 2; ++k) {
      const int i = k == 0 ? -1 : 1;
      b2BodyDef leg_def;
      leg_def.type = b2_dynamicBody;
      leg_def.position.Set(static_cast<float>(kW / 2 - i * kLegAway / kScale), static_cast<float>(kH));
      leg_def.angle = static_cast<float>(i * 0.05);
      legs_[k] = world_->CreateBody(&leg_def);
      b2PolygonShape box;
      box.SetAsBox(static_cast<float>(kLegW / kScale), static_cast<float>(kLegH / kScale));
      b2FixtureDef leg_fd;
      leg_fd.shape = &box;
      leg_fd.density = 1.0f;
      leg_fd.restitution = 0.0f;
      leg_fd.filter.categoryBits = 0x0020;
      leg_fd.filter.maskBits = 0x001;
      legs_[k]->CreateFixture(&leg_fd);
      b2RevoluteJointDef joint;
      joint.bodyA = lander_;
      joint.bodyB = legs_[k];
      joint.localAnchorA.Set(0, 0);
      joint.localAnchorB.Set(static_cast<float>(i * kLegAway / kScale), static_cast<float>(kLegDown / kScale));
      joint.enableMotor = true;
      joint.enableLimit = true;
      joint.maxMotorTorque = static_cast<float>(kLegSpringTorque);
      joint.motorSpeed = static_cast<float>(0.3 * i);
      joint.lowerAngle = i == -1 ? 0.4f : -0.9f;
      joint.upperAngle = i == -1 ? 0.9f : -0.4f;
      world_->CreateJoint(&joint);
    }
    // Gymnasium returns the observation of a first, idle step.
    simulate(-1, 0.0, 0.0);
  }

  // One physics step with the engines given: main power m (0 = off), side engine
  // direction (-1, +1, 0 = off) with power s. Returns the fuel cost.
  double simulate(int side_direction, double main_power, double side_power) {
    if (enable_wind_ && !leg_contact_[0] && !leg_contact_[1]) {
      const auto wave = [](int64_t k) { return std::tanh(std::sin(0.02 * k) + std::sin(M_PI * 0.01 * k)); };
      lander_->ApplyForceToCenter(b2Vec2(static_cast<float>(wave(wind_idx_++) * wind_power_), 0), true);
      lander_->ApplyTorque(static_cast<float>(wave(torque_idx_++) * turbulence_power_), true);
    }
    const double angle = lander_->GetAngle();
    const double tip[2] = {std::sin(angle), std::cos(angle)};
    const double side[2] = {-tip[1], tip[0]};
    const double d0 = rng().uniform(-1, 1) / kScale, d1 = rng().uniform(-1, 1) / kScale;
    const b2Vec2 pos = lander_->GetPosition();
    if (main_power > 0) {
      const double r = kMainEngineY / kScale + 2 * d0;
      const double ox = tip[0] * r + side[0] * d1, oy = -tip[1] * r - side[1] * d1;
      const b2Vec2 at(static_cast<float>(pos.x + ox), static_cast<float>(pos.y + oy));
      lander_->ApplyLinearImpulse(b2Vec2(static_cast<float>(-ox * kMainEnginePower * main_power),
                                         static_cast<float>(-oy * kMainEnginePower * main_power)),
                                  at, true);
    }
    if (side_direction != 0 && side_power > 0) {
      const double q = 3 * d1 + side_direction * kSideEngineAway / kScale;
      const double ox = tip[0] * d0 + side[0] * q, oy = -tip[1] * d0 - side[1] * q;
      // Gymnasium's offsets: 17 pixels along x, SIDE_ENGINE_HEIGHT along y.
      const b2Vec2 at(static_cast<float>(pos.x + ox - tip[0] * 17 / kScale),
                      static_cast<float>(pos.y + oy + tip[1] * kSideEngineHeight / kScale));
      lander_->ApplyLinearImpulse(b2Vec2(static_cast<float>(-ox * kSideEnginePower * side_power),
                                         static_cast<float>(-oy * kSideEnginePower * side_power)),
                                  at, true);
    }
    world_->Step(1.0f / kFps, 6 * 30, 2 * 30);
    return main_power * 0.30 + (side_direction != 0 ? side_power * 0.03 : 0.0);
  }

  void state(double* s) const {
    const b2Vec2 pos = lander_->GetPosition(), vel = lander_->GetLinearVelocity();
    s[0] = (pos.x - kW / 2) / (kW / 2);
    s[1] = (pos.y - (helipad_y_ + kLegDown / kScale)) / (kH / 2);
    s[2] = vel.x * (kW / 2) / kFps;
    s[3] = vel.y * (kH / 2) / kFps;
    s[4] = lander_->GetAngle();
    s[5] = 20.0 * lander_->GetAngularVelocity() / kFps;
    s[6] = leg_contact_[0] ? 1.0 : 0.0;
    s[7] = leg_contact_[1] ? 1.0 : 0.0;
  }

  Transition do_step(const void* action, double*) override {
    int side_direction = 0;
    double main_power = 0, side_power = 0;
    if (continuous_) {
      const float* a = static_cast<const float*>(action);
      const double a0 = std::clamp(static_cast<double>(a[0]), -1.0, 1.0);
      const double a1 = std::clamp(static_cast<double>(a[1]), -1.0, 1.0);
      if (a0 > 0) main_power = (std::clamp(a0, 0.0, 1.0) + 1.0) * 0.5;
      if (std::fabs(a1) > 0.5) side_direction = a1 > 0 ? 1 : -1, side_power = std::clamp(std::fabs(a1), 0.5, 1.0);
    } else {
      const int64_t a = *static_cast<const int64_t*>(action);
      if (a == 2) main_power = 1.0;
      if (a == 1 || a == 3) side_direction = static_cast<int>(a) - 2, side_power = 1.0;
    }
    const double fuel = simulate(side_direction, main_power, side_power);
    double s[8];
    state(s);
    const double shaping = -100 * std::sqrt(s[0] * s[0] + s[1] * s[1]) - 100 * std::sqrt(s[2] * s[2] + s[3] * s[3]) -
                           100 * std::fabs(s[4]) + 10 * s[6] + 10 * s[7];
    double reward = has_prev_shaping_ ? shaping - prev_shaping_ : 0.0;
    prev_shaping_ = shaping, has_prev_shaping_ = true;
    reward -= fuel;
    bool terminated = false;
    if (game_over_ || std::fabs(s[0]) >= 1.0) terminated = true, reward = -100;
    if (!lander_->IsAwake()) terminated = true, reward = +100;
    return {reward, terminated};
  }

  void observe(void* obs) const override {
    double s[8];
    state(s);
    float* o = static_cast<float*>(obs);
    for (int i = 0; i < 8; ++i) o[i] = static_cast<float>(s[i]);
  }

  // The physical state: the lander's pose and velocities and the legs' angles.
  void read_state(double* out) const override {
    const b2Vec2 p = lander_->GetPosition(), v = lander_->GetLinearVelocity();
    out[0] = p.x, out[1] = p.y, out[2] = lander_->GetAngle(), out[3] = v.x, out[4] = v.y;
    out[5] = lander_->GetAngularVelocity();
    out[6] = legs_[0]->GetAngle(), out[7] = legs_[1]->GetAngle();
  }
  // Moves the whole lander rigidly (legs follow), then sets the legs' angles.
  void write_state(const double* in) override {
    move_rigidly(lander_, legs_, 2, in);
    for (int k = 0; k < 2; ++k) legs_[k]->SetTransform(legs_[k]->GetPosition(), static_cast<float>(in[6 + k]));
  }

  bool continuous_;
  double gravity_;
  bool enable_wind_;
  double wind_power_, turbulence_power_;
  Kwargs kwargs_;  // for a raw-physics twin
  std::unique_ptr<b2World> world_;
  Contacts contacts_;
  b2Body* lander_ = nullptr;
  b2Body* legs_[2] = {nullptr, nullptr};
  bool leg_contact_[2] = {false, false};
  bool game_over_ = false;
  bool has_prev_shaping_ = false;
  double prev_shaping_ = 0;
  int64_t wind_idx_ = 0, torque_idx_ = 0;
  double chunk_x_[kChunks] = {}, smooth_y_[kChunks] = {};
  double helipad_x1_ = 0, helipad_x2_ = 0, helipad_y_ = 0;
};

// Gymnasium's heuristic(): PD control of angle and hover height toward the pad.
bool LunarLander::heuristic_action(void* action) const {
  if (!lander_) return false;
  double s[8];
  state(s);
  const double angle_targ = std::clamp(s[0] * 0.5 + s[2] * 1.0, -0.4, 0.4);
  const double hover_targ = 0.55 * std::fabs(s[0]);
  double angle_todo = (angle_targ - s[4]) * 0.5 - s[5] * 1.0;
  double hover_todo = (hover_targ - s[1]) * 0.5 - s[3] * 0.5;
  if (s[6] != 0 || s[7] != 0) angle_todo = 0, hover_todo = -s[3] * 0.5;
  if (continuous_) {
    float* a = static_cast<float*>(action);
    a[0] = static_cast<float>(std::clamp(hover_todo * 20 - 1, -1.0, 1.0));
    a[1] = static_cast<float>(std::clamp(-angle_todo * 20, -1.0, 1.0));
  } else {
    int64_t& a = *static_cast<int64_t*>(action);
    a = 0;
    if (hover_todo > std::fabs(angle_todo) && hover_todo > 0.05) a = 2;
    else if (angle_todo < -0.05) a = 3;
    else if (angle_todo > 0.05) a = 1;
  }
  return true;
}

// Gymnasium's picture: 600x400, black sky above white ground, yellow flags on white
// poles at the pad, the lander and legs in purple with dark outlines.
Array LunarLander::render() {
  Canvas c(kViewportW, kViewportH, {255, 255, 255});
  if (!lander_) return c.to_array();
  for (int i = 0; i + 1 < kChunks; ++i)
    c.polygon({{chunk_x_[i] * kScale, smooth_y_[i] * kScale},
               {chunk_x_[i + 1] * kScale, smooth_y_[i + 1] * kScale},
               {chunk_x_[i + 1] * kScale, kH * kScale},
               {chunk_x_[i] * kScale, kH * kScale}},
              {0, 0, 0});
  for (b2Body* body : {lander_, legs_[0], legs_[1]}) {
    for (b2Fixture* f = body->GetFixtureList(); f; f = f->GetNext()) {
      const auto* shape = static_cast<const b2PolygonShape*>(f->GetShape());
      std::vector<std::pair<double, double>> pts;
      for (int k = 0; k < shape->m_count; ++k) {
        const b2Vec2 w = body->GetWorldPoint(shape->m_vertices[k]);
        pts.emplace_back(w.x * kScale, w.y * kScale);
      }
      c.polygon(pts, {128, 102, 230});
      for (size_t k = 0; k < pts.size(); ++k)
        c.line(pts[k].first, pts[k].second, pts[(k + 1) % pts.size()].first, pts[(k + 1) % pts.size()].second, 1.5,
               {77, 77, 128});
    }
  }
  for (double x : {helipad_x1_, helipad_x2_}) {
    const double fx = x * kScale, y1 = helipad_y_ * kScale, y2 = y1 + 50;
    c.line(fx, y1, fx, y2, 1, {255, 255, 255});
    c.polygon({{fx, y2}, {fx, y2 - 10}, {fx + 25, y2 - 5}}, {204, 204, 0});
  }
  c.flip_vertical();  // drawn with y up
  return c.to_array();
}

const bool registered = register_env<LunarLander>({"LunarLander-v3", 1000, 200.0, {}, "gymnasium.envs.box2d.lunar_lander:LunarLander"});
const bool registered_continuous =
    register_env<LunarLander>({"LunarLanderContinuous-v3", 1000, 200.0, {{"continuous", "true"}}, "gymnasium.envs.box2d.lunar_lander:LunarLander"});

}  // namespace
}  // namespace rlarena
