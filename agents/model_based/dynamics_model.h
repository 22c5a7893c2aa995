// DynamicsModel: an env as the model-based agents see it (PETS plans in it, MBPO rolls
// out in it). A ProbabilisticEnsemble predicts next_obs - obs (and the reward, with
// model_reward = learned) from (obs, action); the env's own rules judge the predicted
// states: its termination rule (Env::terminal_observation) always, its reward function
// (Env::known_reward) when model_reward = env, else the ensemble's reward head.
#pragma once
#include <torch/torch.h>

#include <memory>

#include "agents/common/learner.h"
#include "agents/common/parts.h"
#include "agents/common/recipe.h"
#include "agents/model_based/ensemble_model.h"
#include "envs/core/env.h"

namespace rlarena {

class DynamicsModel {
 public:
  // Recipe keys: env, kwarg, ensemble_size, ensemble_elites, model_hidden, model_lr,
  // model_weight_decay, model_batch_size, model_holdout, model_max_epochs, model_improvement,
  // model_patience, model_reward.
  DynamicsModel(const Recipe& recipe, const Space& observations, const Space& actions);
  static std::vector<KeySpec> keys();

  // Trains on transitions (obs, actions, rewards, next_obs), all members at once.
  ProbabilisticEnsemble::FitReport fit(const Minibatch& data, Rng& rng);
  // The mean held-out error of the elites after a training.
  double elite_holdout_mse(const ProbabilisticEnsemble::FitReport& fit) const;
  // The ensemble's weights and elites under `prefix` (checkpoints).
  void declare(Parts& parts, const std::string& prefix);

  struct Step {
    torch::Tensor next_obs;  // [B, obs]
    torch::Tensor reward;    // [B]
    torch::Tensor terminal;  // [B] bool: the env's rule on next_obs
  };
  // One step of every row from (obs [B, obs], actions [B, act]); row i follows member
  // members[i] (trajectory sampling), drawing its noise from `rng`.
  Step step(const torch::Tensor& obs, const torch::Tensor& actions, const std::vector<int64_t>& members, Rng& rng);

  ProbabilisticEnsemble& ensemble() { return *ensemble_; }
  int64_t members() const { return ensemble_->members(); }
  bool env_reward() const { return env_reward_; }

 private:
  std::unique_ptr<Env> rules_;  // the env whose rules judge predicted states
  int64_t obs_dim_, act_dim_;
  bool env_reward_;
  std::shared_ptr<ProbabilisticEnsemble> ensemble_;
};

// When a model-based trainer retrains its model: at its first learning step, then once
// `every` env steps have passed since the last training. `last` goes into checkpoints.
struct RetrainClock {
  int64_t every, last = -1;
  bool due(int64_t step) {
    if (last >= 0 && step - last < every) return false;
    last = step;
    return true;
  }
};

}  // namespace rlarena
