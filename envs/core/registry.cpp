#include "envs/core/registry.h"

namespace rlarena {

template <>
Registry& Registry::global() {
  static Registry registry("env", "rlarena envs");
  return registry;
}

}  // namespace rlarena
