// Box action bounds as tensors [A], for policies that squash into the box:
// scale = (high - low) / 2, bias = (high + low) / 2.
#pragma once
#include <torch/torch.h>

#include "common/error.h"
#include "envs/core/space.h"

namespace rlarena {

struct ActionBounds {
  torch::Tensor low, high, scale, bias;
  bool unit = false;  // the box is [-1, 1] in every dimension

  // A value in [-1, 1] (a tanh) as an action of the box. In [-1, 1] boxes (MuJoCo's) it is
  // the value itself; x * 1 + 0 == x in floating point, so leaving out the two ops (and
  // their gradients) changes no digit.
  torch::Tensor from_unit(const torch::Tensor& x) const { return unit ? x : x * scale + bias; }
};

// `algo` names the learner in the error for a non-Box action space.
inline ActionBounds action_bounds(const Space& actions, const std::string& algo) {
  if (actions.kind() != Space::Kind::Box)
    throw Error(algo + " is for Box (continuous) actions, but " + actions.repr() +
                " holds discrete actions; use dqn or ppo");
  const int64_t dim = actions.numel();
  ActionBounds b;
  b.low = torch::empty({dim}), b.high = torch::empty({dim});
  for (int64_t i = 0; i < dim; ++i) b.low[i] = actions.low()[i], b.high[i] = actions.high()[i];
  b.scale = (b.high - b.low) / 2;
  b.bias = (b.high + b.low) / 2;
  b.unit = (b.low == -1).all().item<bool>() && (b.high == 1).all().item<bool>();
  return b;
}

}  // namespace rlarena
