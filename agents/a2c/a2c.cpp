#include "agents/a2c/a2c.h"

#include <cmath>

#include "agents/distributed/world.h"
#include "agents/onpolicy/trainer.h"

namespace rlarena {

std::vector<KeySpec> A2cLearner::keys() {
  std::vector<KeySpec> keys = OnPolicyLearner::keys();
  set_default(keys, "learning_rate", "0.0007");
  set_default(keys, "anneal_lr", "false");
  for (auto& k : std::vector<KeySpec>{{"norm_adv", "false", "normalize advantages per rollout"},
                                      {"ent_coef", "0.0", "entropy bonus weight"},
                                      {"vf_coef", "0.5", "value loss weight"},
                                      {"max_grad_norm", "0.5", "gradient norm clip"}})
    keys.push_back(k);
  return keys;
}

A2cLearner::A2cLearner(const Recipe& r, const Space& observations, const Space& actions)
    : OnPolicyLearner(r, observations, actions),
      ent_coef_(r.number("ent_coef")),
      vf_coef_(r.number("vf_coef")),
      max_grad_norm_(r.number_in("max_grad_norm", 0, 1e9)),
      norm_adv_(r.flag("norm_adv")),
      optimizer_(agent_.parameters(), torch::optim::RMSpropOptions(lr_).alpha(0.99).eps(1e-5)) {}

Losses A2cLearner::update(const Minibatch& d) {
  torch::Tensor values;
  auto [log_prob, entropy] = agent_.evaluate(d.obs, d.actions, d.masks, &values);
  torch::Tensor adv = d.advantages;
  if (norm_adv_) adv = (adv - adv.mean()) / (adv.std() + 1e-8);
  const torch::Tensor policy_loss = -(adv * log_prob).mean();
  const torch::Tensor value_loss = (values - d.returns).pow(2).mean();
  const torch::Tensor ent = entropy.mean();
  const torch::Tensor loss = policy_loss + vf_coef_ * value_loss - ent_coef_ * ent;
  optimizer_.zero_grad();
  loss.backward();
  average_gradients_over_ranks(optimizer_);
  torch::nn::utils::clip_grad_norm_(agent_.parameters(), max_grad_norm_);
  optimizer_.step();
  return {policy_loss.item<double>(), value_loss.item<double>(), ent.item<double>(), std::nan("")};
}

Losses A2cLearner::learn(const Minibatch& rollout, double remaining) {
  const double lr = set_step_size(remaining);
  Losses losses = update(rollout);
  losses.back() = lr;
  return losses;
}

namespace a2c {

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("a2c", "CartPole-v1", 500000, 8);
  for (auto& k : OnPolicyRollout::keys()) keys.push_back(k);
  for (auto& k : A2cLearner::keys()) keys.push_back(k);
  set_default(keys, "num_steps", "5");
  set_default(keys, "gae_lambda", "1");
  const auto make = [](const Recipe& r, const Space& obs, const Space& act) {
    return std::make_unique<A2cLearner>(r, obs, act);
  };
  return {"a2c", "Advantage Actor-Critic (synchronous, n-step), discrete or continuous actions", keys,
          [make](const Recipe& r, const TrainerOptions& o) -> std::unique_ptr<Trainer> {
            return std::make_unique<OnPolicyTrainer>(r, o, make);
          },
          [make](const Recipe& r, const Space& obs, const Space& act) -> std::unique_ptr<Learner> {
            return make(r, obs, act);
          }};
}

}  // namespace a2c

}  // namespace rlarena
