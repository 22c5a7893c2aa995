// The `rlarena` Python module: envs with Gymnasium's API, multi-agent envs with
// PettingZoo's parallel API, vector envs whose arrays are views of C++ buffers, and
// datasets as NumPy arrays. A user's mistake raises ValueError (KeyError for an
// unknown env or dataset id) with the C++ message.
#include <pybind11/pybind11.h>

#include "common/error.h"
#include "common/version.h"
#include "python/datasets.h"
#include "python/envs.h"
#include "python/parallel.h"
#include "python/spaces.h"

namespace py = pybind11;

PYBIND11_MODULE(rlarena, m) {
  m.doc() = "rlarena: fast C++ environments, vector envs and offline datasets";
  m.attr("__version__") = rlarena::kVersion;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const rlarena::NotFound& e) {
      PyErr_SetString(PyExc_KeyError, e.what());
    } catch (const rlarena::Error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
  rlarena::py_bind::bind_spaces(m);
  rlarena::py_bind::bind_envs(m);
  rlarena::py_bind::bind_parallel(m);
  rlarena::py_bind::bind_datasets(m);
}
