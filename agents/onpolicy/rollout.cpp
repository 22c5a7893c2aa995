#include "agents/onpolicy/rollout.h"

#include <algorithm>

#include "agents/distributed/world.h"
#include "agents/onpolicy/gae.h"
#include "common/error.h"

namespace rlarena {

namespace {

constexpr double kRewardClip = 10.0;  // Gymnasium/CleanRL clip of normalized rewards

// Two rows per env row per step and the next observations: the segment; the whole run
// when every step is kept (env steps times rows per env step).
int64_t capacity_of(const Recipe& r, const TrainerOptions& options, int64_t rows) {
  const int64_t segment_rows = 2 * (r.integer("num_steps", 1) + 1) * rows;
  const int64_t per_env_step = std::max<int64_t>(1, rows / r.integer("num_envs", 1));
  return options.keep_all_steps ? r.integer("total_steps", 1) * per_env_step + segment_rows : segment_rows;
}

}  // namespace

std::vector<KeySpec> OnPolicyRollout::keys() {
  return {
      {"num_steps", "128", "steps per env per update"},
      {"gamma", "0.99", "discount"},
      {"gae_lambda", "0.95", "GAE lambda (1: plain n-step returns)"},
      {"norm_reward", "false", "scale rewards by the running std of the discounted return"},
  };
}

OnPolicyRollout::OnPolicyRollout(const Recipe& r, const TrainerOptions& options)
    : source_(r),
      capacity_(capacity_of(r, options, source_.num_envs())),
      n_(source_.num_envs()),
      t_(r.integer("num_steps", 1)),
      obs_dim_(source_.observation_space().numel()),
      gamma_(r.number_in("gamma", 0, 1)),
      lambda_(r.number_in("gae_lambda", 0, 1)) {
  if (r.flag("norm_reward")) reward_norm_.emplace(n_, gamma_);
  env_actions_.resize(n_ * source_.action_space().byte_size());
}

void OnPolicyRollout::open(OnPolicyLearner& learner) {
  source_.open(capacity_);
  // Every rank starts from the same statistics; what each counts from here is merged.
  if (ObservationNormalizer* norm = learner.obs_normalizer()) obs_synced_ = norm->stats().state();
  if (reward_norm_) reward_synced_ = reward_norm_->stats().state();
  next_obs_ = learner.observe(source_.current().obs, n_, Statistics::Update);
}

void OnPolicyRollout::merge_statistics_over_ranks(OnPolicyLearner& learner) {
  World* world = current_world();
  if (!world) return;
  if (ObservationNormalizer* norm = learner.obs_normalizer()) merge_statistics(*world, norm->stats(), obs_synced_);
  if (reward_norm_) merge_statistics(*world, reward_norm_->stats(), reward_synced_);
}

Minibatch OnPolicyRollout::collect(OnPolicyLearner& learner, Report& report) {
  const int64_t n = n_, t_steps = t_;
  torch::Tensor obs = torch::empty({t_steps, n, obs_dim_});
  torch::Tensor actions = learner.discrete() ? torch::empty({t_steps, n}, torch::kInt64)
                                             : torch::empty({t_steps, n, learner.action_dim()});
  torch::Tensor log_probs = torch::empty({t_steps, n}), values = torch::empty({t_steps, n});
  torch::Tensor rewards = torch::empty({t_steps, n});
  // The legal actions of each step, where the env has them (turn-based games): the
  // policy samples within them and the update weighs them the same way.
  const int64_t mask_width = learner.discrete() ? source_.current().mask_width : 0;
  torch::Tensor masks = mask_width > 0 ? torch::empty({t_steps, n, mask_width}, torch::kBool) : torch::Tensor();
  std::vector<double> r(n);
  for (int64_t t = 0; t < t_steps; ++t) {
    obs[t].copy_(next_obs_);
    if (masks.defined())
      masks[t].copy_(torch::from_blob(const_cast<uint8_t*>(source_.current().action_mask), {n, mask_width},
                                      torch::kUInt8));
    {
      torch::InferenceMode guard;
      auto [a, log_prob] = learner.sample(next_obs_, masks.defined() ? masks[t] : masks);
      values[t].copy_(learner.value(next_obs_));
      log_probs[t].copy_(log_prob);
      actions[t].copy_(a);
      learner.to_env_actions(a, env_actions_.data());
    }
    const Batch& b = source_.step(env_actions_.data(), report);
    std::copy(b.reward, b.reward + n, r.begin());
    if (reward_norm_) {
      reward_norm_->normalize(r.data(), b.terminated, Statistics::Update);
      for (auto& x : r) x = std::clamp(x, -kRewardClip, kRewardClip);
    }
    float* rt = rewards[t].data_ptr<float>();
    for (int64_t e = 0; e < n; ++e) rt[e] = static_cast<float>(r[e]);
    next_obs_ = learner.observe(b.obs, n, Statistics::Update);
  }
  report.global_step = global_step();
  merge_statistics_over_ranks(learner);

  last_segment_ends(source_.store(), t_steps, n, ends_);
  const torch::Tensor terminated =
      torch::from_blob(ends_.terminated.data(), {t_steps, n}, torch::kUInt8).to(torch::kFloat32);
  const torch::Tensor truncated =
      torch::from_blob(ends_.truncated.data(), {t_steps, n}, torch::kUInt8).to(torch::kFloat32);
  torch::Tensor next_values;
  {
    torch::InferenceMode guard;
    next_values = torch::cat({values.slice(0, 1, t_steps), learner.value(next_obs_).unsqueeze(0)}, 0);
    const torch::Tensor done = (terminated + truncated) > 0;
    if (done.any().item<bool>()) {
      const torch::Tensor finals =
          learner.observe(ends_.final_obs.data(), t_steps * n, Statistics::Keep).view({t_steps, n, obs_dim_});
      next_values = torch::where(done, learner.value(finals), next_values);
    }
  }
  auto [advantages, returns] = gae(rewards, values, next_values, terminated, truncated, gamma_, lambda_);
  const int64_t batch = t_steps * n;
  Minibatch out;
  out.obs = obs.view({batch, obs_dim_});
  out.actions = learner.discrete() ? actions.view({batch}) : actions.view({batch, learner.action_dim()});
  out.log_probs = log_probs.view({batch});
  out.values = values.view({batch});
  out.advantages = advantages.reshape({batch});
  out.returns = returns.reshape({batch});
  if (masks.defined()) out.masks = masks.view({batch, mask_width});
  return out;
}

void OnPolicyRollout::declare(Parts& p) {
  source_.declare(p);
  p.tensor("rollout/next_obs", next_obs_);
  if (current_world()) {  // a distributed run's agreed statistics
    if (!obs_synced_.empty()) p.value("rollout/obs_synced", obs_synced_);
    if (!reward_synced_.empty()) p.value("rollout/reward_synced", reward_synced_);
  }
  if (reward_norm_)
    p.custom(
        "rollout/reward_rms",
        [this](StateMap& s) {
          put_state(s, "rollout/reward_rms", reward_norm_->stats().state());
          put_state(s, "rollout/reward_returns", reward_norm_->returns());
        },
        [this](const StateMap& s) {
          std::vector<double> v;
          get_state(s, "rollout/reward_rms", v), reward_norm_->stats().set_state(v);
          get_state(s, "rollout/reward_returns", v), reward_norm_->set_returns(v);
        });
}

}  // namespace rlarena
