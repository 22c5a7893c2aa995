// Pendulum-v1: swing a frictionless pendulum up and hold it with a bounded torque.
// Gymnasium 1.x classic_control/pendulum.py: same constants, semi-implicit Euler
// update, cost theta^2 + 0.1 thetadot^2 + 0.001 u^2 with theta normalized to
// [-pi, pi), reset theta ~ U[-pi, pi], thetadot ~ U[-1, 1]. The torque is clipped
// to [-2, 2] as Gymnasium clips it. Option: g (gravity, default 10).
#include <algorithm>
#include <cmath>

#include "envs/classic/drawing.h"
#include "envs/core/registry.h"

namespace rlarena {
namespace {

class Pendulum final : public Env {
  static constexpr double kMaxSpeed = 8.0;
  static constexpr double kMaxTorque = 2.0;
  static constexpr double kDt = 0.05;
  static constexpr double kMass = 1.0;
  static constexpr double kLength = 1.0;
  static constexpr double kResetTheta = M_PI;  // Gymnasium's DEFAULT_X
  static constexpr double kResetThetaDot = 1.0;  // DEFAULT_Y

 public:
  Pendulum(const EnvSpec& spec, const Kwargs& kw)
      : Env(spec, Space::box({-1.0, -1.0, -kMaxSpeed}, {1.0, 1.0, kMaxSpeed}, {3}),
            Space::box(-kMaxTorque, kMaxTorque, {1})),
        g_(kw.get_double("g", 10.0)) {
    set_info_keys({});
    set_state_names({"theta", "theta_dot"});
  }

  Array render() override { return classic_drawing::pendulum(th_); }

 private:
  // Python's float modulo: the result takes the divisor's sign.
  static double angle_normalize(double x) {
    double r = std::fmod(x + M_PI, 2 * M_PI);
    if (r < 0) r += 2 * M_PI;
    return r - M_PI;
  }

  void do_reset() override {
    th_ = rng().uniform(-kResetTheta, kResetTheta);
    thdot_ = rng().uniform(-kResetThetaDot, kResetThetaDot);
  }

  Transition do_step(const void* action, double*) override {
    const float a = *static_cast<const float*>(action);
    const double u = std::clamp(static_cast<double>(a), -kMaxTorque, kMaxTorque);
    const double th_norm = angle_normalize(th_);
    const double costs = th_norm * th_norm + 0.1 * (thdot_ * thdot_) + 0.001 * (u * u);
    double newthdot =
        thdot_ + (3 * g_ / (2 * kLength) * std::sin(th_) + 3.0 / (kMass * kLength * kLength) * u) * kDt;
    newthdot = std::clamp(newthdot, -kMaxSpeed, kMaxSpeed);
    th_ = th_ + newthdot * kDt;
    thdot_ = newthdot;
    return {-costs, false};
  }

  // The cost reads off the observation before the step: the angle from (cos, sin).
  bool known_reward(const float* obs, const float* action, const float*, double* reward) const override {
    const double th = std::atan2(static_cast<double>(obs[1]), static_cast<double>(obs[0]));
    const double thdot = obs[2];
    const double u = std::clamp(static_cast<double>(action[0]), -kMaxTorque, kMaxTorque);
    *reward = -(th * th + 0.1 * thdot * thdot + 0.001 * u * u);
    return true;
  }

  void observe(void* obs) const override {
    float* o = static_cast<float*>(obs);
    o[0] = static_cast<float>(std::cos(th_));
    o[1] = static_cast<float>(std::sin(th_));
    o[2] = static_cast<float>(thdot_);
  }
  void read_state(double* out) const override { out[0] = th_, out[1] = thdot_; }
  void write_state(const double* in) override { th_ = in[0], thdot_ = in[1]; }

  double g_;
  double th_ = 0, thdot_ = 0;
};

const bool registered = register_env<Pendulum>({"Pendulum-v1", 200, std::nullopt, {}, "gymnasium.envs.classic_control.pendulum:PendulumEnv"});

}  // namespace
}  // namespace rlarena
