#include "python/convert.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "common/error.h"

namespace rlarena::py_bind {

py::dtype numpy_dtype(DType dtype) {
  switch (dtype) {
    case DType::Float32: return py::dtype::of<float>();
    case DType::UInt8: return py::dtype::of<uint8_t>();
    case DType::Int8: return py::dtype::of<int8_t>();
    case DType::Int64: return py::dtype::of<int64_t>();
  }
  throw Error("unknown dtype");
}

py::array to_numpy(const Array& a) {
  std::vector<py::ssize_t> shape(a.shape.begin(), a.shape.end());
  return py::array(numpy_dtype(a.dtype), shape, a.data());  // no owner: NumPy copies
}

py::array view(DType dtype, std::vector<py::ssize_t> shape, const void* data, py::handle owner,
               std::vector<py::ssize_t> strides) {
  py::array a = strides.empty() ? py::array(numpy_dtype(dtype), shape, data, owner)
                                : py::array(numpy_dtype(dtype), shape, strides, data, owner);
  // Our buffers are the next step's input too: writing into them would corrupt it.
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

namespace {

std::string option_text(const std::string& key, py::handle v) {
  if (py::isinstance<py::bool_>(v)) return v.cast<bool>() ? "true" : "false";
  // Python's own text of a number: whole numbers of any size, floats in their shortest form.
  if (py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v)) return py::repr(v).cast<std::string>();
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  if (py::isinstance<py::tuple>(v) || py::isinstance<py::list>(v)) {
    std::string out;
    for (py::handle item : v) out += (out.empty() ? "" : ",") + option_text(key, item);
    return out;
  }
  // NumPy scalars (np.float32(0.5), np.int64(3)) behave as numbers.
  if (py::hasattr(v, "item") && py::isinstance(v, py::module_::import("numpy").attr("generic")))
    return option_text(key, v.attr("item")());
  throw Error("env option " + key + "=" + py::repr(v).cast<std::string>() +
              " has a type rlarena does not take; give a bool, number, string or (low, high) tuple");
}

}  // namespace

Kwargs to_kwargs(const py::dict& kwargs) {
  Kwargs out;
  for (auto [k, v] : kwargs) {
    const std::string key = py::str(k);
    out.set(key, option_text(key, v));
  }
  return out;
}

namespace {

template <typename T>
void copy_as(const py::array& a, uint8_t* out) {
  auto cast = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(a);
  std::memcpy(out, cast.data(), cast.size() * sizeof(T));
}

std::string shape_text(const py::array& a) {
  std::vector<int64_t> shape(a.shape(), a.shape() + a.ndim());
  return shape_repr(shape);
}

}  // namespace

std::vector<uint8_t> action_bytes(const Space& space, py::handle action, int64_t rows) {
  if (space.is_composite()) throw Error("composite action spaces are not taken from Python yet");
  py::array a = py::array::ensure(action);
  if (!a) throw Error("action " + py::repr(action).cast<std::string>() + " is not a number or array");
  const char kind = a.dtype().kind();
  const bool integral = space.dtype() != DType::Float32;
  if (kind != 'i' && kind != 'u' && kind != 'b' && !(kind == 'f' && !integral))
    throw Error("action of dtype " + py::str(a.dtype()).cast<std::string>() + " does not fit " + space.repr() +
                (integral ? "; give whole numbers" : "; give numbers"));
  std::vector<int64_t> want = space.shape();
  if (rows > 0) want.insert(want.begin(), rows);
  const int64_t numel = space.numel() * std::max<int64_t>(rows, 1);
  // One action of a one-element space may come as a scalar; batches must have their shape.
  const bool shape_ok = std::vector<int64_t>(a.shape(), a.shape() + a.ndim()) == want ||
                        (rows == 0 && a.size() == numel && a.ndim() <= 1);
  if (!shape_ok)
    throw Error((rows > 0 ? "actions of shape " + shape_text(a) + " do not fit " + std::to_string(rows) +
                                " envs of " + space.repr()
                          : "action of shape " + shape_text(a) + " does not fit " + space.repr()) +
                "; give shape " + shape_repr(want));
  // Values the cast would wrap (300 into uint8, 2**64-1 into int64) are refused, not wrapped.
  // Only inputs whose dtype can hold such values are scanned: the usual int64 actions
  // for Discrete spaces (and uint8 for uint8) go on without a pass over the values.
  const size_t in_size = a.dtype().itemsize(), out_size = dtype_size(space.dtype());
  const bool out_signed = space.dtype() != DType::UInt8;
  const bool cast_fits = kind == 'b' || (kind == 'i' && out_signed && in_size <= out_size) ||
                         (kind == 'u' && (out_signed ? in_size < out_size : in_size <= out_size));
  if (integral && !cast_fits && a.size() > 0) {
    const py::object np = py::module_::import("numpy");
    const double lo = np.attr("min")(a).cast<double>(), hi = np.attr("max")(a).cast<double>();
    const double tmin = space.dtype() == DType::UInt8 ? 0 : space.dtype() == DType::Int8 ? -128 : -9.2e18;
    const double tmax = space.dtype() == DType::UInt8 ? 255 : space.dtype() == DType::Int8 ? 127 : 9.2e18;
    if (lo < tmin || hi > tmax)
      throw Error("action values from " + py::str(np.attr("min")(a)).cast<std::string>() + " to " +
                  py::str(np.attr("max")(a)).cast<std::string>() + " do not fit " + space.repr());
  }
  std::vector<uint8_t> out(space.byte_size() * std::max<int64_t>(rows, 1));
  switch (space.dtype()) {
    case DType::Float32: copy_as<float>(a, out.data()); break;
    case DType::UInt8: copy_as<uint8_t>(a, out.data()); break;
    case DType::Int8: copy_as<int8_t>(a, out.data()); break;
    case DType::Int64: copy_as<int64_t>(a, out.data()); break;
  }
  // Every row is checked before any env steps, so one bad row leaves the envs in step.
  if (rows > 0) {
    const size_t row_bytes = space.byte_size();
    for (int64_t r = 0; r < rows; ++r) {
      const uint8_t* row = out.data() + r * row_bytes;
      bool ok = true;
      if (space.kind() == Space::Kind::Box && space.dtype() == DType::Float32) {
        for (int64_t i = 0; i < space.numel(); ++i) ok &= std::isfinite(reinterpret_cast<const float*>(row)[i]);
      } else if (space.kind() != Space::Kind::Box) {
        ok = space.contains(row);
      }
      if (!ok) {
        throw Error("actions row " + std::to_string(r) + " (" + py::repr(a[py::int_(r)]).cast<std::string>() +
                    ") is not a valid action of " + space.repr() + (space.kind() == Space::Kind::Box ? " (not finite)" : ""));
      }
    }
  }
  return out;
}

// gym.make's render_mode: we render rgb_array frames on request, nothing else.
void take_render_mode(py::dict& kwargs) {
  if (!kwargs.contains("render_mode")) return;
  py::object mode = kwargs["render_mode"];
  PyDict_DelItemString(kwargs.ptr(), "render_mode");
  if (mode.is_none() || (py::isinstance<py::str>(mode) && mode.cast<std::string>() == "rgb_array")) return;
  throw Error("render_mode=" + py::repr(mode).cast<std::string>() +
              " is not available; rlarena renders render_mode='rgb_array' (frames as arrays), "
              "there is no window to draw in");
}

std::optional<uint64_t> seed_of(const py::object& seed) {
  if (seed.is_none()) return std::nullopt;
  const py::object np = py::module_::import("numpy");
  const bool whole = (py::isinstance<py::int_>(seed) && !py::isinstance<py::bool_>(seed)) ||
                     py::isinstance(seed, np.attr("integer"));
  if (!whole)
    throw Error("seed=" + py::repr(seed).cast<std::string>() + " is not a whole number; give one from 0 to 2**64-1, or None");
  const py::int_ value(seed);
  if (value < py::int_(0) || value > py::int_(std::numeric_limits<uint64_t>::max()))
    throw Error("seed=" + py::repr(seed).cast<std::string>() + " is out of range; give a whole number from 0 to 2**64-1");
  return value.cast<uint64_t>();
}

void no_options(const py::object& options) {
  if (!options.is_none() && (!py::isinstance<py::dict>(options) || py::len(options) > 0))
    throw Error("reset options " + py::repr(options).cast<std::string>() +
                " are not taken; rlarena envs take their options at make(id, **kwargs)");
}

}  // namespace rlarena::py_bind
