// The algorithms `rlarena train` knows, and the keys every run shares.
#include "agents/a2c/a2c.h"
#include "agents/dqn/dqn.h"
#include "agents/ppo/ppo.h"
#include "agents/sac/sac.h"
#include "agents/td3/td3.h"
#include "envs/core/error.h"

namespace rlarena {

std::vector<KeySpec> run_keys(const std::string& algo, const std::string& env, int64_t total_steps, int64_t num_envs) {
  return {{"algo", algo, "algorithm: ppo, a2c, dqn, sac or td3"},
          {"env", env, "env id (rlarena envs lists them)"},
          {"kwarg", "", "env option key=value (repeatable)", true},
          {"seed", "1", "seed of env 0 (env i gets seed + i), the networks and every sampler"},
          {"total_steps", std::to_string(total_steps), "env steps in all"},
          {"num_envs", std::to_string(num_envs), "envs stepped together"},
          {"env_threads", "1", "threads stepping envs (results do not depend on it)"},
          {"torch_threads", "1", "LibTorch intra-op threads"},
          {"blas_threads", "1", "OpenBLAS threads (2 pays off for 256-wide networks; results depend on it)"},
          {"checkpoint_every", "0", "env steps between checkpoints (0: only at the end and on Ctrl-C)"},
          {"eval_episodes", "10", "episodes of the final deterministic evaluation (0: none)"}};
}

const std::vector<Algorithm>& algorithms() {
  static const std::vector<Algorithm> all = {ppo::algorithm(), a2c::algorithm(), dqn::algorithm(), sac::algorithm(),
                                             td3::algorithm()};
  return all;
}

const Algorithm& find_algorithm(const std::string& name) {
  std::string names;
  for (const auto& a : algorithms()) {
    if (a.name == name) return a;
    names += (names.empty() ? "" : ", ") + a.name;
  }
  throw Error("algo = " + name + " is not known; give one of " + names);
}

}  // namespace rlarena
