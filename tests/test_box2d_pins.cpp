// Pinned short trajectories of the Box2D envs at fixed seeds, so a change of
// physics, terrain or track generation shows: observation values after a fixed
// action sequence (CarRacing: the mean of each colour over the picture) and the return.
#include <catch2/catch.hpp>
#include <cmath>

#include "envs/core/registry.h"

using namespace rlarena;

namespace {
// A fixed action for step t in any of these action spaces.
Array action_at(const Env& env, int t) {
  Array a = Array::zeros(env.action_space());
  const Space& s = env.action_space();
  if (s.kind() == Space::Kind::Discrete) {
    a.as<int64_t>()[0] = (t / 5) % s.n();
  } else {
    for (int64_t i = 0; i < s.numel(); ++i)
      a.as<float>()[i] = static_cast<float>(s.low()[i] + (s.high()[i] - s.low()[i]) * (0.5 + 0.5 * std::sin(0.3 * t + i)));
  }
  return a;
}

std::vector<double> summary(const Array& obs) {
  if (obs.dtype != DType::UInt8) return {obs.at(0), obs.at(1), obs.at(2)};
  double sum[3] = {0, 0, 0};
  for (int64_t i = 0; i < obs.numel(); ++i) sum[i % 3] += obs.at(i);
  const double n = obs.numel() / 3.0;
  return {sum[0] / n, sum[1] / n, sum[2] / n};
}
}  // namespace

TEST_CASE("Box2D pinned trajectories", "[box2d][pins]") {
  struct Pin {
    const char* id;
    double obs[3];
    double ret;
  };
  const Pin pins[] = {
#include "box2d_pins.inc"  // regenerate only for a deliberate physics or generator change
  };
  for (const auto& pin : pins) {
    INFO(pin.id);
    auto env = make(pin.id);
    env->reset(11);
    StepResult r;
    double ret = 0;
    for (int t = 0; t < 30 && !(r.terminated || r.truncated); ++t) {
      r = env->step(action_at(*env, t));
      ret += r.reward;
    }
    const auto s = summary(r.obs);
    for (int k = 0; k < 3; ++k) CHECK(s[k] == Approx(pin.obs[k]).epsilon(1e-5).margin(1e-5));
    CHECK(ret == Approx(pin.ret).epsilon(1e-6).margin(1e-6));
  }
}
