#include "agents/offpolicy/trainer.h"

#include <algorithm>

#include "agents/distributed/world.h"
#include "common/error.h"

namespace rlarena {

namespace {

// The store's capacity: buffer_size steps (the whole run's when every step is kept).
int64_t capacity_of(const Recipe& r, const TrainerOptions& options) {
  const int64_t n = r.integer("num_envs", 1), batch = r.integer("batch_size", 1);
  const int64_t buffer = r.integer("buffer_size", 2);
  if (buffer < 2 * n + batch)
    throw Error("buffer_size = " + std::to_string(buffer) +
                " is too small for num_envs and batch_size; give at least " + std::to_string(2 * n + batch));
  return options.keep_all_steps ? std::max(buffer, r.integer("total_steps", 1) + 2 * n) : buffer;
}

}  // namespace

std::vector<KeySpec> OffPolicyTrainer::keys() {
  return {{"buffer_size", "1000000", "ReplayStore capacity in steps"},
          {"batch_size", "256", "transitions per gradient step"},
          {"learning_starts", "5000", "env steps before learning starts"},
          {"log_every", "1000", "env steps per metrics row"}};
}

OffPolicyTrainer::OffPolicyTrainer(const Recipe& r, const TrainerOptions& options, const LearnerFactory& make_learner,
                                   const SamplerOptions& sampling)
    : source_(r),
      learner_(learner_for_env(make_learner, r, source_.observation_space(), source_.action_space())),
      batch_(r.integer("batch_size", 1)),
      learning_starts_(r.integer("learning_starts", 0)),
      total_steps_(r.integer("total_steps", 1)),
      log_every_(r.integer("log_every", 1)),
      rng_(rank_seed(static_cast<uint64_t>(r.integer("seed")) ^ 0x5eedULL)) {
  source_.open(capacity_of(r, options));
  sampler_ = std::make_unique<StoreSampler>(source_.store(), sampling);
}

Report OffPolicyTrainer::iterate(const std::atomic<bool>& stop) {
  Report report;
  LossMeans losses(loss_names().size());
  const int64_t n = source_.num_envs(), obs_dim = source_.observation_space().numel();
  const int64_t end = std::min(total_steps_, (global_step() / log_every_ + 1) * log_every_);
  actions_.resize(n * source_.action_space().byte_size());
  while (global_step() < end && !stop.load(std::memory_order_relaxed)) {
    {
      torch::InferenceMode guard;
      const torch::Tensor obs =
          torch::from_blob(const_cast<void*>(source_.current().obs), {n, obs_dim}, torch::kFloat32);
      choose_actions(obs, actions_.data(), losses);
    }
    source_.step(actions_.data(), report);
    if (global_step() > learning_starts_) learn(losses);
  }
  report.global_step = global_step();
  report.losses = losses.means();
  return report;
}

void OffPolicyTrainer::choose_actions(const torch::Tensor& obs, void* actions, LossMeans&) {
  if (global_step() >= learning_starts_) {
    learner_->act(obs, Acting::Stochastic, actions);
    return;
  }
  random_actions(obs.size(0), actions);
}

void OffPolicyTrainer::random_actions(int64_t rows, void* actions) {
  const Space& space = source_.action_space();
  for (int64_t i = 0; i < rows; ++i) space.sample(rng_, static_cast<uint8_t*>(actions) + i * space.byte_size());
}

void OffPolicyTrainer::learn(LossMeans& losses) { losses.add(learner_->update(sampler_->sample(batch_, progress()))); }

void OffPolicyTrainer::declare(Parts& parts) {
  learner_->declare(parts);
  source_.declare(parts);
  sampler_->declare(parts);
  parts.rng("explore/rng", rng_);
}

}  // namespace rlarena
