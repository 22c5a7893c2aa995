// Box2dRaw: bare b2World::Step on an env's own world, for `rlarena bench
// --raw-physics`. It holds a second instance of the env (same options) and steps
// only its world, with random motor commands where the env has motors (as the
// MuJoCo baseline sets random controls): no observation, reward or lidar.
#pragma once
#include <memory>
#include <string>

#include "common/rng.h"

#include "envs/core/env.h"

namespace rlarena {

template <typename EnvT>
class Box2dRaw final : public RawPhysics {
 public:
  explicit Box2dRaw(std::unique_ptr<EnvT> env) : env_(std::move(env)) {}
  void reset() override { env_->reset(seed_++); }
  void step(bool new_controls) override {
    if (new_controls) env_->random_controls(rng_);
    env_->step_world();
  }
  int steps_per_env_step() const override { return 1; }
  std::string engine() const override { return "b2World::Step"; }

 private:
  std::unique_ptr<EnvT> env_;
  uint64_t seed_ = 0;
  Rng rng_{0};
};

}  // namespace rlarena
