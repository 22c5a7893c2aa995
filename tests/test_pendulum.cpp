// Pendulum-v1 against hand-computed values and a tiny reference of Gymnasium's equations.
#include <catch2/catch.hpp>
#include <cmath>

#include "common/error.h"
#include "envs/core/registry.h"

using namespace rlarena;

TEST_CASE("Pendulum first step from hanging down under full torque, worked by hand", "[pendulum]") {
  auto env = make("Pendulum-v1");
  env->reset(0);
  env->set_state({M_PI, 0.0});
  const StepResult r = env->step(std::vector<float>{2.f});
  // theta = pi normalizes to -pi: cost = pi^2 + 0.001 * 2^2; thetadot = (3 u / (m l^2)) dt = 0.3.
  CHECK(r.reward == Approx(-(M_PI * M_PI + 0.004)).epsilon(1e-15));
  const auto s = env->get_state();
  CHECK(s[1] == Approx(0.3).epsilon(1e-14));
  CHECK(s[0] == Approx(M_PI + 0.3 * 0.05).epsilon(1e-15));
  CHECK(r.obs.as<float>()[0] == static_cast<float>(std::cos(s[0])));
  CHECK(r.obs.as<float>()[1] == static_cast<float>(std::sin(s[0])));
  CHECK(r.obs.as<float>()[2] == static_cast<float>(s[1]));
}

TEST_CASE("Pendulum clips torque to [-2, 2] and speed to [-8, 8]", "[pendulum]") {
  auto a = make("Pendulum-v1"), b = make("Pendulum-v1");
  a->reset(0);
  b->reset(0);
  a->set_state({0.5, 0.0});
  b->set_state({0.5, 0.0});
  const StepResult ra = a->step(std::vector<float>{50.f});
  const StepResult rb = b->step(std::vector<float>{2.f});
  CHECK(a->get_state() == b->get_state());
  CHECK(ra.reward == rb.reward);  // the cost uses the clipped torque
  a->set_state({0.0, 7.99});
  a->step(std::vector<float>{2.f});
  CHECK(a->get_state()[1] == 8.0);
}

TEST_CASE("Pendulum follows the reference over a whole episode", "[pendulum]") {
  auto env = make("Pendulum-v1");
  env->reset(5);
  double th = 2.0, thdot = -1.5;
  env->set_state({th, thdot});
  double total = 0, ref_total = 0;
  for (int t = 0; t < 200; ++t) {
    const float u = static_cast<float>(std::sin(0.1 * t) * 2.5);  // sometimes out of bounds
    const double uc = std::max(-2.0, std::min(2.0, static_cast<double>(u)));
    double n = std::fmod(th + M_PI, 2 * M_PI);
    if (n < 0) n += 2 * M_PI;
    n -= M_PI;
    ref_total -= n * n + 0.1 * (thdot * thdot) + 0.001 * (uc * uc);
    thdot = std::max(-8.0, std::min(8.0, thdot + (3 * 10.0 / 2 * std::sin(th) + 3.0 * uc) * 0.05));
    th = th + thdot * 0.05;
    const StepResult r = env->step(std::vector<float>{u});
    total += r.reward;
    REQUIRE(env->get_state()[0] == Approx(th).epsilon(1e-13));
    REQUIRE(env->get_state()[1] == Approx(thdot).epsilon(1e-13).margin(1e-13));
    REQUIRE_FALSE(r.terminated);
    REQUIRE(r.truncated == (t == 199));
  }
  CHECK(total == Approx(ref_total).epsilon(1e-12));
}

TEST_CASE("Pendulum reset draws theta in [-pi, pi] and thetadot in [-1, 1]", "[pendulum]") {
  auto env = make("Pendulum-v1");
  double max_th = 0, max_dot = 0;
  for (uint64_t seed = 0; seed < 500; ++seed) {
    env->reset(seed);
    const auto s = env->get_state();
    max_th = std::max(max_th, std::abs(s[0]));
    max_dot = std::max(max_dot, std::abs(s[1]));
  }
  CHECK(max_th <= M_PI);
  CHECK(max_th > 3.0);
  CHECK(max_dot <= 1.0);
  CHECK(max_dot > 0.95);
}

TEST_CASE("Pendulum rejects NaN and wrongly shaped actions", "[pendulum]") {
  auto env = make("Pendulum-v1");
  env->reset(0);
  CHECK_THROWS_WITH(env->step(std::vector<float>{NAN}),
                    Catch::Contains("Pendulum-v1") && Catch::Contains("not finite"));
  CHECK_THROWS_WITH(env->step(std::vector<float>{INFINITY}), Catch::Contains("inf"));
  CHECK_THROWS_AS(env->step(std::vector<float>{1.f, 1.f}), Error);
  CHECK_THROWS_AS(env->step(int64_t{1}), Error);
}
