// MBPO (Janner et al. 2019, as MBRL-Lib runs it): SAC trained mostly on short rollouts
// of a learned model, branched from real states. Every model_train_every env steps the
// probabilistic ensemble (agents/model_based/dynamics_model.h) retrains on every real
// step so far; then model_rollouts x model_train_every real states are drawn and each
// is rolled k steps by the SAC policy through the model (each step of each row follows
// a random elite), a row stopping at its first predicted terminal state. k grows with
// the epoch (rollout_schedule). The rollouts go into a second ReplayStore that keeps
// model_retain_epochs epochs of them. After each env step SAC takes updates_per_step
// steps on minibatches of real_ratio real and 1 - real_ratio model transitions.
#pragma once
#include <torch/torch.h>

#include <memory>

#include "agents/data/minibatch_source.h"
#include "agents/model_based/dynamics_model.h"
#include "agents/offpolicy/trainer.h"
#include "agents/sac/sac.h"

namespace rlarena {

class MbpoTrainer final : public OffPolicyTrainer {
 public:
  // Recipe keys: OffPolicyTrainer's, SAC's, the DynamicsModel's, and keys().
  MbpoTrainer(const Recipe& recipe, const TrainerOptions& options);
  static std::vector<KeySpec> keys();

  std::vector<std::string> loss_names() override;
  void declare(Parts& parts) override;
  // The rollout length at env step `step`: rollout_schedule's line from (first epoch,
  // shortest) to (last epoch, longest), whole steps, held at both ends.
  int64_t rollout_length(int64_t step) const;
  const ReplayStore& model_store() const { return *model_store_; }
  DynamicsModel& model() { return model_; }

  // Rolls `starts` (real observations [N, obs]) `length` steps through the model into
  // the model store; returns the rows written.
  int64_t roll_out(const torch::Tensor& starts, int64_t length);

 private:
  void learn(LossMeans& losses) override;
  Losses model_losses(double holdout_mse, double epochs, double length) const;

  SacLearner& sac_;
  DynamicsModel model_;
  RetrainClock retrain_;
  int64_t rollouts_per_step_, updates_per_step_, epoch_length_, retain_epochs_;
  double real_ratio_;
  double schedule_[4];  // first epoch, last epoch, shortest, longest
  std::unique_ptr<ReplayStore> model_store_;
  std::unique_ptr<StoreSampler> starts_, model_sampler_;
  std::unique_ptr<MixedSource> mixed_;
  Rng model_rng_;  // ensemble trainings, elite draws and the model's noise
  int64_t next_episode_ = 0;
};

namespace mbpo {
Algorithm algorithm();
}

}  // namespace rlarena
