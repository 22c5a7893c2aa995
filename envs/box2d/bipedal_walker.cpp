// BipedalWalker-v3 (and hardcore=true): walk a two-legged robot across rough
// terrain (Box2D). Gymnasium 1.x box2d/bipedal_walker.py: same constants, terrain
// generator (grass; with hardcore, stumps, stairs and pits), hull and legs, hip and
// knee motors (speed SPEED * sign(a), torque 80 * clip(|a|, 0, 1)), 10 lidar rays,
// the 24-value observation, reward 130 x / SCALE - 5 |hull angle| (as a shaping
// difference) - 0.028 clip(|a|) per motor, -100 on falling, done past the end.
// The render-only clouds, which draw from the generator in Gymnasium, are not made.
// Box2D 2.4.1 here (2.3 under Gymnasium): bodies are woken after every motor
// update as 2.3's setters did, so the walker never falls asleep mid-stride.
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

class BipedalWalker final : public Env {
  static constexpr int kFps = 50;
  static constexpr double kScale = 30.0;
  static constexpr double kMotorsTorque = 80, kSpeedHip = 4, kSpeedKnee = 6;
  static constexpr double kLidarRange = 160 / kScale;
  static constexpr double kInitialRandom = 5;
  static constexpr double kLegDown = -8 / kScale, kLegW = 8 / kScale, kLegH = 34 / kScale;
  static constexpr int kViewportW = 600, kViewportH = 400;
  static constexpr double kTerrainStep = 14 / kScale;
  static constexpr int kTerrainLength = 200;
  static constexpr double kTerrainHeight = kViewportH / kScale / 4;
  static constexpr int kTerrainGrass = 10, kTerrainStartpad = 20;
  static constexpr double kFriction = 2.5;
  static constexpr int kLidarRays = 10;
  enum Terrain { kGrass, kStump, kStairs, kPit };

 public:
  BipedalWalker(const EnvSpec& spec, const Kwargs& kw)
      : Env(spec, observation_space(), Space::box(-1, 1, {4})), hardcore_(kw.get_bool("hardcore", false)), kwargs_(kw) {
    set_state_names({"hull_x", "hull_y", "hull_angle", "hull_vx", "hull_vy", "hull_angular_velocity"});
  }

  Array render() override;
  bool heuristic_action(void* action) const override;
  bool set_state_replays() const override { return false; }
  std::unique_ptr<RawPhysics> raw_physics() const override {
    return std::make_unique<Box2dRaw<BipedalWalker>>(std::make_unique<BipedalWalker>(spec(), kwargs_));
  }
  // Random motor commands, as an action would set them (the raw-physics baseline).
  void random_controls(Rng& rng) {
    float a[4];
    for (float& x : a) x = static_cast<float>(rng.uniform(-1, 1));
    set_motors(a);
  }
  // One bare world step (the raw-physics baseline).
  void step_world() { world_->Step(1.0f / kFps, 6 * 30, 2 * 30); }

 private:
  static Space observation_space() {
    std::vector<double> low = {-M_PI, -5, -5, -5, -M_PI, -5, -M_PI, -5, -0.0, -M_PI, -5, -M_PI, -5, -0.0};
    std::vector<double> high = {M_PI, 5, 5, 5, M_PI, 5, M_PI, 5, 5, M_PI, 5, M_PI, 5, 5};
    for (int i = 0; i < kLidarRays; ++i) low.push_back(-1), high.push_back(1);
    return Space::box(low, high, {24});
  }

  struct Contacts : b2ContactListener {
    BipedalWalker* env = nullptr;
    void touch(b2Contact* c, bool begin) {
      for (b2Body* b : {c->GetFixtureA()->GetBody(), c->GetFixtureB()->GetBody()}) {
        if (b == env->hull_ && begin) env->game_over_ = true;
        for (int k : {1, 3})
          if (b == env->legs_[k]) env->ground_contact_[k] = begin;
      }
    }
    void BeginContact(b2Contact* c) override { touch(c, true); }
    void EndContact(b2Contact* c) override { touch(c, false); }
  };

  // One lidar ray: from p1 towards p1 + range, and where it hit the ground.
  struct Lidar {
    float fraction = 1;
    b2Vec2 p1, p2;
  };

  b2Body* static_polygon(const std::vector<b2Vec2>& pts) {
    b2BodyDef def;
    b2Body* body = world_->CreateBody(&def);
    b2PolygonShape shape;
    shape.Set(pts.data(), static_cast<int32>(pts.size()));
    b2FixtureDef fd;
    fd.shape = &shape;
    fd.friction = static_cast<float>(kFriction);
    body->CreateFixture(&fd);
    obstacles_.push_back(pts);
    return body;
  }

  void generate_terrain() {
    int state = kGrass, counter = kTerrainStartpad;
    double velocity = 0, y = kTerrainHeight, original_y = 0;
    bool oneshot = false;
    int stair_steps = 0, stair_width = 0, stair_height = 0;
    terrain_x_.clear(), terrain_y_.clear(), obstacles_.clear();
    const auto integers = [this](int lo, int hi) { return lo + static_cast<int>(rng().below(hi - lo)); };
    for (int i = 0; i < kTerrainLength; ++i) {
      const double x = i * kTerrainStep;
      terrain_x_.push_back(x);
      if (state == kGrass && !oneshot) {
        velocity = 0.8 * velocity + 0.01 * (kTerrainHeight - y > 0 ? 1 : kTerrainHeight - y < 0 ? -1 : 0);
        if (i > kTerrainStartpad) velocity += rng().uniform(-1, 1) / kScale;
        y += velocity;
      } else if (state == kPit && oneshot) {
        counter = integers(3, 5);
        const double s = kTerrainStep;
        for (double dx : {0.0, s * counter})
          static_polygon({b2Vec2(float(x + dx), float(y)), b2Vec2(float(x + dx + s), float(y)),
                          b2Vec2(float(x + dx + s), float(y - 4 * s)), b2Vec2(float(x + dx), float(y - 4 * s))});
        counter += 2;
        original_y = y;
      } else if (state == kPit && !oneshot) {
        y = original_y;
        if (counter > 1) y -= 4 * kTerrainStep;
      } else if (state == kStump && oneshot) {
        counter = integers(1, 3);
        const double side = counter * kTerrainStep;
        static_polygon({b2Vec2(float(x), float(y)), b2Vec2(float(x + side), float(y)),
                        b2Vec2(float(x + side), float(y + side)), b2Vec2(float(x), float(y + side))});
      } else if (state == kStairs && oneshot) {
        stair_height = rng().uniform() > 0.5 ? 1 : -1;
        stair_width = 4;  // Gymnasium's integers(4, 5): always 4
        stair_steps = integers(3, 5);
        original_y = y;
        const double s = kTerrainStep;
        for (int k = 0; k < stair_steps; ++k)
          static_polygon({b2Vec2(float(x + k * stair_width * s), float(y + k * stair_height * s)),
                          b2Vec2(float(x + (k + 1) * stair_width * s), float(y + k * stair_height * s)),
                          b2Vec2(float(x + (k + 1) * stair_width * s), float(y + (k * stair_height - 1) * s)),
                          b2Vec2(float(x + k * stair_width * s), float(y + (k * stair_height - 1) * s))});
        counter = stair_steps * stair_width;
      } else if (state == kStairs && !oneshot) {
        const double s = stair_steps * stair_width - counter - stair_height;
        y = original_y + s / stair_width * stair_height * kTerrainStep;
      }
      oneshot = false;
      terrain_y_.push_back(y);
      if (--counter == 0) {
        counter = integers(kTerrainGrass / 2, kTerrainGrass);
        state = state == kGrass && hardcore_ ? integers(kStump, kPit + 1) : kGrass;
        oneshot = true;
      }
    }
    b2BodyDef def;
    for (int i = 0; i + 1 < kTerrainLength; ++i) {
      b2Body* body = world_->CreateBody(&def);
      b2EdgeShape edge;
      edge.SetTwoSided(b2Vec2(float(terrain_x_[i]), float(terrain_y_[i])),
                       b2Vec2(float(terrain_x_[i + 1]), float(terrain_y_[i + 1])));
      b2FixtureDef fd;
      fd.shape = &edge;
      fd.friction = static_cast<float>(kFriction);
      body->CreateFixture(&fd);
    }
  }

  b2Body* box_body(double x, double y, double angle, double half_w, double half_h) {
    b2BodyDef def;
    def.type = b2_dynamicBody;
    def.position.Set(float(x), float(y));
    def.angle = float(angle);
    b2Body* body = world_->CreateBody(&def);
    b2PolygonShape box;
    box.SetAsBox(float(half_w), float(half_h));
    b2FixtureDef fd;
    fd.shape = &box;
    fd.density = 1.0f;
    fd.restitution = 0.0f;
    fd.filter.categoryBits = 0x0020;
    fd.filter.maskBits = 0x001;
    body->CreateFixture(&fd);
    return body;
  }

  b2RevoluteJoint* joint(b2Body* a, b2Body* b, b2Vec2 anchor_a, b2Vec2 anchor_b, double speed, double lower,
                         double upper) {
    b2RevoluteJointDef def;
    def.bodyA = a, def.bodyB = b;
    def.localAnchorA = anchor_a, def.localAnchorB = anchor_b;
    def.enableMotor = true, def.enableLimit = true;
    def.maxMotorTorque = float(kMotorsTorque);
    def.motorSpeed = float(speed);
    def.lowerAngle = float(lower), def.upperAngle = float(upper);
    return static_cast<b2RevoluteJoint*>(world_->CreateJoint(&def));
  }

  void do_reset() override {
    world_ = std::make_unique<b2World>(b2Vec2(0, -10));
    contacts_.env = this;
    world_->SetContactListener(&contacts_);
    game_over_ = false, has_prev_shaping_ = false;
    ground_contact_[1] = ground_contact_[3] = false;
    generate_terrain();

    const double init_x = kTerrainStep * kTerrainStartpad / 2, init_y = kTerrainHeight + 2 * kLegH;
    b2BodyDef hull_def;
    hull_def.type = b2_dynamicBody;
    hull_def.position.Set(float(init_x), float(init_y));
    hull_ = world_->CreateBody(&hull_def);
    const double poly[5][2] = {{-30, 9}, {6, 9}, {34, 1}, {34, -8}, {-30, -8}};
    b2Vec2 verts[5];
    for (int k = 0; k < 5; ++k) verts[k].Set(float(poly[k][0] / kScale), float(poly[k][1] / kScale));
    b2PolygonShape hull_shape;
    hull_shape.Set(verts, 5);
    b2FixtureDef hull_fd;
    hull_fd.shape = &hull_shape;
    hull_fd.density = 5.0f, hull_fd.friction = 0.1f, hull_fd.restitution = 0.0f;
    hull_fd.filter.categoryBits = 0x0020, hull_fd.filter.maskBits = 0x001;
    hull_->CreateFixture(&hull_fd);
    hull_->ApplyForceToCenter(b2Vec2(float(rng().uniform(-kInitialRandom, kInitialRandom)), 0), true);

    for (int k = 0; k < 2; ++k) {
      const int i = k == 0 ? -1 : 1;
      b2Body* upper = box_body(init_x, init_y - kLegH / 2 - kLegDown, i * 0.05, kLegW / 2, kLegH / 2);
      joints_[2 * k] = joint(hull_, upper, b2Vec2(0, float(kLegDown)), b2Vec2(0, float(kLegH / 2)), i, -0.8, 1.1);
      b2Body* lower = box_body(init_x, init_y - kLegH * 3 / 2 - kLegDown, i * 0.05, 0.8 * kLegW / 2, kLegH / 2);
      joints_[2 * k + 1] = joint(upper, lower, b2Vec2(0, float(-kLegH / 2)), b2Vec2(0, float(kLegH / 2)), 1, -1.6, -0.1);
      legs_[2 * k] = upper, legs_[2 * k + 1] = lower;
    }
    heuristic_ = HeuristicState{};
    const float zero[4] = {0, 0, 0, 0};
    act(zero);  // Gymnasium returns the observation of a first, idle step
  }

  // Motors from the action, one physics step, lidar.
  void act(const float* a) {
    set_motors(a);
    world_->Step(1.0f / kFps, 6 * 30, 2 * 30);
    const b2Vec2 pos = hull_->GetPosition();
    for (int i = 0; i < kLidarRays; ++i) {
      lidar_[i].p1 = pos;
      lidar_[i].p2 = pos + b2Vec2(float(std::sin(1.5 * i / 10.0) * kLidarRange), float(-std::cos(1.5 * i / 10.0) * kLidarRange));
      cast(lidar_[i]);
    }
  }

  // The nearest hit of a ray on the ground (terrain edges and obstacle outlines),
  // as Box2D's world ray cast filtered to category 1 finds it, but testing only the
  // few segments under the ray instead of walking the broadphase tree.
  void cast(Lidar& ray) const {
    const b2Vec2 a = ray.p1, d = ray.p2 - ray.p1;
    float best = 1;
    const auto hit = [&](b2Vec2 u, b2Vec2 v) {
      const b2Vec2 e = v - u;
      const float denom = d.x * e.y - d.y * e.x;
      if (denom == 0) return;
      const b2Vec2 w = u - a;
      const float t = (w.x * e.y - w.y * e.x) / denom, s = (w.x * d.y - w.y * d.x) / denom;
      if (t >= 0 && t < best && s >= 0 && s <= 1) best = t;
    };
    const double lo = std::min(a.x, a.x + d.x), hi = std::max(a.x, a.x + d.x);
    const int first = std::max(0, static_cast<int>(std::floor(lo / kTerrainStep)) - 1);
    const int last = std::min(static_cast<int>(terrain_x_.size()) - 2, static_cast<int>(std::ceil(hi / kTerrainStep)) + 1);
    for (int i = first; i <= last; ++i)
      hit(b2Vec2(float(terrain_x_[i]), float(terrain_y_[i])), b2Vec2(float(terrain_x_[i + 1]), float(terrain_y_[i + 1])));
    for (const auto& poly : obstacles_) {
      if (poly[1].x < lo - 1 || poly[0].x > hi + 1) continue;
      for (size_t k = 0; k < poly.size(); ++k) hit(poly[k], poly[(k + 1) % poly.size()]);
    }
    ray.fraction = best;
    if (best < 1) ray.p2 = a + best * d;
  }

  void set_motors(const float* a) {
    for (int j = 0; j < 4; ++j) {
      const double speed = j % 2 == 0 ? kSpeedHip : kSpeedKnee;
      const double sign = a[j] > 0 ? 1 : a[j] < 0 ? -1 : 0;
      joints_[j]->SetMotorSpeed(float(speed * sign));
      joints_[j]->SetMaxMotorTorque(float(kMotorsTorque * std::clamp(std::fabs(double(a[j])), 0.0, 1.0)));
      joints_[j]->GetBodyA()->SetAwake(true);  // as Box2D 2.3's setters did
      joints_[j]->GetBodyB()->SetAwake(true);
    }
  }

  void state(double* s) const {
    const b2Vec2 vel = hull_->GetLinearVelocity();
    s[0] = hull_->GetAngle();
    s[1] = 2.0 * hull_->GetAngularVelocity() / kFps;
    s[2] = 0.3 * vel.x * (kViewportW / kScale) / kFps;
    s[3] = 0.3 * vel.y * (kViewportH / kScale) / kFps;
    for (int k = 0; k < 2; ++k) {
      s[4 + 5 * k] = joints_[2 * k]->GetJointAngle();
      s[5 + 5 * k] = joints_[2 * k]->GetJointSpeed() / kSpeedHip;
      s[6 + 5 * k] = joints_[2 * k + 1]->GetJointAngle() + 1.0;
      s[7 + 5 * k] = joints_[2 * k + 1]->GetJointSpeed() / kSpeedKnee;
      s[8 + 5 * k] = ground_contact_[2 * k + 1] ? 1.0 : 0.0;
    }
    for (int i = 0; i < kLidarRays; ++i) s[14 + i] = lidar_[i].fraction;
  }

  Transition do_step(const void* action, double*) override {
    const float* a = static_cast<const float*>(action);
    act(a);
    const b2Vec2 pos = hull_->GetPosition();
    const double shaping = 130 * pos.x / kScale - 5.0 * std::fabs(hull_->GetAngle());
    double reward = has_prev_shaping_ ? shaping - prev_shaping_ : 0.0;
    prev_shaping_ = shaping, has_prev_shaping_ = true;
    for (int j = 0; j < 4; ++j) reward -= 0.00035 * kMotorsTorque * std::clamp(std::fabs(double(a[j])), 0.0, 1.0);
    bool terminated = false;
    if (game_over_ || pos.x < 0) reward = -100, terminated = true;
    if (pos.x > (kTerrainLength - kTerrainGrass) * kTerrainStep) terminated = true;
    return {reward, terminated};
  }

  void observe(void* obs) const override {
    double s[24];
    state(s);
    float* o = static_cast<float*>(obs);
    for (int i = 0; i < 24; ++i) o[i] = static_cast<float>(s[i]);
  }

  void read_state(double* out) const override {
    const b2Vec2 p = hull_->GetPosition(), v = hull_->GetLinearVelocity();
    out[0] = p.x, out[1] = p.y, out[2] = hull_->GetAngle(), out[3] = v.x, out[4] = v.y;
    out[5] = hull_->GetAngularVelocity();
  }
  void write_state(const double* in) override { move_rigidly(hull_, legs_, 4, in); }

  // Gymnasium's scripted walker: a three-phase gait state machine with PD control.
  struct HeuristicState {
    int phase = 1;  // 1 stay on one leg, 2 put the other down, 3 push off
    int moving = 0, supporting = 1;
    double supporting_knee_angle = 0.1;
  };

  bool hardcore_;
  Kwargs kwargs_;  // for a raw-physics twin
  std::unique_ptr<b2World> world_;
  Contacts contacts_;
  b2Body* hull_ = nullptr;
  b2Body* legs_[4] = {};
  b2RevoluteJoint* joints_[4] = {};
  bool ground_contact_[4] = {};
  bool game_over_ = false, has_prev_shaping_ = false;
  double prev_shaping_ = 0;
  Lidar lidar_[kLidarRays];
  std::vector<double> terrain_x_, terrain_y_;
  std::vector<std::vector<b2Vec2>> obstacles_;
  mutable HeuristicState heuristic_;
};

// Gymnasium's demo gait, with a target speed of 0.25 instead of its 0.29: on Box2D
// 2.4.1 the faster gait falls at the first bumps on 6 of 10 seeds, this one walks
// the whole course on 10 of 10 (tests/test_bipedal_walker.cpp).
bool BipedalWalker::heuristic_action(void* action) const {
  if (!hull_) return false;
  constexpr double kSpeed = 0.25, kSupportKneeAngle = 0.1;
  double s[24];
  state(s);
  HeuristicState& h = heuristic_;
  double hip_targ[2] = {NAN, NAN}, knee_targ[2] = {NAN, NAN};
  const int m = h.moving, p = h.supporting;
  const int bm = 4 + 5 * m, bp = 4 + 5 * p;
  if (h.phase == 1) {
    hip_targ[m] = 1.1, knee_targ[m] = -0.6;
    h.supporting_knee_angle += 0.03;
    if (s[2] > kSpeed) h.supporting_knee_angle += 0.03;
    h.supporting_knee_angle = std::min(h.supporting_knee_angle, kSupportKneeAngle);
    knee_targ[p] = h.supporting_knee_angle;
    if (s[bp] < 0.10) h.phase = 2;
  }
  if (h.phase == 2) {
    hip_targ[m] = 0.1, knee_targ[m] = kSupportKneeAngle, knee_targ[p] = h.supporting_knee_angle;
    if (s[bm + 4] != 0) h.phase = 3, h.supporting_knee_angle = std::min(s[bm + 2], kSupportKneeAngle);
  }
  if (h.phase == 3) {
    knee_targ[m] = h.supporting_knee_angle, knee_targ[p] = 1.0;
    if (s[bp + 2] > 0.88 || s[2] > 1.2 * kSpeed) h.phase = 1, h.moving = 1 - m, h.supporting = 1 - h.moving;
  }
  double hip_todo[2] = {0, 0}, knee_todo[2] = {0, 0};
  for (int k = 0; k < 2; ++k) {
    const int b = 4 + 5 * k;
    // Gymnasium's test `if hip_targ[k]` also skips a target of exactly 0.
    if (!std::isnan(hip_targ[k]) && hip_targ[k] != 0) hip_todo[k] = 0.9 * (hip_targ[k] - s[b]) - 0.25 * s[b + 1];
    if (!std::isnan(knee_targ[k]) && knee_targ[k] != 0)
      knee_todo[k] = 4.0 * (knee_targ[k] - s[b + 2]) - 0.25 * s[b + 3];
    hip_todo[k] -= 0.9 * (0 - s[0]) - 1.5 * s[1];  // keep the head level
    knee_todo[k] -= 15.0 * s[3];                   // damp vertical motion
  }
  float* a = static_cast<float*>(action);
  const double out[4] = {hip_todo[0], knee_todo[0], hip_todo[1], knee_todo[1]};
  for (int j = 0; j < 4; ++j) a[j] = static_cast<float>(std::clamp(0.5 * out[j], -1.0, 1.0));
  return true;
}

// Gymnasium's picture: 600x400 following the hull, lilac sky, green ground, white
// obstacles, the hull in purple and the legs in two shades, red lidar rays.
Array BipedalWalker::render() {
  Canvas c(kViewportW, kViewportH, {215, 215, 255});
  if (!hull_) return c.to_array();
  const double scroll = hull_->GetPosition().x - kViewportW / kScale / 5;
  const auto px = [&](double x) { return (x - scroll) * kScale; };
  for (size_t i = 0; i + 1 < terrain_x_.size(); ++i)
    c.polygon({{px(terrain_x_[i]), terrain_y_[i] * kScale},
               {px(terrain_x_[i + 1]), terrain_y_[i + 1] * kScale},
               {px(terrain_x_[i + 1]), 0},
               {px(terrain_x_[i]), 0}},
              {102, 153, 76});
  for (const auto& poly : obstacles_) {
    std::vector<std::pair<double, double>> pts;
    for (const b2Vec2& v : poly) pts.emplace_back(px(v.x), v.y * kScale);
    c.polygon(pts, {255, 255, 255});
  }
  for (const Lidar& l : lidar_)
    if (l.fraction < 1) c.line(px(l.p1.x), l.p1.y * kScale, px(l.p2.x), l.p2.y * kScale, 1, {255, 0, 0});
  const Rgb leg_colour[2] = {{178, 102, 153}, {127, 51, 102}};
  int k = 0;
  for (b2Body* body : {legs_[0], legs_[1], legs_[2], legs_[3], hull_}) {
    const auto* shape = static_cast<const b2PolygonShape*>(body->GetFixtureList()->GetShape());
    std::vector<std::pair<double, double>> pts;
    for (int v = 0; v < shape->m_count; ++v) {
      const b2Vec2 w = body->GetWorldPoint(shape->m_vertices[v]);
      pts.emplace_back(px(w.x), w.y * kScale);
    }
    c.polygon(pts, body == hull_ ? Rgb{127, 51, 229} : leg_colour[k++ / 2]);
  }
  const double flag_x = px(kTerrainStep * 3), flag_y1 = terrain_y_[3] * kScale, flag_y2 = flag_y1 + 50;
  c.line(flag_x, flag_y1, flag_x, flag_y2, 1, {0, 0, 0});
  c.polygon({{flag_x, flag_y2}, {flag_x, flag_y2 - 10}, {flag_x + 25, flag_y2 - 5}}, {230, 51, 0});
  c.flip_vertical();
  return c.to_array();
}

const bool registered = register_env<BipedalWalker>({"BipedalWalker-v3", 1600, 300.0, {}, "gymnasium.envs.box2d.bipedal_walker:BipedalWalker"});
const bool registered_hardcore =
    register_env<BipedalWalker>({"BipedalWalkerHardcore-v3", 2000, 300.0, {{"hardcore", "true"}}, "gymnasium.envs.box2d.bipedal_walker:BipedalWalker"});

}  // namespace
}  // namespace rlarena
