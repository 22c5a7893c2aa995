#include "offline/bc.h"

#include <cstring>

#include "agents/algorithms.h"
#include "agents/common/distributions.h"
#include "agents/common/networks.h"
#include "agents/distributed/world.h"

namespace rlarena {

std::vector<KeySpec> BcLearner::keys() {
  return {{"learning_rate", "0.0003", "actor step size (CORL's any_percent_bc.py)"},
          {"hidden", "256,256", "hidden layer sizes of the actor"},
          {"bc_policy", "deterministic", "Box actions: deterministic (MSE) or gaussian (log-likelihood)"},
          {"normalize_states", "true", "normalize observations by the dataset's mean and std"}};
}

BcLearner::BcLearner(const Recipe& r, const Space& observations, const Space& actions)
    : Learner(observations, actions),
      seeded_(seed_torch(static_cast<uint64_t>(r.integer("seed")))),
      discrete_(actions.kind() == Space::Kind::Discrete),
      gaussian_(r.text("bc_policy") == "gaussian"),
      normalize_states_(r.flag("normalize_states")),
      out_dim_(discrete_ ? actions.n() : actions.numel()),
      actor_(mlp(obs_dim_, r.list("hidden"), out_dim_, Activation::ReLU, Init::torch_default())),
      log_std_(torch::zeros({out_dim_}, torch::requires_grad())),
      opt_([&] {
        std::vector<torch::Tensor> params = actor_->parameters();
        if (gaussian_) params.push_back(log_std_);
        return params;
      }(), torch::optim::AdamOptions(r.number_in("learning_rate", 1e-12, 1))),
      stats_(obs_dim_),
      rng_(rank_seed(static_cast<uint64_t>(r.integer("seed")) + 0xbc)) {
  const std::string policy = r.text("bc_policy");
  if (policy != "deterministic" && policy != "gaussian")
    throw Error("bc_policy = " + policy + " is not a BC policy; give bc_policy = deterministic or gaussian");
  if (!discrete_) bounds_ = action_bounds(actions, "bc");
}

void BcLearner::declare(Parts& p) {
  p.module("actor", *actor_).optimizer("actor_opt", opt_).tensor("bc/log_std", log_std_).rng("bc/rng", rng_);
  stats_.declare(p, "bc/stats");
}

torch::Tensor BcLearner::mean_action(const torch::Tensor& obs) {
  return bounds_->from_unit(torch::tanh(actor_->forward(obs)));
}

torch::Tensor BcLearner::loss(const torch::Tensor& obs, const torch::Tensor& actions) {
  if (discrete_) return -Categorical(actor_->forward(obs)).log_prob(actions).mean();
  const torch::Tensor mean = mean_action(obs);
  if (!gaussian_) return (mean - actions).pow(2).sum(-1).mean();
  return -DiagGaussian(mean, log_std_.clamp(-20, 2)).log_prob(actions).mean();
}

Losses BcLearner::update(const Minibatch& mb) {
  const torch::Tensor l = loss(stats_.normalize(mb.obs), mb.actions);
  opt_.zero_grad();
  l.backward();
  average_gradients_over_ranks(opt_);
  opt_.step();
  return {l.item<double>()};
}

void BcLearner::act(const torch::Tensor& raw_obs, Acting acting, void* actions) {
  torch::NoGradGuard no_grad;
  const torch::Tensor obs = stats_.normalize(raw_obs);
  torch::Tensor a;
  if (discrete_) {
    const Categorical dist(actor_->forward(obs));
    // Indices from 0; the env's actions start at its space's start (as DQN's).
    a = ((acting == Acting::Deterministic ? dist.mode() : dist.sample(rng_)) + act_space_.start()).contiguous();
    std::memcpy(actions, a.data_ptr<int64_t>(), a.numel() * sizeof(int64_t));
    return;
  }
  a = mean_action(obs);
  if (gaussian_ && acting == Acting::Stochastic)
    a = torch::max(torch::min(DiagGaussian(a, log_std_.clamp(-20, 2)).sample(rng_), bounds_->high), bounds_->low);
  a = a.contiguous();
  std::memcpy(actions, a.data_ptr<float>(), a.numel() * sizeof(float));
}

namespace bc {

Algorithm algorithm() { return offline_algorithm<BcLearner>("bc", "Behavioural cloning from a dataset (offline), Box or Discrete actions", 100000); }

const bool registered = register_algorithm(&algorithm);

}  // namespace bc

}  // namespace rlarena
