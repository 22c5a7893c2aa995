#include "envs/box2d/car.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace rlarena {

namespace {
// Gymnasium's hull polygons, in model units (times kSize).
const std::vector<std::vector<std::pair<double, double>>> kHullPolys = {
    {{-60, 130}, {60, 130}, {60, 110}, {-60, 110}},
    {{-15, 120}, {15, 120}, {20, 20}, {-20, 20}},
    {{25, 20}, {50, -10}, {50, -40}, {20, -90}, {-20, -90}, {-50, -40}, {-50, -10}, {-25, 20}},
    {{-50, -120}, {50, -120}, {50, -90}, {-50, -90}},
};
constexpr double kBrakeForce = 15;  // rad/s of wheel spin removed per step (not scaled by dt)
constexpr double kForceGain = 205000 * Car::kSize * Car::kSize;
constexpr double kMaxSteerTorque = 180 * 900 * Car::kSize * Car::kSize;
double sign(double v) { return v > 0 ? 1 : v < 0 ? -1 : 0; }
}  // namespace

Car::Car(b2World& world, double angle, double x, double y) : world_(world) {
  b2BodyDef hull_def;
  hull_def.type = b2_dynamicBody;
  hull_def.position.Set(float(x), float(y));
  hull_def.angle = float(angle);
  hull_ = world.CreateBody(&hull_def);
  for (const auto& poly : kHullPolys) {
    std::vector<b2Vec2> v;
    for (const auto& [px, py] : poly) v.emplace_back(float(px * kSize), float(py * kSize));
    b2PolygonShape shape;
    shape.Set(v.data(), static_cast<int32>(v.size()));
    hull_->CreateFixture(&shape, 1.0f);
  }
  for (int i = 0; i < 4; ++i) {
    const double wx = kWheelPos[i][0] * kSize, wy = kWheelPos[i][1] * kSize;
    b2BodyDef def;
    def.type = b2_dynamicBody;
    def.position.Set(float(x + wx), float(y + wy));  // not rotated, as Gymnasium places them
    def.angle = float(angle);
    Wheel& w = wheels_[i];
    w.body = world.CreateBody(&def);
    b2PolygonShape box;
    box.SetAsBox(float(kWheelW * kSize), float(kWheelR * kSize));
    b2FixtureDef fd;
    fd.shape = &box;
    fd.density = 0.1f;
    fd.restitution = 0.0f;
    fd.filter.categoryBits = 0x0020;
    fd.filter.maskBits = 0x001;
    w.body->CreateFixture(&fd);
    b2RevoluteJointDef jd;
    jd.bodyA = hull_, jd.bodyB = w.body;
    jd.localAnchorA.Set(float(wx), float(wy));
    jd.localAnchorB.Set(0, 0);
    jd.enableMotor = true, jd.enableLimit = true;
    jd.maxMotorTorque = float(kMaxSteerTorque);
    jd.motorSpeed = 0;
    jd.lowerAngle = -0.4f, jd.upperAngle = 0.4f;
    w.joint = static_cast<b2RevoluteJoint*>(world.CreateJoint(&jd));
  }
}

Car::~Car() {
  for (Wheel& w : wheels_) world_.DestroyBody(w.body);  // joints go with their bodies
  world_.DestroyBody(hull_);
}

void Car::gas(double g) {
  g = std::clamp(g, 0.0, 1.0);
  for (int i = 2; i < 4; ++i) wheels_[i].gas += std::min(g - wheels_[i].gas, 0.1);  // rises gradually
}

void Car::brake(double b) {
  for (Wheel& w : wheels_) w.brake = b;
}

void Car::steer(double s) { wheels_[0].steer = wheels_[1].steer = s; }

void Car::step(double dt) {
  for (Wheel& w : wheels_) {
    const double error = w.steer - w.joint->GetJointAngle();
    w.joint->SetMotorSpeed(float(sign(error) * std::min(50.0 * std::fabs(error), 3.0)));
    const double limit = w.tiles > 0 ? kFrictionLimit : 0.6 * kFrictionLimit;  // road friction 1.0, grass 0.6
    const b2Vec2 v = w.body->GetLinearVelocity();
    const b2Vec2 forw = w.body->GetWorldVector(b2Vec2(0, 1)), side = w.body->GetWorldVector(b2Vec2(1, 0));
    const double vf = forw.x * v.x + forw.y * v.y, vs = side.x * v.x + side.y * v.y;
    w.omega += dt * kEnginePower * w.gas / kWheelMomentOfInertia / (std::fabs(w.omega) + 5.0);
    if (w.brake >= 0.9) {
      w.omega = 0;
    } else if (w.brake > 0) {
      const double val = std::min(kBrakeForce * w.brake, std::fabs(w.omega));
      w.omega -= sign(w.omega) * val;
    }
    w.phase += w.omega * dt;
    const double vr = w.omega * kWheelR * kSize;
    double f_force = (vr - vf) * kForceGain, p_force = -vs * kForceGain;
    const double force = std::hypot(f_force, p_force);
    if (force > limit) f_force *= limit / force, p_force *= limit / force;
    w.omega -= dt * f_force * kWheelR * kSize / kWheelMomentOfInertia;
    w.body->ApplyForceToCenter(
        b2Vec2(float(p_force * side.x + f_force * forw.x), float(p_force * side.y + f_force * forw.y)), true);
  }
}

}  // namespace rlarena
