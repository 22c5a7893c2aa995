#include "envs/core/space.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "common/error.h"

namespace rlarena {

size_t dtype_size(DType d) {
  switch (d) {
    case DType::Float32: return 4;
    case DType::UInt8: return 1;
    case DType::Int8: return 1;
    case DType::Int64: return 8;
  }
  return 0;
}

const char* dtype_name(DType d) {
  switch (d) {
    case DType::Float32: return "float32";
    case DType::UInt8: return "uint8";
    case DType::Int8: return "int8";
    case DType::Int64: return "int64";
  }
  return "?";
}

namespace {

int64_t product(const std::vector<int64_t>& shape) {
  int64_t p = 1;
  for (int64_t d : shape) {
    if (d < 0) throw Error("space shape " + shape_repr(shape) + " has a negative dimension");
    p *= d;
  }
  return p;
}

// Reads element i of a leaf buffer as double (exact for every dtype we use).
double element(const void* data, DType dtype, int64_t i) {
  switch (dtype) {
    case DType::Float32: return static_cast<const float*>(data)[i];
    case DType::UInt8: return static_cast<const uint8_t*>(data)[i];
    case DType::Int8: return static_cast<const int8_t*>(data)[i];
    case DType::Int64: return static_cast<double>(static_cast<const int64_t*>(data)[i]);
  }
  return 0;
}

// The shortest text that reads back to the same float32, as numpy prints float32.
std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  for (int digits = 1; digits <= 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (static_cast<float>(std::strtod(buf, nullptr)) == static_cast<float>(v)) break;
  }
  return buf;
}

// One number when every element shares the bound, else the list (as numpy prints it).
std::string bounds_repr(const std::vector<double>& b) {
  bool same = true;
  for (double v : b) same = same && v == b.front();
  if (same && !b.empty()) return number(b.front());
  std::string s = "[";
  for (size_t i = 0; i < b.size(); ++i) s += (i ? " " : "") + number(b[i]);
  return s + "]";
}

}  // namespace

std::string shape_repr(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    s += std::to_string(shape[i]);
    if (shape.size() == 1 || i + 1 < shape.size()) s += ",";
    if (i + 1 < shape.size()) s += " ";
  }
  return s + ")";
}

Space Space::box(std::vector<double> low, std::vector<double> high, std::vector<int64_t> shape,
                 DType dtype) {
  Space s;
  s.kind_ = Kind::Box;
  s.dtype_ = dtype;
  s.numel_ = product(shape);
  s.shape_ = std::move(shape);
  if (static_cast<int64_t>(low.size()) != s.numel_ || static_cast<int64_t>(high.size()) != s.numel_)
    throw Error("Box bounds need " + std::to_string(s.numel_) + " values for shape " +
                shape_repr(s.shape_) + ", got " + std::to_string(low.size()) + " and " +
                std::to_string(high.size()));
  for (int64_t i = 0; i < s.numel_; ++i)
    if (!(low[i] <= high[i]))
      throw Error("Box low[" + std::to_string(i) + "]=" + number(low[i]) + " exceeds high=" +
                  number(high[i]));
  s.low_ = std::move(low);
  s.high_ = std::move(high);
  if (dtype == DType::Float32) {  // Gymnasium keeps float32 Box bounds in float32
    for (double& v : s.low_) v = static_cast<float>(v);
    for (double& v : s.high_) v = static_cast<float>(v);
  }
  s.bytes_ = s.numel_ * dtype_size(dtype);
  return s;
}

Space Space::box(double low, double high, std::vector<int64_t> shape, DType dtype) {
  const int64_t n = product(shape);
  return box(std::vector<double>(n, low), std::vector<double>(n, high), std::move(shape), dtype);
}

Space Space::discrete(int64_t n, int64_t start) {
  if (n <= 0) throw Error("Discrete(n) needs n > 0, got " + std::to_string(n));
  Space s;
  s.kind_ = Kind::Discrete;
  s.dtype_ = DType::Int64;
  s.numel_ = 1;
  s.bytes_ = 8;
  s.n_ = n;
  s.start_ = start;
  return s;
}

Space Space::multi_discrete(std::vector<int64_t> nvec) {
  for (int64_t v : nvec)
    if (v <= 0) throw Error("MultiDiscrete needs every nvec entry > 0, got " + std::to_string(v));
  Space s;
  s.kind_ = Kind::MultiDiscrete;
  s.dtype_ = DType::Int64;
  s.shape_ = {static_cast<int64_t>(nvec.size())};
  s.numel_ = static_cast<int64_t>(nvec.size());
  s.bytes_ = s.numel_ * 8;
  s.nvec_ = std::move(nvec);
  return s;
}

Space Space::multi_binary(int64_t n) {
  if (n <= 0) throw Error("MultiBinary(n) needs n > 0, got " + std::to_string(n));
  Space s;
  s.kind_ = Kind::MultiBinary;
  s.dtype_ = DType::Int8;
  s.shape_ = {n};
  s.numel_ = n;
  s.bytes_ = n;
  return s;
}

Space Space::tuple(std::vector<Space> children) {
  if (children.empty()) throw Error("Tuple space needs at least one child space");
  Space s;
  s.kind_ = Kind::Tuple;
  s.dtype_ = children.front().dtype_;
  for (const Space& c : children) {
    s.numel_ += c.numel_;
    s.bytes_ += c.bytes_;
  }
  s.children_ = std::move(children);
  return s;
}

Space Space::dict(std::vector<std::pair<std::string, Space>> children) {
  std::vector<Space> spaces;
  std::vector<std::string> keys;
  for (auto& [k, v] : children) {
    for (const auto& existing : keys)
      if (existing == k) throw Error("Dict space has the key '" + k + "' twice");
    keys.push_back(k);
    spaces.push_back(std::move(v));
  }
  Space s = tuple(std::move(spaces));
  s.kind_ = Kind::Dict;
  s.keys_ = std::move(keys);
  return s;
}

bool Space::contains(const void* data) const {
  switch (kind_) {
    case Kind::Box:
      for (int64_t i = 0; i < numel_; ++i) {
        const double v = element(data, dtype_, i);
        if (!(v >= low_[i] && v <= high_[i])) return false;  // NaN fails too
      }
      return true;
    case Kind::Discrete: {
      const int64_t v = *static_cast<const int64_t*>(data);
      return v >= start_ && v < start_ + n_;
    }
    case Kind::MultiDiscrete:
      for (int64_t i = 0; i < numel_; ++i) {
        const int64_t v = static_cast<const int64_t*>(data)[i];
        if (v < 0 || v >= nvec_[i]) return false;
      }
      return true;
    case Kind::MultiBinary:
      for (int64_t i = 0; i < numel_; ++i) {
        const int8_t v = static_cast<const int8_t*>(data)[i];
        if (v != 0 && v != 1) return false;
      }
      return true;
    case Kind::Tuple:
    case Kind::Dict: {
      const auto* p = static_cast<const uint8_t*>(data);
      for (const Space& c : children_) {
        if (!c.contains(p)) return false;
        p += c.bytes_;
      }
      return true;
    }
  }
  return false;
}

void Space::sample(Rng& rng, void* out) const {
  switch (kind_) {
    case Kind::Box:
      for (int64_t i = 0; i < numel_; ++i) {
        const double lo = low_[i], hi = high_[i];
        if (dtype_ == DType::Float32) {
          const bool bl = std::isfinite(lo), bh = std::isfinite(hi);
          double v;
          // Gymnasium: bounded -> uniform, unbounded -> normal, one side -> shifted exponential.
          if (bl && bh) v = rng.uniform(lo, hi);
          else if (!bl && !bh) v = rng.normal();
          else if (bl) v = lo - std::log1p(-rng.uniform());
          else v = hi + std::log1p(-rng.uniform());
          float f = static_cast<float>(v);
          if (bl && bh) f = std::min(std::max(f, static_cast<float>(lo)), static_cast<float>(hi));
          static_cast<float*>(out)[i] = f;
        } else {  // integer Box: uniform over the closed range
          const int64_t l = static_cast<int64_t>(std::ceil(lo)), h = static_cast<int64_t>(std::floor(hi));
          const int64_t v = l + static_cast<int64_t>(rng.below(static_cast<uint64_t>(h - l + 1)));
          if (dtype_ == DType::UInt8) static_cast<uint8_t*>(out)[i] = static_cast<uint8_t>(v);
          else if (dtype_ == DType::Int8) static_cast<int8_t*>(out)[i] = static_cast<int8_t>(v);
          else static_cast<int64_t*>(out)[i] = v;
        }
      }
      return;
    case Kind::Discrete:
      *static_cast<int64_t*>(out) = start_ + static_cast<int64_t>(rng.below(n_));
      return;
    case Kind::MultiDiscrete:
      for (int64_t i = 0; i < numel_; ++i)
        static_cast<int64_t*>(out)[i] = static_cast<int64_t>(rng.below(nvec_[i]));
      return;
    case Kind::MultiBinary:
      for (int64_t i = 0; i < numel_; ++i) static_cast<int8_t*>(out)[i] = static_cast<int8_t>(rng.below(2));
      return;
    case Kind::Tuple:
    case Kind::Dict: {
      auto* p = static_cast<uint8_t*>(out);
      for (const Space& c : children_) {
        c.sample(rng, p);
        p += c.bytes_;
      }
      return;
    }
  }
}

std::string Space::repr() const {
  switch (kind_) {
    case Kind::Box:
      return "Box(" + bounds_repr(low_) + ", " + bounds_repr(high_) + ", " + shape_repr(shape_) +
             ", " + dtype_name(dtype_) + ")";
    case Kind::Discrete:
      return "Discrete(" + std::to_string(n_) + (start_ ? ", start=" + std::to_string(start_) : "") + ")";
    case Kind::MultiDiscrete: {
      std::string s = "MultiDiscrete([";
      for (size_t i = 0; i < nvec_.size(); ++i) s += (i ? " " : "") + std::to_string(nvec_[i]);
      return s + "])";
    }
    case Kind::MultiBinary:
      return "MultiBinary(" + std::to_string(numel_) + ")";
    case Kind::Tuple: {
      std::string s = "Tuple(";
      for (size_t i = 0; i < children_.size(); ++i) s += (i ? ", " : "") + children_[i].repr();
      return s + ")";
    }
    case Kind::Dict: {
      std::string s = "Dict(";
      for (size_t i = 0; i < children_.size(); ++i)
        s += (i ? ", " : "") + std::string("'") + keys_[i] + "': " + children_[i].repr();
      return s + ")";
    }
  }
  return "?";
}

bool Space::operator==(const Space& o) const {
  return kind_ == o.kind_ && dtype_ == o.dtype_ && shape_ == o.shape_ && n_ == o.n_ &&
         start_ == o.start_ && low_ == o.low_ && high_ == o.high_ && nvec_ == o.nvec_ &&
         children_ == o.children_ && keys_ == o.keys_;
}

void Space::save_state(StateMap& out, const std::string& prefix) const {
  put_state(out, prefix + "kind", static_cast<uint8_t>(kind_));
  put_state(out, prefix + "dtype", static_cast<uint8_t>(dtype_));
  put_state(out, prefix + "shape", shape_);
  put_state(out, prefix + "n", std::vector<int64_t>{n_, start_});
  put_state(out, prefix + "low", low_);
  put_state(out, prefix + "high", high_);
  put_state(out, prefix + "nvec", nvec_);
  put_state(out, prefix + "children", static_cast<int64_t>(children_.size()));
  for (size_t i = 0; i < children_.size(); ++i) {
    children_[i].save_state(out, prefix + std::to_string(i) + "/");
    if (kind_ == Kind::Dict) put_text(out, prefix + std::to_string(i) + "/key", keys_[i]);
  }
}

Space Space::load_state(const StateMap& in, const std::string& prefix) {
  const auto kind = static_cast<Kind>(get_state_value<uint8_t>(in, prefix + "kind"));
  const auto dtype = static_cast<DType>(get_state_value<uint8_t>(in, prefix + "dtype"));
  std::vector<int64_t> shape, n, nvec;
  std::vector<double> low, high;
  get_state(in, prefix + "shape", shape);
  get_state(in, prefix + "n", n);
  get_state(in, prefix + "low", low);
  get_state(in, prefix + "high", high);
  get_state(in, prefix + "nvec", nvec);
  const int64_t count = get_state_value<int64_t>(in, prefix + "children");
  if (n.size() != 2 || count < 0) throw Error("checkpoint: the space under '" + prefix + "' is damaged");
  std::vector<std::pair<std::string, Space>> children;
  for (int64_t i = 0; i < count; ++i) {
    const std::string child = prefix + std::to_string(i) + "/";
    children.emplace_back(kind == Kind::Dict ? get_text(in, child + "key") : "", load_state(in, child));
  }
  switch (kind) {
    case Kind::Box: return box(std::move(low), std::move(high), std::move(shape), dtype);
    case Kind::Discrete: return discrete(n[0], n[1]);
    case Kind::MultiDiscrete: return multi_discrete(std::move(nvec));
    case Kind::MultiBinary: return multi_binary(shape.empty() ? 0 : shape[0]);
    case Kind::Dict: return dict(std::move(children));
    case Kind::Tuple: {
      std::vector<Space> spaces;
      for (auto& c : children) spaces.push_back(std::move(c.second));
      return tuple(std::move(spaces));
    }
  }
  throw Error("checkpoint: the space under '" + prefix + "' has an unknown kind");
}

void check_action_value(const Space& space, const void* action, const std::string& owner) {
  const Space& s = space;
  if (s.kind() == Space::Kind::Box && s.dtype() == DType::Float32) {
    const float* a = static_cast<const float*>(action);
    for (int64_t i = 0; i < s.numel(); ++i)
      if (!std::isfinite(a[i]))
        throw Error(owner + ": action " + value_text(s, action) +
                    " is not finite; pass finite float32 values within " + s.repr());
    return;  // out-of-bounds values are the env's to clip, where Gymnasium clips
  }
  if (!s.contains(action))
    throw Error(owner + ": action " + value_text(s, action) + " is outside the action space " +
                s.repr() + "; pass a value inside it");
}

std::string value_text(const Space& space, const void* value) {
  std::ostringstream os;
  os.precision(9);
  const int64_t n = space.numel();
  if (n > 1) os << "[";
  for (int64_t i = 0; i < n; ++i) {
    if (i) os << ", ";
    switch (space.dtype()) {
      case DType::Float32: os << static_cast<const float*>(value)[i]; break;
      case DType::Int64: os << static_cast<const int64_t*>(value)[i]; break;
      case DType::Int8: os << int(static_cast<const int8_t*>(value)[i]); break;
      case DType::UInt8: os << int(static_cast<const uint8_t*>(value)[i]); break;
    }
  }
  if (n > 1) os << "]";
  return os.str();
}

}  // namespace rlarena
