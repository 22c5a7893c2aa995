#include "envs/multi/multi_vec_env.h"

#include <algorithm>
#include <cstring>

#include "common/error.h"
#include "envs/multi/multi_registry.h"

namespace rlarena {

namespace {

// The space every agent shares, or an Error naming the two that differ.
Space shared_action_space(const MultiAgentEnv& env) {
  for (int a = 1; a < env.num_agents(); ++a)
    if (env.action_space(a) != env.action_space(0))
      throw Error(env.id() + ": agents " + env.agents()[0] + " and " + env.agents()[a] + " act in different spaces (" +
                  env.action_space(0).repr() + ", " + env.action_space(a).repr() +
                  "); the multi-agent VecEnv needs one action space for all rows");
  return env.action_space(0);
}

}  // namespace

MultiAgentVecEnv::MultiAgentVecEnv(const std::string& id, int64_t num_envs, uint64_t seed, int num_threads,
                                   const Kwargs& kwargs, bool agent_ids, bool global_state)
    : agents_(0),
      seed_(seed),
      agent_ids_(agent_ids),
      global_state_(global_state),
      obs_space_(Space::discrete(1)),
      act_space_(Space::discrete(1)),
      state_space_(Space::discrete(1)),
      pool_(static_cast<int>(std::min<int64_t>(std::max(num_threads, 1), std::max<int64_t>(num_envs, 1)))) {
  if (num_envs < 1) throw Error("multi-agent VecEnv: num_envs must be at least 1");
  for (int64_t i = 0; i < num_envs; ++i) envs_.push_back(make_multi(id, kwargs));
  const MultiAgentEnv& e = *envs_.front();
  agents_ = e.num_agents();
  int64_t state_width = 0;
  for (int a = 0; a < agents_; ++a) {
    const Space& s = e.observation_space(a);
    if (s.kind() != Space::Kind::Box || s.dtype() != DType::Float32)
      throw Error(id + ": agent " + e.agents()[a] + " observes " + s.repr() +
                  "; the multi-agent VecEnv batches float32 Box observations");
    obs_width_ = std::max(obs_width_, s.numel());
    state_width += s.numel();
  }
  act_space_ = shared_action_space(e);
  act_bytes_ = act_space_.byte_size();
  const int64_t width = obs_width_ + (agent_ids_ ? agents_ : 0) + (global_state_ ? state_width : 0);
  obs_space_ = Space::box(-INFINITY, INFINITY, {width});
  state_space_ = Space::box(-INFINITY, INFINITY, {state_width});
  const int64_t rows = this->rows();
  buf_.allocate(rows, width * sizeof(float), 0);
  view_ = buf_.view(rows);
  masks_.assign(act_space_.kind() == Space::Kind::Discrete ? rows * act_space_.n() : 0, 0);
  if (e.turn_based() && !masks_.empty()) view_.action_mask = masks_.data(), view_.mask_width = act_space_.n();
  state_.assign(num_envs * state_width, 0.f);
  final_state_.assign(num_envs * state_width, 0.f);
  acting_.assign(rows, 0);
  run_return_.assign(rows, 0);
  run_length_.assign(rows, 0);
  rewards_.assign(rows, 0);
  terminated_.assign(rows, 0);
  truncated_.assign(rows, 0);
  for (int64_t i = 0; i < num_envs; ++i)
    for (int a = 0; a < agents_; ++a) raw_.emplace_back(e.observation_space(a).byte_size());
  // Each row is its own stream of episodes (for writers and samplers): its id is the row's.
  for (int64_t r = 0; r < rows; ++r) buf_.env_ids[r] = r;
}

// Pads each agent's observation of env `env` into its row of `out` (obs or final_obs)
// and concatenates them into the env's state row.
void MultiAgentVecEnv::write_rows(int64_t env, uint8_t* const* out, float* state) {
  const MultiAgentEnv& e = *envs_[env];
  float* s = state + env * state_space_.numel();
  for (int a = 0; a < agents_; ++a) {
    const std::vector<uint8_t>& raw = raw_[env * agents_ + a];
    const int64_t n = e.observation_space(a).numel();
    float* row = reinterpret_cast<float*>(out[a]);
    std::memcpy(row, raw.data(), n * sizeof(float));
    std::fill(row + n, row + obs_width_, 0.f);
    if (agent_ids_)
      for (int k = 0; k < agents_; ++k) row[obs_width_ + k] = k == a ? 1.f : 0.f;
    std::memcpy(s, raw.data(), n * sizeof(float));
    s += n;
  }
  if (!global_state_) return;
  const float* env_state = state + env * state_space_.numel();
  for (int a = 0; a < agents_; ++a)
    std::memcpy(reinterpret_cast<float*>(out[a]) + local_width(), env_state, state_space_.numel() * sizeof(float));
}

// Which rows of env `env` act next, and their legal actions.
void MultiAgentVecEnv::after_step(int64_t env) {
  const MultiAgentEnv& e = *envs_[env];
  const int mover = e.current_player();
  for (int a = 0; a < agents_; ++a) {
    const int64_t r = env * agents_ + a;
    acting_[r] = mover < 0 || mover == a;
    if (!masks_.empty()) e.action_mask(a, masks_.data() + r * act_space_.n());
  }
}

const Batch& MultiAgentVecEnv::reset(std::optional<uint64_t> seed) {
  if (seed) seed_ = *seed;
  const bool reseed = seed || !seeded_once_;
  seeded_once_ = true;
  pool_.run(num_envs(), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      std::vector<void*> raw(agents_);
      std::vector<uint8_t*> rows(agents_);
      for (int a = 0; a < agents_; ++a) {
        raw[a] = raw_[i * agents_ + a].data();
        rows[a] = buf_.obs_row(i * agents_ + a);
        const int64_t r = i * agents_ + a;
        buf_.reward[r] = 0;
        buf_.terminated[r] = buf_.truncated[r] = 0;
        buf_.episode_return[r] = run_return_[r] = 0;
        buf_.episode_length[r] = run_length_[r] = 0;
      }
      envs_[i]->reset_into(reseed ? std::optional<uint64_t>(seed_ + static_cast<uint64_t>(i)) : std::nullopt,
                           raw.data());
      write_rows(i, rows.data(), state_.data());
      after_step(i);
    }
  });
  return view_;
}

const Batch& MultiAgentVecEnv::step(const void* actions) {
  actions_ = static_cast<const uint8_t*>(actions);
  pool_.run(num_envs(), [&](int64_t begin, int64_t end) {
    std::vector<void*> raw(agents_);
    std::vector<const void*> acts(agents_);
    std::vector<uint8_t*> rows(agents_), finals(agents_);
    for (int64_t i = begin; i < end; ++i) {
      const int64_t first = i * agents_;
      for (int a = 0; a < agents_; ++a) {
        raw[a] = raw_[first + a].data();
        acts[a] = actions_ + (first + a) * act_bytes_;
        rows[a] = buf_.obs_row(first + a);
        finals[a] = buf_.final_obs_row(first + a);
      }
      MultiAgentEnv& e = *envs_[i];
      e.step_into(acts.data(), raw.data(), rewards_.data() + first, terminated_.data() + first,
                  truncated_.data() + first);
      for (int a = 0; a < agents_; ++a) {
        const int64_t r = first + a;
        buf_.reward[r] = rewards_[r];
        buf_.terminated[r] = terminated_[r];
        buf_.truncated[r] = truncated_[r];
        buf_.episode_return[r] = run_return_[r] += rewards_[r];
        buf_.episode_length[r] = ++run_length_[r];
      }
      if (e.episode_over()) {  // same-step autoreset
        write_rows(i, finals.data(), final_state_.data());
        e.reset_into(std::nullopt, raw.data());
        for (int a = 0; a < agents_; ++a) run_return_[first + a] = 0, run_length_[first + a] = 0;
      }
      write_rows(i, rows.data(), state_.data());
      after_step(i);
    }
  });
  return view_;
}

const Batch& MultiAgentVecEnv::step(const std::vector<int64_t>& actions) {
  if (act_space_.kind() != Space::Kind::Discrete)
    throw Error(spec().id + ": its agents act in " + act_space_.repr() + "; pass float32 actions");
  if (static_cast<int64_t>(actions.size()) != rows())
    throw Error(spec().id + ": step() got " + std::to_string(actions.size()) + " actions for " +
                std::to_string(rows()) + " rows (" + std::to_string(num_envs()) + " envs x " +
                std::to_string(agents_) + " agents)");
  return step(actions.data());
}

void MultiAgentVecEnv::record_episodes(bool on) {
  for (auto& e : envs_) e->record_episodes(on);
}

void MultiAgentVecEnv::save_state(StateMap& out, const std::string& prefix) const {
  put_state(out, prefix + "seeded_once", static_cast<uint8_t>(seeded_once_));
  for (size_t i = 0; i < envs_.size(); ++i) {
    put_state(out, prefix + "rng_" + std::to_string(i), envs_[i]->episode_log().rng);
    put_state(out, prefix + "actions_" + std::to_string(i), envs_[i]->episode_log().actions);
  }
}

const Batch& MultiAgentVecEnv::load_state(const StateMap& in, const std::string& prefix) {
  seeded_once_ = get_state_value<uint8_t>(in, prefix + "seeded_once") != 0;
  for (int64_t i = 0; i < num_envs(); ++i) {
    MultiAgentEnv::EpisodeLog log;
    log.rng = get_state_value<Rng::State>(in, prefix + "rng_" + std::to_string(i));
    get_state(in, prefix + "actions_" + std::to_string(i), log.actions);
    MultiAgentEnv& e = *envs_[i];
    const std::vector<double> returns = e.replay(log);
    std::vector<uint8_t*> rows(agents_);
    for (int a = 0; a < agents_; ++a) {
      const int64_t r = i * agents_ + a;
      rows[a] = buf_.obs_row(r);
      buf_.reward[r] = 0;
      buf_.terminated[r] = buf_.truncated[r] = 0;
      buf_.episode_return[r] = run_return_[r] = returns[a];
      buf_.episode_length[r] = run_length_[r] = e.elapsed_steps();
    }
    std::vector<void*> raw(agents_);
    for (int a = 0; a < agents_; ++a) raw[a] = raw_[i * agents_ + a].data();
    e.observe_into(raw.data());
    write_rows(i, rows.data(), state_.data());
    after_step(i);
  }
  return view_;
}

}  // namespace rlarena
