// MountainCar-v0: drive an underpowered car up the right hill by rocking it.
// Gymnasium 1.x classic_control/mountain_car.py: actions push left (0), none (1),
// right (2); velocity and position are clipped, the car stops at the left wall;
// -1 per step; terminates at position >= 0.5 with velocity >= goal_velocity.
// Reset: position ~ U[-0.6, -0.4], velocity 0. Option: goal_velocity.
#include <algorithm>
#include <cmath>

#include "envs/classic/drawing.h"
#include "envs/core/registry.h"

namespace rlarena {
namespace {

class MountainCar final : public Env {
  static constexpr double kMinPosition = -1.2;
  static constexpr double kMaxPosition = 0.6;
  static constexpr double kMaxSpeed = 0.07;
  static constexpr double kGoalPosition = 0.5;
  static constexpr double kForce = 0.001;
  static constexpr double kGravity = 0.0025;

 public:
  MountainCar(const EnvSpec& spec, const Kwargs& kw)
      : Env(spec, Space::box({kMinPosition, -kMaxSpeed}, {kMaxPosition, kMaxSpeed}, {2}),
            Space::discrete(3)),
        goal_velocity_(kw.get_double("goal_velocity", 0.0)) {
    set_state_names({"position", "velocity"});
  }

  Array render() override { return classic_drawing::mountain_car(position_, kGoalPosition); }

 private:
  void do_reset() override {
    position_ = rng().uniform(-0.6, -0.4);
    velocity_ = 0.0;
  }

  Transition do_step(const void* action, double*) override {
    const int64_t a = *static_cast<const int64_t*>(action);
    velocity_ += static_cast<double>(a - 1) * kForce + std::cos(3 * position_) * (-kGravity);
    velocity_ = std::clamp(velocity_, -kMaxSpeed, kMaxSpeed);
    position_ += velocity_;
    position_ = std::clamp(position_, kMinPosition, kMaxPosition);
    if (position_ == kMinPosition && velocity_ < 0) velocity_ = 0;
    const bool terminated = position_ >= kGoalPosition && velocity_ >= goal_velocity_;
    return {-1.0, terminated};
  }

  void observe(void* obs) const override {
    float* o = static_cast<float*>(obs);
    o[0] = static_cast<float>(position_);
    o[1] = static_cast<float>(velocity_);
  }
  void read_state(double* out) const override { out[0] = position_, out[1] = velocity_; }
  void write_state(const double* in) override { position_ = in[0], velocity_ = in[1]; }

  double goal_velocity_;
  double position_ = 0, velocity_ = 0;
};

const bool registered = register_env<MountainCar>({"MountainCar-v0", 200, -110.0, {}, "gymnasium.envs.classic_control.mountain_car:MountainCarEnv"});

}  // namespace
}  // namespace rlarena
