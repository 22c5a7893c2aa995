// Registry: single-agent env ids -> constructors, as Gymnasium's gym.make. An env
// registers in one line in its own .cpp:
//   static const bool registered = register_env<CartPole>({"CartPole-v1", 500, 475.0});
#pragma once
#include <memory>
#include <string>

#include "envs/core/env.h"
#include "envs/core/registry_of.h"

namespace rlarena {

using Registry = RegistryOf<Env>;
using EnvFactory = Registry::Factory;
template <>
Registry& Registry::global();

template <typename EnvT>
bool register_env(EnvSpec spec) {
  Registry::global().add(std::move(spec), [](const EnvSpec& s, const Kwargs& k) {
    return std::unique_ptr<Env>(new EnvT(s, k));
  });
  return true;
}

// gym.make: `id` with its default options overridden by `kwargs`. The options every
// env takes (action_repeat, resize, grayscale, frame_stack: envs/core/preprocessing.h)
// wrap it; max_episode_steps overrides the time limit.
std::unique_ptr<Env> make(const std::string& id, const Kwargs& kwargs = {});

}  // namespace rlarena
