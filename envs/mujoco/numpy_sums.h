// Sums in NumPy's order (np.sum's pairwise summation; float32 for float32 actions)
// so our rewards equal Gymnasium's to the last bit, not just to 1e-7.
#pragma once
#include <cstddef>
#include <vector>

namespace rlarena {

// np.sum of a contiguous array: sequential below 8 elements, eight interleaved
// accumulators up to 128, halves above (numpy's pairwise_sum, PW_BLOCKSIZE 128).
template <typename T>
T numpy_sum(const T* a, size_t n) {
  if (n < 8) {
    T r = T(-0.0);
    for (size_t i = 0; i < n; ++i) r += a[i];
    return r;
  }
  if (n <= 128) {
    T r[8];
    for (size_t k = 0; k < 8; ++k) r[k] = a[k];
    size_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (size_t k = 0; k < 8; ++k) r[k] += a[i + k];
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t half = n / 2;
  half -= half % 8;
  return numpy_sum(a, half) + numpy_sum(a + half, n - half);
}

// np.sum(np.square(a)) with the squares computed in T.
template <typename T>
T numpy_square_sum(const T* a, size_t n) {
  constexpr size_t kOnStack = 128;
  T stack[kOnStack] = {};
  std::vector<T> heap(n > kOnStack ? n : 0);
  T* sq = n > kOnStack ? heap.data() : stack;
  for (size_t i = 0; i < n; ++i) sq[i] = a[i] * a[i];
  return numpy_sum(sq, n);
}

// Gymnasium's control cost weight * np.sum(np.square(action)) for a float32 action:
// the square sum stays float32 and, under NumPy 2's promotion rules (NEP 50), so does
// the product with the Python-float weight.
inline double control_cost(double weight, const float* action, size_t n) {
  return static_cast<float>(weight) * numpy_square_sum(action, n);
}

}  // namespace rlarena
