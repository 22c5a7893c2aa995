// PETS (Chua et al. 2018, as MBRL-Lib runs it): a probabilistic ensemble of the
// dynamics (agents/model_based/dynamics_model.h) and a CEM planner over action
// sequences. A sequence is scored by trajectory sampling: `particles` copies of the
// current state each follow one member (TS-inf) for planning_horizon steps, and its
// value is the particles' mean return, each particle's rewards stopping at its first
// predicted terminal state, less plan_action_cost times the sum of its squared actions
// and, while a particle lives, plan_state_cost's weights times its states' squared
// observations (both zero by default). The first action is taken, and the plan shifted by one
// step warm-starts the next. The model is retrained on every step so far each
// model_train_every env steps; until its first training the actions are uniform.
#pragma once
#include <torch/torch.h>

#include "agents/common/learner.h"
#include "agents/common/trainer.h"
#include "agents/model_based/cem.h"
#include "agents/model_based/dynamics_model.h"
#include "agents/offpolicy/trainer.h"

namespace rlarena {

class PetsLearner final : public Learner {
 public:
  // Recipe keys: seed, planning_horizon, particles, cem_population, cem_elites,
  // cem_iterations, cem_alpha, cem_initial_std, plan_action_cost, plan_state_cost, and
  // the DynamicsModel's.
  PetsLearner(const Recipe& recipe, const Space& observations, const Space& actions);
  static std::vector<KeySpec> keys();

  std::vector<std::string> loss_names() const override { return {"model_holdout_mse", "model_epochs"}; }
  // Trains the model on `data` (every step so far): held-out error of the elites, epochs.
  Losses update(const Minibatch& data) override;
  // One planned action per row of obs [N, obs]. Training (Stochastic) and evaluation
  // (Deterministic) keep their own warm starts and generators, so evaluations never
  // change a run.
  void act(const torch::Tensor& obs, Acting acting, void* actions) override;
  // The same, first starting afresh the rows whose env has taken no step yet (given envs).
  void act(const PolicyInput& input, Acting acting, void* actions) override;
  // Rows where starts[i] begin an episode: they plan from the middle of the bounds, not
  // from the last episode's plan (MBRL-Lib resets its planner each episode; a plan that
  // ended pinned at a bound would otherwise open the next episode there).
  void begin_episodes(const std::vector<uint8_t>& starts, Acting acting);
  void declare(Parts& parts) override;

  // The values of action sequences [P, H, A] from one observation [obs]: [P], the mean
  // over particles of each particle's return until its first terminal state, less the
  // action and state costs.
  torch::Tensor sequence_values(const torch::Tensor& obs, const torch::Tensor& sequences, Rng& rng);
  bool trained() const { return trainings_ > 0; }
  // The warm starts [rows, H, A] of one way of acting (undefined before its first plan).
  const torch::Tensor& plans(Acting acting) const { return plans_[slot(acting)]; }
  DynamicsModel& model() { return model_; }

 private:
  bool seeded_;
  DynamicsModel model_;
  CemOptions cem_;
  int64_t horizon_, particles_;
  double action_cost_;
  torch::Tensor state_cost_;  // [obs] weights, or undefined for none
  torch::Tensor low_, high_;  // [A]
  Rng rng_[2];                // per Acting: planning noise and trajectory sampling
  torch::Tensor plans_[2];    // per Acting: [rows, H, A], the last plans
  int64_t trainings_ = 0;

  static int slot(Acting acting) { return acting == Acting::Deterministic ? 1 : 0; }  // of rng_ and plans_
  torch::Tensor middle_plan() const;  // [H, A]: every step at the middle of the bounds
};

// The PETS schedule on the off-policy trainer: uniform actions until the model's first
// training, then planned ones; the model trains on the whole store every
// model_train_every env steps once learning_starts steps are in.
class PetsTrainer final : public OffPolicyTrainer {
 public:
  PetsTrainer(const Recipe& recipe, const TrainerOptions& options);
  static std::vector<KeySpec> keys();
  void declare(Parts& parts) override;

 private:
  void choose_actions(const torch::Tensor& obs, void* actions, LossMeans& losses) override;
  void learn(LossMeans& losses) override;
  RetrainClock retrain_;
};

namespace pets {
Algorithm algorithm();
}

}  // namespace rlarena
