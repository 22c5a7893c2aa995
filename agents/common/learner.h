// Learner: an algorithm's networks, optimizers and their update step. update() takes
// a Minibatch and returns the losses; it knows nothing of where the batch came from
// (an online loop, a dataset, model rollouts, a mix), so offline and model-based
// algorithms extend or compose the online learners instead of copying them. A
// learner is also a Policy: it acts with its networks. Its state is one list of
// named Parts that both save and load walk.
#pragma once
#include <torch/torch.h>

#include <limits>
#include <string>
#include <vector>

#include "agents/common/parts.h"
#include "agents/common/policy.h"

namespace rlarena {

// Rows of experience as tensors. Off-policy learners read the transition fields;
// on-policy learners read what the policy saw when it acted and the advantages.
struct Minibatch {
  torch::Tensor obs;         // [B, obs] float32
  torch::Tensor actions;     // [B] int64 (index from 0) or [B, A] float32
  torch::Tensor rewards;     // [B] float32
  torch::Tensor next_obs;    // [B, obs]: the true next observation (final_obs where the episode ended)
  torch::Tensor terminated;  // [B] float32 0/1; truncated steps are not terminal
  torch::Tensor weights;     // [B] importance weights (prioritized replay), else undefined
  // On-policy rows: log pi_old(a|s), V_old(s), advantages and returns.
  torch::Tensor log_probs, values, advantages, returns;  // [B]
  torch::Tensor masks;  // [B, n] bool: the legal discrete actions where the env has masks, else undefined

  int64_t size() const { return obs.size(0); }
  // The rows `idx` of every tensor this batch holds.
  Minibatch rows(const torch::Tensor& idx) const;
};

// One update's losses in loss_names() order; NaN where this update did not compute one
// (e.g. TD3's actor loss between its delayed actor steps).
using Losses = std::vector<double>;

// Means of the losses of several updates (a row of metrics.csv), NaN left out.
class LossMeans {
 public:
  explicit LossMeans(size_t n) : sums_(n, 0.0), counts_(n, 0) {}
  void add(const Losses& losses) {
    for (size_t i = 0; i < losses.size() && i < sums_.size(); ++i)
      if (!std::isnan(losses[i])) sums_[i] += losses[i], ++counts_[i];
  }
  std::vector<double> means() const {
    std::vector<double> out(sums_.size());
    for (size_t i = 0; i < sums_.size(); ++i)
      out[i] = counts_[i] ? sums_[i] / counts_[i] : std::numeric_limits<double>::quiet_NaN();
    return out;
  }

 private:
  std::vector<double> sums_;
  std::vector<int64_t> counts_;
};

class Learner : public Policy, public Stateful {
 public:
  // `images`: the learner also takes image observations (uint8 [H, W, C]); others
  // refuse them in words.
  Learner(const Space& observation_space, const Space& action_space, bool images = false);

  const Space& observation_space() const override { return obs_space_; }
  const Space& action_space() const override { return act_space_; }
  virtual std::vector<std::string> loss_names() const = 0;
  virtual Losses update(const Minibatch& batch) = 0;
  // Declares every piece of state (save and load walk it): networks, optimizers,
  // tensors, generators, counters.
  void declare(Parts& parts) override = 0;

  // Policy: observations wrapped as a tensor, without a copy.
  void act(const PolicyInput& input, Acting acting, void* actions) override;
  // Actions for observations [n, obs] into `actions` (the action space's dtype).
  virtual void act(const torch::Tensor& obs, Acting acting, void* actions) = 0;

 protected:
  Space obs_space_, act_space_;
  int64_t obs_dim_;
};

// Seeds torch's generator (network initialisation); returns true so a learner can
// call it from its first member's initializer, before its networks are built.
inline bool seed_torch(uint64_t seed) {
  torch::manual_seed(seed);
  return true;
}

}  // namespace rlarena
