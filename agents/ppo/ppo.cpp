#include "agents/ppo/ppo.h"

#include "agents/common/optim.h"
#include "agents/onpolicy/rollout.h"
#include "agents/ppo/losses.h"

namespace rlarena::ppo {

namespace {

class Ppo final : public OnPolicyTrainer {
 public:
  Ppo(const Recipe& r, const TrainerOptions& options)
      : OnPolicyTrainer(r, options),
        lr_(r.number_in("learning_rate", 1e-12, 1)),
        epochs_(r.integer("epochs", 1)),
        minibatches_(r.integer("minibatches", 1)),
        clip_(r.number_in("clip_coef", 0, 10)),
        ent_coef_(r.number("ent_coef")),
        vf_coef_(r.number("vf_coef")),
        max_grad_norm_(r.number_in("max_grad_norm", 0, 1e9)),
        anneal_(r.flag("anneal_lr")),
        norm_adv_(r.flag("norm_adv")),
        clip_vloss_(r.flag("clip_vloss")),
        optimizer_(agent_.parameters(), torch::optim::AdamOptions(lr_).eps(1e-5)) {
    if (rollout_.batch_size() < minibatches_)
      throw Error("num_envs * num_steps = " + std::to_string(rollout_.batch_size()) + " is less than minibatches = " +
                  std::to_string(minibatches_) + "; give fewer minibatches");
  }

  std::vector<std::string> loss_names() const override {
    return {"policy_loss", "value_loss", "entropy", "approx_kl", "clip_fraction", "learning_rate"};
  }

  Report iterate(const std::atomic<bool>&) override {
    const double lr = step_size(lr_, anneal_);
    set_learning_rate(optimizer_, lr);
    Report report;
    const RolloutData d = rollout_.collect(agent_, report);
    const int64_t batch = rollout_.batch_size(), minibatch = batch / minibatches_;
    LossMeans losses(loss_names().size());
    for (int64_t epoch = 0; epoch < epochs_; ++epoch) {
      const torch::Tensor order = permutation(rollout_.rng(), batch);
      for (int64_t start = 0; start + minibatch <= batch; start += minibatch) {
        const torch::Tensor idx = order.slice(0, start, start + minibatch);
        const torch::Tensor obs = d.obs.index_select(0, idx);
        auto [log_prob, entropy] = agent_.evaluate(obs, d.actions.index_select(0, idx));
        torch::Tensor adv = d.advantages.index_select(0, idx);
        if (norm_adv_) adv = (adv - adv.mean()) / (adv.std() + 1e-8);
        const PolicyLoss pg = clipped_policy_loss(log_prob, d.log_probs.index_select(0, idx), adv, clip_);
        const torch::Tensor v_loss = value_loss(agent_.value(obs), d.returns.index_select(0, idx),
                                                d.values.index_select(0, idx), clip_vloss_ ? clip_ : 0.0);
        const torch::Tensor ent = entropy.mean();
        const torch::Tensor loss = pg.loss - ent_coef_ * ent + vf_coef_ * v_loss;
        optimizer_.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(agent_.parameters(), max_grad_norm_);
        optimizer_.step();
        losses.add(0, pg.loss.item<double>()), losses.add(1, v_loss.item<double>()), losses.add(2, ent.item<double>());
        losses.add(3, pg.approx_kl.item<double>()), losses.add(4, pg.clip_fraction.item<double>());
      }
    }
    losses.add(5, lr);
    report.losses = losses.means();
    return report;
  }

 private:
  torch::optim::Optimizer& optimizer() override { return optimizer_; }

  double lr_;
  int64_t epochs_, minibatches_;
  double clip_, ent_coef_, vf_coef_, max_grad_norm_;
  bool anneal_, norm_adv_, clip_vloss_;
  torch::optim::Adam optimizer_;
};

}  // namespace

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("ppo", "CartPole-v1", 500000, 8);
  for (auto& k : OnPolicyRollout::keys(128, 0.95, false, false)) keys.push_back(k);
  for (auto& k : std::vector<KeySpec>{{"learning_rate", "0.00025", "Adam step size"},
                                      {"anneal_lr", "true", "anneal the learning rate linearly to 0"},
                                      {"epochs", "4", "passes over each rollout"},
                                      {"minibatches", "4", "minibatches per pass"},
                                      {"clip_coef", "0.2", "PPO ratio clip"},
                                      {"clip_vloss", "true", "clip the value loss"},
                                      {"norm_adv", "true", "normalize advantages per minibatch"},
                                      {"ent_coef", "0.01", "entropy bonus weight"},
                                      {"vf_coef", "0.5", "value loss weight"},
                                      {"max_grad_norm", "0.5", "gradient norm clip"}})
    keys.push_back(k);
  for (auto& k : OnPolicyTrainer::network_keys()) keys.push_back(k);
  return {"ppo", "Proximal Policy Optimization (clipped), discrete or continuous actions", keys,
          [](const Recipe& r, const TrainerOptions& o) { return std::make_unique<Ppo>(r, o); }};
}

}  // namespace rlarena::ppo
