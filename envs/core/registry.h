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

inline std::unique_ptr<Env> make(const std::string& id, const Kwargs& kwargs = {}) {
  return Registry::global().make(id, kwargs);
}

}  // namespace rlarena
