#include "agents/a2c/a2c.h"

#include "agents/common/optim.h"
#include "agents/onpolicy/rollout.h"

namespace rlarena::a2c {

namespace {

class A2c final : public OnPolicyTrainer {
 public:
  A2c(const Recipe& r, const TrainerOptions& options)
      : OnPolicyTrainer(r, options),
        lr_(r.number_in("learning_rate", 1e-12, 1)),
        ent_coef_(r.number("ent_coef")),
        vf_coef_(r.number("vf_coef")),
        max_grad_norm_(r.number_in("max_grad_norm", 0, 1e9)),
        anneal_(r.flag("anneal_lr")),
        norm_adv_(r.flag("norm_adv")),
        optimizer_(agent_.parameters(), torch::optim::RMSpropOptions(lr_).alpha(0.99).eps(1e-5)) {}

  std::vector<std::string> loss_names() const override {
    return {"policy_loss", "value_loss", "entropy", "learning_rate"};
  }

  Report iterate(const std::atomic<bool>&) override {
    const double lr = step_size(lr_, anneal_);
    set_learning_rate(optimizer_, lr);
    Report report;
    const RolloutData d = rollout_.collect(agent_, report);
    // One gradient step on the whole rollout: -E[A log pi] + c_v E[(V - R)^2] - c_e H.
    auto [log_prob, entropy] = agent_.evaluate(d.obs, d.actions);
    torch::Tensor adv = d.advantages;
    if (norm_adv_) adv = (adv - adv.mean()) / (adv.std() + 1e-8);
    const torch::Tensor policy_loss = -(adv * log_prob).mean();
    const torch::Tensor value_loss = (agent_.value(d.obs) - d.returns).pow(2).mean();
    const torch::Tensor ent = entropy.mean();
    const torch::Tensor loss = policy_loss + vf_coef_ * value_loss - ent_coef_ * ent;
    optimizer_.zero_grad();
    loss.backward();
    torch::nn::utils::clip_grad_norm_(agent_.parameters(), max_grad_norm_);
    optimizer_.step();
    report.losses = {policy_loss.item<double>(), value_loss.item<double>(), ent.item<double>(), lr};
    return report;
  }

 private:
  torch::optim::Optimizer& optimizer() override { return optimizer_; }

  double lr_, ent_coef_, vf_coef_, max_grad_norm_;
  bool anneal_, norm_adv_;
  torch::optim::RMSprop optimizer_;
};

}  // namespace

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("a2c", "CartPole-v1", 500000, 8);
  for (auto& k : OnPolicyRollout::keys(5, 1.0, false, false)) keys.push_back(k);
  for (auto& k : std::vector<KeySpec>{{"learning_rate", "0.0007", "RMSprop step size"},
                                      {"anneal_lr", "false", "anneal the learning rate linearly to 0"},
                                      {"norm_adv", "false", "normalize advantages per rollout"},
                                      {"ent_coef", "0.0", "entropy bonus weight"},
                                      {"vf_coef", "0.5", "value loss weight"},
                                      {"max_grad_norm", "0.5", "gradient norm clip"}})
    keys.push_back(k);
  for (auto& k : OnPolicyTrainer::network_keys()) keys.push_back(k);
  return {"a2c", "Advantage Actor-Critic (synchronous, n-step), discrete or continuous actions", keys,
          [](const Recipe& r, const TrainerOptions& o) { return std::make_unique<A2c>(r, o); }};
}

}  // namespace rlarena::a2c
