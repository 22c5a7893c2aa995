#include "agents/td3/td3.h"

#include <limits>

#include "agents/common/checkpoint.h"
#include "agents/common/distributions.h"
#include "agents/common/networks.h"
#include "agents/common/optim.h"
#include "agents/offpolicy/loop.h"
#include "agents/offpolicy/targets.h"

namespace rlarena::td3 {

namespace {

class Td3 final : public Trainer {
 public:
  Td3(const Recipe& r, const TrainerOptions& options)
      : seeded_(seed_torch(static_cast<uint64_t>(r.integer("seed")))),
        total_(r.integer("total_steps", 1)),
        loop_(r, options, false),
        act_dim_(loop_.action_space().numel()),
        actor_(mlp(loop_.obs_dim(), r.list("hidden"), act_dim_, Activation::ReLU, 1.0, false)),
        actor_target_(mlp(loop_.obs_dim(), r.list("hidden"), act_dim_, Activation::ReLU, 1.0, false)),
        critic_(2, loop_.obs_dim() + act_dim_, r.list("hidden"), 1),
        critic_target_(2, loop_.obs_dim() + act_dim_, r.list("hidden"), 1),
        tau_(r.number_in("tau", 0, 1)),
        exploration_noise_(r.number_in("exploration_noise", 0, 10)),
        policy_noise_(r.number_in("policy_noise", 0, 10)),
        noise_clip_(r.number_in("noise_clip", 0, 10)),
        policy_frequency_(r.integer("policy_frequency", 1)),
        log_every_(r.integer("log_every", 1)),
        actor_opt_(actor_->parameters(), torch::optim::AdamOptions(r.number_in("learning_rate", 1e-12, 1))),
        critic_opt_(critic_->parameters(), torch::optim::AdamOptions(r.number_in("learning_rate", 1e-12, 1))),
        rng_(static_cast<uint64_t>(r.integer("seed")) + 0x7d3) {
    if (loop_.action_space().kind() != Space::Kind::Box)
      throw Error("td3: " + r.text("env") + " has discrete actions; TD3 is for Box actions (use dqn or ppo)");
    const auto& low = loop_.action_space().low();
    const auto& high = loop_.action_space().high();
    scale_ = torch::empty({act_dim_}), bias_ = torch::empty({act_dim_});
    low_ = torch::empty({act_dim_}), high_ = torch::empty({act_dim_});
    for (int64_t i = 0; i < act_dim_; ++i) {
      scale_[i] = (high[i] - low[i]) / 2.0, bias_[i] = (high[i] + low[i]) / 2.0;
      low_[i] = low[i], high_[i] = high[i];
    }
    soft_update(*actor_target_, *actor_, 1.0);
    soft_update(*critic_target_, *critic_, 1.0);
    actions_.resize(loop_.num_envs() * act_dim_);
  }

  std::vector<std::string> loss_names() const override { return {"qf_loss", "qf_value", "actor_loss"}; }
  int64_t global_step() const override { return loop_.global_step(); }
  int64_t total_steps() const override { return total_; }
  const Space& observation_space() const override { return const_cast<Td3*>(this)->loop_.venv().observation_space(); }
  const Space& action_space() const override { return loop_.action_space(); }
  const ReplayStore& store() const override { return loop_.store(); }

  Report iterate(const std::atomic<bool>& stop) override {
    Report report;
    sums_.assign(3, 0.0), counts_.assign(3, 0);
    const int64_t end = std::min(total_, (loop_.global_step() / log_every_ + 1) * log_every_);
    while (loop_.global_step() < end && !stop.load(std::memory_order_relaxed)) {
      if (loop_.global_step() < loop_.learning_starts()) {
        loop_.random_actions(actions_.data());
      } else {
        torch::InferenceMode guard;
        const torch::Tensor mean = policy(*actor_, loop_.observations());
        const torch::Tensor noise = normal_noise(rng_, mean.sizes()) * (scale_ * exploration_noise_);
        const torch::Tensor a = torch::max(torch::min(mean + noise, high_), low_).contiguous();
        std::memcpy(actions_.data(), a.data_ptr<float>(), actions_.size() * sizeof(float));
      }
      loop_.step(actions_.data(), report);
      if (loop_.global_step() > loop_.learning_starts()) update();
    }
    report.global_step = loop_.global_step();
    for (size_t i = 0; i < sums_.size(); ++i)
      report.losses.push_back(counts_[i] ? sums_[i] / counts_[i] : std::numeric_limits<double>::quiet_NaN());
    return report;
  }

  void save(StateMap& s) override {
    put_module(s, "actor", *actor_);
    put_module(s, "actor_target", *actor_target_);
    put_module(s, "critic", *critic_);
    put_module(s, "critic_target", *critic_target_);
    put_optimizer(s, "actor_opt", actor_opt_);
    put_optimizer(s, "critic_opt", critic_opt_);
    put_state(s, "td3/updates", updates_);
    put_state(s, "td3/rng", rng_.state());
    loop_.save(s);
  }
  void load(const StateMap& s) override {
    get_module(s, "actor", *actor_);
    get_module(s, "actor_target", *actor_target_);
    get_module(s, "critic", *critic_);
    get_module(s, "critic_target", *critic_target_);
    get_optimizer(s, "actor_opt", actor_opt_);
    get_optimizer(s, "critic_opt", critic_opt_);
    updates_ = get_state_value<int64_t>(s, "td3/updates");
    rng_.set_state(get_state_value<Rng::State>(s, "td3/rng"));
    loop_.load(s);
  }
  void act(const void* obs, int64_t n, bool deterministic, void* actions) override {
    torch::InferenceMode guard;
    const torch::Tensor x = torch::from_blob(const_cast<void*>(obs), {n, loop_.obs_dim()}, torch::kFloat32);
    torch::Tensor a = policy(*actor_, x);
    if (!deterministic)
      a = torch::max(torch::min(a + normal_noise(rng_, a.sizes()) * (scale_ * exploration_noise_), high_), low_);
    a = a.contiguous();
    std::memcpy(actions, a.data_ptr<float>(), n * act_dim_ * sizeof(float));
  }

 private:
  torch::Tensor policy(torch::nn::SequentialImpl& actor, const torch::Tensor& obs) {
    return torch::tanh(actor.forward(obs)) * scale_ + bias_;
  }

  void update() {
    const Minibatch mb = loop_.sample();
    torch::Tensor target;
    {
      torch::NoGradGuard no_grad;
      const torch::Tensor next_a = td3_target_action(policy(*actor_target_, mb.next_obs),
                                                     normal_noise(rng_, mb.actions.sizes()), policy_noise_,
                                                     noise_clip_, scale_, low_, high_);
      const torch::Tensor next_q =
          std::get<0>(critic_target_->forward(torch::cat({mb.next_obs, next_a}, -1)).min(0)).squeeze(-1);
      target = td_target(mb.rewards, mb.terminated, next_q, loop_.gamma());
    }
    const torch::Tensor q = critic_->forward(torch::cat({mb.obs, mb.actions}, -1)).squeeze(-1);  // [2, B]
    const torch::Tensor qf_loss = (q - target).pow(2).mean(1).sum();
    critic_opt_.zero_grad();
    qf_loss.backward();
    critic_opt_.step();
    add(0, qf_loss.item<double>()), add(1, q.mean().item<double>());
    if (updates_ % policy_frequency_ == 0) {
      set_requires_grad(*critic_, false);
      const torch::Tensor q1 = critic_->forward(torch::cat({mb.obs, policy(*actor_, mb.obs)}, -1))[0];
      const torch::Tensor actor_loss = -q1.mean();
      actor_opt_.zero_grad();
      actor_loss.backward();
      actor_opt_.step();
      set_requires_grad(*critic_, true);
      add(2, actor_loss.item<double>());
      soft_update(*actor_target_, *actor_, tau_);
      soft_update(*critic_target_, *critic_, tau_);
    }
    ++updates_;
  }

  void add(size_t i, double v) { sums_[i] += v, ++counts_[i]; }

  bool seeded_;
  int64_t total_;
  OffPolicyLoop loop_;
  int64_t act_dim_;
  torch::nn::Sequential actor_, actor_target_;
  EnsembleMLP critic_, critic_target_;
  torch::Tensor scale_, bias_, low_, high_;
  double tau_, exploration_noise_, policy_noise_, noise_clip_;
  int64_t policy_frequency_, log_every_;
  torch::optim::Adam actor_opt_, critic_opt_;
  Rng rng_;  // exploration and target-smoothing noise
  int64_t updates_ = 0;
  std::vector<float> actions_;
  std::vector<double> sums_;
  std::vector<int64_t> counts_;
};

}  // namespace

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("td3", "Pendulum-v1", 1000000, 1);
  for (auto& k : OffPolicyLoop::keys(1000000, 256, 25000)) keys.push_back(k);
  for (auto& k : std::vector<KeySpec>{{"tau", "0.005", "target smoothing coefficient"},
                                      {"learning_rate", "0.0003", "actor and critic step size"},
                                      {"exploration_noise", "0.1", "std of exploration noise, in action half-ranges"},
                                      {"policy_noise", "0.2", "std of target policy smoothing noise"},
                                      {"noise_clip", "0.5", "clip of target policy smoothing noise"},
                                      {"policy_frequency", "2", "critic steps per actor and target step"},
                                      {"hidden", "256,256", "hidden layer sizes of actor and critics"},
                                      {"log_every", "1000", "env steps per metrics row"}})
    keys.push_back(k);
  return {"td3", "Twin Delayed DDPG, Box actions", keys,
          [](const Recipe& r, const TrainerOptions& o) { return std::make_unique<Td3>(r, o); }};
}

}  // namespace rlarena::td3
