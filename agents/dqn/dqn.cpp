#include "agents/dqn/dqn.h"

#include <algorithm>
#include <cmath>

#include "agents/common/networks.h"
#include "agents/common/optim.h"
#include "agents/distributed/world.h"
#include "agents/offpolicy/targets.h"
#include "agents/offpolicy/trainer.h"

namespace rlarena {

namespace {

// The number of discrete actions; continuous actions are refused before any network is built.
int64_t discrete_actions(const Space& actions) {
  if (actions.kind() != Space::Kind::Discrete)
    throw Error("dqn: actions " + actions.repr() + " are continuous; DQN needs Discrete (use sac or td3)");
  return actions.n();
}

bool huber_loss(const Recipe& r) {
  const std::string& loss = r.text("td_loss");
  if (loss != "mse" && loss != "huber") throw Error("td_loss = " + loss + " is not known; give mse or huber");
  return loss == "huber";
}

}  // namespace

QNetworkImpl::QNetworkImpl(int64_t obs_dim, int64_t actions, const std::vector<int64_t>& hidden, bool dueling)
    : dueling(dueling) {
  if (!dueling) {
    q = register_module("q", mlp(obs_dim, hidden, actions, Activation::ReLU, Init::torch_default()));
    return;
  }
  const std::vector<int64_t> trunk_hidden(hidden.begin(), hidden.end() - 1);
  trunk = register_module("trunk", mlp(obs_dim, trunk_hidden, hidden.back(), Activation::ReLU, Init::torch_default()));
  value = register_module("value", mlp(hidden.back(), {}, 1, Activation::ReLU, Init::torch_default()));
  advantage = register_module("advantage", mlp(hidden.back(), {}, actions, Activation::ReLU, Init::torch_default()));
}

torch::Tensor QNetworkImpl::forward(const torch::Tensor& obs) {
  if (!dueling) return q->forward(obs);
  const torch::Tensor h = torch::relu(trunk->forward(obs));
  const torch::Tensor a = advantage->forward(h);
  return value->forward(h) + a - a.mean(-1, true);
}

std::vector<KeySpec> DqnLearner::keys() {
  return {{"gamma", "0.99", "discount"},
          {"learning_rate", "0.00025", "Adam step size"},
          {"tau", "1.0", "target update coefficient (1: copy)"},
          {"double_dqn", "false", "double DQN targets"},
          {"dueling", "false", "dueling value/advantage head"},
          {"td_loss", "mse", "loss on the TD error: mse (CleanRL) or huber (SB3's smooth L1)"},
          {"max_grad_norm", "0", "gradient norm clip (0: none; SB3 uses 10)"},
          {"hidden", "120,84", "hidden layer sizes, comma-separated"}};
}

DqnLearner::DqnLearner(const Recipe& r, const Space& observations, const Space& actions)
    : Learner(observations, actions),
      seeded_(seed_torch(static_cast<uint64_t>(r.integer("seed")))),
      n_actions_(discrete_actions(actions)),
      q_(obs_dim_, n_actions_, r.list("hidden"), r.flag("dueling")),
      target_(obs_dim_, n_actions_, r.list("hidden"), r.flag("dueling")),
      gamma_(r.number_in("gamma", 0, 1)),
      tau_(r.number_in("tau", 0, 1)),
      double_(r.flag("double_dqn")),
      huber_(huber_loss(r)),
      max_grad_norm_(r.number_in("max_grad_norm", 0, 1e9)),
      optimizer_(q_->parameters(), torch::optim::AdamOptions(r.number_in("learning_rate", 1e-12, 1))),
      rng_(rank_seed(static_cast<uint64_t>(r.integer("seed")) + 0xd9f)) {
  soft_update(*target_, *q_, 1.0);
}

void DqnLearner::declare(Parts& p) {
  p.module("q", *q_).module("target", *target_).optimizer("optimizer", optimizer_).rng("dqn/rng", rng_);
}

void DqnLearner::act(const torch::Tensor& obs, Acting acting, void* actions) {
  act_epsilon_greedy(obs, acting == Acting::Deterministic ? 0.0 : 0.05, rng_, static_cast<int64_t*>(actions));
}

void DqnLearner::act_epsilon_greedy(const torch::Tensor& obs, double epsilon, Rng& rng, int64_t* out) {
  const torch::Tensor greedy = q_->forward(obs).argmax(-1).contiguous();
  const int64_t* g = greedy.data_ptr<int64_t>();
  for (int64_t i = 0; i < obs.size(0); ++i)
    out[i] = (epsilon > 0 && rng.uniform() < epsilon ? static_cast<int64_t>(rng.below(n_actions_)) : g[i]) +
             act_space_.start();
}

void DqnLearner::update_target() { soft_update(*target_, *q_, tau_); }

Losses DqnLearner::update(const Minibatch& mb) {
  torch::Tensor target;
  {
    torch::NoGradGuard no_grad;
    const torch::Tensor online = double_ ? q_->forward(mb.next_obs) : torch::Tensor();
    const torch::Tensor next_q = dqn_next_value(target_->forward(mb.next_obs), online, double_);
    target = td_target(mb.rewards, mb.terminated, next_q, gamma_);
  }
  const torch::Tensor q_all = q_->forward(mb.obs);
  const torch::Tensor q = q_all.gather(1, mb.actions.unsqueeze(1)).squeeze(1);
  const torch::Tensor td = q - target;
  // Huber is SB3's smooth L1 with beta 1: quadratic within 1, linear beyond.
  const torch::Tensor per_row = huber_ ? torch::where(td.abs() < 1.0, 0.5 * td.pow(2), td.abs() - 0.5) : td.pow(2);
  torch::Tensor loss = mb.weights.defined() ? (mb.weights * per_row).mean() : per_row.mean();
  Losses losses(loss_names().size(), std::nan(""));
  if (const torch::Tensor extra = loss_regularizer(mb, q_all, losses); extra.defined()) loss = loss + extra;
  optimizer_.zero_grad();
  loss.backward();
  average_gradients_over_ranks(optimizer_);
  if (max_grad_norm_ > 0) torch::nn::utils::clip_grad_norm_(q_->parameters(), max_grad_norm_);
  optimizer_.step();
  td_errors_ = td.detach().abs();
  losses[0] = loss.item<double>(), losses[1] = q.mean().item<double>();
  return losses;
}

torch::Tensor DqnLearner::loss_regularizer(const Minibatch&, const torch::Tensor&, Losses&) { return {}; }

namespace {

// Online DQN: epsilon-greedy acting with epsilon decaying linearly over
// exploration_fraction of the run; a gradient step every train_frequency vector
// steps and a target update every target_network_frequency.
class DqnTrainer final : public OffPolicyTrainer {
 public:
  DqnTrainer(const Recipe& r, const TrainerOptions& options, const LearnerFactory& make_learner)
      : OffPolicyTrainer(r, options, make_learner, sampling(r)),
        dqn_(static_cast<DqnLearner&>(*learner_)),
        start_e_(r.number_in("start_e", 0, 1)),
        end_e_(r.number_in("end_e", 0, 1)),
        explore_fraction_(r.number_in("exploration_fraction", 0, 1)),
        train_frequency_(r.integer("train_frequency", 1)),
        gradient_steps_(r.integer("gradient_steps", 1)),
        learning_rate_(r.number_in("learning_rate", 1e-12, 1)),
        anneal_lr_(r.flag("anneal_lr")),
        target_frequency_(r.integer("target_network_frequency", 1)) {}

  std::vector<std::string> loss_names() override {
    auto names = dqn_.loss_names();
    names.push_back("epsilon");
    return names;
  }

 private:
  static SamplerOptions sampling(const Recipe& r) {
    SamplerOptions s;
    s.seed = static_cast<uint64_t>(r.integer("seed")) + 1;
    s.prioritized = r.flag("prioritized");
    s.alpha = r.number_in("per_alpha", 0, 10);
    s.beta = r.number_in("per_beta", 0, 1);
    return s;
  }

  void choose_actions(const torch::Tensor& obs, void* actions, LossMeans& losses) override {
    const double eps = epsilon();
    losses.add({std::nan(""), std::nan(""), eps});
    dqn_.act_epsilon_greedy(obs, eps, rng_, static_cast<int64_t*>(actions));
  }

  void learn(LossMeans& losses) override {
    const int64_t vector_step = global_step() / source_.num_envs();
    if (vector_step % train_frequency_ == 0) {
      // SB3's linear schedule: the step size falls to 0 at the end of the run.
      if (anneal_lr_) set_learning_rate(dqn_.optimizer(), learning_rate_ * (1.0 - progress()));
      for (int64_t g = 0; g < gradient_steps_; ++g) {
        losses.add(dqn_.update(sampler_->sample(batch_, progress())));
        if (sampler_->prioritized()) sampler_->update_priorities(dqn_.td_errors());
      }
    }
    if (vector_step % target_frequency_ == 0) dqn_.update_target();
  }

  double epsilon() const {
    const double duration = explore_fraction_ * total_steps_;
    const double slope = duration > 0 ? (end_e_ - start_e_) / duration : 0;
    return std::max(end_e_, start_e_ + slope * global_step());
  }

  DqnLearner& dqn_;
  double start_e_, end_e_, explore_fraction_;
  int64_t train_frequency_, gradient_steps_;
  double learning_rate_;
  bool anneal_lr_;
  int64_t target_frequency_;
};

}  // namespace

namespace dqn {

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("dqn", "CartPole-v1", 500000, 1);
  for (auto& k : OffPolicyTrainer::keys()) keys.push_back(k);
  for (auto& k : DqnLearner::keys()) keys.push_back(k);
  for (auto& k : std::vector<KeySpec>{{"target_network_frequency", "500", "vector steps between target updates"},
                                      {"train_frequency", "10", "vector steps between trainings"},
                                      {"gradient_steps", "1", "gradient steps per training (SB3's gradient_steps)"},
                                      {"anneal_lr", "false", "step size falling linearly to 0 over the run (SB3's lin_ schedule)"},
                                      {"start_e", "1.0", "initial exploration epsilon"},
                                      {"end_e", "0.05", "final exploration epsilon"},
                                      {"exploration_fraction", "0.5", "fraction of the run over which epsilon decays"},
                                      {"prioritized", "false", "prioritized replay"},
                                      {"per_alpha", "0.6", "prioritized replay exponent"},
                                      {"per_beta", "0.4", "initial importance-weight exponent (annealed to 1)"}})
    keys.push_back(k);
  set_default(keys, "buffer_size", "10000");
  set_default(keys, "batch_size", "128");
  set_default(keys, "learning_starts", "10000");
  const auto make_learner = [](const Recipe& r, const Space& obs, const Space& act) -> std::unique_ptr<Learner> {
    return std::make_unique<DqnLearner>(r, obs, act);
  };
  return {"dqn", "Deep Q-Network (double, dueling, prioritized options), Discrete actions", keys,
          [make_learner](const Recipe& r, const TrainerOptions& o) -> std::unique_ptr<Trainer> {
            return std::make_unique<DqnTrainer>(r, o, make_learner);
          },
          make_learner};
}

}  // namespace dqn

}  // namespace rlarena
