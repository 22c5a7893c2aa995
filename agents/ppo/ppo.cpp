#include "agents/ppo/ppo.h"

#include <cmath>

#include "agents/common/batch_tensors.h"
#include "agents/common/distributions.h"
#include "agents/common/networks.h"
#include "agents/ppo/losses.h"
#include "envs/core/error.h"
#include "envs/core/vec_env.h"
#include "replay/samplers.h"
#include "replay/vec_writer.h"

namespace rlarena::ppo {

namespace {

// Actor and critic; the policy head's distribution depends on the action space.
struct Agent : torch::nn::Module {
  Agent(int64_t obs_dim, const Space& actions, const std::vector<int64_t>& hidden)
      : discrete(actions.kind() == Space::Kind::Discrete),
        act_dim(discrete ? actions.n() : actions.numel()) {
    critic = register_module("critic", mlp(obs_dim, hidden, 1, Activation::Tanh, 1.0));
    actor = register_module("actor", mlp(obs_dim, hidden, act_dim, Activation::Tanh, 0.01));
    if (!discrete) log_std = register_parameter("log_std", torch::zeros({act_dim}));
  }
  torch::Tensor value(const torch::Tensor& obs) { return critic->forward(obs).squeeze(-1); }
  bool discrete;
  int64_t act_dim;
  torch::nn::Sequential critic{nullptr}, actor{nullptr};
  torch::Tensor log_std;
};

torch::Tensor float_obs(const void* data, int64_t rows, int64_t dim) {
  return torch::from_blob(const_cast<void*>(data), {rows, dim}, torch::kFloat32);
}

}  // namespace

void train(const Config& c, const std::function<bool(const UpdateStats&)>& on_update) {
  torch::manual_seed(c.seed);
  VecEnv venv(c.env_id, c.num_envs, c.seed, c.env_threads, 0, c.env_kwargs);
  const Space& obs_space = venv.observation_space();
  const Space& act_space = venv.action_space();
  if (obs_space.dtype() != DType::Float32)
    throw Error(c.env_id + ": this PPO takes vector observations; pixel observations come with the CNN recipes");
  const int64_t obs_dim = obs_space.numel(), n = c.num_envs, t_steps = c.num_steps;
  const int64_t batch = n * t_steps, minibatch = batch / c.minibatches;
  if (minibatch < 1) throw Error("PPO: num_envs * num_steps must be at least minibatches");

  Agent agent(obs_dim, act_space, c.hidden);
  torch::optim::Adam optimizer(agent.parameters(), torch::optim::AdamOptions(c.learning_rate).eps(1e-5));
  ReplayStore store(obs_space, act_space, 2 * (t_steps + 1) * n);
  VecWriter writer(store, n);
  Rng rng(c.seed);

  const Batch* current = &venv.reset();
  writer.reset(*current);
  torch::Tensor old_log_probs = torch::zeros({t_steps, n}), old_values = torch::zeros({t_steps, n});
  std::vector<uint8_t> actions(n * act_space.byte_size());
  const int64_t updates = c.total_steps / batch;
  int64_t global_step = 0;
  for (int64_t update = 1; update <= updates; ++update) {
    if (c.anneal_lr) {
      const double frac = 1.0 - (update - 1.0) / updates;
      for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(frac * c.learning_rate);
    }
    UpdateStats stats;
    // Rollout: act on the current observations, record the step in the store.
    for (int64_t t = 0; t < t_steps; ++t) {
      {
        torch::InferenceMode guard;
        const torch::Tensor obs = float_obs(current->obs, n, obs_dim);
        const torch::Tensor out = agent.actor->forward(obs);
        old_values[t] = agent.value(obs);
        if (agent.discrete) {
          const Categorical dist(out);
          const torch::Tensor a = dist.sample(rng);
          old_log_probs[t] = dist.log_prob(a);
          std::memcpy(actions.data(), a.data_ptr<int64_t>(), n * sizeof(int64_t));
        } else {
          const DiagGaussian dist(out, agent.log_std);
          const torch::Tensor a = dist.sample(rng).contiguous();
          old_log_probs[t] = dist.log_prob(a);
          std::memcpy(actions.data(), a.data_ptr<float>(), n * act_space.byte_size());
        }
      }
      current = &venv.step(actions.data());
      writer.add(*current, actions.data());
      global_step += n;
      for (int64_t e = 0; e < n; ++e)
        if (current->done(e))
          stats.episode_returns.push_back(current->episode_return[e]),
              stats.episode_lengths.push_back(current->episode_length[e]);
    }
    // The segment back from the store; values of each step's next observation.
    Segment seg;
    last_segment(store, t_steps, n, seg);
    const torch::Tensor seg_obs = float_obs(seg.obs.data(), (t_steps + 1) * n, obs_dim).view({t_steps + 1, n, obs_dim});
    const torch::Tensor rewards = torch::from_blob(seg.reward.data(), {t_steps, n}, torch::kFloat32);
    const torch::Tensor terminated =
        torch::from_blob(seg.terminated.data(), {t_steps, n}, torch::kUInt8).to(torch::kFloat32);
    const torch::Tensor truncated =
        torch::from_blob(seg.truncated.data(), {t_steps, n}, torch::kUInt8).to(torch::kFloat32);
    torch::Tensor next_values;
    {
      torch::InferenceMode guard;
      next_values = agent.value(seg_obs.slice(0, 1, t_steps + 1));
      const torch::Tensor done = (terminated + truncated) > 0;
      if (done.any().item<bool>()) {
        const torch::Tensor finals = float_obs(seg.final_obs.data(), t_steps * n, obs_dim).view({t_steps, n, obs_dim});
        next_values = torch::where(done, agent.value(finals), next_values);
      }
    }
    auto [advantages, returns] =
        gae(rewards, old_values, next_values, terminated, truncated, c.gamma, c.gae_lambda);

    // Learning: epochs over shuffled minibatches of the flattened segment (`seg`
    // holds the data until the next update).
    const torch::Tensor b_obs = seg_obs.slice(0, 0, t_steps).reshape({batch, obs_dim});
    torch::Tensor b_actions;
    if (agent.discrete) {
      b_actions = torch::from_blob(seg.action.data(), {batch}, torch::kInt64);
    } else {
      b_actions = torch::from_blob(seg.action.data(), {batch, agent.act_dim}, torch::kFloat32);
    }
    const torch::Tensor b_log_probs = old_log_probs.reshape({batch}), b_values = old_values.reshape({batch});
    const torch::Tensor b_adv = advantages.reshape({batch}), b_returns = returns.reshape({batch});
    int64_t count = 0;
    for (int64_t epoch = 0; epoch < c.epochs; ++epoch) {
      const torch::Tensor order = torch::randperm(batch, torch::kInt64);
      for (int64_t start = 0; start + minibatch <= batch; start += minibatch) {
        const torch::Tensor idx = order.slice(0, start, start + minibatch);
        const torch::Tensor obs = b_obs.index_select(0, idx);
        const torch::Tensor out = agent.actor->forward(obs);
        torch::Tensor log_prob, entropy;
        if (agent.discrete) {
          const Categorical dist(out);
          log_prob = dist.log_prob(b_actions.index_select(0, idx)), entropy = dist.entropy();
        } else {
          const DiagGaussian dist(out, agent.log_std);
          log_prob = dist.log_prob(b_actions.index_select(0, idx)), entropy = dist.entropy();
        }
        torch::Tensor adv = b_adv.index_select(0, idx);
        if (c.norm_adv) adv = (adv - adv.mean()) / (adv.std() + 1e-8);
        const PolicyLoss pg = clipped_policy_loss(log_prob, b_log_probs.index_select(0, idx), adv, c.clip);
        const torch::Tensor v_loss = value_loss(agent.value(obs), b_returns.index_select(0, idx),
                                                b_values.index_select(0, idx), c.clip_vloss ? c.clip : 0.0);
        const torch::Tensor ent = entropy.mean();
        const torch::Tensor loss = pg.loss - c.ent_coef * ent + c.vf_coef * v_loss;
        optimizer.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(agent.parameters(), c.max_grad_norm);
        optimizer.step();
        stats.policy_loss += pg.loss.item<double>(), stats.value_loss += v_loss.item<double>();
        stats.entropy += ent.item<double>(), stats.approx_kl += pg.approx_kl.item<double>();
        stats.clip_fraction += pg.clip_fraction.item<double>();
        ++count;
      }
    }
    stats.global_step = global_step;
    stats.policy_loss /= count, stats.value_loss /= count, stats.entropy /= count;
    stats.approx_kl /= count, stats.clip_fraction /= count;
    if (!on_update(stats)) return;
  }
}

}  // namespace rlarena::ppo
