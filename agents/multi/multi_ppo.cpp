#include "agents/multi/multi_ppo.h"

#include "agents/multi/independent.h"
#include "agents/onpolicy/trainer.h"
#include "agents/ppo/ppo.h"
#include "common/error.h"
#include "envs/multi/multi_registry.h"
#include "envs/multi/multi_vec_env.h"

namespace rlarena {

namespace {

// The features of a row the actor sees: with a centralized critic, the row's own
// observation and id, not the env's state appended after them.
int64_t actor_inputs(const Recipe& r) {
  if (!r.flag("central_critic")) return 0;
  const MultiAgentVecEnv probe(r.text("env"), 1, 0, 1, r.kwargs(), r.flag("agent_ids"), true);
  return probe.local_width();
}

Algorithm multi_agent_ppo(const std::string& name, const std::string& summary, bool central_critic,
                          const std::string& env) {
  std::vector<KeySpec> keys = run_keys(name, env, 1000000, 32);
  for (auto& k : OnPolicyRollout::keys()) keys.push_back(k);
  for (auto& k : PpoLearner::keys()) keys.push_back(k);
  keys.push_back({"agent_ids", "true", "append each agent's one-hot id to its observation (one policy for all agents)"});
  keys.push_back({"central_critic", central_critic ? "true" : "false",
                  "the critic also sees every agent's observation (the env's state); the actor its own"});
  keys.push_back({"shared_policy", "true",
                  "one policy for all agents; false: independent PPO, a learner (networks, optimizer) per agent"});
  const auto make = [](const Recipe& r, const Space& obs, const Space& act) {
    if (!MultiRegistry::global().has(r.text("env")))
      throw Error(r.text("algo") + " trains on multi-agent envs (simple_spread_v3, ...); " + r.text("env") +
                  " is a single-agent env: use ppo");
    if (!r.flag("shared_policy")) {
      const int agents = make_multi(r.text("env"), r.kwargs())->num_agents();
      return std::unique_ptr<OnPolicyLearner>(std::make_unique<IndependentLearners>(r, obs, act, agents, actor_inputs(r)));
    }
    return std::unique_ptr<OnPolicyLearner>(std::make_unique<PpoLearner>(r, obs, act, actor_inputs(r)));
  };
  return {name, summary, keys,
          [make](const Recipe& r, const TrainerOptions& o) -> std::unique_ptr<Trainer> {
            return std::make_unique<OnPolicyTrainer>(r, o, make);
          },
          [make](const Recipe& r, const Space& obs, const Space& act) -> std::unique_ptr<Learner> {
            return make(r, obs, act);
          }};
}

}  // namespace

namespace ippo {
Algorithm algorithm() {
  return multi_agent_ppo("ippo", "PPO with one policy shared by every agent of a multi-agent env (agent ids)", false,
                         "simple_tag_v3");
}
}  // namespace ippo

namespace mappo {
Algorithm algorithm() {
  return multi_agent_ppo("mappo", "multi-agent PPO with a centralized critic on every agent's observation", true,
                         "simple_spread_v3");
}
}  // namespace mappo

}  // namespace rlarena
