// CartPole-v1: a pole hinged on a cart; push left (0) or right (1) to keep it up.
// Gymnasium 1.x classic_control/cartpole.py: same constants, Euler integrator,
// thresholds, reward (+1 per step, also on the terminating one) and reset
// (each state variable uniform in [-0.05, 0.05]). Options: sutton_barto_reward,
// kinematics_integrator ("euler" or "semi-implicit euler").
#include <cmath>

#include "common/error.h"
#include "envs/classic/drawing.h"
#include "envs/core/registry.h"

namespace rlarena {
namespace {

class CartPole final : public Env {
  // Constants of Gymnasium's CartPoleEnv (Barto, Sutton & Anderson 1983).
  static constexpr double kGravity = 9.8;
  static constexpr double kMassCart = 1.0;
  static constexpr double kMassPole = 0.1;
  static constexpr double kTotalMass = kMassPole + kMassCart;
  static constexpr double kLength = 0.5;  // half the pole's length
  static constexpr double kPoleMassLength = kMassPole * kLength;
  static constexpr double kForceMag = 10.0;
  static constexpr double kTau = 0.02;  // seconds between state updates
  static constexpr double kThetaThreshold = 12 * 2 * M_PI / 360;
  static constexpr double kXThreshold = 2.4;
  static constexpr double kResetBound = 0.05;

 public:
  CartPole(const EnvSpec& spec, const Kwargs& kw)
      : Env(spec,
            Space::box({-kXThreshold * 2, -INFINITY, -kThetaThreshold * 2, -INFINITY},
                       {kXThreshold * 2, INFINITY, kThetaThreshold * 2, INFINITY}, {4}),
            Space::discrete(2)),
        sutton_barto_(kw.get_bool("sutton_barto_reward", false)) {
    const std::string integrator = kw.get_string("kinematics_integrator", "euler");
    if (integrator != "euler" && integrator != "semi-implicit euler")
      throw Error(spec.id + ": kinematics_integrator='" + integrator +
                  "' is unknown; give euler or 'semi-implicit euler'");
    euler_ = integrator == "euler";
    set_state_names({"x", "x_dot", "theta", "theta_dot"});
  }

  Array render() override { return classic_drawing::cartpole(s_[0], s_[2], kXThreshold, kLength); }

 private:
  void do_reset() override {
    for (double& v : s_) v = rng().uniform(-kResetBound, kResetBound);
    steps_beyond_terminated_ = -1;
  }

  Transition do_step(const void* action, double*) override {
    double& x = s_[0];
    double& x_dot = s_[1];
    double& theta = s_[2];
    double& theta_dot = s_[3];
    const double force = *static_cast<const int64_t*>(action) == 1 ? kForceMag : -kForceMag;
    const double costheta = std::cos(theta);
    const double sintheta = std::sin(theta);
    const double temp = (force + kPoleMassLength * (theta_dot * theta_dot) * sintheta) / kTotalMass;
    const double thetaacc =
        (kGravity * sintheta - costheta * temp) /
        (kLength * (4.0 / 3.0 - kMassPole * (costheta * costheta) / kTotalMass));
    const double xacc = temp - kPoleMassLength * thetaacc * costheta / kTotalMass;
    if (euler_) {
      x = x + kTau * x_dot;
      x_dot = x_dot + kTau * xacc;
      theta = theta + kTau * theta_dot;
      theta_dot = theta_dot + kTau * thetaacc;
    } else {
      x_dot = x_dot + kTau * xacc;
      x = x + kTau * x_dot;
      theta_dot = theta_dot + kTau * thetaacc;
      theta = theta + kTau * theta_dot;
    }
    const bool terminated =
        x < -kXThreshold || x > kXThreshold || theta < -kThetaThreshold || theta > kThetaThreshold;
    double reward;
    if (!terminated) {
      reward = sutton_barto_ ? 0.0 : 1.0;
    } else if (steps_beyond_terminated_ < 0) {
      steps_beyond_terminated_ = 0;
      reward = sutton_barto_ ? -1.0 : 1.0;
    } else {  // stepping past the end: Gymnasium warns and pays nothing
      ++steps_beyond_terminated_;
      reward = sutton_barto_ ? -1.0 : 0.0;
    }
    return {reward, terminated};
  }

  void observe(void* obs) const override {
    float* o = static_cast<float*>(obs);
    for (int i = 0; i < 4; ++i) o[i] = static_cast<float>(s_[i]);
  }
  void read_state(double* out) const override { std::copy(s_, s_ + 4, out); }
  void write_state(const double* in) override { std::copy(in, in + 4, s_); }

  bool sutton_barto_;
  bool euler_ = true;
  double s_[4] = {0, 0, 0, 0};
  int steps_beyond_terminated_ = -1;
};

const bool registered = register_env<CartPole>({"CartPole-v1", 500, 475.0, {}, "gymnasium.envs.classic_control.cartpole:CartPoleEnv"});

}  // namespace
}  // namespace rlarena
