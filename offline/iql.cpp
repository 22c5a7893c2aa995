#include "offline/iql.h"

#include <cmath>
#include <cstring>

#include "agents/algorithms.h"
#include "agents/common/distributions.h"
#include "agents/distributed/world.h"
#include "agents/offpolicy/targets.h"

namespace rlarena {

torch::Tensor expectile_loss(const torch::Tensor& diff, double tau) {
  const torch::Tensor weight = torch::abs(tau - (diff < 0).to(torch::kFloat32));
  return (weight * diff.pow(2)).mean();
}

torch::Tensor advantage_weights(const torch::Tensor& advantage, double beta, double max) {
  return torch::exp(beta * advantage).clamp_max(max);
}

std::vector<KeySpec> IqlLearner::keys() {
  return {{"gamma", "0.99", "discount"},
          {"tau", "0.005", "target critic smoothing coefficient"},
          {"expectile", "0.7", "expectile of the value regression (IQL's tau)"},
          {"beta", "3.0", "inverse temperature of the advantage weights"},
          {"actor_lr", "0.0003", "actor step size at the start (cosine schedule to 0 over actor_lr_horizon)"},
          {"actor_lr_online", "",
           "online phase: a constant actor step size instead of the cosine (empty: the cosine goes on); a small one "
           "lets the online data steer the actor with less of the drift of further full-size steps"},
          {"actor_lr_horizon", "0",
           "gradient steps of the actor's cosine schedule (0: the offline phase's total_steps, as CORL, whose runs "
           "are 1M steps; a shorter run can keep CORL's 1000000 to follow the start of CORL's schedule). Past it "
           "the step size rises again, as torch's CosineAnnealingLR does in CORL's online fine-tuning"},
          {"q_lr", "0.0003", "critic step size"},
          {"v_lr", "0.0003", "value step size"},
          {"hidden", "256,256", "hidden layer sizes of actor, critics and value"},
          {"iql_deterministic", "false", "deterministic actor (squared error) instead of a Gaussian"},
          {"expl_noise", "0.03",
           "online: std of the deterministic actor's Gaussian exploration noise, in action half-ranges (CORL's)"},
          {"noise_clip", "0.5", "online: the deterministic actor's noise is clipped to +-noise_clip (CORL's)"},
          {"normalize_states", "true", "normalize observations by the dataset's mean and std"},
          {"normalize_reward", "true",
           "scale rewards by 1000 / (max - min episode return), CORL's for the locomotion datasets (turn it off for "
           "other reward shapes, e.g. sparse goals)"}};
}

IqlLearner::IqlLearner(const Recipe& r, const Space& observations, const Space& actions)
    : Learner(observations, actions),
      seeded_(seed_torch(static_cast<uint64_t>(r.integer("seed")))),
      bounds_(action_bounds(actions, "iql")),
      act_dim_(actions.numel()),
      deterministic_(r.flag("iql_deterministic")),
      normalize_states_(r.flag("normalize_states")),
      normalize_reward_(r.flag("normalize_reward")),
      gamma_(r.number_in("gamma", 0, 1)),
      tau_(r.number_in("tau", 0, 1)),
      expectile_(r.number_in("expectile", 0, 1)),
      beta_(r.number_in("beta", 0, 1e6)),
      actor_lr_(r.number_in("actor_lr", 1e-12, 1)),
      expl_noise_(r.number_in("expl_noise", 0, 1e6)),
      noise_clip_(r.number_in("noise_clip", 0, 1e6)),
      // The cosine runs over the offline phase, unless a horizon is given (CORL's finetune/iql.py:
      // T_max = the offline iterations, so the online phase starts from step size 0).
      lr_horizon_(r.integer("actor_lr_horizon", 0) > 0 ? r.integer("actor_lr_horizon", 1) : r.integer("total_steps", 1)),
      offline_steps_(r.integer("total_steps", 1)),
      online_lr_(r.text("actor_lr_online").empty() ? 0.0 : r.number_in("actor_lr_online", 1e-12, 1)),
      actor_(mlp(obs_dim_, r.list("hidden"), act_dim_, Activation::ReLU, Init::torch_default())),
      value_(mlp(obs_dim_, r.list("hidden"), 1, Activation::ReLU, Init::torch_default())),
      critic_(2, obs_dim_ + act_dim_, r.list("hidden"), 1),
      critic_target_(2, obs_dim_ + act_dim_, r.list("hidden"), 1),
      log_std_(torch::zeros({act_dim_}, torch::requires_grad())),
      actor_opt_([&] {
        std::vector<torch::Tensor> params = actor_->parameters();
        if (!deterministic_) params.push_back(log_std_);
        return params;
      }(), torch::optim::AdamOptions(actor_lr_)),
      critic_opt_(critic_->parameters(), torch::optim::AdamOptions(r.number_in("q_lr", 1e-12, 1))),
      value_opt_(value_->parameters(), torch::optim::AdamOptions(r.number_in("v_lr", 1e-12, 1))),
      stats_(obs_dim_),
      rng_(rank_seed(static_cast<uint64_t>(r.integer("seed")) + 0x1a1)) {
  soft_update(*critic_target_, *critic_, 1.0);
}

void IqlLearner::declare(Parts& p) {
  p.module("actor", *actor_).module("value", *value_).module("critic", *critic_).module("critic_target", *critic_target_);
  p.optimizer("actor_opt", actor_opt_).optimizer("critic_opt", critic_opt_).optimizer("value_opt", value_opt_);
  p.tensor("iql/log_std", log_std_).value("iql/updates", updates_).rng("iql/rng", rng_);
  stats_.declare(p, "iql/stats");
}

torch::Tensor IqlLearner::mean_action(const torch::Tensor& obs) {
  return bounds_.from_unit(torch::tanh(actor_->forward(obs)));
}

Losses IqlLearner::update(const Minibatch& raw) {
  const Minibatch mb = stats_.apply(raw);
  torch::Tensor target_q, next_v;
  {
    torch::NoGradGuard no_grad;
    target_q = std::get<0>(critic_target_->forward(torch::cat({mb.obs, mb.actions}, -1)).min(0)).squeeze(-1);
    next_v = value_->forward(mb.next_obs).squeeze(-1);
  }
  // Value: the expectile of the target critics' values of the dataset's actions.
  const torch::Tensor advantage = target_q - value_->forward(mb.obs).squeeze(-1);
  const torch::Tensor value_loss = expectile_loss(advantage, expectile_);
  value_opt_.zero_grad();
  value_loss.backward();
  average_gradients_over_ranks(value_opt_);
  value_opt_.step();
  // Critics: one-step TD towards V(s'), no max over actions.
  const torch::Tensor target = td_target(mb.rewards, mb.terminated, next_v, gamma_);
  const torch::Tensor q = critic_->forward(torch::cat({mb.obs, mb.actions}, -1)).squeeze(-1);  // [2, B]
  const torch::Tensor q_loss = (q - target).pow(2).mean(1).mean();
  critic_opt_.zero_grad();
  q_loss.backward();
  average_gradients_over_ranks(critic_opt_);
  critic_opt_.step();
  soft_update(*critic_target_, *critic_, tau_);
  // Actor: advantage-weighted regression onto the dataset's actions.
  const torch::Tensor weights = advantage_weights(advantage.detach(), beta_);
  const torch::Tensor mean = mean_action(mb.obs);
  const torch::Tensor bc = deterministic_ ? (mean - mb.actions).pow(2).sum(-1)
                                          : -DiagGaussian(mean, log_std_.clamp(-20, 2)).log_prob(mb.actions);
  const torch::Tensor actor_loss = (weights * bc).mean();
  // Cosine schedule (torch's CosineAnnealingLR with T_max = the offline steps or actor_lr_horizon).
  // Past T_max it rises again, as torch's does: CORL's online fine-tuning goes on with the same
  // scheduler, so its actor starts the online phase at step size 0 and speeds up.
  const double lr = online_lr_ > 0 && updates_ >= offline_steps_
                        ? online_lr_
                        : 0.5 * actor_lr_ * (1 + std::cos(M_PI * static_cast<double>(updates_) / lr_horizon_));
  for (auto& group : actor_opt_.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
  actor_opt_.zero_grad();
  actor_loss.backward();
  average_gradients_over_ranks(actor_opt_);
  actor_opt_.step();
  ++updates_;
  return {value_loss.item<double>(), q_loss.item<double>(), actor_loss.item<double>(),
          advantage.mean().item<double>(), lr};
}

void IqlLearner::act(const torch::Tensor& raw_obs, Acting acting, void* actions) {
  torch::NoGradGuard no_grad;
  torch::Tensor a = mean_action(stats_.normalize(raw_obs));
  if (acting == Acting::Stochastic) {
    // Online (offline-to-online): the Gaussian samples; a deterministic actor explores with
    // clipped noise, as CORL's finetune/iql.py (in action half-ranges).
    a = deterministic_
            ? a + (normal_noise(rng_, a.sizes()) * expl_noise_).clamp(-noise_clip_, noise_clip_) * bounds_.scale
            : DiagGaussian(a, log_std_.clamp(-20, 2)).sample(rng_);
    a = torch::max(torch::min(a, bounds_.high), bounds_.low);
  }
  a = a.contiguous();
  std::memcpy(actions, a.data_ptr<float>(), a.numel() * sizeof(float));
}

namespace iql {

Algorithm algorithm() { return offline_algorithm<IqlLearner>("iql", "Implicit Q-Learning (offline), Box actions", 1000000); }

const bool registered = register_algorithm(&algorithm);

}  // namespace iql

}  // namespace rlarena
