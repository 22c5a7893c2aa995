// Policy: acting only, observations in and actions out. A trained learner is one
// (agents/common/learner.h), loaded from a run directory or checkpoint without
// building any env (agents/policy/load.h); so are the scripted players (random,
// heuristic, a fixed list of actions). Evaluation, videos, rollouts and dataset
// collection take a Policy.
#pragma once
#include <cstdint>
#include <string>

#include "envs/core/env.h"
#include "envs/core/space.h"

namespace rlarena {

// One batch of decisions.
struct PolicyInput {
  const void* obs = nullptr;  // [n, obs] in the observation space's dtype
  int64_t n = 0;
  // The env of each row, for players that read the env's own state (the env's
  // scripted controller); null where the caller has no envs (learned policies never need them).
  Env* const* envs = nullptr;
  // [n, actions] 0/1: the legal Discrete actions of each row (Batch::action_mask); null:
  // all. Policies that can (the on-policy ones) act only within them.
  const uint8_t* action_mask = nullptr;
};

// How a policy acts: its mode (argmax, the mean) or a sample from its own seeded generator.
enum class Acting { Deterministic, Stochastic };

class Policy {
 public:
  virtual ~Policy() = default;
  virtual const Space& observation_space() const = 0;
  virtual const Space& action_space() const = 0;
  // Writes [n, action] actions in the action space's dtype.
  virtual void act(const PolicyInput& input, Acting acting, void* actions) = 0;
};

// An Error unless `policy` acts on observations and actions laid out as these spaces
// (`policy_name` and `env_id` name the two in the message).
void check_policy_fits(const Policy& policy, const std::string& policy_name, const Space& observation_space,
                       const Space& action_space, const std::string& env_id);

}  // namespace rlarena
