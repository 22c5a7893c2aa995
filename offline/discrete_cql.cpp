#include "offline/discrete_cql.h"

#include "agents/algorithms.h"

namespace rlarena {

torch::Tensor discrete_cql_gap(const torch::Tensor& q_all, const torch::Tensor& actions) {
  return (torch::logsumexp(q_all, 1) - q_all.gather(1, actions.unsqueeze(1)).squeeze(1)).mean();
}

std::vector<KeySpec> DiscreteCqlLearner::keys() {
  std::vector<KeySpec> keys = DqnLearner::keys();
  set_default(keys, "learning_rate", "0.001");
  keys.push_back({"cql_alpha", "1.0", "weight of the conservative penalty (d3rlpy's DiscreteCQL default)"});
  keys.push_back({"target_network_frequency", "500", "gradient steps between copies of the Q network to its target"});
  return keys;
}

DiscreteCqlLearner::DiscreteCqlLearner(const Recipe& r, const Space& observations, const Space& actions)
    : DqnLearner(r, observations, actions),
      cql_alpha_(r.number_in("cql_alpha", 0, 1e6)),
      target_frequency_(r.integer("target_network_frequency", 1)) {}

torch::Tensor DiscreteCqlLearner::loss_regularizer(const Minibatch& mb, const torch::Tensor& q_all, Losses& losses) {
  const torch::Tensor gap = discrete_cql_gap(q_all, mb.actions);
  losses[2] = gap.item<double>();
  return cql_alpha_ * gap;
}

Losses DiscreteCqlLearner::update(const Minibatch& batch) {
  Losses losses = DqnLearner::update(batch);
  if (++updates_ % target_frequency_ == 0) update_target();
  return losses;
}

void DiscreteCqlLearner::declare(Parts& parts) {
  DqnLearner::declare(parts);
  parts.value("discrete_cql/updates", updates_);
}

namespace discrete_cql {

Algorithm algorithm() {
  return offline_algorithm<DiscreteCqlLearner>("discrete_cql", "CQL on DQN's learner (offline), Discrete actions",
                                               100000);
}

const bool registered = register_algorithm(&algorithm);

}  // namespace discrete_cql

}  // namespace rlarena
