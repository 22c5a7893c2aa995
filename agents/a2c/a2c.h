// A2C (Mnih et al. 2016, synchronous), with Stable-Baselines3's defaults: N envs x
// n-step rollouts (5), plain returns (gae_lambda 1), one RMSprop step per rollout on
// the policy-gradient loss, the squared value error and an entropy bonus. Shares the
// actor-critic network and rollouts with PPO (agents/onpolicy).
#pragma once
#include "agents/common/trainer.h"
#include "agents/onpolicy/learner.h"

namespace rlarena {

class A2cLearner : public OnPolicyLearner {
 public:
  // Recipe keys: OnPolicyLearner's, norm_adv, ent_coef, vf_coef, max_grad_norm.
  A2cLearner(const Recipe& recipe, const Space& observations, const Space& actions);
  static std::vector<KeySpec> keys();

  std::vector<std::string> loss_names() const override {
    return {"policy_loss", "value_loss", "entropy", "learning_rate"};
  }
  // One step on -E[A log pi] + c_v E[(V - R)^2] - c_e H over the rows given.
  Losses update(const Minibatch& batch) override;
  // One update on the whole rollout.
  Losses learn(const Minibatch& rollout, double remaining) override;

 protected:
  torch::optim::Optimizer& optimizer() override { return optimizer_; }

  double ent_coef_, vf_coef_, max_grad_norm_;
  bool norm_adv_;
  torch::optim::RMSprop optimizer_;
};

namespace a2c {
Algorithm algorithm();
}  // namespace a2c

}  // namespace rlarena
