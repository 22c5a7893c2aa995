// SumTree: priorities of a fixed number of leaves with O(log n) update, prefix-sum
// search and minimum, for prioritized replay (Schaul et al. 2016).
#pragma once
#include <cstdint>
#include <vector>

namespace rlarena {

class SumTree {
 public:
  explicit SumTree(int64_t leaves);
  int64_t leaves() const { return n_; }
  void set(int64_t leaf, double priority);
  double get(int64_t leaf) const { return sum_[n_ + leaf]; }
  double total() const { return sum_[1]; }
  // The smallest positive priority (infinity when none is positive).
  double min() const { return min_[1]; }
  // The leaf where the running sum of priorities first exceeds `mass` (0 <= mass < total).
  int64_t find(double mass) const;

 private:
  int64_t n_;  // leaves, rounded up to a power of two
  std::vector<double> sum_, min_;
};

}  // namespace rlarena
