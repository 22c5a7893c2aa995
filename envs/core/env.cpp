#include "envs/core/env.h"

#include <cmath>
#include <sstream>

#include "common/error.h"

namespace rlarena {

Env::Env(const EnvSpec& spec, Space observation_space, Space action_space)
    : spec_(spec), obs_space_(std::move(observation_space)), act_space_(std::move(action_space)) {}

void Env::reset_into(std::optional<uint64_t> seed, void* obs) {
  seed_for_reset(rng_, seeded_, seed);
  if (recording_) {
    log_.rng = rng_.state();
    log_.actions.clear();
  }
  do_reset();
  elapsed_ = 0;
  needs_reset_ = false;
  observe(obs);
}

StepOut Env::step_into(const void* action, void* obs, double* info) {
  if (needs_reset_)
    throw Error(spec_.id + ": step() called before reset(); call reset(seed) first");
  check_action(action);
  if (recording_) {
    const auto* bytes = static_cast<const uint8_t*>(action);
    log_.actions.insert(log_.actions.end(), bytes, bytes + act_space_.byte_size());
  }
  if (!info) {
    scratch_info_.resize(info_keys_.size());
    info = scratch_info_.data();
  }
  const Transition t = do_step(action, info);
  ++elapsed_;
  observe(obs);
  // Gymnasium's TimeLimit: truncated at the limit, also when that step terminates.
  const bool truncated = spec_.max_episode_steps > 0 && elapsed_ >= spec_.max_episode_steps;
  return {t.reward, t.terminated, truncated};
}


void Env::check_action(const void* action) const { check_action_value(act_space_, action, spec_.id); }

Array Env::reset(std::optional<uint64_t> seed) {
  Array obs = Array::zeros(obs_space_);
  reset_into(seed, obs.data());
  return obs;
}

StepResult Env::step(const Array& action) {
  if (action.dtype != act_space_.dtype() || action.bytes.size() != act_space_.byte_size())
    throw Error(spec_.id + ": action has " + std::to_string(action.numel()) + " " +
                dtype_name(action.dtype) + " values; the action space is " + act_space_.repr());
  StepResult r;
  r.obs = Array::zeros(obs_space_);
  std::vector<double> info(info_keys_.size());
  const StepOut out = step_into(action.data(), r.obs.data(), info.data());
  r.reward = out.reward;
  r.terminated = out.terminated;
  r.truncated = out.truncated;
  for (size_t i = 0; i < info.size(); ++i) r.info[info_keys_[i]] = info[i];
  return r;
}

StepResult Env::step(int64_t discrete_action) {
  if (act_space_.kind() != Space::Kind::Discrete)
    throw Error(spec_.id + ": got a discrete action but the action space is " + act_space_.repr());
  Array a = Array::zeros(act_space_);
  *a.as<int64_t>() = discrete_action;
  return step(a);
}

StepResult Env::step(const std::vector<float>& continuous_action) {
  if (act_space_.dtype() != DType::Float32 ||
      static_cast<int64_t>(continuous_action.size()) != act_space_.numel())
    throw Error(spec_.id + ": got " + std::to_string(continuous_action.size()) +
                " float values but the action space is " + act_space_.repr());
  Array a = Array::zeros(act_space_);
  std::copy(continuous_action.begin(), continuous_action.end(), a.as<float>());
  return step(a);
}

std::vector<double> Env::get_state() const {
  std::vector<double> s(state_names_.size());
  read_state(s.data());
  return s;
}

void Env::set_state(const std::vector<double>& state) {
  if (state.size() != state_names_.size()) {
    std::string names;
    for (const auto& n : state_names_) names += (names.empty() ? "" : ",") + n;
    throw Error(spec_.id + ": state has " + std::to_string(state.size()) + " values; give " +
                std::to_string(state_names_.size()) + " (" + names + ")");
  }
  for (size_t i = 0; i < state.size(); ++i)
    if (!std::isfinite(state[i]))
      throw Error(spec_.id + ": state value " + state_names_[i] + " is not finite; give a number");
  if (needs_reset_)
    throw Error(spec_.id + ": set_state() called before reset(); call reset(seed) first");
  write_state(state.data());
}

Array Env::observation() const {
  Array obs = Array::zeros(obs_space_);
  observe(obs.data());
  return obs;
}

}  // namespace rlarena

namespace rlarena {

Array Env::render() {
  throw Error(id() + " cannot render yet: rendering exists for the MuJoCo envs; the classic "
                     "and Box2D envs get theirs with the video work");
}

}  // namespace rlarena
