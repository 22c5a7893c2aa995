// Car: CarRacing's top-down car on Box2D (Gymnasium box2d/car_dynamics.py): a hull
// of four polygons, four wheels on revolute joints (front ones steered by their
// motors), rear-wheel drive, and a per-wheel tyre model that pushes each wheel with
// a force capped by the friction limit of the ground under it (road or grass).
#pragma once
#include <box2d/box2d.h>

namespace rlarena {

class Car {
 public:
  static constexpr double kSize = 0.02;
  static constexpr double kEnginePower = 1e8 * kSize * kSize;
  static constexpr double kWheelMomentOfInertia = 4000 * kSize * kSize;
  static constexpr double kFrictionLimit = 1e6 * kSize * kSize;
  static constexpr double kWheelR = 27, kWheelW = 14;
  static constexpr double kWheelPos[4][2] = {{-55, 80}, {55, 80}, {-55, -82}, {55, -82}};

  struct Wheel {
    b2Body* body = nullptr;
    b2RevoluteJoint* joint = nullptr;
    double gas = 0, brake = 0, steer = 0, phase = 0, omega = 0;
    int tiles = 0;  // road tiles under the wheel (0: grass)
  };

  Car(b2World& world, double angle, double x, double y);
  ~Car();
  Car(const Car&) = delete;
  Car& operator=(const Car&) = delete;

  void gas(double g);
  void brake(double b);
  void steer(double s);
  // Engine, brakes, steering motors and tyre forces for one step of dt seconds.
  void step(double dt);

  b2Body* hull() const { return hull_; }
  Wheel& wheel(int i) { return wheels_[i]; }
  const Wheel& wheel(int i) const { return wheels_[i]; }

 private:
  b2World& world_;
  b2Body* hull_ = nullptr;
  Wheel wheels_[4];
};

}  // namespace rlarena
