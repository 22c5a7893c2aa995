// Sums in NumPy's order (np.sum's pairwise summation; float32 for float32 actions)
// so our rewards equal Gymnasium's to the last bit, not just to 1e-7.
#pragma once
#include <cstddef>

namespace rlarena {

// np.sum of n values x(0..n-1): sequential below 8 elements, eight interleaved
// accumulators up to 128, halves above (numpy's pairwise_sum, PW_BLOCKSIZE 128).
// `x` gives element i, so derived arrays (squares) need no buffer.
template <typename T, typename X>
T numpy_sum_of(size_t n, const X& x, size_t first = 0) {
  if (n < 8) {
    T r = T(-0.0);
    for (size_t i = 0; i < n; ++i) r += x(first + i);
    return r;
  }
  if (n <= 128) {
    T r[8];
    for (size_t k = 0; k < 8; ++k) r[k] = x(first + k);
    size_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (size_t k = 0; k < 8; ++k) r[k] += x(first + i + k);
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += x(first + i);
    return res;
  }
  size_t half = n / 2;
  half -= half % 8;
  return numpy_sum_of<T>(half, x, first) + numpy_sum_of<T>(n - half, x, first + half);
}

// np.sum of a contiguous array.
template <typename T>
T numpy_sum(const T* a, size_t n) {
  return numpy_sum_of<T>(n, [a](size_t i) { return a[i]; });
}

// np.sum(np.square(a)) with the squares computed in T.
template <typename T>
T numpy_square_sum(const T* a, size_t n) {
  return numpy_sum_of<T>(n, [a](size_t i) { return T(a[i] * a[i]); });
}

// Gymnasium's control cost weight * np.sum(np.square(action)) for a float32 action:
// the square sum stays float32 and, under NumPy 2's promotion rules (NEP 50), so does
// the product with the Python-float weight.
inline double control_cost(double weight, const float* action, size_t n) {
  return static_cast<float>(weight) * numpy_square_sum(action, n);
}

}  // namespace rlarena
