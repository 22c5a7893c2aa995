// TD3 (Fujimoto et al. 2018) as CleanRL's td3_continuous_action.py runs it: twin Q
// critics, target policy smoothing (clipped Gaussian noise on the target action),
// actor and target updates every `policy_frequency` critic steps, Gaussian
// exploration noise. Online, uniform random actions fill the first learning_starts steps.
#pragma once
#include <torch/torch.h>

#include "agents/common/learner.h"
#include "agents/common/networks.h"
#include "agents/common/trainer.h"
#include "agents/offpolicy/action_bounds.h"

namespace rlarena {

class Td3Learner : public Learner {
 public:
  // Recipe keys: seed, gamma, tau, learning_rate, exploration_noise, policy_noise,
  // noise_clip, policy_frequency, hidden.
  Td3Learner(const Recipe& recipe, const Space& observations, const Space& actions);
  static std::vector<KeySpec> keys();

  std::vector<std::string> loss_names() const override { return {"qf_loss", "qf_value", "actor_loss"}; }
  // One critic step on the smoothed TD target; every policy_frequency calls, an actor
  // step and the soft target updates.
  Losses update(const Minibatch& batch) override;
  void declare(Parts& parts) override;
  using Learner::act;
  // The actor's action, with Gaussian exploration noise when stochastic, in bounds.
  void act(const torch::Tensor& obs, Acting acting, void* actions) override;

  // The deterministic policy of `actor` in the env's bounds.
  torch::Tensor policy(torch::nn::SequentialImpl& actor, const torch::Tensor& obs);

 protected:
  // What the actor step minimizes, from the policy's actions `pi` [B, A] and the first
  // critic's values of them `q1` [B, 1]: -mean(q1) (TD3+BC adds its BC term).
  virtual torch::Tensor actor_objective(const Minibatch& batch, const torch::Tensor& pi, const torch::Tensor& q1);

  bool seeded_;
  ActionBounds bounds_;
  int64_t act_dim_;
  torch::nn::Sequential actor_, actor_target_;
  EnsembleMLP critic_, critic_target_;
  double gamma_, tau_, exploration_noise_, policy_noise_, noise_clip_;
  int64_t policy_frequency_;
  torch::optim::Adam actor_opt_, critic_opt_;
  Rng rng_;  // exploration and target-smoothing noise
  int64_t updates_ = 0;
};

namespace td3 {
Algorithm algorithm();
}  // namespace td3

}  // namespace rlarena
