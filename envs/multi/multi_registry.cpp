#include "envs/multi/multi_registry.h"

namespace rlarena {

template <>
MultiRegistry& MultiRegistry::global() {
  static MultiRegistry registry("multi-agent env", "rlarena envs");
  return registry;
}

}  // namespace rlarena
