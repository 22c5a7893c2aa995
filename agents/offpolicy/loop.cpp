#include "agents/offpolicy/loop.h"

#include <algorithm>
#include <cmath>

#include "agents/common/checkpoint.h"
#include "agents/common/optim.h"
#include "envs/core/error.h"

namespace rlarena {

std::vector<KeySpec> OffPolicyLoop::keys(int64_t buffer_size, int64_t batch_size, int64_t learning_starts) {
  return {{"buffer_size", std::to_string(buffer_size), "ReplayStore capacity in steps"},
          {"batch_size", std::to_string(batch_size), "transitions per gradient step"},
          {"learning_starts", std::to_string(learning_starts), "env steps of random actions before learning"},
          {"gamma", "0.99", "discount"}};
}

OffPolicyLoop::OffPolicyLoop(const Recipe& r, const TrainerOptions& options, bool has_prioritized_keys)
    : n_(r.integer("num_envs", 1)),
      batch_(r.integer("batch_size", 1)),
      learning_starts_(r.integer("learning_starts", 0)),
      gamma_(r.number_in("gamma", 0, 1)),
      total_steps_(r.integer("total_steps", 1)),
      acting_only_(options.acting_only),
      rng_(static_cast<uint64_t>(r.integer("seed")) ^ 0x5eedULL) {
  const uint64_t seed = static_cast<uint64_t>(r.integer("seed"));
  venv_ = std::make_unique<VecEnv>(r.text("env"), n_, seed, static_cast<int>(r.integer("env_threads", 1)), 0,
                                   r.kwargs());
  const Space& act_space = venv_->action_space();
  if (venv_->observation_space().dtype() != DType::Float32)
    throw Error(r.text("env") + ": this agent takes vector observations; give a vector-observation env");
  obs_dim_ = venv_->observation_space().numel();
  const int64_t buffer = r.integer("buffer_size", 2);
  if (buffer < 2 * n_ + batch_)
    throw Error("buffer_size = " + std::to_string(buffer) + " is too small for num_envs and batch_size; give at least " +
                std::to_string(2 * n_ + batch_));
  int64_t capacity = options.keep_all_steps ? std::max(buffer, total_steps_ + 2 * n_) : buffer;
  if (options.acting_only) capacity = 2 * n_ + 2;
  store_ = std::make_unique<ReplayStore>(venv_->observation_space(), act_space, capacity);
  writer_ = std::make_unique<VecWriter>(*store_, n_);
  if (act_space.kind() == Space::Kind::Box) {
    const int64_t dim = act_space.numel();
    bounds_.low = torch::empty({dim}), bounds_.high = torch::empty({dim});
    for (int64_t i = 0; i < dim; ++i) bounds_.low[i] = act_space.low()[i], bounds_.high[i] = act_space.high()[i];
    bounds_.scale = (bounds_.high - bounds_.low) / 2;
    bounds_.bias = (bounds_.high + bounds_.low) / 2;
  }
  if (has_prioritized_keys && r.flag("prioritized")) {
    per_.emplace(*store_, r.number_in("per_alpha", 0, 10), seed + 1);
    per_beta0_ = r.number_in("per_beta", 0, 1);
  } else {
    uniform_.emplace(seed + 1);
  }
  if (options.acting_only) return;
  venv_->record_episodes(true);
  current_ = &venv_->reset();
  writer_->reset(*current_);
}

void OffPolicyLoop::run_interval(int64_t log_every, const std::atomic<bool>& stop, bool random_warmup, Report& report,
                                 const std::function<void(const torch::Tensor&, void*)>& act,
                                 const std::function<void()>& update) {
  const int64_t end = std::min(total_steps_, (global_step_ / log_every + 1) * log_every);
  actions_.resize(n_ * venv_->action_space().byte_size());
  while (global_step_ < end && !stop.load(std::memory_order_relaxed)) {
    if (random_warmup && global_step_ < learning_starts_) {
      random_actions(actions_.data());
    } else {
      torch::InferenceMode guard;
      act(observations(), actions_.data());
    }
    step(actions_.data(), report);
    if (global_step_ > learning_starts_) update();
  }
  report.global_step = global_step_;
}

torch::Tensor OffPolicyLoop::observations() const {
  return torch::from_blob(const_cast<void*>(current_->obs), {n_, obs_dim_}, torch::kFloat32);
}

void OffPolicyLoop::random_actions(void* out) {
  const Space& act_space = venv_->action_space();
  const size_t bytes = act_space.byte_size();
  for (int64_t i = 0; i < n_; ++i) act_space.sample(rng_, static_cast<uint8_t*>(out) + i * bytes);
}

void OffPolicyLoop::step(const void* actions, Report& report) {
  current_ = &venv_->step(actions);
  writer_->add(*current_, actions);
  global_step_ += n_;
  for (int64_t e = 0; e < n_; ++e)
    if (current_->done(e))
      report.episode_returns.push_back(current_->episode_return[e]),
          report.episode_lengths.push_back(current_->episode_length[e]), report.episode_ends.push_back(global_step_);
}

Minibatch OffPolicyLoop::sample() {
  const Space& act_space = venv_->action_space();
  Minibatch m;
  if (per_) {
    // Beta anneals linearly to 1 over the run (Schaul et al. 2016).
    const double frac = std::min(1.0, static_cast<double>(global_step_) / total_steps_);
    per_->sample(batch_, per_beta0_ + frac * (1.0 - per_beta0_), sample_);
    m.weights = torch::from_blob(sample_.weights.data(), {batch_}, torch::kFloat64).to(torch::kFloat32);
  } else {
    uniform_->sample(*store_, batch_, sample_);
  }
  m.obs = torch::from_blob(sample_.obs.data(), {batch_, obs_dim_}, torch::kFloat32);
  m.next_obs = torch::from_blob(sample_.next_obs.data(), {batch_, obs_dim_}, torch::kFloat32);
  if (act_space.kind() == Space::Kind::Discrete) {
    m.actions = torch::from_blob(sample_.action.data(), {batch_}, torch::kInt64) - act_space.start();
  } else {
    m.actions = torch::from_blob(sample_.action.data(), {batch_, act_space.numel()}, torch::kFloat32);
  }
  m.rewards = torch::from_blob(sample_.reward.data(), {batch_}, torch::kFloat32);
  m.terminated = torch::from_blob(sample_.terminated.data(), {batch_}, torch::kUInt8).to(torch::kFloat32);
  m.rows = sample_.rows.data();
  return m;
}

void OffPolicyLoop::update_priorities(const torch::Tensor& td_errors) {
  const torch::Tensor p = td_errors.detach().abs().to(torch::kFloat64).contiguous();
  per_->update(sample_.rows.data(), p.data_ptr<double>(), p.numel());
}

void OffPolicyLoop::save(StateMap& s) {
  put_vec_env(s, "envs", *venv_);
  store_->save_state(s, "store/");
  writer_->save_state(s, "writer/");
  if (per_) per_->save_state(s, "per/");
  if (uniform_) put_state(s, "sampler/rng", uniform_->rng().state());
  put_state(s, "loop/rng", rng_.state());
  put_state(s, "loop/global_step", global_step_);
}

void OffPolicyLoop::load(const StateMap& s) {
  global_step_ = get_state_value<int64_t>(s, "loop/global_step");
  if (acting_only_) return;
  current_ = &get_vec_env(s, "envs", *venv_);
  store_->load_state(s, "store/");
  writer_->load_state(s, "writer/");
  if (per_) per_->load_state(s, "per/");
  if (uniform_) uniform_->rng().set_state(get_state_value<Rng::State>(s, "sampler/rng"));
  rng_.set_state(get_state_value<Rng::State>(s, "loop/rng"));
}

OffPolicyTrainer::OffPolicyTrainer(const Recipe& r, const TrainerOptions& options, bool has_prioritized_keys,
                                   bool random_warmup)
    : seeded_(seed_torch(static_cast<uint64_t>(r.integer("seed")))),
      loop_(r, options, has_prioritized_keys),
      log_every_(r.integer("log_every", 1)),
      random_warmup_(random_warmup) {}

Report OffPolicyTrainer::iterate(const std::atomic<bool>& stop) {
  Report report;
  LossMeans losses(loss_names().size());
  loop_.run_interval(
      log_every_, stop, random_warmup_, report,
      [&](const torch::Tensor& obs, void* actions) { explore(obs, actions, losses); }, [&] { update(losses); });
  report.losses = losses.means();
  return report;
}

void OffPolicyTrainer::act(const void* obs, int64_t n, bool deterministic, void* actions) {
  torch::InferenceMode guard;
  act_into(torch::from_blob(const_cast<void*>(obs), {n, loop_.obs_dim()}, torch::kFloat32), deterministic, actions);
}

}  // namespace rlarena
