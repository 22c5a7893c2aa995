#include "offline/cql.h"

#include <cmath>

#include "agents/algorithms.h"
#include "agents/distributed/world.h"

namespace rlarena {

torch::Tensor cql_gap(const torch::Tensor& q_sampled, const torch::Tensor& q_data, double temp) {
  return (torch::logsumexp(q_sampled / temp, -1) * temp - q_data).mean(-1);
}

std::vector<KeySpec> CqlLearner::keys() {
  std::vector<KeySpec> keys = SacLearner::keys();
  // CORL's cql.py for the locomotion datasets.
  set_default(keys, "policy_lr", "0.00003");
  set_default(keys, "q_lr", "0.0003");
  set_default(keys, "policy_frequency", "1");
  set_default(keys, "hidden", "256,256,256");
  set_default(keys, "alpha", "1.0");  // CORL's log_alpha starts at 0
  keys.push_back({"cql_alpha", "10.0", "weight of the conservative penalty"});
  keys.push_back({"cql_n_actions", "10", "actions sampled per state from each of uniform, pi(s) and pi(s')"});
  keys.push_back({"cql_temp", "1.0", "temperature of the logsumexp"});
  keys.push_back({"cql_lagrange", "false", "learn the penalty's multiplier to hold the gap at cql_target_action_gap"});
  keys.push_back({"cql_target_action_gap", "-1.0", "the gap the Lagrange version aims at"});
  keys.push_back({"normalize_states", "true", "normalize observations by the dataset's mean and std"});
  keys.push_back({"normalize_reward", "false",
                  "scale rewards by 1000 / (max - min episode return); CORL's hopper configs turn it on, its "
                  "walker2d and halfcheetah configs leave it off"});
  return keys;
}

CqlLearner::CqlLearner(const Recipe& r, const Space& observations, const Space& actions)
    : SacLearner(r, observations, actions),
      cql_alpha_(r.number_in("cql_alpha", 0, 1e6)),
      temp_(r.number_in("cql_temp", 1e-6, 1e6)),
      target_gap_(r.number("cql_target_action_gap")),
      n_actions_(r.integer("cql_n_actions", 1)),
      lagrange_(r.flag("cql_lagrange")),
      normalize_states_(r.flag("normalize_states")),
      normalize_reward_(r.flag("normalize_reward")),
      log_alpha_prime_(torch::ones({1}, torch::requires_grad())),  // CORL's Scalar(1.0): alpha' starts at e
      alpha_prime_opt_({log_alpha_prime_}, torch::optim::AdamOptions(r.number_in("q_lr", 1e-12, 1))),
      stats_(obs_dim_) {
  backup_entropy_ = false;  // CORL's backup_entropy = False
}

std::vector<std::string> CqlLearner::loss_names() const {
  std::vector<std::string> names = SacLearner::loss_names();
  names.push_back("cql_gap");
  names.push_back("cql_alpha_prime");
  return names;
}

void CqlLearner::declare(Parts& p) {
  SacLearner::declare(p);
  p.tensor("cql/log_alpha_prime", log_alpha_prime_).optimizer("cql/alpha_prime_opt", alpha_prime_opt_);
  stats_.declare(p, "cql/stats");
}

torch::Tensor CqlLearner::sampled_q(const torch::Tensor& obs, const torch::Tensor& next_obs) {
  const int64_t b = obs.size(0), m = n_actions_;
  const torch::Tensor obs_rep = obs.repeat_interleave(m, 0);  // [B*M, obs]
  torch::Tensor random, current, current_log_prob, next, next_log_prob;
  {
    torch::NoGradGuard no_grad;  // the sampled actions are constants of the critic loss (as in CORL)
    // Uniform actions from the learner's own generator: checkpoints hold it, so a resume is exact.
    random = torch::empty({b * m, act_dim_});
    float* u = random.data_ptr<float>();
    for (int64_t i = 0; i < random.numel(); ++i) u[i] = static_cast<float>(rng_.uniform());
    random = random * (bounds_.high - bounds_.low) + bounds_.low;
    std::tie(current, current_log_prob) = policy(obs, Acting::Stochastic, m);
    std::tie(next, next_log_prob) = policy(next_obs, Acting::Stochastic, m);
  }
  // Importance weights: the uniform density over the box, and the policy's own densities.
  const double random_log_density = -torch::log(bounds_.high - bounds_.low).sum().item<double>();
  const torch::Tensor all_obs = torch::cat({obs_rep, obs_rep, obs_rep}, 0);         // [3*B*M, obs]
  const torch::Tensor all_actions = torch::cat({random, current, next}, 0);          // [3*B*M, A]
  const torch::Tensor q = critic_->forward(torch::cat({all_obs, all_actions}, -1)).squeeze(-1);  // [K, 3*B*M]
  const torch::Tensor log_density =
      torch::cat({torch::full({b * m}, random_log_density), current_log_prob, next_log_prob}, 0);
  // [K, 3, B, M] -> [K, B, 3M]: per state, the 3M sampled values.
  const int64_t k = q.size(0);
  return (q - log_density).view({k, 3, b, m}).permute({0, 2, 1, 3}).reshape({k, b, 3 * m});
}

torch::Tensor CqlLearner::critic_regularizer(const Minibatch& mb, const torch::Tensor& q, Losses& losses) {
  const torch::Tensor gap = cql_gap(sampled_q(mb.obs, mb.next_obs), q, temp_);  // [K]
  const size_t at = SacLearner::loss_names().size();
  losses[at] = gap.mean().item<double>();
  if (!lagrange_) return cql_alpha_ * gap.sum();
  const torch::Tensor alpha_prime = log_alpha_prime_.exp().clamp(0, 1e6);
  // The multiplier rises while the gap is above its target and falls below it.
  const torch::Tensor alpha_prime_loss = -(alpha_prime * cql_alpha_ * (gap.detach() - target_gap_)).sum() * 0.5;
  alpha_prime_opt_.zero_grad();
  alpha_prime_loss.backward();
  average_gradients_over_ranks(alpha_prime_opt_);
  alpha_prime_opt_.step();
  losses[at + 1] = alpha_prime.item<double>();
  return (alpha_prime.detach() * cql_alpha_ * (gap - target_gap_)).sum();
}

namespace cql {

Algorithm algorithm() { return offline_algorithm<CqlLearner>("cql", "Conservative Q-Learning on SAC (offline), Box actions", 1000000); }

const bool registered = register_algorithm(&algorithm);

}  // namespace cql

}  // namespace rlarena
