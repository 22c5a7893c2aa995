// SAC (Haarnoja et al. 2018, with automatic entropy tuning) as CleanRL's
// sac_continuous_action.py runs it: twin Q critics with soft target updates, a
// tanh-squashed Gaussian actor updated every `policy_frequency` steps (as many
// times, so the ratio stays one), and a learned temperature aiming at entropy -|A|.
// Online, uniform random actions fill the first learning_starts steps.
#pragma once
#include <torch/torch.h>

#include "agents/common/learner.h"
#include "agents/common/networks.h"
#include "agents/common/trainer.h"
#include "agents/offpolicy/action_bounds.h"

namespace rlarena {

class SacLearner : public Learner {
 public:
  // Recipe keys: seed, gamma, tau, policy_lr, q_lr, policy_frequency,
  // target_network_frequency, alpha, autotune, target_entropy, hidden.
  SacLearner(const Recipe& recipe, const Space& observations, const Space& actions);
  static std::vector<KeySpec> keys();

  std::vector<std::string> loss_names() const override {
    return {"qf_loss", "qf_value", "actor_loss", "alpha", "alpha_loss"};
  }
  // One critic step on the soft TD target; every policy_frequency calls, as many actor
  // (and temperature) steps; the target critics every target_network_frequency calls.
  Losses update(const Minibatch& batch) override;
  void declare(Parts& parts) override;
  using Learner::act;
  // Sampled actions, or the mode (tanh of the mean) when deterministic, in the env's bounds.
  void act(const torch::Tensor& obs, Acting acting, void* actions) override;

  // A reparameterized action in the env's bounds and its log-probability; the mode
  // (and an undefined log-probability) when Deterministic. With repeats > 1, `repeats`
  // draws per state (rows s*repeats ...): the same as passing each state repeated, for
  // one actor pass over the states instead of over the copies.
  std::pair<torch::Tensor, torch::Tensor> policy(const torch::Tensor& obs, Acting acting, int64_t repeats = 1);
  // min over the critics of Q(obs, actions), [B].
  torch::Tensor min_q(EnsembleMLP& critic, const torch::Tensor& obs, const torch::Tensor& actions);
  double alpha() const { return log_alpha_.exp().item<double>(); }

 protected:
  // A term added to the critics' loss, from the batch and the critics' values of its
  // actions `q` [2, B]: none for SAC (CQL adds its conservative penalty, and may write
  // its own columns of `losses`).
  virtual torch::Tensor critic_regularizer(const Minibatch& batch, const torch::Tensor& q, Losses& losses);

  bool seeded_;
  bool backup_entropy_ = true;  // the soft value's -alpha log pi term in the TD target (CQL may leave it out)
  ActionBounds bounds_;
  int64_t act_dim_;
  torch::nn::Sequential actor_;
  EnsembleMLP critic_, critic_target_;
  torch::Tensor log_alpha_;
  double log_scale_sum_ = 0;
  bool autotune_;
  double target_entropy_, gamma_, tau_;
  int64_t policy_frequency_, target_frequency_;
  torch::optim::Adam actor_opt_, critic_opt_, alpha_opt_;
  Rng rng_;  // the policy's noise
  int64_t updates_ = 0;
};

namespace sac {
Algorithm algorithm();
}  // namespace sac

}  // namespace rlarena
