// PPO (Schulman et al. 2017) as CleanRL's ppo.py and ppo_continuous_action.py run it:
// N envs stepped T steps into the ReplayStore, GAE over the segment, then `epochs`
// passes of `minibatches` shuffled minibatches of the clipped objective with an
// entropy bonus, a (clipped) value loss, advantage normalization, learning-rate
// annealing and gradient-norm clipping. Truncated episodes bootstrap from final_obs.
// Data-parallel over ranks (agents/distributed/world.h): gradients averaged per minibatch.
#pragma once
#include "agents/common/trainer.h"
#include "agents/onpolicy/learner.h"

namespace rlarena {

class PpoLearner : public OnPolicyLearner {
 public:
  // Recipe keys: OnPolicyLearner's, epochs, minibatches, clip_coef, clip_vloss,
  // norm_adv, ent_coef, vf_coef, max_grad_norm.
  PpoLearner(const Recipe& recipe, const Space& observations, const Space& actions, int64_t actor_inputs = 0,
             uint64_t seed_offset = 0);
  static std::vector<KeySpec> keys();

  std::vector<std::string> loss_names() const override {
    return {"policy_loss", "value_loss", "entropy", "approx_kl", "clip_fraction", "learning_rate"};
  }
  // One step of the clipped objective on a minibatch of rollout rows (obs, actions,
  // log_probs, values, advantages, returns), advantages normalized within it when asked.
  // In a distributed run the gradients are averaged over the ranks before clipping and
  // the step (each rank's minibatch is its share; advantages are normalized per rank,
  // as CleanRL's multi-GPU PPO does).
  Losses update(const Minibatch& batch) override;
  // The objective of that step (to minimize), its parts written into `losses`.
  torch::Tensor loss(const Minibatch& batch, Losses& losses);
  // `epochs` passes over the rollout in `minibatches` shuffled minibatches.
  Losses learn(const Minibatch& rollout, double remaining) override;

 public:
  torch::optim::Optimizer& optimizer() override { return optimizer_; }

 protected:

  int64_t epochs_, minibatches_;
  double clip_, ent_coef_, vf_coef_, max_grad_norm_;
  bool norm_adv_, clip_vloss_;
  torch::optim::Adam optimizer_;
};

namespace ppo {
Algorithm algorithm();
}  // namespace ppo

}  // namespace rlarena
