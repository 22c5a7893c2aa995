// What the on-policy learners (PPO, A2C) share: the actor-critic network, the
// observation normalizer (Gymnasium's NormalizeObservation, as CleanRL's continuous
// PPO uses it; its statistics are part of the policy), the generator that samples
// actions and shuffles minibatches, and the step size, annealed linearly when asked.
#pragma once
#include <torch/torch.h>

#include <optional>

#include "agents/common/learner.h"
#include "agents/common/normalizers.h"
#include "agents/common/recipe.h"
#include "agents/onpolicy/actor_critic.h"

namespace rlarena {

class OnPolicyLearner : public Learner {
 public:
  // Recipe keys: seed, hidden, activation, log_std_init, norm_obs, learning_rate, anneal_lr.
  // `actor_inputs`: the leading observation features the actor sees (0: all; see ActorCritic).
  // `seed_offset` is added to the recipe's seed (one learner per agent: agents/multi/independent.h).
  OnPolicyLearner(const Recipe& recipe, const Space& observations, const Space& actions, int64_t actor_inputs = 0,
                  uint64_t seed_offset = 0);
  // Those keys, with PPO's defaults.
  static std::vector<KeySpec> keys();

  // The policy's view of raw observations [rows, obs] (the env's bytes: float32, or uint8
  // pixels, given as floats 0..255): a copy, normalized with the
  // running statistics (counting them in, when training).
  // (Virtual, as the next two: agents/multi/independent.h routes rows to one learner per agent.)
  virtual torch::Tensor observe(const void* obs, int64_t rows, Statistics statistics);
  // Actions sampled from the learner's generator and their log-probabilities; `mask`
  // ([rows, n] bool, optional) keeps discrete actions to the legal ones.
  virtual std::pair<torch::Tensor, torch::Tensor> sample(const torch::Tensor& obs, const torch::Tensor& mask = {}) {
    return agent_.sample(obs, rng_, mask);
  }
  virtual torch::Tensor value(const torch::Tensor& obs) { return agent_.value(obs); }
  // Sampled actions -> what the env takes: discrete indices plus the space's start,
  // continuous ones clipped to the box.
  void to_env_actions(const torch::Tensor& sampled, uint8_t* out) const;
  bool discrete() const { return agent_.discrete; }
  int64_t action_dim() const { return agent_.act_dim; }

  // The algorithm's learning on one rollout (PPO: epochs of shuffled minibatches; A2C:
  // one step on it all). `remaining` is the share of the run still to come; the step
  // size is learning_rate times it when annealed. Returns the mean losses.
  virtual Losses learn(const Minibatch& rollout, double remaining) = 0;

  // The mode (deterministic) or a sample, on observations normalized without updating,
  // within the input's action masks.
  void act(const PolicyInput& input, Acting acting, void* actions) override;
  void act(const torch::Tensor& obs, Acting acting, void* actions) override { act_within(obs, {}, acting, actions); }
  // The same on raw observations [rows, obs] and an optional [rows, n] bool mask.
  virtual void act_within(const torch::Tensor& obs, const torch::Tensor& mask, Acting acting, void* actions);
  void declare(Parts& parts) override;
  ActorCritic& agent() { return agent_; }
  // The observation normalizer, when the recipe asks for one (norm_obs).
  ObservationNormalizer* obs_normalizer() { return obs_norm_ ? &*obs_norm_ : nullptr; }

 protected:
  virtual torch::optim::Optimizer& optimizer() = 0;
  // Sets and returns the step size for a rollout with `remaining` of the run to come.
  double set_step_size(double remaining);

  bool seeded_;
  ActorCritic agent_;
  std::optional<ObservationNormalizer> obs_norm_;
  Rng rng_;
  double lr_;
  bool anneal_;
  std::vector<float> low_, high_;  // continuous action bounds
};

}  // namespace rlarena
