#include "agents/ppo/ppo.h"

#include <chrono>
#include <cmath>

#include "agents/common/optim.h"
#include "agents/distributed/world.h"
#include "agents/onpolicy/trainer.h"
#include "agents/ppo/losses.h"

namespace rlarena {

std::vector<KeySpec> PpoLearner::keys() {
  std::vector<KeySpec> keys = OnPolicyLearner::keys();
  for (auto& k : std::vector<KeySpec>{{"epochs", "4", "passes over each rollout"},
                                      {"minibatches", "4", "minibatches per pass"},
                                      {"clip_coef", "0.2", "PPO ratio clip"},
                                      {"clip_vloss", "true", "clip the value loss"},
                                      {"norm_adv", "true", "normalize advantages per minibatch"},
                                      {"ent_coef", "0.01", "entropy bonus weight"},
                                      {"vf_coef", "0.5", "value loss weight"},
                                      {"max_grad_norm", "0.5", "gradient norm clip"}})
    keys.push_back(k);
  return keys;
}

PpoLearner::PpoLearner(const Recipe& r, const Space& observations, const Space& actions, int64_t actor_inputs,
                       uint64_t seed_offset)
    : OnPolicyLearner(r, observations, actions, actor_inputs, seed_offset),
      epochs_(r.integer("epochs", 1)),
      minibatches_(r.integer("minibatches", 1)),
      clip_(r.number_in("clip_coef", 0, 10)),
      ent_coef_(r.number("ent_coef")),
      vf_coef_(r.number("vf_coef")),
      max_grad_norm_(r.number_in("max_grad_norm", 0, 1e9)),
      norm_adv_(r.flag("norm_adv")),
      clip_vloss_(r.flag("clip_vloss")),
      optimizer_(agent_.parameters(), torch::optim::AdamOptions(lr_).eps(1e-5)) {}

torch::Tensor PpoLearner::loss(const Minibatch& mb, Losses& losses) {
  torch::Tensor values;
  auto [log_prob, entropy] = agent_.evaluate(mb.obs, mb.actions, mb.masks, &values);
  torch::Tensor adv = mb.advantages;
  if (norm_adv_) adv = (adv - adv.mean()) / (adv.std() + 1e-8);
  const ppo::PolicyLoss pg = ppo::clipped_policy_loss(log_prob, mb.log_probs, adv, clip_);
  const torch::Tensor v_loss = ppo::value_loss(values, mb.returns, mb.values, clip_vloss_ ? clip_ : 0.0);
  const torch::Tensor ent = entropy.mean();
  losses = {pg.loss.item<double>(),      v_loss.item<double>(),          ent.item<double>(),
            pg.approx_kl.item<double>(), pg.clip_fraction.item<double>(), std::nan("")};
  return pg.loss - ent_coef_ * ent + vf_coef_ * v_loss;
}

Losses PpoLearner::update(const Minibatch& mb) {
  const auto start = std::chrono::steady_clock::now();
  Losses losses;
  const torch::Tensor objective = loss(mb, losses);
  optimizer_.zero_grad();
  objective.backward();
  World* world = current_world();
  if (world) world->average_gradients(agent_.parameters());
  torch::nn::utils::clip_grad_norm_(agent_.parameters(), max_grad_norm_);
  optimizer_.step();
  if (world) world->add_update_time(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return losses;
}

Losses PpoLearner::learn(const Minibatch& d, double remaining) {
  const double lr = set_step_size(remaining);
  const int64_t batch = d.size(), minibatch = batch / minibatches_;
  LossMeans losses(loss_names().size());
  for (int64_t epoch = 0; epoch < epochs_; ++epoch) {
    const torch::Tensor order = permutation(rng_, batch);
    for (int64_t start = 0; start + minibatch <= batch; start += minibatch) {
      losses.add(update(d.rows(order.slice(0, start, start + minibatch))));
    }
  }
  Losses means = losses.means();
  means.back() = lr;
  return means;
}

namespace ppo {

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("ppo", "CartPole-v1", 500000, 8);
  for (auto& k : OnPolicyRollout::keys()) keys.push_back(k);
  for (auto& k : PpoLearner::keys()) keys.push_back(k);
  const auto make = [](const Recipe& r, const Space& obs, const Space& act) {
    return std::make_unique<PpoLearner>(r, obs, act);
  };
  return {"ppo", "Proximal Policy Optimization (clipped), discrete or continuous actions", keys,
          [make](const Recipe& r, const TrainerOptions& o) -> std::unique_ptr<Trainer> {
            const int64_t batch = r.integer("num_envs", 1) * r.integer("num_steps", 1);
            if (batch < r.integer("minibatches", 1))
              throw Error("num_envs * num_steps = " + std::to_string(batch) + " is less than minibatches = " +
                          r.text("minibatches") + "; give fewer minibatches");
            return std::make_unique<OnPolicyTrainer>(r, o, make);
          },
          [make](const Recipe& r, const Space& obs, const Space& act) -> std::unique_ptr<Learner> {
            return make(r, obs, act);
          }};
}

}  // namespace ppo

}  // namespace rlarena
