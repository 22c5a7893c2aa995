#include "replay/sum_tree.h"

#include <algorithm>
#include <limits>

namespace rlarena {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

SumTree::SumTree(int64_t leaves) : n_(1) {
  while (n_ < leaves) n_ *= 2;
  sum_.assign(2 * n_, 0.0);
  min_.assign(2 * n_, kInf);
}

void SumTree::set(int64_t leaf, double priority) {
  int64_t i = n_ + leaf;
  sum_[i] = priority;
  min_[i] = priority > 0 ? priority : kInf;
  for (i /= 2; i >= 1; i /= 2) {
    sum_[i] = sum_[2 * i] + sum_[2 * i + 1];
    min_[i] = std::min(min_[2 * i], min_[2 * i + 1]);
  }
}

int64_t SumTree::find(double mass) const {
  int64_t i = 1;
  while (i < n_) {
    const double left = sum_[2 * i];
    // Rounding can leave mass just above the last positive subtree: never descend
    // into a subtree without mass.
    if (mass < left || sum_[2 * i + 1] <= 0) {
      i = 2 * i;
    } else {
      mass -= left;
      i = 2 * i + 1;
    }
  }
  return i - n_;
}

}  // namespace rlarena
