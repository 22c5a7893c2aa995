// DQN (Mnih et al. 2015) as CleanRL's dqn.py runs it: epsilon-greedy acting with a
// linearly decaying epsilon, a Q network trained every `train_frequency` steps on
// uniform minibatches, and a target network updated every
// `target_network_frequency` steps (tau 1: copied). Options: double DQN (van Hasselt
// et al. 2016), a dueling head (Wang et al. 2016) and prioritized replay (Schaul et
// al. 2016, with importance weights and beta annealed to 1).
#pragma once
#include <torch/torch.h>

#include "agents/common/learner.h"
#include "agents/common/trainer.h"

namespace rlarena {

// Q(s, .) from an MLP; dueling: a shared trunk, then V(s) + A(s, a) - mean_a A(s, a).
struct QNetworkImpl : torch::nn::Module {
  QNetworkImpl(int64_t obs_dim, int64_t actions, const std::vector<int64_t>& hidden, bool dueling);
  torch::Tensor forward(const torch::Tensor& obs);
  bool dueling;
  torch::nn::Sequential q{nullptr}, trunk{nullptr}, value{nullptr}, advantage{nullptr};
};
TORCH_MODULE(QNetwork);

class DqnLearner : public Learner {
 public:
  // Recipe keys: seed, gamma, learning_rate, tau, double_dqn, dueling, td_loss, max_grad_norm, hidden.
  DqnLearner(const Recipe& recipe, const Space& observations, const Space& actions);
  static std::vector<KeySpec> keys();

  std::vector<std::string> loss_names() const override { return {"td_loss", "q_value"}; }
  // One gradient step on the (importance-weighted, where the batch has weights) squared TD error.
  Losses update(const Minibatch& batch) override;
  // |TD error| of each row of the last update (new priorities for prioritized replay).
  const torch::Tensor& td_errors() const { return td_errors_; }
  torch::optim::Adam& optimizer() { return optimizer_; }
  // target <- tau * Q + (1 - tau) * target.
  void update_target();
  void declare(Parts& parts) override;
  using Learner::act;
  // Greedy, or (stochastic) epsilon-greedy with CleanRL's evaluation epsilon of 0.05.
  void act(const torch::Tensor& obs, Acting acting, void* actions) override;
  // Epsilon-greedy actions (env values: index + the space's start) drawn from `rng`.
  void act_epsilon_greedy(const torch::Tensor& obs, double epsilon, Rng& rng, int64_t* actions);

  QNetwork& q() { return q_; }

 protected:
  // A term added to the TD loss from the batch and Q(s, .) [B, n]: none for DQN
  // (discrete CQL adds its conservative penalty and writes its own columns of `losses`).
  virtual torch::Tensor loss_regularizer(const Minibatch& batch, const torch::Tensor& q_all, Losses& losses);

  bool seeded_;
  int64_t n_actions_;
  QNetwork q_, target_;
  double gamma_, tau_;
  bool double_, huber_;
  double max_grad_norm_;
  torch::optim::Adam optimizer_;
  Rng rng_;  // stochastic evaluation's epsilon
  torch::Tensor td_errors_;
};

namespace dqn {
Algorithm algorithm();
}  // namespace dqn

}  // namespace rlarena
