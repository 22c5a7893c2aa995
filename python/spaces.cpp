#include "python/spaces.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <random>

#include "common/error.h"
#include "python/convert.h"

namespace rlarena::py_bind {

PySpace::PySpace(Space s) : space(std::move(s)), rng(std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32)) {}

Space batched(const Space& single, int64_t rows) {
  std::vector<int64_t> shape = single.shape();
  shape.insert(shape.begin(), rows);
  switch (single.kind()) {
    case Space::Kind::Box: {
      std::vector<double> low, high;
      for (int64_t r = 0; r < rows; ++r) {
        low.insert(low.end(), single.low().begin(), single.low().end());
        high.insert(high.end(), single.high().begin(), single.high().end());
      }
      return Space::box(low, high, shape, single.dtype());
    }
    case Space::Kind::Discrete:
      if (single.start() != 0) break;
      return Space::multi_discrete(std::vector<int64_t>(rows, single.n()));
    case Space::Kind::MultiDiscrete: {
      std::vector<int64_t> nvec;
      for (int64_t r = 0; r < rows; ++r) nvec.insert(nvec.end(), single.nvec().begin(), single.nvec().end());
      return Space::multi_discrete(nvec);
    }
    default: break;
  }
  throw Error("no batched form of " + single.repr() + " yet");
}

namespace {

namespace py = pybind11;

py::tuple shape_tuple(const Space& s) {
  py::tuple t(s.shape().size());
  for (size_t i = 0; i < s.shape().size(); ++i) t[i] = s.shape()[i];
  return t;
}

py::array bounds(const Space& s, const std::vector<double>& values) {
  Array a;
  a.dtype = DType::Float32;
  a.shape = s.shape();
  a.bytes.resize(values.size() * sizeof(float));
  for (size_t i = 0; i < values.size(); ++i) a.as<float>()[i] = static_cast<float>(values[i]);
  py::array out = to_numpy(a);
  return out.attr("astype")(numpy_dtype(s.dtype()));
}

py::object sample(PySpace& self) {
  Array a = Array::zeros(self.space);
  self.space.sample(self.rng, a.data());
  if (self.space.kind() == Space::Kind::Discrete)
    return py::module_::import("numpy").attr("int64")(a.as<int64_t>()[0]);
  return to_numpy(a);
}

bool contains(const PySpace& self, py::handle x) {
  const Space& s = self.space;
  py::array a = py::array::ensure(x);
  if (!a) return false;
  const char kind = a.dtype().kind();
  const bool integral = s.dtype() != DType::Float32;
  if (kind != 'i' && kind != 'u' && kind != 'b' && kind != 'f') return false;
  if (integral && kind == 'f') return false;
  const std::vector<int64_t> shape(a.shape(), a.shape() + a.ndim());
  if (shape != s.shape() && !(s.kind() == Space::Kind::Discrete && a.size() == 1)) return false;
  try {
    return s.contains(action_bytes(s, x, 0).data());
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

void bind_spaces(py::module_& m) {
  py::class_<PySpace>(m, "Space", "An observation or action space with Gymnasium's Python attributes.")
      .def_property_readonly("shape", [](const PySpace& s) { return shape_tuple(s.space); })
      .def_property_readonly("dtype", [](const PySpace& s) { return numpy_dtype(s.space.dtype()); })
      .def_property_readonly("kind", [](const PySpace& s) {
        const std::string r = s.space.repr();
        return r.substr(0, r.find('('));
      }, "Box, Discrete, MultiDiscrete or MultiBinary")
      .def_property_readonly("low", [](const PySpace& s) -> py::object {
        if (s.space.kind() != Space::Kind::Box) throw py::attribute_error(s.space.repr() + " has no low; only Box spaces do");
        return bounds(s.space, s.space.low());
      })
      .def_property_readonly("high", [](const PySpace& s) -> py::object {
        if (s.space.kind() != Space::Kind::Box) throw py::attribute_error(s.space.repr() + " has no high; only Box spaces do");
        return bounds(s.space, s.space.high());
      })
      .def_property_readonly("n", [](const PySpace& s) -> py::object {
        if (s.space.kind() == Space::Kind::MultiBinary) return py::int_(s.space.numel());
        if (s.space.kind() != Space::Kind::Discrete)
          throw py::attribute_error(s.space.repr() + " has no n; only Discrete spaces do");
        return py::module_::import("numpy").attr("int64")(s.space.n());
      })
      .def_property_readonly("start", [](const PySpace& s) {
        if (s.space.kind() != Space::Kind::Discrete)
          throw py::attribute_error(s.space.repr() + " has no start; only Discrete spaces do");
        return s.space.start();
      })
      .def_property_readonly("nvec", [](const PySpace& s) {
        if (s.space.kind() != Space::Kind::MultiDiscrete)
          throw py::attribute_error(s.space.repr() + " has no nvec; only MultiDiscrete spaces do");
        return py::array_t<int64_t>(static_cast<py::ssize_t>(s.space.nvec().size()), s.space.nvec().data());
      })
      .def("sample", &sample, "A uniformly drawn element, from this space's own generator.")
      .def("seed", [](PySpace& s, uint64_t seed) { s.rng.seed(seed); }, py::arg("seed"),
           "Seeds sample()'s generator.")
      .def("contains", &contains, py::arg("x"))
      .def("__contains__", &contains)
      .def("__eq__", [](const PySpace& a, const py::object& b) {
        return py::isinstance<PySpace>(b) && a.space == b.cast<const PySpace&>().space;
      })
      .def("__repr__", [](const PySpace& s) { return s.space.repr(); });
}

}  // namespace rlarena::py_bind
