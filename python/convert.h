// Conversions between Python values and rlarena's: NumPy dtypes, env options
// (gym.make's keyword arguments) and actions.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "envs/core/array.h"
#include "envs/core/kwargs.h"
#include "envs/core/space.h"

namespace rlarena::py_bind {

namespace py = pybind11;

py::dtype numpy_dtype(DType dtype);

// A copy of `a` as a NumPy array.
py::array to_numpy(const Array& a);

// A read-only NumPy view of memory that `owner` keeps alive (a capsule or an array).
py::array view(DType dtype, std::vector<py::ssize_t> shape, const void* data, py::handle owner,
               std::vector<py::ssize_t> strides = {});

// Keyword arguments as env options: True/False, numbers, strings, and (low, high)
// tuples as Gymnasium's range options take them.
Kwargs to_kwargs(const py::dict& kwargs);

// `rows` actions (rows = 0: one action, shaped as the space) as the space's flat bytes.
// Refuses values of the wrong kind (a float for a Discrete action) or shape, naming both.
std::vector<uint8_t> action_bytes(const Space& space, py::handle action, int64_t rows);

// gym.make's render_mode: removed from `kwargs`; only rgb_array (or None) is accepted.
void take_render_mode(py::dict& kwargs);
// A reset seed: None, or a whole number from 0 to 2**64-1.
std::optional<uint64_t> seed_of(const py::object& seed);
// reset()'s options: None or {} (envs take their options at make).
void no_options(const py::object& options);

}  // namespace rlarena::py_bind
