#include "agents/dqn/dqn.h"

#include <algorithm>

#include "agents/common/checkpoint.h"
#include "agents/common/networks.h"
#include "agents/common/optim.h"
#include "agents/offpolicy/loop.h"
#include "agents/offpolicy/targets.h"

namespace rlarena::dqn {

namespace {

// Q(s, .) from an MLP; dueling: a shared trunk, then V(s) + A(s, a) - mean_a A(s, a).
struct QNetwork : torch::nn::Module {
  QNetwork(int64_t obs_dim, int64_t actions, const std::vector<int64_t>& hidden, bool dueling) : dueling(dueling) {
    if (!dueling) {
      q = register_module("q", mlp(obs_dim, hidden, actions, Activation::ReLU, 1.0, false));
      return;
    }
    const std::vector<int64_t> trunk_hidden(hidden.begin(), hidden.end() - 1);
    trunk = register_module("trunk", mlp(obs_dim, trunk_hidden, hidden.back(), Activation::ReLU, 1.0, false));
    value = register_module("value", mlp(hidden.back(), {}, 1, Activation::ReLU, 1.0, false));
    advantage = register_module("advantage", mlp(hidden.back(), {}, actions, Activation::ReLU, 1.0, false));
  }
  torch::Tensor forward(const torch::Tensor& obs) {
    if (!dueling) return q->forward(obs);
    const torch::Tensor h = torch::relu(trunk->forward(obs));
    const torch::Tensor a = advantage->forward(h);
    return value->forward(h) + a - a.mean(-1, true);
  }
  bool dueling;
  torch::nn::Sequential q{nullptr}, trunk{nullptr}, value{nullptr}, advantage{nullptr};
};

// The number of discrete actions; continuous actions are refused before any network is built.
int64_t discrete_actions(const Space& actions, const Recipe& r) {
  if (actions.kind() != Space::Kind::Discrete)
    throw Error("dqn: " + r.text("env") + " has continuous actions; DQN needs Discrete (use sac or td3)");
  return actions.n();
}

class Dqn final : public OffPolicyTrainer {
 public:
  Dqn(const Recipe& r, const TrainerOptions& options)
      : OffPolicyTrainer(r, options, true, false),
        n_actions_(discrete_actions(loop_.action_space(), r)),
        q_(loop_.obs_dim(), n_actions_, r.list("hidden"), r.flag("dueling")),
        target_(loop_.obs_dim(), n_actions_, r.list("hidden"), r.flag("dueling")),
        double_(r.flag("double_dqn")),
        tau_(r.number_in("tau", 0, 1)),
        start_e_(r.number_in("start_e", 0, 1)),
        end_e_(r.number_in("end_e", 0, 1)),
        explore_fraction_(r.number_in("exploration_fraction", 0, 1)),
        train_frequency_(r.integer("train_frequency", 1)),
        target_frequency_(r.integer("target_network_frequency", 1)),
        optimizer_(q_.parameters(), torch::optim::AdamOptions(r.number_in("learning_rate", 1e-12, 1))) {
    soft_update(target_, q_, 1.0);
  }

  std::vector<std::string> loss_names() const override { return {"td_loss", "q_value", "epsilon"}; }

  void save(StateMap& s) override {
    put_module(s, "q", q_);
    put_module(s, "target", target_);
    put_optimizer(s, "optimizer", optimizer_);
    loop_.save(s);
  }
  void load(const StateMap& s) override {
    get_module(s, "q", q_);
    get_module(s, "target", target_);
    get_optimizer(s, "optimizer", optimizer_);
    loop_.load(s);
  }

 private:
  // Evaluation: greedy, or (stochastic) CleanRL's evaluation epsilon of 0.05.
  void act_into(const torch::Tensor& obs, bool deterministic, void* actions) override {
    greedy_or_random(obs, deterministic ? 0.0 : 0.05, static_cast<int64_t*>(actions));
  }
  // Training: epsilon-greedy with epsilon decaying linearly over exploration_fraction of the run.
  void explore(const torch::Tensor& obs, void* actions, LossMeans& losses) override {
    losses.add(2, epsilon());
    greedy_or_random(obs, epsilon(), static_cast<int64_t*>(actions));
  }
  // A gradient step every train_frequency vector steps; the target every target_network_frequency.
  void update(LossMeans& losses) override {
    const int64_t vector_step = loop_.global_step() / loop_.num_envs();
    if (vector_step % train_frequency_ == 0) learn(losses);
    if (vector_step % target_frequency_ == 0) soft_update(target_, q_, tau_);
  }

  void greedy_or_random(const torch::Tensor& obs, double epsilon, int64_t* out) {
    const torch::Tensor greedy = q_.forward(obs).argmax(-1).contiguous();
    const int64_t* g = greedy.data_ptr<int64_t>();
    for (int64_t i = 0; i < obs.size(0); ++i)
      out[i] = (loop_.rng().uniform() < epsilon ? static_cast<int64_t>(loop_.rng().below(n_actions_)) : g[i]) +
               loop_.action_space().start();
  }

  double epsilon() const {
    const double duration = explore_fraction_ * loop_.total_steps();
    const double slope = duration > 0 ? (end_e_ - start_e_) / duration : 0;
    return std::max(end_e_, start_e_ + slope * loop_.global_step());
  }

  void learn(LossMeans& losses) {
    const Minibatch mb = loop_.sample();
    torch::Tensor target;
    {
      torch::NoGradGuard no_grad;
      const torch::Tensor online = double_ ? q_.forward(mb.next_obs) : torch::Tensor();
      const torch::Tensor next_q = dqn_next_value(target_.forward(mb.next_obs), online, double_);
      target = td_target(mb.rewards, mb.terminated, next_q, loop_.gamma());
    }
    const torch::Tensor q = q_.forward(mb.obs).gather(1, mb.actions.unsqueeze(1)).squeeze(1);
    const torch::Tensor td = q - target;
    const torch::Tensor loss = mb.weights.defined() ? (mb.weights * td.pow(2)).mean() : td.pow(2).mean();
    optimizer_.zero_grad();
    loss.backward();
    optimizer_.step();
    if (loop_.prioritized()) loop_.update_priorities(td);
    losses.add(0, loss.item<double>()), losses.add(1, q.mean().item<double>());
  }

  int64_t n_actions_;
  QNetwork q_, target_;
  bool double_;
  double tau_, start_e_, end_e_, explore_fraction_;
  int64_t train_frequency_, target_frequency_;
  torch::optim::Adam optimizer_;
};

}  // namespace

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("dqn", "CartPole-v1", 500000, 1);
  for (auto& k : OffPolicyLoop::keys(10000, 128, 10000)) keys.push_back(k);
  for (auto& k : std::vector<KeySpec>{{"learning_rate", "0.00025", "Adam step size"},
                                      {"tau", "1.0", "target update coefficient (1: copy)"},
                                      {"target_network_frequency", "500", "vector steps between target updates"},
                                      {"train_frequency", "10", "vector steps between gradient steps"},
                                      {"start_e", "1.0", "initial exploration epsilon"},
                                      {"end_e", "0.05", "final exploration epsilon"},
                                      {"exploration_fraction", "0.5", "fraction of the run over which epsilon decays"},
                                      {"double_dqn", "false", "double DQN targets"},
                                      {"dueling", "false", "dueling value/advantage head"},
                                      {"prioritized", "false", "prioritized replay"},
                                      {"per_alpha", "0.6", "prioritized replay exponent"},
                                      {"per_beta", "0.4", "initial importance-weight exponent (annealed to 1)"},
                                      {"hidden", "120,84", "hidden layer sizes, comma-separated"},
                                      {"log_every", "1000", "env steps per metrics row"}})
    keys.push_back(k);
  return {"dqn", "Deep Q-Network (double, dueling, prioritized options), Discrete actions", keys,
          [](const Recipe& r, const TrainerOptions& o) { return std::make_unique<Dqn>(r, o); }};
}

}  // namespace rlarena::dqn
