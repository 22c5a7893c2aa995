#include "agents/model_based/dynamics_model.h"

#include "common/error.h"
#include "envs/core/registry.h"

namespace rlarena {

std::vector<KeySpec> DynamicsModel::keys() {
  return {{"ensemble_size", "7", "members of the probabilistic ensemble"},
          {"ensemble_elites", "5", "members with the best held-out error that plan and roll out"},
          {"model_hidden", "200,200,200,200", "hidden layer sizes of each member (SiLU)"},
          {"model_lr", "0.001", "Adam step size of the model"},
          {"model_weight_decay", "0.00005", "Adam weight decay of the model"},
          {"model_batch_size", "256", "rows per member per model gradient step"},
          {"model_holdout", "0.2", "share of the data held out to stop training and rank members"},
          {"model_max_epochs", "50", "most epochs of one model training"},
          {"model_patience", "5", "epochs without a better held-out error before training stops"},
          {"model_improvement", "0.01", "share by which the held-out error must fall to count as better"},
          {"model_reward", "learned", "learned: the model's reward head; env: the env's own reward function "
                                      "(InvertedPendulum, Reacher, Pendulum)"}};
}

namespace {

EnsembleOptions options_of(const Recipe& r) {
  EnsembleOptions o;
  o.members = r.integer("ensemble_size", 1);
  o.elites = r.integer("ensemble_elites", 1);
  if (o.elites > o.members)
    throw Error("ensemble_elites = " + std::to_string(o.elites) + " is more than ensemble_size = " +
                std::to_string(o.members) + "; give at most ensemble_size");
  o.hidden = r.list("model_hidden");
  o.learning_rate = r.number_in("model_lr", 1e-12, 1);
  o.weight_decay = r.number_in("model_weight_decay", 0, 1);
  o.batch_size = r.integer("model_batch_size", 1);
  o.holdout = r.number_in("model_holdout", 0, 0.9);
  o.max_epochs = r.integer("model_max_epochs", 1);
  o.patience = r.integer("model_patience", 1);
  o.improvement = r.number_in("model_improvement", 0, 1);
  return o;
}

}  // namespace

DynamicsModel::DynamicsModel(const Recipe& r, const Space& observations, const Space& actions)
    : rules_(make(r.text("env"), r.kwargs())),
      obs_dim_(observations.numel()),
      act_dim_(actions.numel()) {
  if (actions.kind() != Space::Kind::Box)
    throw Error("actions " + actions.repr() + ": model-based agents take Box actions");
  const std::string& reward = r.text("model_reward");
  if (reward != "learned" && reward != "env")
    throw Error("model_reward = " + reward + " is not known; give learned or env");
  env_reward_ = reward == "env";
  if (env_reward_) {
    // Asks the env once, on zeros: an env without a reward function says so at once.
    const std::vector<float> o(obs_dim_, 0.f), a(act_dim_, 0.f);
    double unused = 0;
    if (!rules_->known_reward(o.data(), a.data(), o.data(), &unused))
      throw Error("model_reward = env: " + rules_->id() +
                  " has no reward function of observations and actions; give model_reward = learned");
  }
  // With the env's reward the model predicts the state alone (MBRL-Lib's learned_rewards:
  // false): a reward column it does not need, such as InvertedPendulum's 1 with a rare 0,
  // would dominate the held-out error that stops training and picks elites.
  ensemble_ = std::make_shared<ProbabilisticEnsemble>(obs_dim_ + act_dim_, obs_dim_ + (env_reward_ ? 0 : 1),
                                                      options_of(r));
}

ProbabilisticEnsemble::FitReport DynamicsModel::fit(const Minibatch& d, Rng& rng) {
  const torch::Tensor inputs = torch::cat({d.obs, d.actions}, 1);
  const torch::Tensor delta = d.next_obs - d.obs;
  const torch::Tensor targets = env_reward_ ? delta : torch::cat({delta, d.rewards.unsqueeze(1)}, 1);
  return ensemble_->fit(inputs, targets, rng);
}

double DynamicsModel::elite_holdout_mse(const ProbabilisticEnsemble::FitReport& fit) const {
  double mse = 0;
  for (int64_t k : ensemble_->elites()) mse += fit.holdout_mse[k];
  return mse / static_cast<double>(ensemble_->elites().size());
}

void DynamicsModel::declare(Parts& parts, const std::string& prefix) {
  parts.module(prefix + "ensemble", *ensemble_);
  const std::string key = prefix + "elites";
  parts.custom(
      key, [this, key](StateMap& s) { put_state(s, key, ensemble_->elites()); },
      [this, key](const StateMap& s) {
        std::vector<int64_t> elites;
        get_state(s, key, elites);
        ensemble_->set_elites(elites);
      });
}

DynamicsModel::Step DynamicsModel::step(const torch::Tensor& obs, const torch::Tensor& actions,
                                        const std::vector<int64_t>& members, Rng& rng) {
  torch::NoGradGuard no_grad;
  const torch::Tensor out = ensemble_->sample(torch::cat({obs, actions}, 1), members, rng);
  Step s;
  s.next_obs = (obs + out.narrow(1, 0, obs_dim_)).contiguous();
  const int64_t b = obs.size(0);
  s.terminal = torch::empty({b}, torch::kBool);
  const float* next = s.next_obs.data_ptr<float>();
  bool* terminal = s.terminal.data_ptr<bool>();
  for (int64_t i = 0; i < b; ++i) terminal[i] = rules_->terminal_observation(next + i * obs_dim_);
  if (!env_reward_) {
    s.reward = out.select(1, obs_dim_).contiguous();
    return s;
  }
  const torch::Tensor o = obs.contiguous(), a = actions.contiguous();
  s.reward = torch::empty({b});
  float* reward = s.reward.data_ptr<float>();
  for (int64_t i = 0; i < b; ++i) {
    double r = 0;
    rules_->known_reward(o.data_ptr<float>() + i * obs_dim_, a.data_ptr<float>() + i * act_dim_,
                         next + i * obs_dim_, &r);
    reward[i] = static_cast<float>(r);
  }
  return s;
}

}  // namespace rlarena
