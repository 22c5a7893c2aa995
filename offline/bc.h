// Behavioural cloning: an actor fitted to the dataset's actions by supervised learning.
// Box actions: deterministic (mean squared error, CORL's any_percent_bc.py) or Gaussian
// (log-likelihood, a state-independent log std). Discrete actions: cross-entropy.
#pragma once
#include <torch/torch.h>

#include <optional>

#include "agents/common/learner.h"
#include "agents/common/trainer.h"
#include "agents/offpolicy/action_bounds.h"
#include "offline/dataset_stats.h"
#include "offline/trainer.h"

namespace rlarena {

class BcLearner : public Learner, public FitsDataset {
 public:
  // Recipe keys: seed, learning_rate, hidden, bc_policy, normalize_states.
  BcLearner(const Recipe& recipe, const Space& observations, const Space& actions);
  static std::vector<KeySpec> keys();

  std::vector<std::string> loss_names() const override { return {"bc_loss"}; }
  Losses update(const Minibatch& batch) override;
  void declare(Parts& parts) override;
  void fit(const ReplayStore& dataset) override { stats_.fit(dataset, normalize_states_, false); }
  using Learner::act;
  void act(const torch::Tensor& obs, Acting acting, void* actions) override;

  // The loss of one batch (normalized observations): MSE, Gaussian NLL or cross-entropy.
  torch::Tensor loss(const torch::Tensor& obs, const torch::Tensor& actions);

 private:
  torch::Tensor mean_action(const torch::Tensor& obs);  // Box: tanh-squashed into the bounds

  bool seeded_, discrete_, gaussian_, normalize_states_;
  int64_t out_dim_;
  std::optional<ActionBounds> bounds_;
  torch::nn::Sequential actor_;
  torch::Tensor log_std_;  // Gaussian BC's state-independent log std [A]
  torch::optim::Adam opt_;
  DatasetStats stats_;
  Rng rng_;
};

namespace bc {
Algorithm algorithm();
}  // namespace bc

}  // namespace rlarena
