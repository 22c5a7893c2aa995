// Pinned trajectories: an env's observation summary and return after a fixed action
// sequence from a fixed seed, compared with values recorded in a .inc table, so a
// change of physics, model or generator shows.
#pragma once
#include <catch2/catch.hpp>

#include <functional>
#include <vector>

#include "envs/core/registry.h"

namespace rlarena::test {

struct Pin {
  const char* id;
  double obs[3];
  double ret;
};

// Runs `steps` actions from reset(seed) (or until the episode ends) and checks each pin.
inline void check_pins(const std::vector<Pin>& pins, uint64_t seed, int steps,
                       const std::function<std::vector<float>(const Env&, int)>& action_at,
                       const std::function<std::vector<double>(const Array&)>& summary, double obs_tolerance,
                       double return_tolerance) {
  for (const Pin& pin : pins) {
    INFO(pin.id);
    auto env = make(pin.id);
    env->reset(seed);
    StepResult r;
    double ret = 0;
    for (int t = 0; t < steps && !(r.terminated || r.truncated); ++t) {
      const std::vector<float> a = action_at(*env, t);
      r = env->action_space().kind() == Space::Kind::Discrete ? env->step(static_cast<int64_t>(a[0])) : env->step(a);
      ret += r.reward;
    }
    const std::vector<double> s = summary(r.obs);
    for (int k = 0; k < 3; ++k) CHECK(s[k] == Approx(pin.obs[k]).epsilon(obs_tolerance).margin(obs_tolerance));
    CHECK(ret == Approx(pin.ret).epsilon(return_tolerance).margin(return_tolerance));
  }
}

}  // namespace rlarena::test
