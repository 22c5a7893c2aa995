// What an offline learner takes from its dataset before training: the observations'
// mean and std (TD3+BC's and CORL's state normalization, std + 1e-3) and, for IQL on
// locomotion data, CORL's reward scale 1000 / (max - min episode return).
#pragma once
#include <torch/torch.h>

#include <string>

#include "agents/common/learner.h"
#include "agents/common/parts.h"
#include "replay/store.h"

namespace rlarena {

struct DatasetStats {
  torch::Tensor mean, std;  // [obs]; 0 and 1 until fitted (or when states are not normalized)
  torch::Tensor reward_scale = torch::ones({1});

  explicit DatasetStats(int64_t obs_dim) : mean(torch::zeros({obs_dim})), std(torch::ones({obs_dim})) {}
  void fit(const ReplayStore& data, bool states, bool rewards);
  torch::Tensor normalize(const torch::Tensor& obs) const { return (obs - mean) / std; }
  // The batch as the learner trains on it: normalized observations, scaled rewards.
  Minibatch apply(const Minibatch& batch) const;
  void declare(Parts& parts, const std::string& prefix);
};

}  // namespace rlarena
