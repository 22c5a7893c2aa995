// Acrobot-v1: swing the tip of a two-link chain above the bar by torquing the elbow.
// Gymnasium 1.x classic_control/acrobot.py: "book" dynamics (Sutton & Barto 1998),
// one RK4 step of dt = 0.2, angles wrapped to [-pi, pi], velocities bounded to
// 4 pi and 9 pi; -1 per step, 0 on the terminating one (-cos t1 - cos(t1 + t2) > 1).
// Reset: all four state variables ~ U[-0.1, 0.1].
// Options: book_or_nips ("book" or "nips"), torque_noise_max (default 0).
#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "envs/classic/drawing.h"
#include "envs/core/registry.h"

namespace rlarena {
namespace {

class Acrobot final : public Env {
  static constexpr double kDt = 0.2;
  static constexpr double kLinkLength1 = 1.0;
  static constexpr double kLinkMass1 = 1.0;
  static constexpr double kLinkMass2 = 1.0;
  static constexpr double kLinkComPos1 = 0.5;
  static constexpr double kLinkComPos2 = 0.5;
  static constexpr double kLinkMoi = 1.0;
  static constexpr double kMaxVel1 = 4 * M_PI;
  static constexpr double kMaxVel2 = 9 * M_PI;
  static constexpr double kAvailTorque[3] = {-1.0, 0.0, 1.0};
  static constexpr double kGravity = 9.8;

 public:
  Acrobot(const EnvSpec& spec, const Kwargs& kw)
      : Env(spec,
            Space::box({-1, -1, -1, -1, -kMaxVel1, -kMaxVel2}, {1, 1, 1, 1, kMaxVel1, kMaxVel2}, {6}),
            Space::discrete(3)),
        torque_noise_max_(kw.get_double("torque_noise_max", 0.0)) {
    const std::string dynamics = kw.get_string("book_or_nips", "book");
    if (dynamics != "book" && dynamics != "nips")
      throw Error(spec.id + ": book_or_nips='" + dynamics + "' is unknown; give book or nips");
    book_ = dynamics == "book";
    set_state_names({"theta1", "theta2", "dtheta1", "dtheta2"});
  }

  Array render() override { return classic_drawing::acrobot(s_[0], s_[1]); }

 private:
  void do_reset() override {
    for (double& v : s_) v = rng().uniform(-0.1, 0.1);
  }

  // Time derivative of (theta1, theta2, dtheta1, dtheta2) under torque `a`.
  void dsdt(const double* s, double a, double* out) const {
    const double m1 = kLinkMass1, m2 = kLinkMass2, l1 = kLinkLength1;
    const double lc1 = kLinkComPos1, lc2 = kLinkComPos2, I1 = kLinkMoi, I2 = kLinkMoi, g = kGravity;
    const double theta1 = s[0], theta2 = s[1], dtheta1 = s[2], dtheta2 = s[3];
    const double d1 = m1 * (lc1 * lc1) + m2 * ((l1 * l1) + (lc2 * lc2) + 2 * l1 * lc2 * std::cos(theta2)) + I1 + I2;
    const double d2 = m2 * ((lc2 * lc2) + l1 * lc2 * std::cos(theta2)) + I2;
    const double phi2 = m2 * lc2 * g * std::cos(theta1 + theta2 - M_PI / 2.0);
    const double phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * std::sin(theta2) -
                        2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * std::sin(theta2) +
                        (m1 * lc1 + m2 * l1) * g * std::cos(theta1 - M_PI / 2) + phi2;
    double ddtheta2;
    if (book_)
      ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * std::sin(theta2) - phi2) /
                 (m2 * (lc2 * lc2) + I2 - (d2 * d2) / d1);
    else
      ddtheta2 = (a + d2 / d1 * phi1 - phi2) / (m2 * (lc2 * lc2) + I2 - (d2 * d2) / d1);
    const double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
    out[0] = dtheta1;
    out[1] = dtheta2;
    out[2] = ddtheta1;
    out[3] = ddtheta2;
  }

  static double wrap(double x, double m, double M) {
    const double diff = M - m;
    while (x > M) x = x - diff;
    while (x < m) x = x + diff;
    return x;
  }

  Transition do_step(const void* action, double*) override {
    double torque = kAvailTorque[*static_cast<const int64_t*>(action)];
    if (torque_noise_max_ > 0) torque += rng().uniform(-torque_noise_max_, torque_noise_max_);
    // One classic RK4 step over [0, dt], evaluated in the same order as Gymnasium's rk4().
    const double dt = kDt, dt2 = kDt / 2;
    double k1[4], k2[4], k3[4], k4[4], y[4];
    dsdt(s_, torque, k1);
    for (int i = 0; i < 4; ++i) y[i] = s_[i] + dt2 * k1[i];
    dsdt(y, torque, k2);
    for (int i = 0; i < 4; ++i) y[i] = s_[i] + dt2 * k2[i];
    dsdt(y, torque, k3);
    for (int i = 0; i < 4; ++i) y[i] = s_[i] + dt * k3[i];
    dsdt(y, torque, k4);
    double ns[4];
    for (int i = 0; i < 4; ++i) ns[i] = s_[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    s_[0] = wrap(ns[0], -M_PI, M_PI);
    s_[1] = wrap(ns[1], -M_PI, M_PI);
    s_[2] = std::min(std::max(ns[2], -kMaxVel1), kMaxVel1);
    s_[3] = std::min(std::max(ns[3], -kMaxVel2), kMaxVel2);
    const bool terminated = -std::cos(s_[0]) - std::cos(s_[1] + s_[0]) > 1.0;
    return {terminated ? 0.0 : -1.0, terminated};
  }

  void observe(void* obs) const override {
    float* o = static_cast<float*>(obs);
    o[0] = static_cast<float>(std::cos(s_[0]));
    o[1] = static_cast<float>(std::sin(s_[0]));
    o[2] = static_cast<float>(std::cos(s_[1]));
    o[3] = static_cast<float>(std::sin(s_[1]));
    o[4] = static_cast<float>(s_[2]);
    o[5] = static_cast<float>(s_[3]);
  }
  void read_state(double* out) const override { std::copy(s_, s_ + 4, out); }
  void write_state(const double* in) override { std::copy(in, in + 4, s_); }

  double torque_noise_max_;
  bool book_ = true;
  double s_[4] = {0, 0, 0, 0};
};

const bool registered = register_env<Acrobot>({"Acrobot-v1", 500, -100.0, {}, "gymnasium.envs.classic_control.acrobot:AcrobotEnv"});

}  // namespace
}  // namespace rlarena
