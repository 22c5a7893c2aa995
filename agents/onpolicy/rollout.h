// The on-policy half shared by PPO and A2C: an actor-critic network and rollouts of
// N envs x T steps. Each step goes into the ReplayStore (the run's transitions); the
// flags and final observations come back from the store as the segment, and GAE
// turns the segment into advantages and returns. Observations and rewards can be
// normalized on the fly (Gymnasium's NormalizeObservation/NormalizeReward, as
// CleanRL's continuous PPO uses them), with the statistics kept in checkpoints.
#pragma once
#include <torch/torch.h>

#include <memory>
#include <optional>

#include "agents/common/networks.h"
#include "agents/common/normalizers.h"
#include "agents/common/recipe.h"
#include "agents/common/trainer.h"
#include "envs/core/vec_env.h"
#include "replay/samplers.h"
#include "replay/vec_writer.h"

namespace rlarena {

// Separate actor and critic MLPs; a Categorical head for discrete actions, a diagonal
// Gaussian with a learned state-independent log std for continuous ones.
struct ActorCritic : torch::nn::Module {
  ActorCritic(int64_t obs_dim, const Space& actions, const std::vector<int64_t>& hidden, Activation activation,
              double log_std_init);
  torch::Tensor value(const torch::Tensor& obs) { return critic->forward(obs).squeeze(-1); }
  // Log-probabilities and entropies of `actions` under the policy at `obs`.
  std::pair<torch::Tensor, torch::Tensor> evaluate(const torch::Tensor& obs, const torch::Tensor& actions);
  // Actions sampled at `obs` from our generator, and their log-probabilities.
  std::pair<torch::Tensor, torch::Tensor> sample(const torch::Tensor& obs, Rng& rng);
  // The most likely actions at `obs` (argmax, or the Gaussian's mean).
  torch::Tensor mode(const torch::Tensor& obs);
  bool discrete;
  int64_t act_dim;
  torch::nn::Sequential critic{nullptr}, actor{nullptr};
  torch::Tensor log_std;
};

// One rollout, flattened to [T * N] rows for the update.
struct RolloutData {
  torch::Tensor obs;      // [B, obs] as the policy saw them (normalized if asked)
  torch::Tensor actions;  // [B] int64 or [B, A] float32, as sampled (before clipping)
  torch::Tensor log_probs, values, advantages, returns;  // [B]
};

class OnPolicyRollout {
 public:
  // Recipe keys: env, kwarg, seed, num_envs, num_steps, gamma, gae_lambda, norm_obs,
  // norm_reward, env_threads.
  OnPolicyRollout(const Recipe& recipe, const TrainerOptions& options, int64_t total_steps);
  // Keys this class reads, with defaults for the algorithm's recipes.
  static std::vector<KeySpec> keys(int64_t num_steps, double gae_lambda, bool norm_obs, bool norm_reward);

  const Space& observation_space() const { return venv_->observation_space(); }
  const Space& action_space() const { return venv_->action_space(); }
  int64_t obs_dim() const { return obs_dim_; }
  int64_t batch_size() const { return n_ * t_; }
  int64_t global_step() const { return global_step_; }
  const ReplayStore& store() const { return *store_; }
  Rng& rng() { return rng_; }

  // Steps every env T times with the policy, records finished episodes in `report`.
  RolloutData collect(ActorCritic& agent, Report& report);
  // The policy on raw observations (normalized with the current statistics, not updated).
  void act(ActorCritic& agent, const void* obs, int64_t n, bool deterministic, void* actions);

  void save(StateMap& state);
  void load(const StateMap& state);

 private:
  torch::Tensor normalized(const void* obs, int64_t rows, bool update);
  // Action sampled by the policy -> what the env gets (continuous: clipped to the box).
  void to_env_actions(const torch::Tensor& sampled, uint8_t* out) const;

  int64_t n_, t_, obs_dim_;
  double gamma_, lambda_;
  bool acting_only_;
  std::unique_ptr<VecEnv> venv_;
  std::unique_ptr<ReplayStore> store_;
  std::unique_ptr<VecWriter> writer_;
  std::optional<ObservationNormalizer> obs_norm_;
  std::optional<RewardNormalizer> reward_norm_;
  Rng rng_;
  torch::Tensor next_obs_;  // [N, obs] the policy's view of the current observations
  std::vector<uint8_t> env_actions_;
  std::vector<float> low_, high_;  // continuous action bounds
  int64_t global_step_ = 0;
  Segment seg_;
};

// What PPO and A2C share around their update: the seeded actor-critic, the rollout,
// the policy for acting, and checkpoints of both plus the algorithm's optimizer.
class OnPolicyTrainer : public Trainer {
 public:
  OnPolicyTrainer(const Recipe& recipe, const TrainerOptions& options);
  // Keys of the network: hidden, activation, log_std_init.
  static std::vector<KeySpec> network_keys();

  int64_t global_step() const override { return rollout_.global_step(); }
  int64_t total_steps() const override { return total_; }
  const Space& observation_space() const override { return rollout_.observation_space(); }
  const Space& action_space() const override { return rollout_.action_space(); }
  const ReplayStore& store() const override { return rollout_.store(); }
  void act(const void* obs, int64_t n, bool deterministic, void* actions) override {
    rollout_.act(agent_, obs, n, deterministic, actions);
  }
  void save(StateMap& state) override;
  void load(const StateMap& state) override;

 protected:
  virtual torch::optim::Optimizer& optimizer() = 0;
  // The step size for the coming update: `lr` annealed linearly to 0 over the run when asked.
  double step_size(double lr, bool anneal) const;

  bool seeded_;
  int64_t total_;
  OnPolicyRollout rollout_;
  ActorCritic agent_;
};

}  // namespace rlarena
