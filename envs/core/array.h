// Array: an owned, typed n-d value (one observation or action) for the convenience
// API; the hot path never builds one, it writes into batch buffers instead.
#pragma once
#include <cstdint>
#include <cstring>
#include <vector>

#include "envs/core/space.h"

namespace rlarena {

struct Array {
  DType dtype = DType::Float32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;

  static Array zeros(const Space& space) {
    Array a;
    a.dtype = space.dtype();
    a.shape = space.is_composite() ? std::vector<int64_t>{space.numel()} : space.shape();
    a.bytes.assign(space.byte_size(), 0);
    return a;
  }
  int64_t numel() const { return static_cast<int64_t>(bytes.size() / dtype_size(dtype)); }
  void* data() { return bytes.data(); }
  const void* data() const { return bytes.data(); }
  template <typename T>
  const T* as() const { return reinterpret_cast<const T*>(bytes.data()); }
  template <typename T>
  T* as() { return reinterpret_cast<T*>(bytes.data()); }
  // Element i as double, whatever the dtype (exact for float32, uint8, int8, int64 < 2^53).
  double at(int64_t i) const {
    switch (dtype) {
      case DType::Float32: return as<float>()[i];
      case DType::UInt8: return as<uint8_t>()[i];
      case DType::Int8: return as<int8_t>()[i];
      case DType::Int64: return static_cast<double>(as<int64_t>()[i]);
    }
    return 0;
  }
  std::vector<double> to_doubles() const {
    std::vector<double> v(numel());
    for (int64_t i = 0; i < numel(); ++i) v[i] = at(i);
    return v;
  }
};

}  // namespace rlarena
