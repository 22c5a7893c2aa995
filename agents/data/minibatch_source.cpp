#include "agents/data/minibatch_source.h"

#include <algorithm>
#include <cmath>

#include "agents/distributed/world.h"
#include "common/error.h"

namespace rlarena {

StoreSampler::StoreSampler(ReplayStore& store, const SamplerOptions& o, std::string name)
    : store_(store), name_(std::move(name)), beta0_(o.beta), rows_(o.rows) {
  if (o.prioritized && (o.rows.begin != 0 || o.rows.end != -1))
    throw Error("a prioritized sampler draws from the whole store; give it no row span");
  // Each rank of a distributed job draws its own minibatches.
  if (o.prioritized) per_.emplace(store_, o.alpha, rank_seed(o.seed));
  else uniform_.emplace(rank_seed(o.seed));
}

Minibatch all_transitions(const ReplayStore& store) {
  std::vector<int64_t> rows;
  for (int64_t row = 0; row < store.capacity(); ++row)
    if (store.is_closed(row)) rows.push_back(row);
  SampleBatch all;
  gather(store, rows.data(), static_cast<int64_t>(rows.size()), all);
  const int64_t n = all.size, obs_dim = store.observation_space().numel();
  const Space& act_space = store.action_space();
  Minibatch m;
  m.obs = torch::from_blob(all.obs.data(), {n, obs_dim}, torch::kFloat32).clone();
  m.next_obs = torch::from_blob(all.next_obs.data(), {n, obs_dim}, torch::kFloat32).clone();
  m.actions = act_space.kind() == Space::Kind::Discrete
                  ? torch::from_blob(all.action.data(), {n}, torch::kInt64) - act_space.start()
                  : torch::from_blob(all.action.data(), {n, act_space.numel()}, torch::kFloat32).clone();
  m.rewards = torch::from_blob(all.reward.data(), {n}, torch::kFloat32).clone();
  m.terminated = torch::from_blob(all.terminated.data(), {n}, torch::kUInt8).to(torch::kFloat32);
  return m;
}

Minibatch StoreSampler::sample(int64_t batch, double progress) {
  const Space& act_space = store_.action_space();
  const int64_t obs_dim = store_.observation_space().numel();
  Minibatch m;
  if (per_) {
    const double frac = std::clamp(progress, 0.0, 1.0);
    per_->sample(batch, beta0_ + frac * (1.0 - beta0_), sample_);
    m.weights = torch::from_blob(sample_.weights.data(), {batch}, torch::kFloat64).to(torch::kFloat32);
  } else {
    uniform_->sample(store_, batch, sample_, rows_);
  }
  m.obs = torch::from_blob(sample_.obs.data(), {batch, obs_dim}, torch::kFloat32);
  m.next_obs = torch::from_blob(sample_.next_obs.data(), {batch, obs_dim}, torch::kFloat32);
  if (act_space.kind() == Space::Kind::Discrete) {
    m.actions = torch::from_blob(sample_.action.data(), {batch}, torch::kInt64) - act_space.start();
  } else {
    m.actions = torch::from_blob(sample_.action.data(), {batch, act_space.numel()}, torch::kFloat32);
  }
  m.rewards = torch::from_blob(sample_.reward.data(), {batch}, torch::kFloat32);
  m.terminated = torch::from_blob(sample_.terminated.data(), {batch}, torch::kUInt8).to(torch::kFloat32);
  return m;
}

void StoreSampler::update_priorities(const torch::Tensor& td_errors) {
  if (!per_) throw Error("update_priorities: this sampler is uniform; make it with prioritized = true");
  const torch::Tensor p = td_errors.detach().abs().to(torch::kFloat64).contiguous();
  per_->update(sample_.rows.data(), p.data_ptr<double>(), p.numel());
}

void StoreSampler::declare(Parts& parts) {
  if (per_) parts.object(name_ + "/per/", *per_);
  else parts.rng(name_ + "/rng", uniform_->rng());
}

MixedSource::MixedSource(MinibatchSource& first, MinibatchSource& second, double first_share)
    : first_(first), second_(second), share_(first_share) {
  if (!(share_ >= 0 && share_ <= 1))
    throw Error("the share of the first source is " + std::to_string(share_) + "; give a value in [0, 1]");
}

Minibatch MixedSource::sample(int64_t batch, double progress) {
  const int64_t n_first = std::llround(share_ * batch);
  if (n_first == 0) return second_.sample(batch, progress);
  if (n_first == batch) return first_.sample(batch, progress);
  const Minibatch a = first_.sample(n_first, progress);
  const Minibatch b = second_.sample(batch - n_first, progress);
  const auto cat = [](const torch::Tensor& x, const torch::Tensor& y) {
    return x.defined() && y.defined() ? torch::cat({x, y}) : torch::Tensor();
  };
  Minibatch m;
  m.obs = cat(a.obs, b.obs);
  m.actions = cat(a.actions, b.actions);
  m.rewards = cat(a.rewards, b.rewards);
  m.next_obs = cat(a.next_obs, b.next_obs);
  m.terminated = cat(a.terminated, b.terminated);
  // Importance weights of a prioritized source; rows of a uniform one weigh 1.
  if (a.weights.defined() || b.weights.defined())
    m.weights = torch::cat({a.weights.defined() ? a.weights : torch::ones({a.size()}),
                            b.weights.defined() ? b.weights : torch::ones({b.size()})});
  return m;
}

void MixedSource::declare(Parts& parts) {
  first_.declare(parts);
  second_.declare(parts);
}

}  // namespace rlarena
