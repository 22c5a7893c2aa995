#include "agents/a2c/a2c.h"

#include "agents/common/checkpoint.h"
#include "agents/common/optim.h"
#include "agents/onpolicy/rollout.h"

namespace rlarena::a2c {

namespace {

class A2c final : public Trainer {
 public:
  A2c(const Recipe& r, const TrainerOptions& options)
      : seeded_(seed_torch(static_cast<uint64_t>(r.integer("seed")))),
        total_(r.integer("total_steps", 1)),
        rollout_(r, options, total_),
        agent_(rollout_.obs_dim(), rollout_.venv().action_space(), r.list("hidden"),
               r.text("activation") == "relu" ? Activation::ReLU : Activation::Tanh, r.number("log_std_init")),
        lr_(r.number_in("learning_rate", 1e-12, 1)),
        ent_coef_(r.number("ent_coef")),
        vf_coef_(r.number("vf_coef")),
        max_grad_norm_(r.number_in("max_grad_norm", 0, 1e9)),
        anneal_(r.flag("anneal_lr")),
        norm_adv_(r.flag("norm_adv")),
        optimizer_(agent_.parameters(), torch::optim::RMSpropOptions(lr_).alpha(0.99).eps(1e-5)) {
    if (r.text("activation") != "relu" && r.text("activation") != "tanh")
      throw Error("activation = " + r.text("activation") + " is not known; give tanh or relu");
  }

  std::vector<std::string> loss_names() const override {
    return {"policy_loss", "value_loss", "entropy", "learning_rate"};
  }
  int64_t global_step() const override { return rollout_.global_step(); }
  int64_t total_steps() const override { return total_; }
  const Space& observation_space() const override { return const_cast<A2c*>(this)->rollout_.venv().observation_space(); }
  const Space& action_space() const override { return const_cast<A2c*>(this)->rollout_.venv().action_space(); }
  const ReplayStore& store() const override { return rollout_.store(); }

  Report iterate(const std::atomic<bool>&) override {
    const int64_t batch = rollout_.batch_size();
    const double frac = 1.0 - static_cast<double>(rollout_.global_step() / batch) / (total_ / batch);
    const double lr = anneal_ ? frac * lr_ : lr_;
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

  void save(StateMap& s) override {
    put_module(s, "agent", agent_);
    put_optimizer(s, "optimizer", optimizer_);
    rollout_.save(s);
  }
  void load(const StateMap& s) override {
    get_module(s, "agent", agent_);
    get_optimizer(s, "optimizer", optimizer_);
    rollout_.load(s);
  }
  void act(const void* obs, int64_t n, bool deterministic, void* actions) override {
    rollout_.act(agent_, obs, n, deterministic, actions);
  }

 private:
  bool seeded_;
  int64_t total_;
  OnPolicyRollout rollout_;
  ActorCritic agent_;
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
                                      {"max_grad_norm", "0.5", "gradient norm clip"},
                                      {"hidden", "64,64", "hidden layer sizes, comma-separated"},
                                      {"activation", "tanh", "hidden activation: tanh or relu"},
                                      {"log_std_init", "0", "initial log std of continuous actions"}})
    keys.push_back(k);
  return {"a2c", "Advantage Actor-Critic (synchronous, n-step), discrete or continuous actions", keys,
          [](const Recipe& r, const TrainerOptions& o) { return std::make_unique<A2c>(r, o); }};
}

}  // namespace rlarena::a2c
