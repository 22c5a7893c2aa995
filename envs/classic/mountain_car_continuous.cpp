// MountainCarContinuous-v0: MountainCar with a continuous force in [-1, 1].
// Gymnasium 1.x classic_control/continuous_mountain_car.py: force = clip(action),
// velocity += force * 0.0015 - 0.0025 cos(3 position), clipped; reward +100 on
// reaching position >= 0.45 (velocity >= goal_velocity) minus 0.1 action^2 per step.
// As in Gymnasium, the control cost uses the action as given (unclipped), and the
// state is stored as float32 after every step (Gymnasium keeps a float32 array).
// Reset: position ~ U[-0.6, -0.4], velocity 0. Option: goal_velocity.
#include <algorithm>
#include <cmath>

#include "envs/classic/drawing.h"
#include "envs/core/registry.h"

namespace rlarena {
namespace {

class MountainCarContinuous final : public Env {
  static constexpr double kMinAction = -1.0;
  static constexpr double kMaxAction = 1.0;
  static constexpr double kMinPosition = -1.2;
  static constexpr double kMaxPosition = 0.6;
  static constexpr double kMaxSpeed = 0.07;
  static constexpr double kGoalPosition = 0.45;  // was 0.5 in gym, 0.45 in Arnaud de Broissia's version
  static constexpr double kPower = 0.0015;
  static constexpr double kGravity = 0.0025;

 public:
  MountainCarContinuous(const EnvSpec& spec, const Kwargs& kw)
      : Env(spec, Space::box({kMinPosition, -kMaxSpeed}, {kMaxPosition, kMaxSpeed}, {2}),
            Space::box(kMinAction, kMaxAction, {1})),
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
    const double a = *static_cast<const float*>(action);
    const double force = std::min(std::max(a, kMinAction), kMaxAction);
    double velocity = velocity_ + (force * kPower - kGravity * std::cos(3 * position_));
    velocity = std::clamp(velocity, -kMaxSpeed, kMaxSpeed);
    double position = position_ + velocity;
    position = std::clamp(position, kMinPosition, kMaxPosition);
    if (position == kMinPosition && velocity < 0) velocity = 0;
    const bool terminated = position >= kGoalPosition && velocity >= goal_velocity_;
    double reward = terminated ? 100.0 : 0.0;
    reward -= a * a * 0.1;
    position_ = static_cast<float>(position);
    velocity_ = static_cast<float>(velocity);
    return {reward, terminated};
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

const bool registered =
    register_env<MountainCarContinuous>({"MountainCarContinuous-v0", 999, 90.0, {}, "gymnasium.envs.classic_control.continuous_mountain_car:Continuous_MountainCarEnv"});

}  // namespace
}  // namespace rlarena
