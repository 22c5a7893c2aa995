#include "agents/td3/td3.h"

#include "agents/common/checkpoint.h"
#include "agents/common/distributions.h"
#include "agents/common/networks.h"
#include "agents/common/optim.h"
#include "agents/offpolicy/loop.h"
#include "agents/offpolicy/targets.h"

namespace rlarena::td3 {

namespace {

class Td3 final : public OffPolicyTrainer {
 public:
  Td3(const Recipe& r, const TrainerOptions& options)
      : OffPolicyTrainer(r, options, false, true),
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
        actor_opt_(actor_->parameters(), torch::optim::AdamOptions(r.number_in("learning_rate", 1e-12, 1))),
        critic_opt_(critic_->parameters(), torch::optim::AdamOptions(r.number_in("learning_rate", 1e-12, 1))),
        rng_(static_cast<uint64_t>(r.integer("seed")) + 0x7d3) {
    if (loop_.action_space().kind() != Space::Kind::Box)
      throw Error("td3: " + r.text("env") + " has discrete actions; TD3 is for Box actions (use dqn or ppo)");
    soft_update(*actor_target_, *actor_, 1.0);
    soft_update(*critic_target_, *critic_, 1.0);
  }

  std::vector<std::string> loss_names() const override { return {"qf_loss", "qf_value", "actor_loss"}; }

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
 private:
  // The actor's action, with Gaussian exploration noise unless deterministic, in bounds.
  void act_into(const torch::Tensor& obs, bool deterministic, void* actions) override {
    const ActionBounds& b = loop_.bounds();
    torch::Tensor a = policy(*actor_, obs);
    if (!deterministic) a = torch::max(torch::min(a + normal_noise(rng_, a.sizes()) * (b.scale * exploration_noise_), b.high), b.low);
    a = a.contiguous();
    std::memcpy(actions, a.data_ptr<float>(), a.numel() * sizeof(float));
  }

  torch::Tensor policy(torch::nn::SequentialImpl& actor, const torch::Tensor& obs) {
    return torch::tanh(actor.forward(obs)) * loop_.bounds().scale + loop_.bounds().bias;
  }

  void update(LossMeans& losses) override {
    const Minibatch mb = loop_.sample();
    torch::Tensor target;
    {
      torch::NoGradGuard no_grad;
      const torch::Tensor next_a = td3_target_action(policy(*actor_target_, mb.next_obs),
                                                     normal_noise(rng_, mb.actions.sizes()), policy_noise_,
                                                     noise_clip_, loop_.bounds().scale, loop_.bounds().low,
                                                     loop_.bounds().high);
      const torch::Tensor next_q =
          std::get<0>(critic_target_->forward(torch::cat({mb.next_obs, next_a}, -1)).min(0)).squeeze(-1);
      target = td_target(mb.rewards, mb.terminated, next_q, loop_.gamma());
    }
    const torch::Tensor q = critic_->forward(torch::cat({mb.obs, mb.actions}, -1)).squeeze(-1);  // [2, B]
    const torch::Tensor qf_loss = (q - target).pow(2).mean(1).sum();
    critic_opt_.zero_grad();
    qf_loss.backward();
    critic_opt_.step();
    losses.add(0, qf_loss.item<double>()), losses.add(1, q.mean().item<double>());
    if (updates_ % policy_frequency_ == 0) {
      set_requires_grad(*critic_, false);
      const torch::Tensor q1 = critic_->forward(torch::cat({mb.obs, policy(*actor_, mb.obs)}, -1))[0];
      const torch::Tensor actor_loss = -q1.mean();
      actor_opt_.zero_grad();
      actor_loss.backward();
      actor_opt_.step();
      set_requires_grad(*critic_, true);
      losses.add(2, actor_loss.item<double>());
      soft_update(*actor_target_, *actor_, tau_);
      soft_update(*critic_target_, *critic_, tau_);
    }
    ++updates_;
  }


  int64_t act_dim_;
  torch::nn::Sequential actor_, actor_target_;
  EnsembleMLP critic_, critic_target_;
  double tau_, exploration_noise_, policy_noise_, noise_clip_;
  int64_t policy_frequency_;
  torch::optim::Adam actor_opt_, critic_opt_;
  Rng rng_;  // exploration and target-smoothing noise
  int64_t updates_ = 0;
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
