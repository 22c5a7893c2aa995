// Env and VecEnv bindings: rlarena.make, rlarena.make_vec, rlarena.envs.
#pragma once
#include <pybind11/pybind11.h>

namespace rlarena::py_bind {
void bind_envs(pybind11::module_& m);
}  // namespace rlarena::py_bind
