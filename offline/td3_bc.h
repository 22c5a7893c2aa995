// TD3+BC (Fujimoto and Gu 2021): TD3's learner on a dataset, with the actor's
// objective -lambda Q(s, pi(s)) + (pi(s) - a)^2, lambda = alpha / mean |Q|, and
// observations normalized by the dataset's mean and std. Defaults: the paper's and
// CORL's td3_bc.py (alpha 2.5, policy noise 0.2, noise clip 0.5, actor every 2 steps).
#pragma once
#include "agents/td3/td3.h"
#include "offline/dataset_stats.h"
#include "offline/trainer.h"

namespace rlarena {

class Td3BcLearner : public Td3Learner, public FitsDataset {
 public:
  // Recipe keys: TD3's, alpha, normalize_states.
  Td3BcLearner(const Recipe& recipe, const Space& observations, const Space& actions);
  static std::vector<KeySpec> keys();

  Losses update(const Minibatch& batch) override { return Td3Learner::update(stats_.apply(batch)); }
  void declare(Parts& parts) override;
  void fit(const ReplayStore& dataset) override { stats_.fit(dataset, normalize_states_, false); }
  using Learner::act;
  void act(const torch::Tensor& obs, Acting acting, void* actions) override {
    Td3Learner::act(stats_.normalize(obs), acting, actions);
  }

 protected:
  torch::Tensor actor_objective(const Minibatch& batch, const torch::Tensor& pi, const torch::Tensor& q1) override;

 private:
  double alpha_;
  bool normalize_states_;
  DatasetStats stats_;
};

// TD3+BC's actor objective (for tests): -alpha / mean|q1| * mean(q1) + mean((pi - a)^2).
torch::Tensor td3_bc_actor_loss(const torch::Tensor& q1, const torch::Tensor& pi, const torch::Tensor& actions,
                                double alpha);

namespace td3_bc {
Algorithm algorithm();
}  // namespace td3_bc

}  // namespace rlarena
