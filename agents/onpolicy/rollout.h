// On-policy rollouts: N envs x T steps with the learner's policy. Each step goes into
// the ReplayStore (the run's transitions, as the env saw them). The rollout keeps the
// one copy of what the update needs, as the policy saw it (normalized observations,
// sampled actions before clipping, their log-probabilities and values, scaled
// rewards); only the flags and final observations come back from the store. GAE
// turns the segment into advantages and returns; truncated episodes bootstrap from
// their final observation. Rewards can be normalized on the fly (Gymnasium's
// NormalizeReward), with the statistics kept in checkpoints. In a distributed run the
// normalizers' statistics are merged over the ranks after every rollout.
#pragma once
#include <torch/torch.h>

#include <optional>

#include "agents/common/normalizers.h"
#include "agents/common/trainer.h"
#include "agents/data/online_source.h"
#include "agents/onpolicy/learner.h"
#include "replay/samplers.h"

namespace rlarena {

class OnPolicyRollout {
 public:
  // Recipe keys: the run's, num_steps, gamma, gae_lambda, norm_reward.
  OnPolicyRollout(const Recipe& recipe, const TrainerOptions& options);
  // Those keys, with PPO's defaults.
  static std::vector<KeySpec> keys();

  const Space& observation_space() const { return source_.observation_space(); }
  const Space& action_space() const { return source_.action_space(); }
  int64_t batch_size() const { return n_ * t_; }  // rows of one rollout
  int64_t env_steps_per_rollout() const { return source_.env_steps_per_step() * t_; }
  int64_t global_step() const { return source_.global_step(); }
  const ReplayStore& store() const { return source_.store(); }
  EnvBatch& batch() { return source_.batch(); }

  // Makes the store and resets the envs; their first observations as the learner sees
  // them (its normalizer counts them).
  void open(OnPolicyLearner& learner);
  // Steps every env T times with the learner's policy and records finished episodes in
  // `report`. Returns [T * N] rows: obs, actions, log_probs, values, advantages, returns.
  Minibatch collect(OnPolicyLearner& learner, Report& report);

  void declare(Parts& parts);

 private:
  OnlineSource source_;
  int64_t capacity_, n_, t_, obs_dim_;
  double gamma_, lambda_;
  std::optional<RewardNormalizer> reward_norm_;
  torch::Tensor next_obs_;  // [N, obs] the policy's view of the current observations
  std::vector<uint8_t> env_actions_;
  SegmentEnds ends_;
  // Distributed runs: the normalizers' statistics all ranks agreed on last (merged at
  // the end of every rollout, so every rank's policy sees the same normalization).
  std::vector<double> obs_synced_, reward_synced_;
  void merge_statistics_over_ranks(OnPolicyLearner& learner);
};

}  // namespace rlarena
