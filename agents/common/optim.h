// Optimizer helpers shared by the agents.
#pragma once
#include <torch/torch.h>

#include "common/rng.h"

namespace rlarena {

// Sets the step size of every parameter group (Adam or RMSprop), e.g. for annealing.
inline void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

// A random permutation of 0..n-1 from our generator (Fisher-Yates), so minibatch
// order is part of the checkpointed state rather than torch's global generator.
inline torch::Tensor permutation(Rng& rng, int64_t n) {
  torch::Tensor t = torch::arange(n, torch::kInt64);
  int64_t* p = t.data_ptr<int64_t>();
  for (int64_t i = n - 1; i > 0; --i) std::swap(p[i], p[rng.below(static_cast<uint64_t>(i + 1))]);
  return t;
}

}  // namespace rlarena
