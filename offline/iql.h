// IQL (Kostrikov et al. 2022) as CORL's iql.py runs it: V(s) fitted to the twin target
// critics' min Q(s, a) by expectile regression (tau 0.7); Q(s, a) to r + gamma V(s');
// the actor by advantage-weighted regression, weights exp(beta A) clipped at 100
// (beta 3), with a cosine schedule of its step size over the offline phase (rising again
// in an online phase, as in CORL's fine-tuning). The actor is
// Gaussian (log-likelihood, state-independent log std) or deterministic (squared error).
#pragma once
#include <torch/torch.h>

#include "agents/common/learner.h"
#include "agents/common/networks.h"
#include "agents/common/trainer.h"
#include "agents/offpolicy/action_bounds.h"
#include "offline/dataset_stats.h"
#include "offline/trainer.h"

namespace rlarena {

// mean(|tau - 1(diff < 0)| diff^2): the expectile loss of diff = target - prediction.
torch::Tensor expectile_loss(const torch::Tensor& diff, double tau);
// exp(beta * advantage) clipped at `max`: the actor's regression weights.
torch::Tensor advantage_weights(const torch::Tensor& advantage, double beta, double max = 100.0);

class IqlLearner : public Learner, public FitsDataset {
 public:
  // Recipe keys: seed, total_steps, online_steps, gamma, tau, expectile, beta, actor_lr, actor_lr_horizon, q_lr, v_lr,
  // actor_lr_online, hidden, iql_deterministic, expl_noise, noise_clip, normalize_states, normalize_reward.
  IqlLearner(const Recipe& recipe, const Space& observations, const Space& actions);
  static std::vector<KeySpec> keys();

  std::vector<std::string> loss_names() const override {
    return {"value_loss", "q_loss", "actor_loss", "advantage", "actor_lr"};
  }
  Losses update(const Minibatch& batch) override;
  void declare(Parts& parts) override;
  void fit(const ReplayStore& dataset) override { stats_.fit(dataset, normalize_states_, normalize_reward_); }
  using Learner::act;
  void act(const torch::Tensor& obs, Acting acting, void* actions) override;

 private:
  torch::Tensor mean_action(const torch::Tensor& obs);

  bool seeded_;
  ActionBounds bounds_;
  int64_t act_dim_;
  bool deterministic_, normalize_states_, normalize_reward_;
  double gamma_, tau_, expectile_, beta_, actor_lr_, expl_noise_, noise_clip_;
  int64_t lr_horizon_;     // T_max of the actor's cosine
  int64_t offline_steps_;  // the online phase starts after them
  double online_lr_;       // the online phase's actor step size (0: the cosine's)
  torch::nn::Sequential actor_, value_;
  EnsembleMLP critic_, critic_target_;
  torch::Tensor log_std_;
  torch::optim::Adam actor_opt_, critic_opt_, value_opt_;
  DatasetStats stats_;
  Rng rng_;
  int64_t updates_ = 0;
};

namespace iql {
Algorithm algorithm();
}  // namespace iql

}  // namespace rlarena
