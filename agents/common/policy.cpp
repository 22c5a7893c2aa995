#include "agents/common/policy.h"

#include "common/error.h"

namespace rlarena {

namespace {
// Same element type and count: what acting on a buffer needs (bounds may differ).
bool same_layout(const Space& a, const Space& b) {
  return a.kind() == b.kind() && a.dtype() == b.dtype() && a.numel() == b.numel() && a.n() == b.n();
}
}  // namespace

void check_policy_fits(const Policy& policy, const std::string& policy_name, const Space& observation_space,
                       const Space& action_space, const std::string& env_id) {
  if (!same_layout(policy.observation_space(), observation_space) || !same_layout(policy.action_space(), action_space))
    throw Error(policy_name + " acts on observations " + policy.observation_space().repr() + " with actions " +
                policy.action_space().repr() + ", but " + env_id + " has observations " + observation_space.repr() +
                " and actions " + action_space.repr() + "; use it on the env it was trained on");
}

}  // namespace rlarena
