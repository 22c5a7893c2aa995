#include "offline/td3_bc.h"

#include "agents/algorithms.h"

namespace rlarena {

torch::Tensor td3_bc_actor_loss(const torch::Tensor& q1, const torch::Tensor& pi, const torch::Tensor& actions,
                                double alpha) {
  const torch::Tensor lambda = alpha / q1.abs().mean().detach();
  return -lambda * q1.mean() + (pi - actions).pow(2).mean();
}

std::vector<KeySpec> Td3BcLearner::keys() {
  std::vector<KeySpec> keys = Td3Learner::keys();
  keys.push_back({"alpha", "2.5", "weight of the Q term against the BC term (lambda = alpha / mean |Q|)"});
  keys.push_back({"normalize_states", "true", "normalize observations by the dataset's mean and std"});
  return keys;
}

Td3BcLearner::Td3BcLearner(const Recipe& r, const Space& observations, const Space& actions)
    : Td3Learner(r, observations, actions),
      alpha_(r.number_in("alpha", 0, 1e6)),
      normalize_states_(r.flag("normalize_states")),
      stats_(obs_dim_) {}

void Td3BcLearner::declare(Parts& parts) {
  Td3Learner::declare(parts);
  stats_.declare(parts, "td3_bc/stats");
}

torch::Tensor Td3BcLearner::actor_objective(const Minibatch& batch, const torch::Tensor& pi, const torch::Tensor& q1) {
  return td3_bc_actor_loss(q1, pi, batch.actions, alpha_);
}

namespace td3_bc {

Algorithm algorithm() { return offline_algorithm<Td3BcLearner>("td3_bc", "TD3+BC: TD3 with a behavioural-cloning term, offline, Box actions", 1000000); }

const bool registered = register_algorithm(&algorithm);

}  // namespace td3_bc

}  // namespace rlarena
