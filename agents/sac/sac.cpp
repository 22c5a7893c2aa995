#include "agents/sac/sac.h"

#include <cmath>
#include <cstring>

#include "agents/common/distributions.h"
#include "agents/distributed/world.h"
#include "agents/offpolicy/targets.h"
#include "agents/offpolicy/trainer.h"

namespace rlarena {

namespace {
constexpr double kLogStdMin = -5, kLogStdMax = 2;  // CleanRL's bounds on the actor's log std
}

std::vector<KeySpec> SacLearner::keys() {
  return {{"gamma", "0.99", "discount"},
          {"tau", "0.005", "target smoothing coefficient"},
          {"policy_lr", "0.0003", "actor step size"},
          {"q_lr", "0.001", "critic and temperature step size"},
          {"policy_frequency", "2", "actor steps every this many critic steps (as many at once)"},
          {"target_network_frequency", "1", "critic steps between target updates"},
          {"alpha", "0.2", "entropy temperature (initial value when autotune)"},
          {"autotune", "true", "learn the temperature towards entropy target_entropy"},
          {"target_entropy", "auto", "the policy entropy autotune aims at; auto: -|A| (the SAC paper's)"},
          {"hidden", "256,256", "hidden layer sizes of actor and critics"}};
}

SacLearner::SacLearner(const Recipe& r, const Space& observations, const Space& actions)
    : Learner(observations, actions),
      seeded_(seed_torch(static_cast<uint64_t>(r.integer("seed")))),
      bounds_(action_bounds(actions, "sac")),
      act_dim_(actions.numel()),
      actor_(mlp(obs_dim_, r.list("hidden"), 2 * act_dim_, Activation::ReLU, Init::torch_default())),
      critic_(2, obs_dim_ + act_dim_, r.list("hidden"), 1),
      critic_target_(2, obs_dim_ + act_dim_, r.list("hidden"), 1),
      log_alpha_(torch::full({1}, std::log(r.number_in("alpha", 0, 1e6))).requires_grad_(true)),
      autotune_(r.flag("autotune")),
      target_entropy_(r.text("target_entropy") == "auto" ? -static_cast<double>(act_dim_)
                                                         : r.number("target_entropy")),
      gamma_(r.number_in("gamma", 0, 1)),
      tau_(r.number_in("tau", 0, 1)),
      policy_frequency_(r.integer("policy_frequency", 1)),
      target_frequency_(r.integer("target_network_frequency", 1)),
      actor_opt_(actor_->parameters(), torch::optim::AdamOptions(r.number_in("policy_lr", 1e-12, 1))),
      critic_opt_(critic_->parameters(), torch::optim::AdamOptions(r.number_in("q_lr", 1e-12, 1))),
      alpha_opt_({log_alpha_}, torch::optim::AdamOptions(r.number_in("q_lr", 1e-12, 1))),
      rng_(rank_seed(static_cast<uint64_t>(r.integer("seed")) + 0x5ac)) {
  log_scale_sum_ = bounds_.scale.log().sum().item<double>();
  soft_update(*critic_target_, *critic_, 1.0);
}

void SacLearner::declare(Parts& p) {
  p.module("actor", *actor_).module("critic", *critic_).module("critic_target", *critic_target_);
  p.tensor("log_alpha", log_alpha_);
  p.optimizer("actor_opt", actor_opt_).optimizer("critic_opt", critic_opt_).optimizer("alpha_opt", alpha_opt_);
  p.value("sac/updates", updates_).rng("sac/rng", rng_);
}

void SacLearner::act(const torch::Tensor& obs, Acting acting, void* actions) {
  const torch::Tensor a = policy(obs, acting).first.contiguous();
  std::memcpy(actions, a.data_ptr<float>(), a.numel() * sizeof(float));
}

std::pair<torch::Tensor, torch::Tensor> SacLearner::policy(const torch::Tensor& obs, Acting acting, int64_t repeats) {
  torch::Tensor params = actor_->forward(obs);
  if (repeats > 1) params = params.repeat_interleave(repeats, 0);
  const auto out = params.chunk(2, -1);
  const torch::Tensor log_std = kLogStdMin + 0.5 * (kLogStdMax - kLogStdMin) * (torch::tanh(out[1]) + 1);
  const TanhGaussian dist(out[0], log_std);
  if (acting == Acting::Deterministic) return {bounds_.from_unit(dist.mode()), torch::Tensor()};
  auto [a, log_prob] = dist.rsample(rng_);
  return {bounds_.from_unit(a), log_prob - log_scale_sum_};
}

torch::Tensor SacLearner::min_q(EnsembleMLP& critic, const torch::Tensor& obs, const torch::Tensor& actions) {
  return std::get<0>(critic->forward(torch::cat({obs, actions}, -1)).min(0)).squeeze(-1);
}

torch::Tensor SacLearner::critic_regularizer(const Minibatch&, const torch::Tensor&, Losses&) { return {}; }

Losses SacLearner::update(const Minibatch& mb) {
  Losses losses(loss_names().size(), std::nan(""));
  torch::Tensor target;
  {
    torch::NoGradGuard no_grad;
    auto [next_a, next_log_prob] = policy(mb.next_obs, Acting::Stochastic);
    const torch::Tensor next_q = critic_target_->forward(torch::cat({mb.next_obs, next_a}, -1)).squeeze(-1);
    target = td_target(mb.rewards, mb.terminated,
                       sac_next_value(next_q, next_log_prob, backup_entropy_ ? alpha() : 0.0), gamma_);
  }
  const torch::Tensor q = critic_->forward(torch::cat({mb.obs, mb.actions}, -1)).squeeze(-1);  // [2, B]
  torch::Tensor qf_loss = (q - target).pow(2).mean(1).sum();  // MSE of each critic, summed
  if (const torch::Tensor extra = critic_regularizer(mb, q, losses); extra.defined()) qf_loss = qf_loss + extra;
  critic_opt_.zero_grad();
  qf_loss.backward();
  average_gradients_over_ranks(critic_opt_);
  critic_opt_.step();
  losses[0] = qf_loss.item<double>(), losses[1] = q.mean().item<double>();

  if (updates_ % policy_frequency_ == 0) {
    set_requires_grad(*critic_, false);  // no critic weight gradients in actor steps
    double actor_sum = 0, alpha_sum = 0;
    for (int64_t k = 0; k < policy_frequency_; ++k) {
      auto [pi, log_prob] = policy(mb.obs, Acting::Stochastic);
      const torch::Tensor actor_loss = (alpha() * log_prob - min_q(critic_, mb.obs, pi)).mean();
      actor_opt_.zero_grad();
      actor_loss.backward();
      average_gradients_over_ranks(actor_opt_);
      actor_opt_.step();
      actor_sum += actor_loss.item<double>();
      if (autotune_) {
        // The temperature step reuses this actor step's log-probabilities (as SB3 does).
        const torch::Tensor alpha_loss = sac_alpha_loss(log_alpha_, log_prob, target_entropy_);
        alpha_opt_.zero_grad();
        alpha_loss.backward();
        average_gradients_over_ranks(alpha_opt_);
        alpha_opt_.step();
        alpha_sum += alpha_loss.item<double>();
      }
    }
    set_requires_grad(*critic_, true);
    losses[2] = actor_sum / policy_frequency_;
    if (autotune_) losses[4] = alpha_sum / policy_frequency_;
  }
  losses[3] = alpha();
  if (updates_ % target_frequency_ == 0) soft_update(*critic_target_, *critic_, tau_);
  ++updates_;
  return losses;
}

namespace sac {

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("sac", "Pendulum-v1", 1000000, 1);
  for (auto& k : OffPolicyTrainer::keys()) keys.push_back(k);
  for (auto& k : SacLearner::keys()) keys.push_back(k);
  const auto make_learner = [](const Recipe& r, const Space& obs, const Space& act) -> std::unique_ptr<Learner> {
    return std::make_unique<SacLearner>(r, obs, act);
  };
  return {"sac", "Soft Actor-Critic with automatic entropy tuning, Box actions", keys,
          [make_learner](const Recipe& r, const TrainerOptions& o) -> std::unique_ptr<Trainer> {
            SamplerOptions sampling;
            sampling.seed = static_cast<uint64_t>(r.integer("seed")) + 1;
            return std::make_unique<OffPolicyTrainer>(r, o, make_learner, sampling);
          },
          make_learner};
}

}  // namespace sac

}  // namespace rlarena
