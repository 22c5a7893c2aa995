// Acrobot-v1 against a tiny reference of Gymnasium's "book" dynamics and rk4().
#include <catch2/catch.hpp>
#include <array>
#include <cmath>

#include "envs/core/registry.h"

using namespace rlarena;
using V = std::array<double, 4>;

namespace {
V derivs(const V& s, double a) {
  const double m1 = 1, m2 = 1, l1 = 1, lc1 = 0.5, lc2 = 0.5, I1 = 1, I2 = 1, g = 9.8;
  const double d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * std::cos(s[1])) + I1 + I2;
  const double d2 = m2 * (lc2 * lc2 + l1 * lc2 * std::cos(s[1])) + I2;
  const double phi2 = m2 * lc2 * g * std::cos(s[0] + s[1] - M_PI / 2.0);
  const double phi1 = -m2 * l1 * lc2 * s[3] * s[3] * std::sin(s[1]) -
                      2 * m2 * l1 * lc2 * s[3] * s[2] * std::sin(s[1]) +
                      (m1 * lc1 + m2 * l1) * g * std::cos(s[0] - M_PI / 2) + phi2;
  const double dd2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * s[2] * s[2] * std::sin(s[1]) - phi2) /
                     (m2 * lc2 * lc2 + I2 - d2 * d2 / d1);
  const double dd1 = -(d2 * dd2 + phi1) / d1;
  return {s[2], s[3], dd1, dd2};
}

V axpy(const V& y, double h, const V& k) {
  return {y[0] + h * k[0], y[1] + h * k[1], y[2] + h * k[2], y[3] + h * k[3]};
}

V reference_acrobot_step(const V& s, int action) {
  const double a = action - 1.0, dt = 0.2;
  const V k1 = derivs(s, a), k2 = derivs(axpy(s, dt / 2, k1), a);
  const V k3 = derivs(axpy(s, dt / 2, k2), a), k4 = derivs(axpy(s, dt, k3), a);
  V n;
  for (int i = 0; i < 4; ++i) n[i] = s[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  for (int i = 0; i < 2; ++i) {
    while (n[i] > M_PI) n[i] -= 2 * M_PI;
    while (n[i] < -M_PI) n[i] += 2 * M_PI;
  }
  n[2] = std::max(-4 * M_PI, std::min(4 * M_PI, n[2]));
  n[3] = std::max(-9 * M_PI, std::min(9 * M_PI, n[3]));
  return n;
}
}  // namespace

TEST_CASE("Acrobot at rest hanging down stays at rest with no torque", "[acrobot]") {
  auto env = make("Acrobot-v1");
  env->reset(0);
  env->set_state({0, 0, 0, 0});
  const StepResult r = env->step(int64_t{1});
  for (double v : env->get_state()) CHECK(std::abs(v) < 1e-15);
  CHECK(r.reward == -1.0);
  const float* o = r.obs.as<float>();
  CHECK(o[0] == 1.f);
  CHECK(std::abs(o[1]) < 1e-12f);
  CHECK(o[2] == 1.f);
}

TEST_CASE("Acrobot follows the RK4 reference and swings up under a pumping policy", "[acrobot]") {
  auto env = make("Acrobot-v1");
  env->reset(0);
  V ref = {0.05, -0.03, 0.02, 0.01};
  env->set_state({ref[0], ref[1], ref[2], ref[3]});
  int t = 0;
  bool done = false;
  for (; t < 500 && !done; ++t) {
    const int a = ref[3] > 0 ? 2 : 0;  // torque along the elbow's velocity pumps energy
    ref = reference_acrobot_step(ref, a);
    const StepResult r = env->step(int64_t{a});
    const auto s = env->get_state();
    for (int k = 0; k < 4; ++k) REQUIRE(s[k] == Approx(ref[k]).epsilon(1e-9).margin(1e-9));
    const bool up = -std::cos(s[0]) - std::cos(s[1] + s[0]) > 1.0;
    REQUIRE(r.terminated == up);
    REQUIRE(r.reward == (up ? 0.0 : -1.0));
    REQUIRE(r.obs.as<float>()[4] == static_cast<float>(s[2]));
    done = r.terminated;
  }
  CHECK(done);
  CHECK(t < 500);
}

TEST_CASE("Acrobot bounds velocities and resets in U[-0.1, 0.1]^4", "[acrobot]") {
  auto env = make("Acrobot-v1");
  env->reset(1);
  env->set_state({0, 0, 100, -100});
  env->step(int64_t{1});
  auto s = env->get_state();
  CHECK(std::abs(s[2]) <= 4 * M_PI);
  CHECK(std::abs(s[3]) <= 9 * M_PI);
  CHECK(std::abs(s[0]) <= M_PI);
  double m = 0;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    env->reset(seed);
    for (double v : env->get_state()) m = std::max(m, std::abs(v));
  }
  CHECK(m <= 0.1);
  CHECK(m > 0.099);
}
