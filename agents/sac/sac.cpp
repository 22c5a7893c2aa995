#include "agents/sac/sac.h"

#include <cmath>

#include "agents/common/checkpoint.h"
#include "agents/common/distributions.h"
#include "agents/common/networks.h"
#include "agents/common/optim.h"
#include "agents/offpolicy/loop.h"
#include "agents/offpolicy/targets.h"

namespace rlarena::sac {

namespace {

constexpr double kLogStdMin = -5, kLogStdMax = 2;  // CleanRL's bounds on the actor's log std

class Sac final : public OffPolicyTrainer {
 public:
  Sac(const Recipe& r, const TrainerOptions& options)
      : OffPolicyTrainer(r, options, false, true),
        act_dim_(loop_.action_space().numel()),
        actor_(mlp(loop_.obs_dim(), r.list("hidden"), 2 * act_dim_, Activation::ReLU, 1.0, false)),
        critic_(2, loop_.obs_dim() + act_dim_, r.list("hidden"), 1),
        critic_target_(2, loop_.obs_dim() + act_dim_, r.list("hidden"), 1),
        log_alpha_(torch::full({1}, std::log(r.number_in("alpha", 0, 1e6))).requires_grad_(true)),
        autotune_(r.flag("autotune")),
        target_entropy_(-static_cast<double>(act_dim_)),
        tau_(r.number_in("tau", 0, 1)),
        policy_frequency_(r.integer("policy_frequency", 1)),
        target_frequency_(r.integer("target_network_frequency", 1)),
        actor_opt_(actor_->parameters(), torch::optim::AdamOptions(r.number_in("policy_lr", 1e-12, 1))),
        critic_opt_(critic_->parameters(), torch::optim::AdamOptions(r.number_in("q_lr", 1e-12, 1))),
        alpha_opt_({log_alpha_}, torch::optim::AdamOptions(r.number_in("q_lr", 1e-12, 1))),
        rng_(static_cast<uint64_t>(r.integer("seed")) + 0x5ac) {
    if (loop_.action_space().kind() != Space::Kind::Box)
      throw Error("sac: " + r.text("env") + " has discrete actions; SAC here is for Box actions (use dqn or ppo)");
    log_scale_sum_ = loop_.bounds().scale.log().sum().item<double>();
    soft_update(*critic_target_, *critic_, 1.0);
    alpha_ = log_alpha_.exp().item<double>();
  }

  std::vector<std::string> loss_names() const override { return {"qf_loss", "qf_value", "actor_loss", "alpha", "alpha_loss"}; }

  void save(StateMap& s) override {
    put_module(s, "actor", *actor_);
    put_module(s, "critic", *critic_);
    put_module(s, "critic_target", *critic_target_);
    put_tensor(s, "log_alpha", log_alpha_);
    put_optimizer(s, "actor_opt", actor_opt_);
    put_optimizer(s, "critic_opt", critic_opt_);
    put_optimizer(s, "alpha_opt", alpha_opt_);
    put_state(s, "sac/updates", updates_);
    put_state(s, "sac/rng", rng_.state());
    loop_.save(s);
  }
  void load(const StateMap& s) override {
    get_module(s, "actor", *actor_);
    get_module(s, "critic", *critic_);
    get_module(s, "critic_target", *critic_target_);
    get_tensor(s, "log_alpha", log_alpha_);
    alpha_ = log_alpha_.exp().item<double>();
    get_optimizer(s, "actor_opt", actor_opt_);
    get_optimizer(s, "critic_opt", critic_opt_);
    get_optimizer(s, "alpha_opt", alpha_opt_);
    updates_ = get_state_value<int64_t>(s, "sac/updates");
    rng_.set_state(get_state_value<Rng::State>(s, "sac/rng"));
    loop_.load(s);
  }
 private:
  void act_into(const torch::Tensor& obs, bool deterministic, void* actions) override {
    const torch::Tensor a = policy(obs, deterministic).first.contiguous();
    std::memcpy(actions, a.data_ptr<float>(), a.numel() * sizeof(float));
  }

  // A reparameterized action in the env's bounds and its log-probability; the mode
  // (tanh of the mean) when deterministic.
  std::pair<torch::Tensor, torch::Tensor> policy(const torch::Tensor& obs, bool deterministic) {
    const auto out = actor_->forward(obs).chunk(2, -1);
    const torch::Tensor log_std = kLogStdMin + 0.5 * (kLogStdMax - kLogStdMin) * (torch::tanh(out[1]) + 1);
    const TanhGaussian dist(out[0], log_std);
    const ActionBounds& b = loop_.bounds();
    if (deterministic) return {dist.mode() * b.scale + b.bias, torch::Tensor()};
    auto [a, log_prob] = dist.rsample(rng_);
    return {a * b.scale + b.bias, log_prob - log_scale_sum_};
  }

  torch::Tensor min_q(EnsembleMLP& critic, const torch::Tensor& obs, const torch::Tensor& actions) {
    return std::get<0>(critic->forward(torch::cat({obs, actions}, -1)).min(0)).squeeze(-1);
  }

  void update(LossMeans& losses) override {
    const Minibatch mb = loop_.sample();
    torch::Tensor target;
    {
      torch::NoGradGuard no_grad;
      auto [next_a, next_log_prob] = policy(mb.next_obs, false);
      const torch::Tensor next_q = critic_target_->forward(torch::cat({mb.next_obs, next_a}, -1)).squeeze(-1);
      target = td_target(mb.rewards, mb.terminated, sac_next_value(next_q, next_log_prob, alpha_), loop_.gamma());
    }
    const torch::Tensor q = critic_->forward(torch::cat({mb.obs, mb.actions}, -1)).squeeze(-1);  // [2, B]
    const torch::Tensor qf_loss = (q - target).pow(2).mean(1).sum();  // MSE of each critic, summed
    critic_opt_.zero_grad();
    qf_loss.backward();
    critic_opt_.step();
    losses.add(0, qf_loss.item<double>()), losses.add(1, q.mean().item<double>());

    if (updates_ % policy_frequency_ == 0) {
      set_requires_grad(*critic_, false);  // no critic weight gradients in actor steps
      for (int64_t k = 0; k < policy_frequency_; ++k) {
        auto [pi, log_prob] = policy(mb.obs, false);
        const torch::Tensor actor_loss = (alpha_ * log_prob - min_q(critic_, mb.obs, pi)).mean();
        actor_opt_.zero_grad();
        actor_loss.backward();
        actor_opt_.step();
        losses.add(2, actor_loss.item<double>());
        if (autotune_) {
          // The temperature step reuses this actor step's log-probabilities (as SB3 does).
          const torch::Tensor alpha_loss = sac_alpha_loss(log_alpha_, log_prob, target_entropy_);
          alpha_opt_.zero_grad();
          alpha_loss.backward();
          alpha_opt_.step();
          alpha_ = log_alpha_.exp().item<double>();
          losses.add(4, alpha_loss.item<double>());
        }
      }
      set_requires_grad(*critic_, true);
    }
    losses.add(3, alpha_);
    if (updates_ % target_frequency_ == 0) soft_update(*critic_target_, *critic_, tau_);
    ++updates_;
  }


  int64_t act_dim_;
  torch::nn::Sequential actor_;
  EnsembleMLP critic_, critic_target_;
  torch::Tensor log_alpha_;
  double log_scale_sum_ = 0, alpha_ = 0;
  bool autotune_;
  double target_entropy_, tau_;
  int64_t policy_frequency_, target_frequency_;
  torch::optim::Adam actor_opt_, critic_opt_, alpha_opt_;
  Rng rng_;  // the policy's noise
  int64_t updates_ = 0;
};

}  // namespace

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("sac", "Pendulum-v1", 1000000, 1);
  for (auto& k : OffPolicyLoop::keys(1000000, 256, 5000)) keys.push_back(k);
  for (auto& k : std::vector<KeySpec>{{"tau", "0.005", "target smoothing coefficient"},
                                      {"policy_lr", "0.0003", "actor step size"},
                                      {"q_lr", "0.001", "critic and temperature step size"},
                                      {"policy_frequency", "2", "actor steps every this many critic steps (as many at once)"},
                                      {"target_network_frequency", "1", "critic steps between target updates"},
                                      {"alpha", "0.2", "entropy temperature (initial value when autotune)"},
                                      {"autotune", "true", "learn the temperature towards entropy -|A|"},
                                      {"hidden", "256,256", "hidden layer sizes of actor and critics"},
                                      {"log_every", "1000", "env steps per metrics row"}})
    keys.push_back(k);
  return {"sac", "Soft Actor-Critic with automatic entropy tuning, Box actions", keys,
          [](const Recipe& r, const TrainerOptions& o) { return std::make_unique<Sac>(r, o); }};
}

}  // namespace rlarena::sac
