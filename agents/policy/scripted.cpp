#include "agents/policy/scripted.h"

#include <cstring>

#include "common/error.h"

namespace rlarena {

RandomPolicy::RandomPolicy(const Space& observations, const Space& actions, uint64_t seed)
    : obs_(observations), act_(actions), rng_(seed) {}

void RandomPolicy::act(const PolicyInput& input, Acting, void* actions) {
  const size_t bytes = act_.byte_size();
  for (int64_t i = 0; i < input.n; ++i) act_.sample(rng_, static_cast<uint8_t*>(actions) + i * bytes);
}

HeuristicPolicy::HeuristicPolicy(const Space& observations, const Space& actions) : obs_(observations), act_(actions) {}

void HeuristicPolicy::act(const PolicyInput& input, Acting, void* actions) {
  if (!input.envs) throw Error("the heuristic policy reads the env's own state; give it the envs it acts in");
  const size_t bytes = act_.byte_size();
  for (int64_t i = 0; i < input.n; ++i) {
    Env& env = *input.envs[i];
    if (!env.heuristic_action(static_cast<uint8_t*>(actions) + i * bytes))
      throw Error(env.id() + " has no heuristic policy (no scripted controller; LunarLander, BipedalWalker and "
                  "CarRacing have one); use --policy random");
  }
}

ActionListPolicy::ActionListPolicy(const Space& observations, const Space& actions, std::vector<Array> list)
    : obs_(observations), act_(actions), list_(std::move(list)) {}

void ActionListPolicy::act(const PolicyInput& input, Acting, void* actions) {
  const size_t bytes = act_.byte_size();
  for (int64_t i = 0; i < input.n; ++i, ++next_) {
    if (next_ >= list_.size())
      throw Error("the list of " + std::to_string(list_.size()) + " actions is used up; give more actions");
    std::memcpy(static_cast<uint8_t*>(actions) + i * bytes, list_[next_].data(), bytes);
  }
}

}  // namespace rlarena
