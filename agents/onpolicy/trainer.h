// The on-policy schedule of PPO and A2C: collect a rollout with the learner's policy,
// then let the learner learn from it, with the step size annealed over the run when asked.
#pragma once
#include <functional>
#include <memory>

#include "agents/common/trainer.h"
#include "agents/onpolicy/learner.h"
#include "agents/onpolicy/rollout.h"

namespace rlarena {

using OnPolicyLearnerFactory =
    std::function<std::unique_ptr<OnPolicyLearner>(const Recipe&, const Space&, const Space&)>;

class OnPolicyTrainer final : public Trainer {
 public:
  // `prepare` runs once the learner exists, before the envs are reset (self-play
  // attaches the learner to its opponents' pool there).
  OnPolicyTrainer(const Recipe& recipe, const TrainerOptions& options, const OnPolicyLearnerFactory& make_learner,
                  const std::function<void(EnvBatch&, OnPolicyLearner&)>& prepare = nullptr);

  Learner& learner() override { return *learner_; }
  OnPolicyRollout& rollout() { return rollout_; }
  int64_t global_step() const override { return rollout_.global_step(); }
  int64_t total_steps() const override { return total_; }
  const ReplayStore& store() const override { return rollout_.store(); }
  Report iterate(const std::atomic<bool>& stop) override;
  void declare(Parts& parts) override;

 private:
  int64_t total_;
  OnPolicyRollout rollout_;
  std::unique_ptr<OnPolicyLearner> learner_;
};

}  // namespace rlarena
