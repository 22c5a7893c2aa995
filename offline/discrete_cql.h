// Discrete CQL (Kumar et al. 2020, CQL(H) for discrete actions) on DQN's learner: the
// TD loss plus cql_alpha * (logsumexp_a Q(s, a) - Q(s, a_data)), with the target
// network copied every target_network_frequency gradient steps. For CartPole- and
// LunarLander-style datasets.
#pragma once
#include "agents/dqn/dqn.h"
#include "offline/trainer.h"

namespace rlarena {

// mean over the batch of logsumexp_a Q(s, a) - Q(s, a_data), from Q(s, .) [B, n] and actions [B].
torch::Tensor discrete_cql_gap(const torch::Tensor& q_all, const torch::Tensor& actions);

class DiscreteCqlLearner : public DqnLearner {
 public:
  // Recipe keys: DQN's learner's, cql_alpha, target_network_frequency.
  DiscreteCqlLearner(const Recipe& recipe, const Space& observations, const Space& actions);
  static std::vector<KeySpec> keys();

  std::vector<std::string> loss_names() const override { return {"td_loss", "q_value", "cql_gap"}; }
  Losses update(const Minibatch& batch) override;
  void declare(Parts& parts) override;

 protected:
  torch::Tensor loss_regularizer(const Minibatch& batch, const torch::Tensor& q_all, Losses& losses) override;

 private:
  double cql_alpha_;
  int64_t target_frequency_, updates_ = 0;
};

namespace discrete_cql {
Algorithm algorithm();
}  // namespace discrete_cql

}  // namespace rlarena
