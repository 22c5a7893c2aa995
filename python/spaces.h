// Spaces as Gymnasium's Python spaces: shape, dtype, low/high or n, sample(), contains().
#pragma once
#include <pybind11/pybind11.h>

#include "common/rng.h"
#include "envs/core/space.h"

namespace rlarena::py_bind {

struct PySpace {
  explicit PySpace(Space s);
  Space space;
  Rng rng;  // sample()'s generator: seeded from the OS until seed() is called, as Gymnasium's
};

// The space of `rows` stacked values of `single` (a vector env's batched space).
Space batched(const Space& single, int64_t rows);

void bind_spaces(pybind11::module_& m);

}  // namespace rlarena::py_bind
