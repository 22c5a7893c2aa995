#include "agents/onpolicy/rollout.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "agents/common/checkpoint.h"
#include "agents/common/distributions.h"
#include "agents/common/optim.h"
#include "agents/ppo/losses.h"
#include "envs/core/error.h"

namespace rlarena {

namespace {
std::string number_text(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}
constexpr double kClip = 10.0;  // Gymnasium/CleanRL clip of normalized observations and rewards
}

ActorCritic::ActorCritic(int64_t obs_dim, const Space& actions, const std::vector<int64_t>& hidden,
                         Activation activation, double log_std_init)
    : discrete(actions.kind() == Space::Kind::Discrete), act_dim(discrete ? actions.n() : actions.numel()) {
  critic = register_module("critic", mlp(obs_dim, hidden, 1, activation, 1.0));
  actor = register_module("actor", mlp(obs_dim, hidden, act_dim, activation, 0.01));
  if (!discrete) log_std = register_parameter("log_std", torch::full({act_dim}, log_std_init));
}

std::pair<torch::Tensor, torch::Tensor> ActorCritic::evaluate(const torch::Tensor& obs, const torch::Tensor& actions) {
  const torch::Tensor out = actor->forward(obs);
  if (discrete) {
    const Categorical dist(out);
    return {dist.log_prob(actions), dist.entropy()};
  }
  const DiagGaussian dist(out, log_std);
  return {dist.log_prob(actions), dist.entropy()};
}

std::pair<torch::Tensor, torch::Tensor> ActorCritic::sample(const torch::Tensor& obs, Rng& rng) {
  const torch::Tensor out = actor->forward(obs);
  if (discrete) {
    const Categorical dist(out);
    torch::Tensor a = dist.sample(rng);
    return {a, dist.log_prob(a)};
  }
  const DiagGaussian dist(out, log_std);
  torch::Tensor a = dist.sample(rng);
  return {a, dist.log_prob(a)};
}

torch::Tensor ActorCritic::mode(const torch::Tensor& obs) {
  const torch::Tensor out = actor->forward(obs);
  return discrete ? Categorical(out).mode() : out;
}

std::vector<KeySpec> OnPolicyRollout::keys(int64_t num_steps, double gae_lambda, bool norm_obs, bool norm_reward) {
  auto b = [](bool v) { return std::string(v ? "true" : "false"); };
  return {
      {"num_steps", std::to_string(num_steps), "steps per env per update"},
      {"gamma", "0.99", "discount"},
      {"gae_lambda", number_text(gae_lambda), "GAE lambda (1: plain n-step returns)"},
      {"norm_obs", b(norm_obs), "normalize observations by running mean/std (kept in checkpoints)"},
      {"norm_reward", b(norm_reward), "scale rewards by the running std of the discounted return"},
  };
}

OnPolicyRollout::OnPolicyRollout(const Recipe& r, const TrainerOptions& options, int64_t total_steps)
    : n_(r.integer("num_envs", 1)),
      t_(r.integer("num_steps", 1)),
      gamma_(r.number_in("gamma", 0, 1)),
      lambda_(r.number_in("gae_lambda", 0, 1)),
      acting_only_(options.acting_only),
      rng_(static_cast<uint64_t>(r.integer("seed"))) {
  venv_ = std::make_unique<VecEnv>(r.text("env"), n_, static_cast<uint64_t>(r.integer("seed")),
                                   static_cast<int>(r.integer("env_threads", 1)), 0, r.kwargs());
  const Space& obs_space = venv_->observation_space();
  const Space& act_space = venv_->action_space();
  if (obs_space.dtype() != DType::Float32)
    throw Error(r.text("env") + ": this on-policy agent takes vector observations; give a vector-observation env");
  if (act_space.kind() != Space::Kind::Discrete && act_space.kind() != Space::Kind::Box)
    throw Error(r.text("env") + ": actions must be Discrete or Box for this agent");
  obs_dim_ = obs_space.numel();
  low_.assign(act_space.low().begin(), act_space.low().end());
  high_.assign(act_space.high().begin(), act_space.high().end());
  if (r.flag("norm_obs")) obs_norm_.emplace(obs_dim_, kClip);
  if (r.flag("norm_reward")) reward_norm_.emplace(n_, gamma_);
  env_actions_.resize(n_ * act_space.byte_size());
  const int64_t segment_rows = 2 * (t_ + 1) * n_;
  const int64_t capacity = options.keep_all_steps ? total_steps + segment_rows : segment_rows;
  store_ = std::make_unique<ReplayStore>(obs_space, act_space, options.acting_only ? 2 * n_ : capacity);
  writer_ = std::make_unique<VecWriter>(*store_, n_);
  if (options.acting_only) return;
  venv_->record_episodes(true);
  const Batch& first = venv_->reset();
  writer_->reset(first);
  next_obs_ = normalized(first.obs, n_, true);
}

torch::Tensor OnPolicyRollout::normalized(const void* obs, int64_t rows, bool update) {
  torch::Tensor t = torch::empty({rows, obs_dim_}, torch::kFloat32);
  std::memcpy(t.data_ptr<float>(), obs, rows * obs_dim_ * sizeof(float));
  if (obs_norm_) obs_norm_->normalize(t.data_ptr<float>(), rows, update);
  return t;
}

void OnPolicyRollout::to_env_actions(const torch::Tensor& sampled, uint8_t* out) const {
  const torch::Tensor a = sampled.contiguous();
  const int64_t rows = a.size(0);
  if (a.scalar_type() == torch::kInt64) {
    const int64_t start = venv_->action_space().start();
    auto* dst = reinterpret_cast<int64_t*>(out);
    const int64_t* src = a.data_ptr<int64_t>();
    for (int64_t i = 0; i < rows; ++i) dst[i] = src[i] + start;
    return;
  }
  auto* dst = reinterpret_cast<float*>(out);
  const float* src = a.data_ptr<float>();
  const int64_t dim = static_cast<int64_t>(low_.size());
  for (int64_t i = 0; i < rows * dim; ++i)
    dst[i] = static_cast<float>(std::clamp<double>(src[i], low_[i % dim], high_[i % dim]));
}

RolloutData OnPolicyRollout::collect(ActorCritic& agent, Report& report) {
  const int64_t n = n_, t_steps = t_;
  torch::Tensor obs = torch::empty({t_steps, n, obs_dim_});
  torch::Tensor actions = agent.discrete ? torch::empty({t_steps, n}, torch::kInt64)
                                         : torch::empty({t_steps, n, agent.act_dim});
  torch::Tensor log_probs = torch::empty({t_steps, n}), values = torch::empty({t_steps, n});
  torch::Tensor rewards = torch::empty({t_steps, n});
  std::vector<double> r(n);
  for (int64_t t = 0; t < t_steps; ++t) {
    obs[t].copy_(next_obs_);
    {
      torch::InferenceMode guard;
      auto [a, log_prob] = agent.sample(next_obs_, rng_);
      values[t].copy_(agent.value(next_obs_));
      log_probs[t].copy_(log_prob);
      actions[t].copy_(a);
      to_env_actions(a, env_actions_.data());
    }
    const Batch& b = venv_->step(env_actions_.data());
    writer_->add(b, env_actions_.data());
    global_step_ += n;
    std::copy(b.reward, b.reward + n, r.begin());
    if (reward_norm_) {
      reward_norm_->normalize(r.data(), b.terminated, true);
      for (auto& x : r) x = std::clamp(x, -kClip, kClip);
    }
    float* rt = rewards[t].data_ptr<float>();
    for (int64_t e = 0; e < n; ++e) rt[e] = static_cast<float>(r[e]);
    next_obs_ = normalized(b.obs, n, true);
    for (int64_t e = 0; e < n; ++e)
      if (b.done(e))
        report.episode_returns.push_back(b.episode_return[e]), report.episode_lengths.push_back(b.episode_length[e]),
            report.episode_ends.push_back(global_step_);
  }
  report.global_step = global_step_;

  // Flags and final observations come back from the store.
  last_segment(*store_, t_steps, n, seg_);
  const torch::Tensor terminated =
      torch::from_blob(seg_.terminated.data(), {t_steps, n}, torch::kUInt8).to(torch::kFloat32);
  const torch::Tensor truncated =
      torch::from_blob(seg_.truncated.data(), {t_steps, n}, torch::kUInt8).to(torch::kFloat32);
  torch::Tensor next_values;
  {
    torch::InferenceMode guard;
    next_values = torch::cat({values.slice(0, 1, t_steps), agent.value(next_obs_).unsqueeze(0)}, 0);
    const torch::Tensor done = (terminated + truncated) > 0;
    if (done.any().item<bool>()) {
      const torch::Tensor finals = normalized(seg_.final_obs.data(), t_steps * n, false).view({t_steps, n, obs_dim_});
      next_values = torch::where(done, agent.value(finals), next_values);
    }
  }
  auto [advantages, returns] = ppo::gae(rewards, values, next_values, terminated, truncated, gamma_, lambda_);
  const int64_t batch = t_steps * n;
  return {obs.view({batch, obs_dim_}),
          agent.discrete ? actions.view({batch}) : actions.view({batch, agent.act_dim}),
          log_probs.view({batch}),
          values.view({batch}),
          advantages.reshape({batch}),
          returns.reshape({batch})};
}

void OnPolicyRollout::act(ActorCritic& agent, const void* obs, int64_t n, bool deterministic, void* actions) {
  torch::InferenceMode guard;
  const torch::Tensor x = normalized(obs, n, false);
  to_env_actions(deterministic ? agent.mode(x) : agent.sample(x, rng_).first, static_cast<uint8_t*>(actions));
}

void OnPolicyRollout::save(StateMap& s) {
  put_vec_env(s, "envs", *venv_);
  store_->save_state(s, "store/");
  writer_->save_state(s, "writer/");
  put_state(s, "rollout/rng", rng_.state());
  put_state(s, "rollout/global_step", global_step_);
  put_tensor(s, "rollout/next_obs", next_obs_);
  if (obs_norm_) put_state(s, "rollout/obs_rms", obs_norm_->stats().state());
  if (reward_norm_) {
    put_state(s, "rollout/reward_rms", reward_norm_->stats().state());
    put_state(s, "rollout/reward_returns", reward_norm_->returns());
  }
}

void OnPolicyRollout::load(const StateMap& s) {
  global_step_ = get_state_value<int64_t>(s, "rollout/global_step");
  std::vector<double> v;
  if (obs_norm_) get_state(s, "rollout/obs_rms", v), obs_norm_->stats().set_state(v);
  if (acting_only_) return;  // the policy needs only the normalizer
  get_vec_env(s, "envs", *venv_);
  store_->load_state(s, "store/");
  writer_->load_state(s, "writer/");
  rng_.set_state(get_state_value<Rng::State>(s, "rollout/rng"));
  next_obs_ = torch::empty({n_, obs_dim_});
  get_tensor(s, "rollout/next_obs", next_obs_);
  if (reward_norm_) {
    get_state(s, "rollout/reward_rms", v), reward_norm_->stats().set_state(v);
    get_state(s, "rollout/reward_returns", v), reward_norm_->set_returns(v);
  }
}

namespace {
Activation activation_of(const Recipe& r) {
  const std::string& a = r.text("activation");
  if (a != "relu" && a != "tanh") throw Error("activation = " + a + " is not known; give tanh or relu");
  return a == "relu" ? Activation::ReLU : Activation::Tanh;
}
}  // namespace

std::vector<KeySpec> OnPolicyTrainer::network_keys() {
  return {{"hidden", "64,64", "hidden layer sizes of actor and critic, comma-separated"},
          {"activation", "tanh", "hidden activation: tanh or relu"},
          {"log_std_init", "0", "initial log std of continuous actions"}};
}

OnPolicyTrainer::OnPolicyTrainer(const Recipe& r, const TrainerOptions& options)
    : seeded_(seed_torch(static_cast<uint64_t>(r.integer("seed")))),
      total_(r.integer("total_steps", 1)),
      rollout_(r, options, total_),
      agent_(rollout_.obs_dim(), rollout_.action_space(), r.list("hidden"), activation_of(r), r.number("log_std_init")) {
  if (total_ < rollout_.batch_size())
    throw Error("total_steps = " + std::to_string(total_) + " is less than one update (num_envs * num_steps = " +
                std::to_string(rollout_.batch_size()) + ")");
}

double OnPolicyTrainer::step_size(double lr, bool anneal) const {
  if (!anneal) return lr;
  const int64_t batch = rollout_.batch_size(), updates = total_ / batch, update = rollout_.global_step() / batch;
  return (1.0 - static_cast<double>(update) / updates) * lr;
}

void OnPolicyTrainer::save(StateMap& s) {
  put_module(s, "agent", agent_);
  put_optimizer(s, "optimizer", optimizer());
  rollout_.save(s);
}

void OnPolicyTrainer::load(const StateMap& s) {
  get_module(s, "agent", agent_);
  get_optimizer(s, "optimizer", optimizer());
  rollout_.load(s);
}

}  // namespace rlarena
