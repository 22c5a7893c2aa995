// Multi-agent env bindings: rlarena.make_parallel (PettingZoo's parallel API), rlarena.parallel_envs.
#pragma once
#include <pybind11/pybind11.h>

namespace rlarena::py_bind {
void bind_parallel(pybind11::module_& m);
}  // namespace rlarena::py_bind
