#include "agents/td3/td3.h"

#include <cmath>
#include <cstring>

#include "agents/common/distributions.h"
#include "agents/distributed/world.h"
#include "agents/offpolicy/targets.h"
#include "agents/offpolicy/trainer.h"

namespace rlarena {

std::vector<KeySpec> Td3Learner::keys() {
  return {{"gamma", "0.99", "discount"},
          {"tau", "0.005", "target smoothing coefficient"},
          {"learning_rate", "0.0003", "actor and critic step size"},
          {"exploration_noise", "0.1", "std of exploration noise, in action half-ranges"},
          {"policy_noise", "0.2", "std of target policy smoothing noise"},
          {"noise_clip", "0.5", "clip of target policy smoothing noise"},
          {"policy_frequency", "2", "critic steps per actor and target step"},
          {"hidden", "256,256", "hidden layer sizes of actor and critics"}};
}

Td3Learner::Td3Learner(const Recipe& r, const Space& observations, const Space& actions)
    : Learner(observations, actions),
      seeded_(seed_torch(static_cast<uint64_t>(r.integer("seed")))),
      bounds_(action_bounds(actions, "td3")),
      act_dim_(actions.numel()),
      actor_(mlp(obs_dim_, r.list("hidden"), act_dim_, Activation::ReLU, Init::torch_default())),
      actor_target_(mlp(obs_dim_, r.list("hidden"), act_dim_, Activation::ReLU, Init::torch_default())),
      critic_(2, obs_dim_ + act_dim_, r.list("hidden"), 1),
      critic_target_(2, obs_dim_ + act_dim_, r.list("hidden"), 1),
      gamma_(r.number_in("gamma", 0, 1)),
      tau_(r.number_in("tau", 0, 1)),
      exploration_noise_(r.number_in("exploration_noise", 0, 10)),
      policy_noise_(r.number_in("policy_noise", 0, 10)),
      noise_clip_(r.number_in("noise_clip", 0, 10)),
      policy_frequency_(r.integer("policy_frequency", 1)),
      actor_opt_(actor_->parameters(), torch::optim::AdamOptions(r.number_in("learning_rate", 1e-12, 1))),
      critic_opt_(critic_->parameters(), torch::optim::AdamOptions(r.number_in("learning_rate", 1e-12, 1))),
      rng_(rank_seed(static_cast<uint64_t>(r.integer("seed")) + 0x7d3)) {
  soft_update(*actor_target_, *actor_, 1.0);
  soft_update(*critic_target_, *critic_, 1.0);
}

void Td3Learner::declare(Parts& p) {
  p.module("actor", *actor_).module("actor_target", *actor_target_);
  p.module("critic", *critic_).module("critic_target", *critic_target_);
  p.optimizer("actor_opt", actor_opt_).optimizer("critic_opt", critic_opt_);
  p.value("td3/updates", updates_).rng("td3/rng", rng_);
}

torch::Tensor Td3Learner::policy(torch::nn::SequentialImpl& actor, const torch::Tensor& obs) {
  return bounds_.from_unit(torch::tanh(actor.forward(obs)));
}

void Td3Learner::act(const torch::Tensor& obs, Acting acting, void* actions) {
  torch::Tensor a = policy(*actor_, obs);
  if (acting == Acting::Stochastic)
    a = torch::max(torch::min(a + normal_noise(rng_, a.sizes()) * (bounds_.scale * exploration_noise_), bounds_.high),
                   bounds_.low);
  a = a.contiguous();
  std::memcpy(actions, a.data_ptr<float>(), a.numel() * sizeof(float));
}

torch::Tensor Td3Learner::actor_objective(const Minibatch&, const torch::Tensor&, const torch::Tensor& q1) {
  return -q1.mean();
}

Losses Td3Learner::update(const Minibatch& mb) {
  Losses losses(loss_names().size(), std::nan(""));
  torch::Tensor target;
  {
    torch::NoGradGuard no_grad;
    const torch::Tensor next_a = td3_target_action(policy(*actor_target_, mb.next_obs),
                                                   normal_noise(rng_, mb.actions.sizes()), policy_noise_, noise_clip_,
                                                   bounds_.scale, bounds_.low, bounds_.high);
    const torch::Tensor next_q =
        std::get<0>(critic_target_->forward(torch::cat({mb.next_obs, next_a}, -1)).min(0)).squeeze(-1);
    target = td_target(mb.rewards, mb.terminated, next_q, gamma_);
  }
  const torch::Tensor q = critic_->forward(torch::cat({mb.obs, mb.actions}, -1)).squeeze(-1);  // [2, B]
  const torch::Tensor qf_loss = (q - target).pow(2).mean(1).sum();
  critic_opt_.zero_grad();
  qf_loss.backward();
  average_gradients_over_ranks(critic_opt_);
  critic_opt_.step();
  losses[0] = qf_loss.item<double>(), losses[1] = q.mean().item<double>();
  if (updates_ % policy_frequency_ == 0) {
    set_requires_grad(*critic_, false);
    const torch::Tensor pi = policy(*actor_, mb.obs);
    const torch::Tensor q1 = critic_->forward_member(torch::cat({mb.obs, pi}, -1), 0);
    const torch::Tensor actor_loss = actor_objective(mb, pi, q1);
    actor_opt_.zero_grad();
    actor_loss.backward();
    average_gradients_over_ranks(actor_opt_);
    actor_opt_.step();
    set_requires_grad(*critic_, true);
    losses[2] = actor_loss.item<double>();
    soft_update(*actor_target_, *actor_, tau_);
    soft_update(*critic_target_, *critic_, tau_);
  }
  ++updates_;
  return losses;
}

namespace td3 {

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("td3", "Pendulum-v1", 1000000, 1);
  for (auto& k : OffPolicyTrainer::keys()) keys.push_back(k);
  for (auto& k : Td3Learner::keys()) keys.push_back(k);
  set_default(keys, "learning_starts", "25000");
  const auto make_learner = [](const Recipe& r, const Space& obs, const Space& act) -> std::unique_ptr<Learner> {
    return std::make_unique<Td3Learner>(r, obs, act);
  };
  return {"td3", "Twin Delayed DDPG, Box actions", keys,
          [make_learner](const Recipe& r, const TrainerOptions& o) -> std::unique_ptr<Trainer> {
            SamplerOptions sampling;
            sampling.seed = static_cast<uint64_t>(r.integer("seed")) + 1;
            return std::make_unique<OffPolicyTrainer>(r, o, make_learner, sampling);
          },
          make_learner};
}

}  // namespace td3

}  // namespace rlarena
