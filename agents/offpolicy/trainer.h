// The online off-policy schedule of DQN, SAC and TD3, in CleanRL's order: at each env
// step the envs act (uniformly random actions before learning_starts, then the
// learner's training-time actions), the transitions go into the store, and once the
// store holds learning_starts steps the algorithm learns from a sampled minibatch.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <memory>

#include "agents/common/trainer.h"
#include "agents/data/minibatch_source.h"
#include "agents/data/online_source.h"

namespace rlarena {

using LearnerFactory = std::function<std::unique_ptr<Learner>(const Recipe&, const Space&, const Space&)>;

class OffPolicyTrainer : public Trainer {
 public:
  // Recipe keys: the run's, buffer_size, batch_size, learning_starts, log_every.
  OffPolicyTrainer(const Recipe& recipe, const TrainerOptions& options, const LearnerFactory& make_learner,
                   const SamplerOptions& sampling);
  // Those keys, with SAC's defaults.
  static std::vector<KeySpec> keys();

  Learner& learner() override { return *learner_; }
  int64_t global_step() const override { return source_.global_step(); }
  int64_t total_steps() const override { return total_steps_; }
  const ReplayStore& store() const override { return source_.store(); }
  // Steps the envs up to the next multiple of log_every env steps (or the end of the
  // run, or `stop`).
  Report iterate(const std::atomic<bool>& stop) override;
  void declare(Parts& parts) override;

 protected:
  // The training-time actions for observations [N, obs] into `actions` (env dtype):
  // uniformly random before learning_starts, then the learner's sampled actions.
  virtual void choose_actions(const torch::Tensor& obs, void* actions, LossMeans& losses);
  // Uniformly random actions for `rows` envs, from the exploration generator.
  void random_actions(int64_t rows, void* actions);
  // The learning after each env step once learning has started: one update.
  virtual void learn(LossMeans& losses);
  // How far the run is, in [0, 1].
  double progress() const { return std::min(1.0, static_cast<double>(global_step()) / total_steps_); }

  OnlineSource source_;
  std::unique_ptr<Learner> learner_;
  std::unique_ptr<StoreSampler> sampler_;
  int64_t batch_, learning_starts_, total_steps_, log_every_;
  Rng rng_;  // exploration: random actions before learning starts (DQN: epsilon-greedy)
  std::vector<uint8_t> actions_;
};

}  // namespace rlarena
