// CQL (Kumar et al. 2020, CQL(H)) on SAC's learner, with CORL's cql.py settings: the
// critics' loss adds cql_alpha * (logsumexp_a Q(s, a) - Q(s, a_data)), the logsumexp
// importance-sampled over cql_n_actions uniform, current-policy and next-policy actions
// each (all of them through the critics in one batched pass); or, with cql_lagrange, a
// learned multiplier that holds the gap at cql_target_action_gap. Observations are
// normalized by the dataset's mean and std, rewards (normalize_reward) scaled by 1000 /
// (max - min episode return) as CORL's hopper configs do; the TD target leaves out the
// entropy term.
// Where it is SAC's rather than CORL's: the critic steps before the actor (the paper's
// Algorithm 1; CORL steps the actor first), the actor's log std maps tanh into [-5, 2]
// (CleanRL's), the temperature steps at q_lr, and weights start at torch's defaults.
#pragma once
#include "agents/sac/sac.h"
#include "offline/dataset_stats.h"
#include "offline/trainer.h"

namespace rlarena {

// The conservative gap per critic [K]: mean over the batch of
// temp * logsumexp(q_sampled / temp) - q_data, where q_sampled [K, B, M] are the critics'
// values of the sampled actions minus their log-densities, q_data [K, B].
torch::Tensor cql_gap(const torch::Tensor& q_sampled, const torch::Tensor& q_data, double temp);

class CqlLearner : public SacLearner, public FitsDataset {
 public:
  // Recipe keys: SAC's, cql_alpha, cql_n_actions, cql_temp, cql_lagrange,
  // cql_target_action_gap, normalize_states, normalize_reward.
  CqlLearner(const Recipe& recipe, const Space& observations, const Space& actions);
  static std::vector<KeySpec> keys();

  std::vector<std::string> loss_names() const override;
  Losses update(const Minibatch& batch) override { return SacLearner::update(stats_.apply(batch)); }
  void declare(Parts& parts) override;
  void fit(const ReplayStore& dataset) override { stats_.fit(dataset, normalize_states_, normalize_reward_); }
  const DatasetStats& stats() const { return stats_; }  // what fit() found
  using Learner::act;
  void act(const torch::Tensor& obs, Acting acting, void* actions) override {
    SacLearner::act(stats_.normalize(obs), acting, actions);
  }

  // The critics' values [K, B, 3M] of M uniform, M current-policy and M next-policy
  // actions per state, each minus its log-density, from one batched critic pass.
  torch::Tensor sampled_q(const torch::Tensor& obs, const torch::Tensor& next_obs);

 protected:
  torch::Tensor critic_regularizer(const Minibatch& batch, const torch::Tensor& q, Losses& losses) override;

 private:
  double cql_alpha_, temp_, target_gap_;
  int64_t n_actions_;
  bool lagrange_, normalize_states_, normalize_reward_;
  torch::Tensor log_alpha_prime_;
  torch::optim::Adam alpha_prime_opt_;
  DatasetStats stats_;
};

namespace cql {
Algorithm algorithm();
}  // namespace cql

}  // namespace rlarena
