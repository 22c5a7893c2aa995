#include "agents/onpolicy/trainer.h"

#include "common/error.h"

namespace rlarena {

OnPolicyTrainer::OnPolicyTrainer(const Recipe& r, const TrainerOptions& options,
                                 const OnPolicyLearnerFactory& make_learner,
                                 const std::function<void(EnvBatch&, OnPolicyLearner&)>& prepare)
    : total_(r.integer("total_steps", 1)),
      rollout_(r, options),
      learner_(learner_for_env(make_learner, r, rollout_.observation_space(), rollout_.action_space())) {
  if (total_ < rollout_.env_steps_per_rollout())
    throw Error("total_steps = " + std::to_string(total_) + " is less than one update (num_envs * num_steps = " +
                std::to_string(rollout_.env_steps_per_rollout()) + ")");
  if (prepare) prepare(rollout_.batch(), *learner_);
  rollout_.open(*learner_);
}

Report OnPolicyTrainer::iterate(const std::atomic<bool>&) {
  const int64_t batch = rollout_.env_steps_per_rollout(), updates = total_ / batch,
                update = rollout_.global_step() / batch;
  const double remaining = 1.0 - static_cast<double>(update) / updates;
  Report report;
  const Minibatch rollout = rollout_.collect(*learner_, report);
  report.losses = learner_->learn(rollout, remaining);
  return report;
}

void OnPolicyTrainer::declare(Parts& parts) {
  learner_->declare(parts);
  rollout_.declare(parts);
}

}  // namespace rlarena
