// The registry of multi-agent env ids, as PettingZoo's modules and OpenSpiel's
// load_game. A multi-agent env registers in one line in its own .cpp:
//   const bool registered = register_multi_env<ConnectFour>({"ConnectFour-v0"});
#pragma once
#include <memory>
#include <string>

#include "envs/core/registry_of.h"
#include "envs/multi/multi_env.h"

namespace rlarena {

using MultiRegistry = RegistryOf<MultiAgentEnv>;
template <>
MultiRegistry& MultiRegistry::global();

template <typename EnvT>
bool register_multi_env(EnvSpec spec) {
  MultiRegistry::global().add(std::move(spec), [](const EnvSpec& s, const Kwargs& k) {
    return std::unique_ptr<MultiAgentEnv>(new EnvT(s, k));
  });
  return true;
}

inline std::unique_ptr<MultiAgentEnv> make_multi(const std::string& id, const Kwargs& kwargs = {}) {
  return MultiRegistry::global().make(id, kwargs);
}

}  // namespace rlarena
