#include "envs/multi/multi_env.h"

#include <cmath>

#include "common/error.h"

namespace rlarena {

bool MultiStepResult::done() const {
  for (size_t a = 0; a < terminated.size(); ++a)
    if (!terminated[a] && !truncated[a]) return false;
  return true;
}

MultiAgentEnv::MultiAgentEnv(const EnvSpec& spec, std::vector<std::string> agents,
                             std::vector<Space> observation_spaces, std::vector<Space> action_spaces)
    : spec_(spec),
      agents_(std::move(agents)),
      obs_spaces_(std::move(observation_spaces)),
      act_spaces_(std::move(action_spaces)) {
  if (agents_.empty() || obs_spaces_.size() != agents_.size() || act_spaces_.size() != agents_.size())
    throw Error(spec_.id + ": a multi-agent env needs one observation and one action space per agent");
}

int MultiAgentEnv::agent_index(const std::string& name) const {
  for (int a = 0; a < num_agents(); ++a)
    if (agents_[a] == name) return a;
  std::string names;
  for (const auto& n : agents_) names += (names.empty() ? "" : ", ") + n;
  throw Error(spec_.id + " has no agent '" + name + "'; its agents are " + names);
}

void MultiAgentEnv::action_mask(int agent, uint8_t* mask) const {
  const Space& s = action_space(agent);
  for (int64_t i = 0; i < s.n(); ++i) mask[i] = 1;
}

std::vector<uint8_t> MultiAgentEnv::action_mask(int agent) const {
  const Space& s = action_space(agent);
  if (s.kind() != Space::Kind::Discrete)
    throw Error(spec_.id + ": agent " + agents_.at(agent) + " has a " + s.repr() +
                " action space; action masks are for Discrete ones");
  std::vector<uint8_t> mask(s.n());
  action_mask(agent, mask.data());
  return mask;
}

void MultiAgentEnv::reset_into(std::optional<uint64_t> seed, void* const* obs) {
  seed_for_reset(rng_, seeded_, seed);
  if (recording_) {
    log_.rng = rng_.state();
    log_.actions.clear();
  }
  do_reset();
  elapsed_ = 0;
  needs_reset_ = false;
  over_ = false;
  observe_into(obs);
}

void MultiAgentEnv::check_started() const {
  if (needs_reset_) throw Error(spec_.id + ": step() called before reset(); call reset(seed) first");
  if (over_) throw Error(spec_.id + ": step() called after the episode ended; call reset() first");
}

void MultiAgentEnv::check_actions(const void* const* actions) const {
  const int mover = current_player();
  for (int a = 0; a < num_agents(); ++a) {
    if (mover >= 0 && a != mover) continue;  // a waiting player's action is not read
    check_action_value(act_spaces_[a], actions[a], spec_.id + " (agent " + agents_[a] + ")");
    if (mover < 0 || act_spaces_[a].kind() != Space::Kind::Discrete) continue;
    std::vector<uint8_t>& mask = mask_scratch_;
    mask.resize(act_spaces_[a].n());
    action_mask(a, mask.data());
    const int64_t action = *static_cast<const int64_t*>(actions[a]) - act_spaces_[a].start();
    if (!mask[action]) {
      std::string legal;
      for (size_t i = 0; i < mask.size(); ++i)
        if (mask[i]) legal += (legal.empty() ? "" : ", ") + std::to_string(i + act_spaces_[a].start());
      throw Error(spec_.id + ": action " + std::to_string(action + act_spaces_[a].start()) + " of agent " +
                  agents_[a] + " is illegal now; the legal actions are " + legal + " (see action_mask)");
    }
  }
}

void MultiAgentEnv::step_into(const void* const* actions, void* const* obs, double* rewards, uint8_t* terminated,
                              uint8_t* truncated) {
  check_started();
  check_actions(actions);
  if (recording_)
    for (int a = 0; a < num_agents(); ++a) {
      const auto* bytes = static_cast<const uint8_t*>(actions[a]);
      log_.actions.insert(log_.actions.end(), bytes, bytes + act_spaces_[a].byte_size());
    }
  for (int a = 0; a < num_agents(); ++a) rewards[a] = 0;
  const bool term = do_step(actions, rewards);
  ++elapsed_;
  // PettingZoo's max_cycles and Gymnasium's TimeLimit: truncated at the limit unless terminated.
  const bool trunc = !term && spec_.max_episode_steps > 0 && elapsed_ >= spec_.max_episode_steps;
  over_ = term || trunc;
  for (int a = 0; a < num_agents(); ++a) {
    terminated[a] = term;
    truncated[a] = trunc;
  }
  if (obs) observe_into(obs);
}

void MultiAgentEnv::observe_into(void* const* obs) const {
  for (int a = 0; a < num_agents(); ++a) observe(a, obs[a]);
}

std::vector<Array> MultiAgentEnv::reset(std::optional<uint64_t> seed) {
  std::vector<Array> obs;
  std::vector<void*> ptrs;
  for (int a = 0; a < num_agents(); ++a) obs.push_back(Array::zeros(obs_spaces_[a]));
  for (auto& o : obs) ptrs.push_back(o.data());
  reset_into(seed, ptrs.data());
  return obs;
}

MultiStepResult MultiAgentEnv::step(const std::vector<Array>& actions) {
  check_started();
  if (static_cast<int>(actions.size()) != num_agents())
    throw Error(spec_.id + ": step() got " + std::to_string(actions.size()) + " actions for " +
                std::to_string(num_agents()) + " agents; pass one per agent, in agents() order");
  std::vector<const void*> acts;
  for (int a = 0; a < num_agents(); ++a) {
    if (actions[a].bytes.size() != act_spaces_[a].byte_size())
      throw Error(spec_.id + ": agent " + agents_[a] + "'s action has " + std::to_string(actions[a].bytes.size()) +
                  " bytes; its space " + act_spaces_[a].repr() + " takes " +
                  std::to_string(act_spaces_[a].byte_size()));
    acts.push_back(actions[a].data());
  }
  MultiStepResult r;
  std::vector<void*> ptrs;
  for (int a = 0; a < num_agents(); ++a) r.obs.push_back(Array::zeros(obs_spaces_[a]));
  for (auto& o : r.obs) ptrs.push_back(o.data());
  r.rewards.resize(num_agents());
  r.terminated.resize(num_agents());
  r.truncated.resize(num_agents());
  step_into(acts.data(), ptrs.data(), r.rewards.data(), r.terminated.data(), r.truncated.data());
  return r;
}

MultiStepResult MultiAgentEnv::step(const std::vector<int64_t>& actions) {
  check_started();
  std::vector<Array> arrays;
  for (int a = 0; a < num_agents() && a < static_cast<int>(actions.size()); ++a) {
    if (act_spaces_[a].kind() != Space::Kind::Discrete)
      throw Error(spec_.id + ": agent " + agents_[a] + " has a " + act_spaces_[a].repr() +
                  " action space; pass its action as an array, not an integer");
    Array x = Array::zeros(act_spaces_[a]);
    *x.as<int64_t>() = actions[a];
    arrays.push_back(std::move(x));
  }
  if (actions.size() != arrays.size() || static_cast<int>(actions.size()) != num_agents())
    throw Error(spec_.id + ": step() got " + std::to_string(actions.size()) + " actions for " +
                std::to_string(num_agents()) + " agents; pass one per agent, in agents() order");
  return step(arrays);
}

size_t MultiAgentEnv::joint_action_bytes() const {
  size_t bytes = 0;
  for (const Space& s : act_spaces_) bytes += s.byte_size();
  return bytes;
}

std::vector<double> MultiAgentEnv::replay(const EpisodeLog& log) {
  const size_t step_bytes = joint_action_bytes();
  if (log.actions.size() % step_bytes != 0)
    throw Error(spec_.id + ": an episode log's actions do not fit this env's action spaces");
  std::vector<std::vector<uint8_t>> obs;
  std::vector<void*> obs_ptr;
  for (const Space& s : obs_spaces_) obs.emplace_back(s.byte_size());
  for (auto& o : obs) obs_ptr.push_back(o.data());
  rng_.set_state(log.rng);
  seeded_ = true;
  reset_into(std::nullopt, obs_ptr.data());
  std::vector<double> rewards(num_agents()), returns(num_agents(), 0.0);
  std::vector<uint8_t> term(num_agents()), trunc(num_agents());
  std::vector<const void*> acts(num_agents());
  for (size_t at = 0; at < log.actions.size(); at += step_bytes) {
    size_t off = at;
    for (int a = 0; a < num_agents(); ++a) acts[a] = log.actions.data() + off, off += act_spaces_[a].byte_size();
    step_into(acts.data(), nullptr, rewards.data(), term.data(), trunc.data());
    for (int a = 0; a < num_agents(); ++a) returns[a] += rewards[a];
  }
  return returns;
}

std::vector<double> MultiAgentEnv::get_state() const {
  std::vector<double> out(state_names().size());
  read_state(out.data());
  return out;
}

void MultiAgentEnv::set_state(const std::vector<double>& state) {
  const std::vector<std::string> names = state_names();
  if (names.empty()) throw Error(spec_.id + " has no settable state");
  if (needs_reset_) throw Error(spec_.id + ": set_state() before reset(); call reset(seed) first");
  if (state.size() != names.size()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ",") + n;
    throw Error(spec_.id + ": the state has " + std::to_string(names.size()) + " numbers (" + list + "), got " +
                std::to_string(state.size()));
  }
  for (size_t i = 0; i < state.size(); ++i)
    if (!std::isfinite(state[i])) throw Error(spec_.id + ": state value " + names[i] + " is not finite");
  write_state(state.data());
  over_ = false;
}

void MultiAgentEnv::read_state(double*) const { throw Error(spec_.id + " has no readable state"); }
void MultiAgentEnv::write_state(const double*) { throw Error(spec_.id + " has no settable state"); }

bool MultiAgentEnv::scripted_action(const std::string&, int, Rng&, void*) const { return false; }

}  // namespace rlarena
