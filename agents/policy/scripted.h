// Scripted players, as Policies: uniformly random actions, the env's own scripted
// controller (LunarLander's heuristic, ...), and a fixed list of actions replayed in
// order (rollout --actions).
#pragma once
#include <vector>

#include "agents/common/policy.h"
#include "envs/core/array.h"

namespace rlarena {

class RandomPolicy final : public Policy {
 public:
  RandomPolicy(const Space& observations, const Space& actions, uint64_t seed);
  const Space& observation_space() const override { return obs_; }
  const Space& action_space() const override { return act_; }
  // Uniform draws from the action space, row by row, from the policy's own generator.
  void act(const PolicyInput& input, Acting acting, void* actions) override;

 private:
  Space obs_, act_;
  Rng rng_;
};

class HeuristicPolicy final : public Policy {
 public:
  HeuristicPolicy(const Space& observations, const Space& actions);
  const Space& observation_space() const override { return obs_; }
  const Space& action_space() const override { return act_; }
  // Each row's env's scripted controller on that env's current state (input.envs is required).
  void act(const PolicyInput& input, Acting acting, void* actions) override;

 private:
  Space obs_, act_;
};

class ActionListPolicy final : public Policy {
 public:
  ActionListPolicy(const Space& observations, const Space& actions, std::vector<Array> list);
  const Space& observation_space() const override { return obs_; }
  const Space& action_space() const override { return act_; }
  int64_t size() const { return static_cast<int64_t>(list_.size()); }
  // The next actions of the list, one per row; an Error once it is used up.
  void act(const PolicyInput& input, Acting acting, void* actions) override;

 private:
  Space obs_, act_;
  std::vector<Array> list_;
  size_t next_ = 0;
};

}  // namespace rlarena
