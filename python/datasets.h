// Dataset bindings: rlarena.load_dataset (d4rl.qlearning_dataset's dict) and
// rlarena.Dataset (Minari-style episodes), from a path or a Minari id.
#pragma once
#include <pybind11/pybind11.h>

namespace rlarena::py_bind {
void bind_datasets(pybind11::module_& m);
}  // namespace rlarena::py_bind
