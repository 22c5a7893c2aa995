// Pinned short trajectories of the Box2D envs at fixed seeds, so a change of
// physics, terrain or track generation shows: observation values after a fixed
// action sequence (CarRacing: the mean of each colour over the picture) and the return.
#include <catch2/catch.hpp>
#include <cmath>

#include "envs/core/registry.h"
#include "pins.h"

using namespace rlarena;

namespace {
// A fixed action for step t in any of these action spaces (discrete: its index).
std::vector<float> action_at(const Env& env, int t) {
  const Space& s = env.action_space();
  if (s.kind() == Space::Kind::Discrete) return {static_cast<float>((t / 5) % s.n())};
  std::vector<float> a(s.numel());
  for (int64_t i = 0; i < s.numel(); ++i)
    a[i] = static_cast<float>(s.low()[i] + (s.high()[i] - s.low()[i]) * (0.5 + 0.5 * std::sin(0.3 * t + i)));
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
  const std::vector<test::Pin> pins = {
#include "box2d_pins.inc"  // regenerate only for a deliberate physics or generator change
  };
  test::check_pins(pins, 11, 30, action_at, summary, 1e-5, 1e-6);
}
